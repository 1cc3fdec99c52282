/* kuu-flow-header.h: the bar above a resident flow — back, title, cancel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KUU_TYPE_FLOW_HEADER (kuu_flow_header_get_type ())

G_DECLARE_FINAL_TYPE (KuuFlowHeader, kuu_flow_header, KUU, FLOW_HEADER, GtkWidget)

void kuu_flow_header_set_back_visible (KuuFlowHeader *self,
                                       gboolean       visible);
void kuu_flow_header_set_sensitive    (KuuFlowHeader *self,
                                       gboolean       sensitive);

G_END_DECLS
