/* kuu-pin-page.h: the staff PIN prompt in front of staff mode at a kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"
#include "kuu-pin.h"

G_BEGIN_DECLS

#define KUU_TYPE_PIN_PAGE (kuu_pin_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuPinPage, kuu_pin_page, KUU, PIN_PAGE, GtkWidget)

GtkWidget *kuu_pin_page_new (KuuContext *context,
                             KuuPin     *pin);

G_END_DECLS
