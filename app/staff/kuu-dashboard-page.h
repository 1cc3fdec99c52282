/* kuu-dashboard-page.h: the results for staff — the index per goal,
 * service area and unit, its distribution and trend, and the feedback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"

G_BEGIN_DECLS

#define KUU_TYPE_DASHBOARD_PAGE (kuu_dashboard_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuDashboardPage, kuu_dashboard_page, KUU, DASHBOARD_PAGE, GtkWidget)

GtkWidget *kuu_dashboard_page_new          (KuuContext       *context);
gboolean   kuu_dashboard_page_get_loaded   (KuuDashboardPage *self);
void       kuu_dashboard_page_set_audience (KuuDashboardPage *self,
                                            KuuAudience       audience);
void       kuu_dashboard_page_set_by_month (KuuDashboardPage *self,
                                            gboolean          by_month);
void       kuu_dashboard_page_set_topic    (KuuDashboardPage *self,
                                            KuuTopicKind      kind,
                                            const char       *id);

G_END_DECLS
