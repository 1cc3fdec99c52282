/* kuu-flow-page.h: the base class of every resident flow page — its
 * signals, template setup, cancellable and how it writes its submission
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-context.h"
#include "kuu-flow-header.h"
#include "kuu-send-row.h"

G_BEGIN_DECLS

#define KUU_TYPE_FLOW_PAGE (kuu_flow_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (KuuFlowPage, kuu_flow_page, KUU, FLOW_PAGE, GtkWidget)

struct _KuuFlowPageClass
{
  GtkWidgetClass parent_class;

  /*< private >*/
  gpointer padding[4];
};

void          kuu_flow_page_class_set_template (GtkWidgetClass *widget_class,
                                                const char     *template_name,
                                                const char     *css_name);

GCancellable *kuu_flow_page_get_cancellable    (KuuFlowPage    *self);
void          kuu_flow_page_cancel             (KuuFlowPage    *self);
void          kuu_flow_page_save               (KuuFlowPage    *self,
                                                KuuContext     *context,
                                                KuuSubmission  *submission);

G_END_DECLS
