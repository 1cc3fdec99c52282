/* kuu-answers-page.h: the published initiatives with their status and answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"
#include "kuu-flow-page.h"

G_BEGIN_DECLS

#define KUU_TYPE_ANSWERS_PAGE (kuu_answers_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuAnswersPage, kuu_answers_page, KUU, ANSWERS_PAGE, KuuFlowPage)

GtkWidget *kuu_answers_page_new (KuuContext *context);

G_END_DECLS
