/* kuu-export-page.h: staff export the answers of a period as CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"

G_BEGIN_DECLS

#define KUU_TYPE_EXPORT_PAGE (kuu_export_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuExportPage, kuu_export_page, KUU, EXPORT_PAGE, GtkWidget)

GtkWidget *kuu_export_page_new            (KuuContext    *context);
void       kuu_export_page_set_period     (KuuExportPage *self,
                                           const GDate   *first,
                                           const GDate   *last);
char      *kuu_export_page_suggest_name   (KuuExportPage *self);
void       kuu_export_page_export_to      (KuuExportPage *self,
                                           GFile         *file);
gboolean   kuu_export_page_get_busy       (KuuExportPage *self);

G_END_DECLS
