/* kuu-desk-results-page.h: the region's results, from the server's aggregates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-desk-client.h"
#include "kuu-strategy.h"

G_BEGIN_DECLS

#define KUU_TYPE_DESK_RESULTS_PAGE (kuu_desk_results_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuDeskResultsPage, kuu_desk_results_page, KUU, DESK_RESULTS_PAGE, GtkWidget)

GtkWidget *kuu_desk_results_page_new     (KuuDeskClient      *client,
                                          const KuuDeskStaff *staff,
                                          KuuStrategy        *strategy);
void       kuu_desk_results_page_refresh (KuuDeskResultsPage *self);

G_END_DECLS
