/* kuu-dashboard-page-figures.c
 *
 * The dashboard's figures: the index as text (NPS, eNPS, with its
 * reliability), the weeks or months a trend is counted over, and the
 * summary list, the distribution and the trend of one load shown in the
 * page's widgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "kuu-dashboard-page-private.h"
#include "kuu-i18n.h"
#include "kuu-privacy.h"

#define N_WEEKS 4
#define N_MONTHS 12

/* What the small-group rule (kuu-privacy.h) lets this page show of a cell
 * of @total answers. */
static KuuCellVisibility
visibility (const Load *load,
            guint       total)
{
  return kuu_privacy_cell_visibility (load->audience, total);
}

/* “+34 from 412 answers, ±4,1”, or why there is no figure: under 10
 * answers only their count, and personnel's under 5 not even that (“no
 * answers” would tell that some are there or not). */
static char *
nps_text (const Load   *load,
          const KuuNps *nps)
{
  guint total = nps != NULL ? nps->total : 0;
  g_autofree char *index = NULL;
  GString *text;

  switch (visibility (load, total))
    {
    case KUU_CELL_HIDDEN:
      /* Translators: personnel cells of 1–4 answers are not shown, nor their count */
      return g_strdup_printf (ngettext ("Fewer than %d answer: not shown, so that nobody can be recognised",
                                        "Fewer than %d answers: not shown, so that nobody can be recognised",
                                        KUU_PRIVACY_MIN_PERSONNEL),
                              KUU_PRIVACY_MIN_PERSONNEL);
    case KUU_CELL_COUNT_ONLY:
      if (total == 0)
        return g_strdup (_("No answers"));
      /* Translators: %u is the number of answers (1–9); an index needs 10 */
      text = g_string_new (NULL);
      g_string_append_printf (text, ngettext ("%u answer", "%u answers", total), total);
      g_string_append (text, " — ");
      g_string_append_printf (text, ngettext ("an index is shown from %d answer",
                                              "an index is shown from %d answers",
                                              KUU_PRIVACY_MIN_ANSWERS),
                              KUU_PRIVACY_MIN_ANSWERS);
      return g_string_free (text, FALSE);
    case KUU_CELL_FULL:
    default:
      break;
    }

  index = kuu_i18n_format_index (nps->index);
  text = g_string_new (NULL);
  /* Translators: %s is the index with its sign, %u the number of answers */
  g_string_append_printf (text, ngettext ("%s from %u answer", "%s from %u answers", nps->total),
                          index, nps->total);
  if (!isnan (nps->margin))
    {
      g_autofree char *margin = kuu_i18n_format_margin (nps->margin);

      /* Translators: %s is the margin of error, in index points: “±4,1” */
      g_string_append_printf (text, _(", %s"), margin);
    }
  return g_string_free (text, FALSE);
}

static char *
target_text (KuuDashboardPage *self,
             const Load       *load,
             const KuuTarget  *target,
             double            measured,
             guint             answers)
{
  const char *label = kuu_context_text (self->context, target->label);
  KuuCellVisibility shown = visibility (load, answers);

  if (shown == KUU_CELL_COUNT_ONLY && answers == 0)
    /* Translators: %s is the target, e.g. “Recommendation index above 60” */
    return g_strdup_printf (_("Target: %s — no answers yet"), label);
  /* met or not is a figure too: not from a small group */
  if (shown != KUU_CELL_FULL || isnan (measured))
    /* Translators: %s is the target, %d the answers it needs (10) */
    return g_strdup_printf (ngettext ("Target: %s — judged from %d answer",
                                      "Target: %s — judged from %d answers",
                                      KUU_PRIVACY_MIN_ANSWERS),
                            label, KUU_PRIVACY_MIN_ANSWERS);
  if (kuu_target_is_met (target, measured))
    return g_strdup_printf (_("Target: %s — met"), label);
  return g_strdup_printf (_("Target: %s — not met"), label);
}

/* The residents' NPS target of @topic_id (a goal), or with @overall the
 * region-wide one; personnel's eNPS target whatever its goal. */
static const KuuTarget *
find_target (KuuDashboardPage *self,
             KuuAudience       audience,
             KuuMetric         metric,
             const char       *goal_id,
             gboolean          overall)
{
  GPtrArray *targets = kuu_strategy_get_targets (kuu_context_get_strategy (self->context));

  for (guint i = 0; targets != NULL && i < targets->len; i++)
    {
      const KuuTarget *target = g_ptr_array_index (targets, i);

      if (target->metric != metric || target->audience != audience)
        continue;
      if (audience == KUU_AUDIENCE_PERSONNEL)
        return target;
      if (overall ? target->goal == NULL : g_strcmp0 (target->goal, goal_id) == 0)
        return target;
    }
  return NULL;
}

static const KuuTarget *
target_for_selected (KuuDashboardPage *self,
                     const Load       *load)
{
  if (load->audience == KUU_AUDIENCE_PERSONNEL)
    return find_target (self, KUU_AUDIENCE_PERSONNEL, KUU_METRIC_ENPS, NULL, TRUE);
  if (load->any_topic)
    return find_target (self, KUU_AUDIENCE_RESIDENTS, KUU_METRIC_NPS, NULL, TRUE);
  if (load->topic_kind != KUU_TOPIC_GOAL)
    return NULL;
  return find_target (self, KUU_AUDIENCE_RESIDENTS, KUU_METRIC_NPS, load->topic_id, FALSE);
}

const char *
_kuu_dashboard_page_topic_title (KuuDashboardPage *self,
                                 const char       *kind_name,
                                 const char       *id)
{
  KuuTopicKind kind;
  KuuTopic *topic;

  if (id == NULL)
    return NULL;
  if (kind_name != NULL && kuu_topic_kind_from_string (kind_name, &kind) &&
      (topic = kuu_strategy_find_topic (kuu_context_get_strategy (self->context), kind, id)))
    return kuu_context_text (self->context, kuu_topic_get_title (topic));
  return id;
}

/* --- periods ----------------------------------------------------------------- */

static void
period_clear (Period *period)
{
  g_free (period->key);
  g_free (period->label);
}

/* A month's short name in the page's language, not the process's locale
 * (strftime's %b would say “Nov” on a Finnish page). */
static char *
month_label (GDateTime *start,
             gboolean   with_year)
{
  /* Translators: the months' short names under the trend chart */
  static const char * const names[] = {
    N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
    N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
  };
  const char *name = _(names[g_date_time_get_month (start) - 1]);

  if (with_year)
    return g_strdup_printf ("%s\n%d", name, g_date_time_get_year (start));
  return g_strdup (name);
}

/* The periods shown, oldest first, and when the first one starts. */
GArray *
_kuu_dashboard_page_make_periods (gboolean  by_month,
                                  gint64   *out_since)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now), 0, 0, 0);
  GArray *periods = g_array_new (FALSE, TRUE, sizeof (Period));
  g_autoptr(GDateTime) first = NULL;

  g_array_set_clear_func (periods, (GDestroyNotify)period_clear);
  if (by_month)
    {
      g_autoptr(GDateTime) month = g_date_time_new_local (g_date_time_get_year (now),
                                                          g_date_time_get_month (now), 1, 0, 0, 0);

      first = g_date_time_add_months (month, -(N_MONTHS - 1));
      for (int i = 0; i < N_MONTHS; i++)
        {
          g_autoptr(GDateTime) start = g_date_time_add_months (first, i);
          /* the month, and the year under the first one and each January */
          Period period = {
            g_date_time_format (start, "%Y-%m"),
            month_label (start, i == 0 || g_date_time_get_month (start) == 1),
          };

          g_array_append_val (periods, period);
        }
    }
  else
    {
      g_autoptr(GDateTime) monday = g_date_time_add_days (today, 1 - g_date_time_get_day_of_week (today));

      first = g_date_time_add_weeks (monday, -(N_WEEKS - 1));
      for (int i = 0; i < N_WEEKS; i++)
        {
          g_autoptr(GDateTime) start = g_date_time_add_weeks (first, i);
          Period period = {
            g_date_time_format (start, "%Y-%m-%d"),
            /* Translators: %d is the week's number */
            g_strdup_printf (_("Week %d"), g_date_time_get_week_of_year (start)),
          };

          g_array_append_val (periods, period);
        }
    }

  *out_since = g_date_time_to_unix (first);
  return periods;
}

/* --- showing ------------------------------------------------------------------- */

/* “Mean 3,42 from 120 answers; 61 % answered 4 or 5”: a mean is a
 * figure as an index is, under the same rule. */
static char *
scale_text (const Load             *load,
            const KuuStatsScaleRow *row)
{
  g_autofree char *mean = NULL;
  g_autofree char *share = NULL;
  KuuNps counted = { row != NULL ? row->count : 0, NAN, NAN };

  if (visibility (load, counted.total) != KUU_CELL_FULL)
    return nps_text (load, &counted);

  mean = kuu_i18n_format_decimal (row->mean, 2);
  share = kuu_i18n_format_percent (row->share_agree, 0);
  /* Translators: the mean of 1–5 answers (“3,42”), their number, and the share of 4–5 (“61 %”) */
  return g_strdup_printf (ngettext ("Mean %s from %u answer; %s answered 4 or 5",
                                    "Mean %s from %u answers; %s answered 4 or 5",
                                    row->count),
                          mean, row->count, share);
}

static GtkWidget *
summary_row (KuuTopic   *topic,
             const char *title,
             const char *figures,
             const char *target)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *figures_label = gtk_label_new (figures);
  g_autofree char *whole = g_strjoin (". ", title, figures, target, NULL);

  gtk_widget_add_css_class (box, "dashboard-row");
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_wrap (GTK_LABEL (title_label), TRUE);
  gtk_widget_add_css_class (title_label, "heading");
  gtk_label_set_xalign (GTK_LABEL (figures_label), 0);
  gtk_label_set_wrap (GTK_LABEL (figures_label), TRUE);
  gtk_widget_add_css_class (figures_label, "dashboard-figure");
  gtk_box_append (GTK_BOX (box), title_label);
  gtk_box_append (GTK_BOX (box), figures_label);
  if (target != NULL)
    {
      GtkWidget *target_label = gtk_label_new (target);

      gtk_label_set_xalign (GTK_LABEL (target_label), 0);
      gtk_label_set_wrap (GTK_LABEL (target_label), TRUE);
      gtk_widget_add_css_class (target_label, "dashboard-target");
      gtk_box_append (GTK_BOX (box), target_label);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, whole, -1);
  /* A topic's row chooses it for the charts. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), topic != NULL);
  /* No tooltip: it covered the list under a resting pointer; the heading
   * says what choosing a row does. */
  if (topic != NULL)
    g_object_set_data_full (G_OBJECT (row), "kuu-topic", g_object_ref (topic), g_object_unref);
  return row;
}

void
_kuu_dashboard_page_clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static const KuuStatsRow *
find_row (GPtrArray  *rows,
          const char *kind,
          const char *id)
{
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const KuuStatsRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (row->topic_kind, kind) == 0 && g_strcmp0 (row->topic_id, id) == 0)
        return row;
    }
  return NULL;
}

static void
add_topic_rows (KuuDashboardPage *self,
                const Load       *load)
{
  GListModel *models[] = {
    kuu_strategy_get_goals (kuu_context_get_strategy (self->context)),
    kuu_strategy_get_service_areas (kuu_context_get_strategy (self->context)),
  };

  /* Each goal and service area of the strategy, with or without answers. */
  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    for (guint i = 0; models[m] != NULL && i < g_list_model_get_n_items (models[m]); i++)
      {
        g_autoptr(KuuTopic) topic = g_list_model_get_item (models[m], i);
        const char *kind = kuu_topic_kind_to_string (kuu_topic_get_kind (topic));
        const KuuStatsRow *row = find_row (load->by_topic, kind, kuu_topic_get_id (topic));
        const KuuTarget *target = NULL;
        g_autofree char *figures = nps_text (load, row ? &row->nps : NULL);
        g_autofree char *target_line = NULL;

        if (load->audience == KUU_AUDIENCE_RESIDENTS && kuu_topic_get_kind (topic) == KUU_TOPIC_GOAL)
          target = find_target (self, KUU_AUDIENCE_RESIDENTS, KUU_METRIC_NPS, kuu_topic_get_id (topic), FALSE);
        if (target != NULL)
          target_line = target_text (self, load, target, row ? row->nps.index : NAN, row ? row->nps.total : 0);
        gtk_list_box_append (self->summary_list,
                             summary_row (topic, kuu_context_text (self->context, kuu_topic_get_title (topic)),
                                          figures, target_line));
      }

  /* Answers to a topic the strategy no longer has are still answers. */
  for (guint i = 0; load->by_topic != NULL && i < load->by_topic->len; i++)
    {
      const KuuStatsRow *row = g_ptr_array_index (load->by_topic, i);
      KuuTopicKind kind;
      g_autofree char *figures = NULL;

      if (kuu_topic_kind_from_string (row->topic_kind, &kind) &&
          kuu_strategy_find_topic (kuu_context_get_strategy (self->context), kind, row->topic_id))
        continue;
      figures = nps_text (load, &row->nps);
      gtk_list_box_append (self->summary_list, summary_row (NULL, row->topic_id, figures, NULL));
    }
}

void
_kuu_dashboard_page_show_summary (KuuDashboardPage *self,
                                  const Load       *load)
{
  KuuNpsCounts all = { 0 };
  KuuNps nps;
  const KuuTarget *target;
  g_autofree char *figures = NULL;
  g_autofree char *target_line = NULL;

  _kuu_dashboard_page_clear_list (self->summary_list);

  for (guint i = 0; i < load->by_topic->len; i++)
    {
      const KuuStatsRow *row = g_ptr_array_index (load->by_topic, i);

      all.promoters += row->counts.promoters;
      all.passives += row->counts.passives;
      all.detractors += row->counts.detractors;
    }
  kuu_nps_compute (&all, &nps);
  figures = nps_text (load, &nps);

  if (load->audience == KUU_AUDIENCE_PERSONNEL)
    {
      const KuuStatsScaleRow *functioning = load->functioning && load->functioning->len > 0
                                            ? g_ptr_array_index (load->functioning, 0) : NULL;
      g_autofree char *functioning_text = NULL;
      g_autofree char *functioning_target = NULL;

      gtk_label_set_text (self->summary_heading, _("Personnel: recommendation index (eNPS) and workplace functioning"));
      target = find_target (self, KUU_AUDIENCE_PERSONNEL, KUU_METRIC_ENPS, NULL, TRUE);
      if (target != NULL)
        target_line = target_text (self, load, target, nps.index, nps.total);
      gtk_list_box_append (self->summary_list,
                           summary_row (NULL, _("All personnel answers (eNPS)"), figures, target_line));

      functioning_text = scale_text (load, functioning);
      target = find_target (self, KUU_AUDIENCE_PERSONNEL, KUU_METRIC_MEAN, NULL, TRUE);
      if (target != NULL)
        functioning_target = target_text (self, load, target,
                                          functioning ? functioning->mean : NAN,
                                          functioning ? functioning->count : 0);
      gtk_list_box_append (self->summary_list,
                           summary_row (NULL, _("Workplace functioning (1–5)"), functioning_text, functioning_target));
    }
  else
    {
      gtk_label_set_text (self->summary_heading, _("Residents: recommendation index by goal and service area. Choose one to see its distribution and trend."));
      target = find_target (self, KUU_AUDIENCE_RESIDENTS, KUU_METRIC_NPS, NULL, TRUE);
      if (target != NULL)
        target_line = target_text (self, load, target, nps.index, nps.total);
      gtk_list_box_append (self->summary_list,
                           summary_row (NULL, _("All goals and service areas"), figures, target_line));
    }

  /* Personnel answer about their workplace, not about the residents'
   * goals: listing each goal would only say “no answers” again and again. */
  if (load->audience == KUU_AUDIENCE_RESIDENTS)
    add_topic_rows (self, load);
}

void
_kuu_dashboard_page_show_distribution (KuuDashboardPage *self,
                                       const Load       *load,
                                       const char       *selected_title)
{
  const KuuStatsRow *row = load->selected->len > 0 ? g_ptr_array_index (load->selected, 0) : NULL;
  const KuuTarget *target = target_for_selected (self, load);
  g_autofree char *heading = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *figures = nps_text (load, row ? &row->nps : NULL);
  gboolean full;

  /* Translators: %s is a goal or service area, or “all” */
  heading = g_strdup_printf (_("Distribution of the answers 0–10: %s"), selected_title);
  gtk_label_set_text (self->distribution_heading, heading);
  full = row != NULL && visibility (load, row->nps.total) == KUU_CELL_FULL;
  /* no bars nor counts per score from a small group: an empty chart */
  kuu_distribution_chart_set_scores (self->distribution_chart, full ? row->scores : NULL);

  if (full)
    {
      double n = row->nps.total;
      g_autofree char *promoters = kuu_i18n_format_percent (100.0 * row->counts.promoters / n, 0);
      g_autofree char *passives = kuu_i18n_format_percent (100.0 * row->counts.passives / n, 0);
      g_autofree char *detractors = kuu_i18n_format_percent (100.0 * row->counts.detractors / n, 0);

      /* Translators: the shares of the three groups, in per cent (“45 %”) */
      g_string_append_printf (text, _("Promoters %s, passives %s, detractors %s."),
                              promoters, passives, detractors);
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Index %s."), figures);
    }
  else
    g_string_append_printf (text, "%s.", figures);
  if (target != NULL)
    {
      g_autofree char *line = target_text (self, load, target, row ? row->nps.index : NAN, row ? row->nps.total : 0);

      g_string_append_c (text, ' ');
      g_string_append (text, line);
    }
  if (full)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("Answers per score:"));
      for (guint s = 0; s <= 10; s++)
        g_string_append_printf (text, "%s%u: %u", s == 0 ? " " : " · ", s, row->scores[s]);
    }

  gtk_label_set_text (self->distribution_figures, text->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->distribution_chart),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);
}

void
_kuu_dashboard_page_show_trend (KuuDashboardPage *self,
                                const Load       *load,
                                GArray           *periods,
                                gboolean          by_month)
{
  const KuuTarget *target = target_for_selected (self, load);
  g_autoptr(GString) text = g_string_new (NULL);

  gtk_label_set_text (self->trend_heading,
                      by_month ? _("Recommendation index by month") : _("Recommendation index by week"));
  kuu_trend_chart_clear (self->trend_chart);
  for (guint i = 0; i < periods->len; i++)
    {
      const Period *period = &g_array_index (periods, Period, i);
      const KuuStatsRow *row = NULL;
      g_autofree char *figures = NULL;
      g_autofree char *name = g_strdelimit (g_strdup (period->label), "\n", ' ');

      for (guint j = 0; j < load->trend->len && row == NULL; j++)
        if (g_strcmp0 (((KuuStatsRow *)load->trend->pdata[j])->period, period->key) == 0)
          row = load->trend->pdata[j];
      /* a period of a small group is a gap in the line, as one without answers */
      if (row != NULL && visibility (load, row->nps.total) == KUU_CELL_FULL)
        kuu_trend_chart_add_point (self->trend_chart, period->label, row->nps.index, row->nps.total);
      else
        kuu_trend_chart_add_point (self->trend_chart, period->label, NAN, 0);
      figures = nps_text (load, row ? &row->nps : NULL);
      g_string_append_printf (text, "%s%s: %s", i > 0 ? "\n" : "", name, figures);
    }
  if (target != NULL)
    {
      const char *label = kuu_context_text (self->context, target->label);

      kuu_trend_chart_set_target (self->trend_chart, target->value, label);
      g_string_append_c (text, '\n');
      /* Translators: %s is the target, drawn as a dashed line */
      g_string_append_printf (text, _("The dashed line is the target: %s."), label);
    }

  gtk_label_set_text (self->trend_figures, text->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->trend_chart),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);
}
