/* kuu-staff-page.h: staff mode — results, initiatives, settings, device
 * status and export, one tab each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"

G_BEGIN_DECLS

#define KUU_TYPE_STAFF_PAGE (kuu_staff_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuStaffPage, kuu_staff_page, KUU, STAFF_PAGE, GtkWidget)

GtkWidget *kuu_staff_page_new (KuuContext *context);

G_END_DECLS
