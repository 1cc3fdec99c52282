/* kuu-goal-card.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-goal-card.h"

struct _KuuGoalCard
{
  GtkWidget   parent_instance;

  KuuContext *context;
  KuuTopic   *topic;

  GtkWidget  *box;
  GtkLabel   *number_label;
  GtkLabel   *title_label;
  GtkLabel   *summary_label;
};

G_DEFINE_FINAL_TYPE (KuuGoalCard, kuu_goal_card, GTK_TYPE_WIDGET)

static void
update_texts (KuuGoalCard *self)
{
  const char *title = kuu_context_text (self->context, kuu_topic_get_title (self->topic));

  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->summary_label,
                      kuu_context_text (self->context, kuu_topic_get_summary (self->topic)));
}

static void
on_context_language_changed_cb (KuuGoalCard *self)
{
  update_texts (self);
}

static void
kuu_goal_card_dispose (GObject *object)
{
  KuuGoalCard *self = (KuuGoalCard *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_GOAL_CARD);
  g_clear_object (&self->context);
  g_clear_object (&self->topic);

  G_OBJECT_CLASS (kuu_goal_card_parent_class)->dispose (object);
}

static void
kuu_goal_card_class_init (KuuGoalCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_goal_card_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/widgets/kuu-goal-card.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuGoalCard, box);
  gtk_widget_class_bind_template_child (widget_class, KuuGoalCard, number_label);
  gtk_widget_class_bind_template_child (widget_class, KuuGoalCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, KuuGoalCard, summary_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "goalcard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kuu_goal_card_init (KuuGoalCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kuu_goal_card_new (KuuContext *context,
                   KuuTopic   *topic,
                   guint       number)
{
  KuuGoalCard *self;
  g_autofree char *number_text = g_strdup_printf ("%u", number);

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (KUU_IS_TOPIC (topic), NULL);

  self = g_object_new (KUU_TYPE_GOAL_CARD, NULL);
  self->context = g_object_ref (context);
  self->topic = g_object_ref (topic);
  gtk_label_set_text (self->number_label, number_text);
  update_texts (self);
  g_signal_connect_object (context, "notify::language",
                           G_CALLBACK (on_context_language_changed_cb), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

KuuTopic *
kuu_goal_card_get_topic (KuuGoalCard *self)
{
  g_return_val_if_fail (KUU_IS_GOAL_CARD (self), NULL);

  return self->topic;
}
