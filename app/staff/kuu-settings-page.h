/* kuu-settings-page.h: staff set the device up here, without a command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"

G_BEGIN_DECLS

#define KUU_TYPE_SETTINGS_PAGE (kuu_settings_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuSettingsPage, kuu_settings_page, KUU, SETTINGS_PAGE, GtkWidget)

GtkWidget *kuu_settings_page_new (KuuContext *context);

G_END_DECLS
