/* kuu-flow.h: what every resident flow page shares — its signals,
 * template setup and how it writes its submission
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-context.h"
#include "kuu-flow-header.h"
#include "kuu-send-row.h"

G_BEGIN_DECLS

void kuu_flow_class_init (GtkWidgetClass *widget_class,
                          const char     *template_name,
                          const char     *css_name,
                          gboolean        saves);
void kuu_flow_cancel     (GtkWidget      *page);

void kuu_flow_save (GtkWidget     *page,
                    KuuContext    *context,
                    KuuSubmission *submission,
                    GCancellable  *cancellable,
                    KuuFlowHeader *header,
                    KuuSendRow    *send_row);

G_END_DECLS
