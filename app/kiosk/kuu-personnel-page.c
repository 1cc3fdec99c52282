/* kuu-personnel-page.c
 *
 * Both questions on one screen, each a group of toggles, and Send once
 * both are answered. Anonymous: no contact, no free text. The answer is a
 * recommendation with audience personnel; the 1–5 question is stored as
 * the statement KUU_STATEMENT_FUNCTIONING, so the eNPS and the
 * functioning mean are read from it (kuu-stats) apart from residents'.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-flow-page.h"
#include "kuu-personnel-page.h"
#include "kuu-send-row.h"

#define N_SCORES      11
#define N_FUNCTIONING 5

struct _KuuPersonnelPage
{
  KuuFlowPage      parent_instance;

  KuuContext      *context;
  GtkToggleButton *scores[N_SCORES];
  GtkToggleButton *functioning[N_FUNCTIONING];  /* answers 1–5 */

  GtkWidget       *box;
  KuuFlowHeader   *header;
  GtkLabel        *recommend_label;
  GtkBox          *scores_box;
  GtkLabel        *low_label;
  GtkLabel        *high_label;
  GtkLabel        *functioning_label;
  GtkBox          *functioning_box;
  GtkLabel        *missing_label;
  KuuSendRow      *send_row;
};

G_DEFINE_FINAL_TYPE (KuuPersonnelPage, kuu_personnel_page, KUU_TYPE_FLOW_PAGE)

static const char *
text (KuuPersonnelPage *self,
      const KuuText    *t)
{
  return kuu_context_text (self->context, t);
}

/* The index of the active toggle, or -1. */
static int
active_index (GtkToggleButton **group,
              guint             n)
{
  for (guint i = 0; i < n; i++)
    if (gtk_toggle_button_get_active (group[i]))
      return (int)i;
  return -1;
}

static gboolean
is_complete (KuuPersonnelPage *self)
{
  return active_index (self->scores, N_SCORES) >= 0 &&
         active_index (self->functioning, N_FUNCTIONING) >= 0;
}

static void
update_send (KuuPersonnelPage *self)
{
  gboolean complete = is_complete (self);

  kuu_send_row_set_can_send (self->send_row, complete);
  gtk_widget_set_visible (GTK_WIDGET (self->missing_label), !complete);
}

/* The chosen answer stands out in colour, not just a shade of grey. */
static void
on_toggled_cb (KuuPersonnelPage *self,
               GtkToggleButton  *toggle)
{
  if (gtk_toggle_button_get_active (toggle))
    gtk_widget_add_css_class (GTK_WIDGET (toggle), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (toggle), "suggested-action");
  update_send (self);
}

static GtkToggleButton *
toggle_new (KuuPersonnelPage *self,
            int               value,
            const char       *end,
            const char       *css_class,
            GtkToggleButton  *group)
{
  g_autofree char *label = g_strdup_printf ("%d", value);
  /* The ends carry their meaning for a screen reader. */
  g_autofree char *accessible = end != NULL ? g_strdup_printf ("%d – %s", value, end) : g_strdup (label);
  GtkWidget *toggle = gtk_toggle_button_new_with_label (label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  gtk_widget_set_hexpand (toggle, TRUE);
  gtk_widget_add_css_class (toggle, css_class);
  if (group != NULL)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (toggle), group);
  g_signal_connect_object (toggle, "toggled", G_CALLBACK (on_toggled_cb), self, G_CONNECT_SWAPPED);

  return GTK_TOGGLE_BUTTON (toggle);
}

static void
fill_scores (KuuPersonnelPage *self)
{
  KuuStrategy *strategy = kuu_context_get_strategy (self->context);
  const char *low = text (self, kuu_strategy_get_scale_low (strategy));
  const char *high = text (self, kuu_strategy_get_scale_high (strategy));

  gtk_label_set_text (self->recommend_label,
                      text (self, kuu_strategy_get_personnel_recommend_question (strategy)));
  gtk_label_set_text (self->low_label, low);
  gtk_label_set_text (self->high_label, high);

  for (int score = 0; score < N_SCORES; score++)
    {
      self->scores[score] = toggle_new (self, score,
                                        score == 0 ? low : score == N_SCORES - 1 ? high : NULL,
                                        "score-button", score > 0 ? self->scores[0] : NULL);
      gtk_box_append (self->scores_box, GTK_WIDGET (self->scores[score]));
    }
}

static void
fill_functioning (KuuPersonnelPage *self)
{
  KuuStrategy *strategy = kuu_context_get_strategy (self->context);

  gtk_label_set_text (self->functioning_label,
                      text (self, kuu_strategy_get_personnel_functioning_question (strategy)));

  for (int answer = 1; answer <= N_FUNCTIONING; answer++)
    {
      const char *end = answer == 1 ? _("Poorly") : answer == N_FUNCTIONING ? _("Excellently") : NULL;

      self->functioning[answer - 1] = toggle_new (self, answer, end, "score-button",
                                                  answer > 1 ? self->functioning[0] : NULL);
      gtk_box_append (self->functioning_box, GTK_WIDGET (self->functioning[answer - 1]));
    }
}

static KuuSubmission *
build_submission (KuuPersonnelPage *self,
                  KuuTopic         *topic)
{
  KuuSubmission *submission;

  submission = kuu_submission_new_recommendation (kuu_topic_get_kind (topic),
                                                  kuu_topic_get_id (topic),
                                                  active_index (self->scores, N_SCORES));
  submission->audience = KUU_AUDIENCE_PERSONNEL;
  kuu_submission_add_answer (submission, KUU_STATEMENT_FUNCTIONING,
                             active_index (self->functioning, N_FUNCTIONING) + 1);

  return submission;
}

static void
on_send_clicked_cb (KuuPersonnelPage *self)
{
  KuuTopic *topic = kuu_personnel_page_get_topic (kuu_context_get_strategy (self->context));

  if (!is_complete (self))
    return;
  if (topic == NULL)
    {
      kuu_send_row_show_error (self->send_row, KUU_SEND_FAILED_MESSAGE);
      return;
    }

  kuu_flow_page_save (KUU_FLOW_PAGE (self), self->context, build_submission (self, topic));
}

static void
on_cancel_clicked_cb (KuuPersonnelPage *self)
{
  kuu_flow_page_cancel (KUU_FLOW_PAGE (self));
}

static void
kuu_personnel_page_dispose (GObject *object)
{
  KuuPersonnelPage *self = (KuuPersonnelPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_PERSONNEL_PAGE);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kuu_personnel_page_parent_class)->dispose (object);
}

static void
kuu_personnel_page_class_init (KuuPersonnelPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_personnel_page_dispose;

  kuu_flow_page_class_set_template (widget_class, "kiosk/kuu-personnel-page.ui", "personnelpage");
  gtk_widget_class_bind_template_child (widget_class, KuuPersonnelPage, box);
  gtk_widget_class_bind_template_child (widget_class, KuuPersonnelPage, header);
  gtk_widget_class_bind_template_child (widget_class, KuuPersonnelPage, recommend_label);
  gtk_widget_class_bind_template_child (widget_class, KuuPersonnelPage, scores_box);
  gtk_widget_class_bind_template_child (widget_class, KuuPersonnelPage, low_label);
  gtk_widget_class_bind_template_child (widget_class, KuuPersonnelPage, high_label);
  gtk_widget_class_bind_template_child (widget_class, KuuPersonnelPage, functioning_label);
  gtk_widget_class_bind_template_child (widget_class, KuuPersonnelPage, functioning_box);
  gtk_widget_class_bind_template_child (widget_class, KuuPersonnelPage, missing_label);
  gtk_widget_class_bind_template_child (widget_class, KuuPersonnelPage, send_row);
  gtk_widget_class_bind_template_callback (widget_class, on_send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
}

static void
kuu_personnel_page_init (KuuPersonnelPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kuu_flow_header_set_back_visible (self->header, FALSE);
}

/**
 * kuu_personnel_page_get_topic:
 *
 * The topic a personnel answer is filed under: the goal the region's
 * personnel targets name (Kymenlaakso's “personnel”), else the first goal
 * (or service area).
 * Personnel figures are read over every topic, so this only keeps the
 * record valid for the store and the server.
 *
 * Returns: (transfer none) (nullable): the topic; %NULL for a region
 *   with neither goals nor service areas
 */
KuuTopic *
kuu_personnel_page_get_topic (KuuStrategy *strategy)
{
  GPtrArray *targets;
  g_autoptr(KuuTopic) first = NULL;

  g_return_val_if_fail (KUU_IS_STRATEGY (strategy), NULL);

  targets = kuu_strategy_get_targets (strategy);
  for (guint i = 0; i < targets->len; i++)
    {
      const KuuTarget *target = g_ptr_array_index (targets, i);
      KuuTopic *topic;

      if (target->audience != KUU_AUDIENCE_PERSONNEL || target->goal == NULL)
        continue;
      topic = kuu_strategy_find_topic (strategy, KUU_TOPIC_GOAL, target->goal);
      if (topic != NULL)
        return topic;
    }

  first = g_list_model_get_item (kuu_strategy_get_goals (strategy), 0);
  if (first == NULL)
    first = g_list_model_get_item (kuu_strategy_get_service_areas (strategy), 0);
  /* The strategy's list keeps it alive after this reference goes. */
  return first;
}

GtkWidget *
kuu_personnel_page_new (KuuContext *context)
{
  KuuPersonnelPage *self;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_PERSONNEL_PAGE, NULL);
  self->context = g_object_ref (context);
  fill_scores (self);
  fill_functioning (self);
  update_send (self);

  return GTK_WIDGET (self);
}
