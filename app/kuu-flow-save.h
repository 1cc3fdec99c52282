/* kuu-flow-save.h: how every resident flow writes its submission
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-context.h"
#include "kuu-flow-header.h"
#include "kuu-send-row.h"

G_BEGIN_DECLS

void kuu_flow_save (GtkWidget     *page,
                    KuuContext    *context,
                    KuuSubmission *submission,
                    GCancellable  *cancellable,
                    KuuFlowHeader *header,
                    KuuSendRow    *send_row);

G_END_DECLS
