/* kuu-dashboard-page.c
 *
 * The results tab of staff mode. Every figure is for one audience:
 * residents' recommendation index (NPS) or personnel's (eNPS) with their
 * workplace functioning (1–5); the two are never counted together.
 *
 * Each change of a filter starts one load in a worker thread (all the
 * store reads of a view at once) and cancels the one before, so a slow
 * read never holds up a frame and a late result never overwrites a newer
 * view.
 *
 * Below KUU_MIN_ANSWERS_FOR_RESULT answers an index is shown but marked
 * as not reliable, the rule the thank-you page uses to hide it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "kuu-dashboard-page.h"
#include "kuu-distribution-chart.h"
#include "kuu-feedback-list.h"
#include "kuu-nps.h"
#include "kuu-stats.h"
#include "kuu-trend-chart.h"

#define FEEDBACK_LIMIT 50
#define N_WEEKS 4
#define N_MONTHS 12

struct _KuuDashboardPage
{
  GtkWidget             parent_instance;

  KuuContext           *context;
  GCancellable         *cancellable;   /* the load under way */
  GCancellable         *life;          /* hiding texts: ends with the page */
  GPtrArray            *topics;        /* KuuTopic, as in the topic filter after “all” */
  GStrv                 units;         /* as in the unit filter after “all” */
  gboolean              loaded;
  gboolean              updating;      /* filling a filter is no change of it */

  GtkWidget            *scroller;
  GtkDropDown          *audience_dropdown;
  GtkDropDown          *topic_dropdown;
  GtkDropDown          *unit_dropdown;
  GtkDropDown          *period_dropdown;
  GtkLabel             *status_label;
  GtkLabel             *summary_heading;
  GtkListBox           *summary_list;
  GtkLabel             *distribution_heading;
  KuuDistributionChart *distribution_chart;
  GtkLabel             *distribution_figures;
  GtkLabel             *trend_heading;
  KuuTrendChart        *trend_chart;
  GtkLabel             *trend_figures;
  GtkListBox           *feedback_list;
};

G_DEFINE_FINAL_TYPE (KuuDashboardPage, kuu_dashboard_page, GTK_TYPE_WIDGET)

/* --- what one load reads ----------------------------------------------------- */

typedef struct
{
  /* in */
  KuuAudience   audience;
  gboolean      any_topic;
  KuuTopicKind  topic_kind;
  char         *topic_id;
  char         *unit;
  gint64        since;
  KuuStatsGroup period_group;

  /* out */
  GStrv         units;
  GPtrArray    *by_topic;     /* KuuStatsRow, grouped by topic */
  GPtrArray    *selected;     /* KuuStatsRow: the chosen topic (or all), 0 or 1 rows */
  GPtrArray    *trend;        /* KuuStatsRow, by period */
  GPtrArray    *functioning;  /* KuuStatsScaleRow, personnel only */
  GPtrArray    *feedback;     /* KuuFeedbackItem */
} Load;

static void
load_free (Load *load)
{
  g_free (load->topic_id);
  g_free (load->unit);
  g_strfreev (load->units);
  g_clear_pointer (&load->by_topic, g_ptr_array_unref);
  g_clear_pointer (&load->selected, g_ptr_array_unref);
  g_clear_pointer (&load->trend, g_ptr_array_unref);
  g_clear_pointer (&load->functioning, g_ptr_array_unref);
  g_clear_pointer (&load->feedback, g_ptr_array_unref);
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  KuuStore *store = KUU_STORE (source_object);
  Load *load = task_data;
  GError *error = NULL;
  KuuStatsQuery query;

  kuu_stats_query_init_for (&query, load->audience);
  query.unit = load->unit;
  query.since = load->since;

  if (!(load->units = kuu_stats_units (store, &error)))
    goto failed;

  query.group = KUU_STATS_GROUP_TOPIC;
  if (!(load->by_topic = kuu_stats_nps (store, &query, &error)))
    goto failed;

  query.any_topic_kind = load->any_topic;
  query.topic_kind = load->topic_kind;
  query.topic_id = load->topic_id;
  query.group = KUU_STATS_GROUP_NONE;
  if (!(load->selected = kuu_stats_nps (store, &query, &error)))
    goto failed;

  query.group = load->period_group;
  if (!(load->trend = kuu_stats_nps (store, &query, &error)))
    goto failed;

  if (load->audience == KUU_AUDIENCE_PERSONNEL)
    {
      query.group = KUU_STATS_GROUP_NONE;
      if (!(load->functioning = kuu_stats_scale (store, &query, KUU_STATEMENT_FUNCTIONING, &error)))
        goto failed;
    }

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!(load->feedback = kuu_feedback_list (store, load->audience, load->unit, FEEDBACK_LIMIT, &error)))
    goto failed;

  g_task_return_boolean (task, TRUE);
  return;

failed:
  g_task_return_error (task, error);
}

/* --- texts ------------------------------------------------------------------- */

static char *
signed_index (double index)
{
  long rounded = lround (index);

  /* written with its sign, as on the thank-you page: +42, −7, 0 */
  if (rounded > 0)
    return g_strdup_printf ("+%ld", rounded);
  if (rounded < 0)
    return g_strdup_printf ("−%ld", -rounded);
  return g_strdup ("0");
}

/* “+34 from 412 answers, ±4.1”, or why there is no figure. */
static char *
nps_text (const KuuNps *nps)
{
  g_autofree char *index = NULL;
  GString *text;

  if (nps == NULL || nps->total == 0)
    return g_strdup (_("No answers"));

  index = signed_index (nps->index);
  text = g_string_new (NULL);
  /* Translators: %s is the index with its sign, %u the number of answers */
  g_string_append_printf (text, ngettext ("%s from %u answer", "%s from %u answers", nps->total),
                          index, nps->total);
  if (!isnan (nps->margin))
    /* Translators: the margin of error, in index points */
    g_string_append_printf (text, _(", ±%.1f"), nps->margin);
  if (nps->total < KUU_MIN_ANSWERS_FOR_RESULT)
    {
      g_string_append (text, " — ");
      g_string_append_printf (text, ngettext ("too few for a reliable index (at least %d needed)",
                                              "too few for a reliable index (at least %d needed)",
                                              KUU_MIN_ANSWERS_FOR_RESULT),
                              KUU_MIN_ANSWERS_FOR_RESULT);
    }
  return g_string_free (text, FALSE);
}

static char *
target_text (KuuDashboardPage *self,
             const KuuTarget  *target,
             double            measured,
             guint             answers)
{
  const char *label = kuu_context_text (self->context, target->label);

  if (answers == 0 || isnan (measured))
    /* Translators: %s is the target, e.g. “Recommendation index above 60” */
    return g_strdup_printf (_("Target: %s — no answers yet"), label);
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

static const char *
topic_title (KuuDashboardPage *self,
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

typedef struct
{
  char *key;    /* as kuu-stats writes it */
  char *label;  /* on the chart's axis */
} Period;

static void
period_clear (Period *period)
{
  g_free (period->key);
  g_free (period->label);
}

/* The periods shown, oldest first, and when the first one starts. */
static GArray *
make_periods (gboolean  by_month,
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
            g_date_time_format (start, i == 0 || g_date_time_get_month (start) == 1 ? "%b\n%Y" : "%b"),
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
  if (topic != NULL)
    {
      g_object_set_data_full (G_OBJECT (row), "kuu-topic", g_object_ref (topic), g_object_unref);
      gtk_widget_set_tooltip_text (row, _("Show this one’s distribution and trend"));
    }
  return row;
}

static void
clear_list (GtkListBox *list)
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
        g_autofree char *figures = nps_text (row ? &row->nps : NULL);
        g_autofree char *target_line = NULL;

        if (load->audience == KUU_AUDIENCE_RESIDENTS && kuu_topic_get_kind (topic) == KUU_TOPIC_GOAL)
          target = find_target (self, KUU_AUDIENCE_RESIDENTS, KUU_METRIC_NPS, kuu_topic_get_id (topic), FALSE);
        if (target != NULL)
          target_line = target_text (self, target, row ? row->nps.index : NAN, row ? row->nps.total : 0);
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
      figures = nps_text (&row->nps);
      gtk_list_box_append (self->summary_list, summary_row (NULL, row->topic_id, figures, NULL));
    }
}

static void
show_summary (KuuDashboardPage *self,
              const Load       *load)
{
  KuuNpsCounts all = { 0 };
  KuuNps nps;
  const KuuTarget *target;
  g_autofree char *figures = NULL;
  g_autofree char *target_line = NULL;

  clear_list (self->summary_list);

  for (guint i = 0; i < load->by_topic->len; i++)
    {
      const KuuStatsRow *row = g_ptr_array_index (load->by_topic, i);

      all.promoters += row->counts.promoters;
      all.passives += row->counts.passives;
      all.detractors += row->counts.detractors;
    }
  kuu_nps_compute (&all, &nps);
  figures = nps_text (&nps);

  if (load->audience == KUU_AUDIENCE_PERSONNEL)
    {
      const KuuStatsScaleRow *functioning = load->functioning && load->functioning->len > 0
                                            ? g_ptr_array_index (load->functioning, 0) : NULL;
      g_autofree char *functioning_text = NULL;
      g_autofree char *functioning_target = NULL;

      gtk_label_set_text (self->summary_heading, _("Personnel: recommendation index (eNPS) and workplace functioning"));
      target = find_target (self, KUU_AUDIENCE_PERSONNEL, KUU_METRIC_ENPS, NULL, TRUE);
      if (target != NULL)
        target_line = target_text (self, target, nps.index, nps.total);
      gtk_list_box_append (self->summary_list,
                           summary_row (NULL, _("All personnel answers (eNPS)"), figures, target_line));

      if (functioning != NULL && functioning->count > 0)
        /* Translators: the mean of 1–5 answers, their number, and the share of 4–5 */
        functioning_text = g_strdup_printf (ngettext ("Mean %.2f from %u answer; %.0f %% answered 4 or 5",
                                                      "Mean %.2f from %u answers; %.0f %% answered 4 or 5",
                                                      functioning->count),
                                            functioning->mean, functioning->count, functioning->share_agree);
      else
        functioning_text = g_strdup (_("No answers"));
      target = find_target (self, KUU_AUDIENCE_PERSONNEL, KUU_METRIC_MEAN, NULL, TRUE);
      if (target != NULL)
        functioning_target = target_text (self, target,
                                          functioning ? functioning->mean : NAN,
                                          functioning ? functioning->count : 0);
      gtk_list_box_append (self->summary_list,
                           summary_row (NULL, _("Workplace functioning (1–5)"), functioning_text, functioning_target));
    }
  else
    {
      gtk_label_set_text (self->summary_heading, _("Residents: recommendation index by goal and service area"));
      target = find_target (self, KUU_AUDIENCE_RESIDENTS, KUU_METRIC_NPS, NULL, TRUE);
      if (target != NULL)
        target_line = target_text (self, target, nps.index, nps.total);
      gtk_list_box_append (self->summary_list,
                           summary_row (NULL, _("All goals and service areas"), figures, target_line));
    }

  add_topic_rows (self, load);
}

static void
show_distribution (KuuDashboardPage *self,
                   const Load       *load,
                   const char       *selected_title)
{
  const KuuStatsRow *row = load->selected->len > 0 ? g_ptr_array_index (load->selected, 0) : NULL;
  const KuuTarget *target = target_for_selected (self, load);
  g_autofree char *heading = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *figures = nps_text (row ? &row->nps : NULL);

  /* Translators: %s is a goal or service area, or “all” */
  heading = g_strdup_printf (_("Distribution of the answers 0–10: %s"), selected_title);
  gtk_label_set_text (self->distribution_heading, heading);
  kuu_distribution_chart_set_scores (self->distribution_chart, row ? row->scores : NULL);

  if (row != NULL && row->nps.total > 0)
    {
      double n = row->nps.total;

      /* Translators: the shares of the three groups, in per cent */
      g_string_append_printf (text, _("Promoters %.0f %%, passives %.0f %%, detractors %.0f %%."),
                              100.0 * row->counts.promoters / n,
                              100.0 * row->counts.passives / n,
                              100.0 * row->counts.detractors / n);
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Index %s."), figures);
    }
  else
    g_string_append_printf (text, "%s.", figures);
  if (target != NULL)
    {
      g_autofree char *line = target_text (self, target, row ? row->nps.index : NAN, row ? row->nps.total : 0);

      g_string_append_c (text, ' ');
      g_string_append (text, line);
    }
  if (row != NULL && row->nps.total > 0)
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

static void
show_trend (KuuDashboardPage *self,
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
      kuu_trend_chart_add_point (self->trend_chart, period->label,
                                 row ? row->nps.index : NAN, row ? row->nps.total : 0);
      figures = nps_text (row ? &row->nps : NULL);
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

/* --- feedback ------------------------------------------------------------------ */

static void set_row_hidden (GtkWidget *row, gboolean hidden);

static void
on_hidden_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  g_autoptr(GError) error = NULL;
  gboolean hidden = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "kuu-want-hidden"));
  GtkWidget *button = g_object_get_data (G_OBJECT (row), "kuu-button");

  if (!kuu_feedback_set_hidden_finish (KUU_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Could not change a feedback text: %s", error->message);
          gtk_widget_set_sensitive (button, TRUE);
        }
      return;
    }
  gtk_widget_set_sensitive (button, TRUE);
  set_row_hidden (row, hidden);
}

static void
on_hide_clicked_cb (GtkButton *button,
                    GtkWidget *row)
{
  KuuDashboardPage *self = KUU_DASHBOARD_PAGE (gtk_widget_get_ancestor (row, KUU_TYPE_DASHBOARD_PAGE));
  gboolean hidden = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "kuu-hidden"));

  g_object_set_data (G_OBJECT (row), "kuu-want-hidden", GINT_TO_POINTER (!hidden));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  kuu_feedback_set_hidden_async (kuu_context_get_store (self->context),
                                 g_object_get_data (G_OBJECT (row), "kuu-uuid"), !hidden,
                                 self->life, on_hidden_cb, g_object_ref (row));
}

static void
set_row_hidden (GtkWidget *row,
                gboolean   hidden)
{
  GtkWidget *button = g_object_get_data (G_OBJECT (row), "kuu-button");
  GtkWidget *mark = g_object_get_data (G_OBJECT (row), "kuu-mark");
  GtkWidget *text = g_object_get_data (G_OBJECT (row), "kuu-text");

  g_object_set_data (G_OBJECT (row), "kuu-hidden", GINT_TO_POINTER (hidden));
  gtk_button_set_label (GTK_BUTTON (button), hidden ? _("Show again") : _("Hide"));
  gtk_widget_set_tooltip_text (button, hidden
                               ? _("Allow this text on public displays again")
                               : _("Hide this text from any public display"));
  gtk_widget_set_visible (mark, hidden);
  if (hidden)
    gtk_widget_add_css_class (row, "feedback-hidden");
  else
    gtk_widget_remove_css_class (row, "feedback-hidden");
  gtk_widget_set_opacity (text, hidden ? 0.7 : 1.0);
}

static GtkWidget *
feedback_row (KuuDashboardPage      *self,
              const KuuFeedbackItem *item)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (item->created_at);
  /* Translators: date and time in g_date_time_format() notation: fi “%-d.%-m.%Y klo %H.%M” */
  /* xgettext:no-c-format */
  g_autofree char *date = g_date_time_format (when, _("%Y-%m-%d %H:%M"));
  const char *topic = topic_title (self, item->topic_kind, item->topic_id);
  g_autofree char *meta = topic ? g_strjoin (" · ", date, item->unit, topic, NULL)
                                : g_strjoin (" · ", date, item->unit, NULL);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *meta_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *meta_label = gtk_label_new (meta);
  GtkWidget *mark = gtk_label_new (_("Hidden from public displays"));
  GtkWidget *text = gtk_label_new (item->text);
  GtkWidget *button = gtk_button_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (box, "dashboard-row");
  gtk_label_set_xalign (GTK_LABEL (meta_label), 0);
  gtk_widget_add_css_class (meta_label, "dim-label");
  gtk_widget_add_css_class (mark, "feedback-hidden-mark");
  gtk_box_append (GTK_BOX (meta_box), meta_label);
  gtk_box_append (GTK_BOX (meta_box), mark);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), meta_box);
  gtk_box_append (GTK_BOX (texts), text);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), button);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data_full (G_OBJECT (row), "kuu-uuid", g_strdup (item->uuid), g_free);
  g_object_set_data (G_OBJECT (row), "kuu-button", button);
  g_object_set_data (G_OBJECT (row), "kuu-mark", mark);
  g_object_set_data (G_OBJECT (row), "kuu-text", text);
  g_signal_connect (button, "clicked", G_CALLBACK (on_hide_clicked_cb), row);
  set_row_hidden (row, item->hidden);
  return row;
}

static void
show_feedback (KuuDashboardPage *self,
               const Load       *load)
{
  clear_list (self->feedback_list);
  for (guint i = 0; i < load->feedback->len; i++)
    gtk_list_box_append (self->feedback_list, feedback_row (self, g_ptr_array_index (load->feedback, i)));
  if (load->feedback->len == 0)
    {
      GtkWidget *none = gtk_label_new (_("No feedback texts"));

      gtk_widget_add_css_class (none, "dashboard-row");
      gtk_list_box_append (self->feedback_list, none);
    }
}

/* --- filters ------------------------------------------------------------------- */

static void reload (KuuDashboardPage *self);

static void
fill_units (KuuDashboardPage *self,
            GStrv             units)
{
  const char *chosen = NULL;
  guint selected = gtk_drop_down_get_selected (self->unit_dropdown);
  g_autoptr(GtkStringList) list = NULL;
  guint position = 0;

  if (self->units != NULL && g_strv_equal ((const char * const *)self->units, (const char * const *)units))
    return;

  if (self->units != NULL && selected > 0 && selected <= g_strv_length (self->units))
    chosen = self->units[selected - 1];
  list = gtk_string_list_new (NULL);
  gtk_string_list_append (list, _("All units"));
  for (guint i = 0; units[i] != NULL; i++)
    {
      gtk_string_list_append (list, units[i]);
      if (g_strcmp0 (units[i], chosen) == 0)
        position = i + 1;
    }

  self->updating = TRUE;
  gtk_drop_down_set_model (self->unit_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->unit_dropdown, position);
  self->updating = FALSE;
  g_strfreev (self->units);
  self->units = g_strdupv (units);
}

static const char *
selected_title (KuuDashboardPage *self)
{
  guint topic = gtk_drop_down_get_selected (self->topic_dropdown);

  if (topic == 0 || topic == GTK_INVALID_LIST_POSITION || topic > self->topics->len)
    return _("all goals and service areas");
  return kuu_context_text (self->context, kuu_topic_get_title (g_ptr_array_index (self->topics, topic - 1)));
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KuuDashboardPage) self = user_data;
  g_autoptr(GError) error = NULL;
  Load *load = g_task_get_task_data (G_TASK (result));
  gboolean by_month = load->period_group == KUU_STATS_GROUP_MONTH;
  g_autoptr(GArray) periods = NULL;
  gint64 since;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  /* A newer load is under way: this one is out of date. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  periods = make_periods (by_month, &since);
  fill_units (self, load->units);
  show_summary (self, load);
  show_distribution (self, load, selected_title (self));
  show_trend (self, load, periods, by_month);
  show_feedback (self, load);
  gtk_label_set_text (self->status_label,
                      load->audience == KUU_AUDIENCE_PERSONNEL
                      ? _("Personnel’s answers only: residents’ answers are not counted here.")
                      : _("Residents’ answers only: personnel’s answers are not counted here."));
  self->loaded = TRUE;
}

static void
reload (KuuDashboardPage *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GArray) periods = NULL;
  guint topic = gtk_drop_down_get_selected (self->topic_dropdown);
  guint unit = gtk_drop_down_get_selected (self->unit_dropdown);
  gboolean by_month = gtk_drop_down_get_selected (self->period_dropdown) == 1;
  Load *load = g_new0 (Load, 1);

  if (self->context == NULL)
    return;

  load->audience = gtk_drop_down_get_selected (self->audience_dropdown) == 1
                   ? KUU_AUDIENCE_PERSONNEL : KUU_AUDIENCE_RESIDENTS;
  load->any_topic = topic == 0 || topic == GTK_INVALID_LIST_POSITION || topic > self->topics->len;
  if (!load->any_topic)
    {
      KuuTopic *chosen = g_ptr_array_index (self->topics, topic - 1);

      load->topic_kind = kuu_topic_get_kind (chosen);
      load->topic_id = g_strdup (kuu_topic_get_id (chosen));
    }
  if (self->units != NULL && unit > 0 && unit != GTK_INVALID_LIST_POSITION && unit <= g_strv_length (self->units))
    load->unit = g_strdup (self->units[unit - 1]);
  load->period_group = by_month ? KUU_STATS_GROUP_MONTH : KUU_STATS_GROUP_WEEK;
  periods = make_periods (by_month, &load->since);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loaded = FALSE;
  gtk_label_set_text (self->status_label, _("Loading…"));

  task = g_task_new (kuu_context_get_store (self->context), self->cancellable, on_loaded_cb, g_object_ref (self));
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, load, (GDestroyNotify)load_free);
  g_task_run_in_thread (task, load_thread);
}

static void
on_filter_changed_cb (KuuDashboardPage *self)
{
  if (!self->updating)
    reload (self);
}

static void
fill_filters (KuuDashboardPage *self)
{
  KuuStrategy *strategy = kuu_context_get_strategy (self->context);
  const char *audiences[] = { _("Residents"), _("Personnel (eNPS)"), NULL };
  const char *periods[] = { _("Last 4 weeks, by week"), _("Last 12 months, by month"), NULL };
  g_autoptr(GtkStringList) topics = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) audience_list = gtk_string_list_new (audiences);
  g_autoptr(GtkStringList) period_list = gtk_string_list_new (periods);
  const char *units[] = { NULL };
  GListModel *models[] = { kuu_strategy_get_goals (strategy), kuu_strategy_get_service_areas (strategy) };

  gtk_string_list_append (topics, _("All goals and service areas"));
  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    for (guint i = 0; models[m] != NULL && i < g_list_model_get_n_items (models[m]); i++)
      {
        KuuTopic *topic = g_list_model_get_item (models[m], i);

        g_ptr_array_add (self->topics, topic);
        gtk_string_list_append (topics, kuu_context_text (self->context, kuu_topic_get_title (topic)));
      }

  self->updating = TRUE;
  gtk_drop_down_set_model (self->audience_dropdown, G_LIST_MODEL (audience_list));
  gtk_drop_down_set_model (self->topic_dropdown, G_LIST_MODEL (topics));
  gtk_drop_down_set_model (self->period_dropdown, G_LIST_MODEL (period_list));
  /* A kiosk set to ask personnel opens on their figures. */
  gtk_drop_down_set_selected (self->audience_dropdown,
                              kuu_context_get_audience (self->context) == KUU_AUDIENCE_PERSONNEL ? 1 : 0);
  self->updating = FALSE;
  fill_units (self, (GStrv)units);

  g_signal_connect_swapped (self->audience_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->topic_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->unit_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->period_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
}

static void
on_summary_activated_cb (KuuDashboardPage *self,
                         GtkListBoxRow    *row)
{
  KuuTopic *topic = g_object_get_data (G_OBJECT (row), "kuu-topic");

  if (topic != NULL)
    kuu_dashboard_page_set_topic (self, kuu_topic_get_kind (topic), kuu_topic_get_id (topic));
}

/* --- building ------------------------------------------------------------------- */

static void
kuu_dashboard_page_dispose (GObject *object)
{
  KuuDashboardPage *self = (KuuDashboardPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->life);
  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_DASHBOARD_PAGE);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->life);
  g_clear_pointer (&self->topics, g_ptr_array_unref);
  g_clear_pointer (&self->units, g_strfreev);

  G_OBJECT_CLASS (kuu_dashboard_page_parent_class)->dispose (object);
}

static void
kuu_dashboard_page_class_init (KuuDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_dashboard_page_dispose;

  g_type_ensure (KUU_TYPE_DISTRIBUTION_CHART);
  g_type_ensure (KUU_TYPE_TREND_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/staff/kuu-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, audience_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, topic_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, unit_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, summary_heading);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, summary_list);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, distribution_heading);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, distribution_chart);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, distribution_figures);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, trend_heading);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, trend_chart);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, trend_figures);
  gtk_widget_class_bind_template_child (widget_class, KuuDashboardPage, feedback_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dashboardpage");
}

static void
kuu_dashboard_page_init (KuuDashboardPage *self)
{
  self->life = g_cancellable_new ();
  self->topics = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->summary_list, "row-activated", G_CALLBACK (on_summary_activated_cb), self);
}

GtkWidget *
kuu_dashboard_page_new (KuuContext *context)
{
  KuuDashboardPage *self;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_DASHBOARD_PAGE, NULL);
  self->context = g_object_ref (context);
  fill_filters (self);
  reload (self);

  return GTK_WIDGET (self);
}

/**
 * kuu_dashboard_page_get_loaded:
 *
 * Whether the figures of the current filters are shown: %FALSE while a
 * load runs. For tests.
 */
gboolean
kuu_dashboard_page_get_loaded (KuuDashboardPage *self)
{
  g_return_val_if_fail (KUU_IS_DASHBOARD_PAGE (self), FALSE);

  return self->loaded;
}

void
kuu_dashboard_page_set_audience (KuuDashboardPage *self,
                                 KuuAudience       audience)
{
  g_return_if_fail (KUU_IS_DASHBOARD_PAGE (self));

  gtk_drop_down_set_selected (self->audience_dropdown, audience == KUU_AUDIENCE_PERSONNEL ? 1 : 0);
}

void
kuu_dashboard_page_set_by_month (KuuDashboardPage *self,
                                 gboolean          by_month)
{
  g_return_if_fail (KUU_IS_DASHBOARD_PAGE (self));

  gtk_drop_down_set_selected (self->period_dropdown, by_month ? 1 : 0);
}

/**
 * kuu_dashboard_page_set_topic:
 *
 * Chooses the goal or service area whose distribution and trend are
 * drawn, as its row or the filter does.
 */
void
kuu_dashboard_page_set_topic (KuuDashboardPage *self,
                              KuuTopicKind      kind,
                              const char       *id)
{
  g_return_if_fail (KUU_IS_DASHBOARD_PAGE (self));

  for (guint i = 0; i < self->topics->len; i++)
    {
      KuuTopic *topic = g_ptr_array_index (self->topics, i);

      if (kuu_topic_get_kind (topic) == kind && g_strcmp0 (kuu_topic_get_id (topic), id) == 0)
        {
          gtk_drop_down_set_selected (self->topic_dropdown, i + 1);
          return;
        }
    }
}
