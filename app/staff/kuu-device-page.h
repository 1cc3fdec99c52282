/* kuu-device-page.h: what staff see of the device and its sync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"

G_BEGIN_DECLS

#define KUU_TYPE_DEVICE_PAGE (kuu_device_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuDevicePage, kuu_device_page, KUU, DEVICE_PAGE, GtkWidget)

GtkWidget *kuu_device_page_new (KuuContext *context);

G_END_DECLS
