/* kuu-thanks-page.c
 *
 * Says that the answer is saved and what happens to it. For a
 * recommendation it shows the current index of the chosen goal or service
 * area, with its target and how many answers it rests on, when the region
 * shows results and there are enough answers that no single one shows.
 * A staff member's answer gets the personnel index (eNPS) instead, over
 * every topic: each audience sees only its own figures, never the other's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "kuu-i18n.h"
#include "kuu-privacy.h"
#include "kuu-stats.h"
#include "kuu-thanks-page.h"

struct _KuuThanksPage
{
  GtkWidget     parent_instance;

  KuuContext   *context;
  GCancellable *cancellable;
  KuuTopic     *topic;
  KuuAudience   audience;  /* whose answers the figure counts */

  GtkWidget    *box;
  GtkLabel     *title_label;
  GtkLabel     *next_label;
  GtkLabel     *reference_label;
  GtkWidget    *result_box;
  GtkLabel     *result_heading;
  GtkLabel     *index_label;
  GtkLabel     *result_label;
  GtkButton    *done_button;
};

G_DEFINE_FINAL_TYPE (KuuThanksPage, kuu_thanks_page, GTK_TYPE_WIDGET)

/* The residents' NPS target for this topic, or the region-wide one; for
 * personnel, their eNPS target. */
static const KuuTarget *
find_target (KuuThanksPage *self)
{
  GPtrArray *targets = kuu_strategy_get_targets (kuu_context_get_strategy (self->context));
  gboolean personnel = self->audience == KUU_AUDIENCE_PERSONNEL;
  const KuuTarget *overall = NULL;

  for (guint i = 0; i < targets->len; i++)
    {
      const KuuTarget *target = g_ptr_array_index (targets, i);

      if (target->metric != (personnel ? KUU_METRIC_ENPS : KUU_METRIC_NPS) ||
          target->audience != self->audience)
        continue;
      /* The personnel index is one figure, whatever goal its target names. */
      if (personnel)
        return target;
      if (target->goal == NULL)
        overall = target;
      else if (kuu_topic_get_kind (self->topic) == KUU_TOPIC_GOAL &&
               g_str_equal (target->goal, kuu_topic_get_id (self->topic)))
        return target;
    }

  return overall;
}

static void
show_result (KuuThanksPage *self,
             const KuuNps  *nps)
{
  const KuuTarget *target = find_target (self);
  g_autofree char *index = kuu_i18n_format_index (nps->index);
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text,
                          ngettext (
                                       "Based on %u answer",
                                       "Based on %u answers", nps->total),
                          nps->total);
  if (!isnan (nps->margin))
    {
      /* Translators: the margin of error of the index, in index points */
      g_string_append (text, ", ");
      g_string_append_printf (text, _("margin of error ±%ld"), lround (nps->margin));
    }
  g_string_append (text, ".");

  if (target != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Target: %s."), kuu_context_text (self->context, target->label));
      g_string_append_c (text, ' ');
      g_string_append (text, kuu_target_is_met (target, nps->index)
                             ? _("The target is met.")
                             : _("The target is not met yet."));
    }

  gtk_label_set_text (self->index_label, index);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->index_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, index, -1);
  gtk_label_set_text (self->result_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->index_label), TRUE);
  gtk_widget_set_visible (self->result_box, TRUE);
}

static void
show_too_few (KuuThanksPage *self)
{
  g_autofree char *text =
    g_strdup_printf (ngettext (
                                  "The result is shown once there is at least %d answer.",
                                  "The result is shown once there are at least %d answers.",
                                  KUU_MIN_ANSWERS_FOR_RESULT),
                     KUU_MIN_ANSWERS_FOR_RESULT);

  gtk_widget_set_visible (GTK_WIDGET (self->index_label), FALSE);
  gtk_label_set_text (self->result_label, text);
  gtk_widget_set_visible (self->result_box, TRUE);
}

static void
on_stats_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KuuThanksPage) self = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const KuuStatsRow *row;

  rows = kuu_stats_nps_finish (KUU_STORE (object), result, &error);
  if (rows == NULL)
    {
      /* The answer is saved; a missing result is no reason to alarm anyone. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not compute the result: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  row = rows->len > 0 ? g_ptr_array_index (rows, 0) : NULL;
  /* The small-group rule (kuu-privacy.h), as on the staff pages: below
   * it not even the count, which would tell the next person how many
   * answered before. */
  if (row == NULL || kuu_privacy_cell_visibility (self->audience, row->nps.total) != KUU_CELL_FULL)
    show_too_few (self);
  else
    show_result (self, &row->nps);
}

static void
load_result (KuuThanksPage *self)
{
  KuuStatsQuery query;

  kuu_stats_query_init_for (&query, self->audience);
  if (self->topic != NULL)
    {
      query.any_topic_kind = FALSE;
      query.topic_kind = kuu_topic_get_kind (self->topic);
      query.topic_id = kuu_topic_get_id (self->topic);
    }

  kuu_stats_nps_async (kuu_context_get_store (self->context), &query,
                       self->cancellable, on_stats_cb, g_object_ref (self));
}

/* The receipt: a code to ask about the initiative by. */
static void
show_reference (KuuThanksPage       *self,
                const KuuSubmission *submission)
{
  g_autofree char *code = kuu_submission_get_reference (submission);
  g_autofree char *text =
    /* Translators: %s is a short code such as 3F9A-2C11 */
    g_strdup_printf (_("Your reference: %s\nWith it the staff can find your initiative."), code);

  gtk_label_set_text (self->reference_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->reference_label), TRUE);
}

/* A staff member's answer: the personnel's own index, never residents'. */
static void
show_personnel (KuuThanksPage *self,
                KuuStrategy   *strategy)
{
  gtk_label_set_text (self->next_label,
                      _("Your answer is saved. It is anonymous: it is counted only together with "
                        "other staff members’ answers, and the region uses them to follow how "
                        "its workplaces are doing."));
  if (!kuu_strategy_get_show_results (strategy))
    return;

  gtk_label_set_text (self->result_heading, _("Staff recommendation index (eNPS) now"));
  load_result (self);
}

static void
kuu_thanks_page_dispose (GObject *object)
{
  KuuThanksPage *self = (KuuThanksPage *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_THANKS_PAGE);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->topic);

  G_OBJECT_CLASS (kuu_thanks_page_parent_class)->dispose (object);
}

static void
kuu_thanks_page_root (GtkWidget *widget)
{
  KuuThanksPage *self = KUU_THANKS_PAGE (widget);

  GTK_WIDGET_CLASS (kuu_thanks_page_parent_class)->root (widget);
  /* A screen reader starts reading from the thanks. */
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
}

static void
kuu_thanks_page_class_init (KuuThanksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_thanks_page_dispose;
  widget_class->root = kuu_thanks_page_root;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/kiosk/kuu-thanks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuThanksPage, box);
  gtk_widget_class_bind_template_child (widget_class, KuuThanksPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, KuuThanksPage, next_label);
  gtk_widget_class_bind_template_child (widget_class, KuuThanksPage, reference_label);
  gtk_widget_class_bind_template_child (widget_class, KuuThanksPage, result_box);
  gtk_widget_class_bind_template_child (widget_class, KuuThanksPage, result_heading);
  gtk_widget_class_bind_template_child (widget_class, KuuThanksPage, index_label);
  gtk_widget_class_bind_template_child (widget_class, KuuThanksPage, result_label);
  gtk_widget_class_bind_template_child (widget_class, KuuThanksPage, done_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "thankspage");
}

static void
kuu_thanks_page_init (KuuThanksPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kuu_thanks_page_new (KuuContext          *context,
                     const KuuSubmission *submission)
{
  KuuThanksPage *self;
  KuuStrategy *strategy;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (submission != NULL, NULL);

  self = g_object_new (KUU_TYPE_THANKS_PAGE, NULL);
  self->context = g_object_ref (context);
  self->audience = submission->audience;
  strategy = kuu_context_get_strategy (context);

  switch (submission->kind)
    {
    case KUU_SUBMISSION_RECOMMENDATION:
      if (submission->audience == KUU_AUDIENCE_PERSONNEL)
        {
          show_personnel (self, strategy);
          return GTK_WIDGET (self);
        }
      gtk_label_set_text (self->next_label,
                          _("Your answer is saved. It is anonymous: it is counted together with "
                            "other residents’ answers, and the region uses them to follow how "
                            "its strategy is working in everyday services."));
      break;
    case KUU_SUBMISSION_FEEDBACK:
      gtk_label_set_text (self->next_label,
                          kuu_submission_has_contact (submission)
                          ? _("Your feedback is saved and goes to the staff who handle feedback. "
                              "You will get a reply to the contact you gave.")
                          : _("Your feedback is saved and goes to the staff who handle feedback. "
                              "It is anonymous, so we cannot reply to it."));
      break;
    case KUU_SUBMISSION_INITIATIVE:
    default:
      gtk_label_set_text (self->next_label,
                          _("Your initiative is saved. The region will tell you within a month "
                            "who handles it, and publishes its answer."));
      show_reference (self, submission);
      break;
    }

  if (submission->kind == KUU_SUBMISSION_RECOMMENDATION && submission->has_topic)
    {
      self->topic = kuu_strategy_find_topic (strategy, submission->topic_kind, submission->topic_id);
      if (self->topic != NULL)
        g_object_ref (self->topic);
    }

  if (self->topic != NULL && kuu_strategy_get_show_results (strategy))
    {
      g_autofree char *heading =
        /* Translators: %s is a strategic goal or a service area */
        g_strdup_printf (_("Recommendation index now: %s"),
                         kuu_context_text (context, kuu_topic_get_title (self->topic)));

      gtk_label_set_text (self->result_heading, heading);
      load_result (self);
    }

  return GTK_WIDGET (self);
}
