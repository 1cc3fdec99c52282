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

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kuu-dashboard-page-private.h"

#define FEEDBACK_LIMIT 50

G_DEFINE_FINAL_TYPE (KuuDashboardPage, kuu_dashboard_page, GTK_TYPE_WIDGET)

/* --- what one load reads ----------------------------------------------------- */

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

const char *
_kuu_dashboard_page_selected_title (KuuDashboardPage *self)
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

  periods = _kuu_dashboard_page_make_periods (by_month, &since);
  fill_units (self, load->units);
  _kuu_dashboard_page_show_summary (self, load);
  _kuu_dashboard_page_show_distribution (self, load,
                                         load->audience == KUU_AUDIENCE_PERSONNEL
                                         ? _("all personnel answers")
                                         : _kuu_dashboard_page_selected_title (self));
  _kuu_dashboard_page_show_trend (self, load, periods, by_month);
  _kuu_dashboard_page_show_feedback (self, load);
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
  /* Personnel answer about their workplace, whatever goal a region files
   * them under: their figures are over every topic. */
  load->any_topic = load->audience == KUU_AUDIENCE_PERSONNEL ||
                    topic == 0 || topic == GTK_INVALID_LIST_POSITION || topic > self->topics->len;
  gtk_widget_set_sensitive (GTK_WIDGET (self->topic_dropdown), load->audience == KUU_AUDIENCE_RESIDENTS);
  if (!load->any_topic)
    {
      KuuTopic *chosen = g_ptr_array_index (self->topics, topic - 1);

      load->topic_kind = kuu_topic_get_kind (chosen);
      load->topic_id = g_strdup (kuu_topic_get_id (chosen));
    }
  if (self->units != NULL && unit > 0 && unit != GTK_INVALID_LIST_POSITION && unit <= g_strv_length (self->units))
    load->unit = g_strdup (self->units[unit - 1]);
  load->period_group = by_month ? KUU_STATS_GROUP_MONTH : KUU_STATS_GROUP_WEEK;
  periods = _kuu_dashboard_page_make_periods (by_month, &load->since);

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
