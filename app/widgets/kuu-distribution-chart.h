/* kuu-distribution-chart.h: the 0–10 answers as bars, detractors,
 * passives and promoters told apart by colour, pattern and label
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KUU_TYPE_DISTRIBUTION_CHART (kuu_distribution_chart_get_type ())

G_DECLARE_FINAL_TYPE (KuuDistributionChart, kuu_distribution_chart, KUU, DISTRIBUTION_CHART, GtkWidget)

GtkWidget *kuu_distribution_chart_new        (void);
void       kuu_distribution_chart_set_scores (KuuDistributionChart *self,
                                              const guint          *scores);
guint      kuu_distribution_chart_get_count  (KuuDistributionChart *self,
                                              guint                 score);
void       kuu_distribution_chart_get_group_label_box (KuuDistributionChart *self,
                                                       guint                 group,
                                                       graphene_rect_t      *out);

G_END_DECLS
