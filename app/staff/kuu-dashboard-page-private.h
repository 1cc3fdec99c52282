/* kuu-dashboard-page-private.h: what the files of KuuDashboardPage share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kuu-dashboard-page.h"
#include "kuu-distribution-chart.h"
#include "kuu-feedback-list.h"
#include "kuu-nps.h"
#include "kuu-stats.h"
#include "kuu-trend-chart.h"

G_BEGIN_DECLS

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

/* What one load reads, in a worker thread, for one view. */
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

/* One week or month of the trend. */
typedef struct
{
  char *key;    /* as kuu-stats writes it */
  char *label;  /* on the chart's axis */
} Period;

/* kuu-dashboard-page-figures.c */
const char *_kuu_dashboard_page_topic_title        (KuuDashboardPage *self,
                                                    const char       *kind_name,
                                                    const char       *id);
GArray     *_kuu_dashboard_page_make_periods       (gboolean          by_month,
                                                    gint64           *out_since);
void        _kuu_dashboard_page_clear_list         (GtkListBox       *list);
void        _kuu_dashboard_page_show_summary       (KuuDashboardPage *self,
                                                    const Load       *load);
void        _kuu_dashboard_page_show_distribution  (KuuDashboardPage *self,
                                                    const Load       *load,
                                                    const char       *selected_title);
void        _kuu_dashboard_page_show_trend         (KuuDashboardPage *self,
                                                    const Load       *load,
                                                    GArray           *periods,
                                                    gboolean          by_month);

/* kuu-dashboard-page-feedback.c */
void        _kuu_dashboard_page_show_feedback      (KuuDashboardPage *self,
                                                    const Load       *load);

/* kuu-dashboard-page.c */
const char *_kuu_dashboard_page_selected_title     (KuuDashboardPage *self);

G_END_DECLS
