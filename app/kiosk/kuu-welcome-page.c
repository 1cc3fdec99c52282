/* kuu-welcome-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-goal-card.h"
#include "kuu-welcome-page.h"

struct _KuuWelcomePage
{
  GtkWidget   parent_instance;

  KuuContext *context;

  GtkWidget  *scroller;
  GtkLabel   *region_label;
  GtkLabel   *strategy_label;
  GtkLabel   *vision_label;
  GtkLabel   *mission_label;
  GtkBox     *choices_box;
  GtkWidget  *language_box;
  GtkFlowBox *goals_box;
  GtkLabel   *values_label;
};

G_DEFINE_FINAL_TYPE (KuuWelcomePage, kuu_welcome_page, GTK_TYPE_WIDGET)

static char *
join_values (KuuWelcomePage *self)
{
  GPtrArray *values = kuu_strategy_get_values (kuu_context_get_strategy (self->context));
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < values->len; i++)
    {
      const KuuEntry *value = g_ptr_array_index (values, i);

      if (i > 0)
        g_string_append (text, " · ");
      g_string_append (text, kuu_context_text (self->context, value->name));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_texts (KuuWelcomePage *self)
{
  KuuStrategy *strategy = kuu_context_get_strategy (self->context);
  g_autofree char *values = join_values (self);
  g_autofree char *strategy_line =
    g_strdup_printf ("%s %s",
                     kuu_context_text (self->context, kuu_strategy_get_title (strategy)),
                     kuu_strategy_get_period (strategy));

  gtk_label_set_text (self->region_label,
                      kuu_context_text (self->context, kuu_strategy_get_name (strategy)));
  gtk_label_set_text (self->strategy_label, strategy_line);
  gtk_label_set_text (self->vision_label,
                      kuu_context_text (self->context, kuu_strategy_get_vision (strategy)));
  gtk_label_set_text (self->mission_label,
                      kuu_context_text (self->context, kuu_strategy_get_mission (strategy)));
  gtk_label_set_text (self->values_label, values);
}

static void
fill_goals (KuuWelcomePage *self)
{
  GListModel *goals = kuu_strategy_get_goals (kuu_context_get_strategy (self->context));
  guint n = g_list_model_get_n_items (goals);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KuuTopic) goal = g_list_model_get_item (goals, i);

      gtk_flow_box_append (self->goals_box, kuu_goal_card_new (self->context, goal, i + 1));
    }

  /* Three goals sit in one row; four make two rows of two, not 3 + 1. */
  gtk_flow_box_set_max_children_per_line (self->goals_box, n == 4 ? 2 : MIN (n, 3));
}

static void
add_choice (KuuWelcomePage *self,
            const char     *flow,
            const char     *title,
            const char     *summary,
            gboolean        suggested)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *summary_label = gtk_label_new (summary);

  gtk_label_set_wrap (GTK_LABEL (title_label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (summary_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_xalign (GTK_LABEL (summary_label), 0);
  gtk_widget_add_css_class (title_label, "choice-title");
  gtk_widget_add_css_class (summary_label, "choice-summary");
  gtk_box_append (GTK_BOX (box), title_label);
  gtk_box_append (GTK_BOX (box), summary_label);
  gtk_widget_set_valign (box, GTK_ALIGN_START);

  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.start");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", flow);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary,
                                  -1);
  gtk_widget_add_css_class (button, "choice-button");
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  gtk_box_append (self->choices_box, button);
}

/* A device set to ask personnel offers only the staff survey: none of
 * the residents' choices, so the two audiences' answers never meet. */
static void
fill_personnel_choices (KuuWelcomePage *self)
{
  add_choice (self, "personnel", _("Staff survey"),
              _("Two quick anonymous questions about your workplace"), TRUE);
}

static void
fill_choices (KuuWelcomePage *self)
{
  if (kuu_context_get_audience (self->context) == KUU_AUDIENCE_PERSONNEL)
    {
      fill_personnel_choices (self);
      return;
    }

  add_choice (self, "recommend", _("Recommend"),
              _("Score one of our goals or services from 0 to 10"), TRUE);
  add_choice (self, "feedback", _("Give feedback"),
              _("Tell us in your own words what went well or what could be better"), FALSE);
  add_choice (self, "initiative", _("Make an initiative"),
              _("Propose that the region does something; you will get an answer"), FALSE);
  add_choice (self, "answers", _("Initiatives and answers"),
              _("Read what residents have proposed and what the region answered"), FALSE);
}

/* Only the languages staff chose to offer (Settings); one alone needs no
 * button at all. */
static void
show_offered_languages (KuuWelcomePage *self)
{
  guint offered = 0;

  for (GtkWidget *button = gtk_widget_get_first_child (self->language_box);
       button != NULL;
       button = gtk_widget_get_next_sibling (button))
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
      KuuLanguage language;
      gboolean shown = target == NULL ||
                       !kuu_language_from_code (g_variant_get_string (target, NULL), &language) ||
                       kuu_context_offers_language (self->context, language);

      gtk_widget_set_visible (button, shown);
      offered += shown;
    }
  gtk_widget_set_visible (self->language_box, offered > 1);
}

static void
on_context_language_changed_cb (KuuWelcomePage *self)
{
  update_texts (self);
}

/* Staff reach their mode by five quick taps on the region's name: nothing
 * a resident sees invites it, and one stray tap does nothing. */
#define STAFF_TAPS 5

static void
on_region_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      KuuWelcomePage  *self)
{
  if (n_press == STAFF_TAPS)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.staff", NULL);
}

static void
kuu_welcome_page_dispose (GObject *object)
{
  KuuWelcomePage *self = (KuuWelcomePage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_WELCOME_PAGE);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kuu_welcome_page_parent_class)->dispose (object);
}

static void
kuu_welcome_page_class_init (KuuWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_welcome_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/kiosk/kuu-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuWelcomePage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KuuWelcomePage, region_label);
  gtk_widget_class_bind_template_child (widget_class, KuuWelcomePage, strategy_label);
  gtk_widget_class_bind_template_child (widget_class, KuuWelcomePage, vision_label);
  gtk_widget_class_bind_template_child (widget_class, KuuWelcomePage, mission_label);
  gtk_widget_class_bind_template_child (widget_class, KuuWelcomePage, choices_box);
  gtk_widget_class_bind_template_child (widget_class, KuuWelcomePage, language_box);
  gtk_widget_class_bind_template_child (widget_class, KuuWelcomePage, goals_box);
  gtk_widget_class_bind_template_child (widget_class, KuuWelcomePage, values_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "welcomepage");
}

static void
kuu_welcome_page_init (KuuWelcomePage *self)
{
  GtkGesture *gesture;

  gtk_widget_init_template (GTK_WIDGET (self));

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_region_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->region_label), GTK_EVENT_CONTROLLER (gesture));
}

GtkWidget *
kuu_welcome_page_new (KuuContext *context)
{
  KuuWelcomePage *self;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_WELCOME_PAGE, NULL);
  self->context = g_object_ref (context);
  update_texts (self);
  fill_choices (self);
  fill_goals (self);
  show_offered_languages (self);
  g_signal_connect_object (context, "notify::language",
                           G_CALLBACK (on_context_language_changed_cb), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}
