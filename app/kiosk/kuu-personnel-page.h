/* kuu-personnel-page.h: the staff survey at a device set to ask personnel —
 * the workplace recommendation (0–10, the eNPS) and how well the work
 * community functions (1–5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"
#include "kuu-flow-page.h"

G_BEGIN_DECLS

#define KUU_TYPE_PERSONNEL_PAGE (kuu_personnel_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuPersonnelPage, kuu_personnel_page, KUU, PERSONNEL_PAGE, KuuFlowPage)

GtkWidget *kuu_personnel_page_new       (KuuContext  *context);
KuuTopic  *kuu_personnel_page_get_topic (KuuStrategy *strategy);

G_END_DECLS
