/* kuu-trend-chart.h: the index per week or month, with the region's
 * target drawn as a labelled line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KUU_TYPE_TREND_CHART (kuu_trend_chart_get_type ())

G_DECLARE_FINAL_TYPE (KuuTrendChart, kuu_trend_chart, KUU, TREND_CHART, GtkWidget)

GtkWidget *kuu_trend_chart_new        (void);
void       kuu_trend_chart_clear      (KuuTrendChart *self);
void       kuu_trend_chart_add_point  (KuuTrendChart *self,
                                       const char    *label,
                                       double         index,
                                       guint          answers);
void       kuu_trend_chart_set_target (KuuTrendChart *self,
                                       double         value,
                                       const char    *label);
guint      kuu_trend_chart_get_n_points (KuuTrendChart *self);
gboolean   kuu_trend_chart_get_target_label_box (KuuTrendChart   *self,
                                                 graphene_rect_t *out);
gboolean   kuu_trend_chart_get_point_box        (KuuTrendChart   *self,
                                                 guint            i,
                                                 graphene_rect_t *out);

G_END_DECLS
