/* kuu-feedback-page.h: free feedback, with a contact only for a reply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"
#include "kuu-flow-page.h"

G_BEGIN_DECLS

#define KUU_TYPE_FEEDBACK_PAGE (kuu_feedback_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuFeedbackPage, kuu_feedback_page, KUU, FEEDBACK_PAGE, KuuFlowPage)

GtkWidget *kuu_feedback_page_new (KuuContext *context);

G_END_DECLS
