/* kuu-recommend-page.h: the recommendation flow — choose a goal or service
 * area, score it 0–10, answer the statements, say why
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"
#include "kuu-flow-page.h"

G_BEGIN_DECLS

#define KUU_TYPE_RECOMMEND_PAGE (kuu_recommend_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuRecommendPage, kuu_recommend_page, KUU, RECOMMEND_PAGE, KuuFlowPage)

GtkWidget *kuu_recommend_page_new (KuuContext *context);

G_END_DECLS
