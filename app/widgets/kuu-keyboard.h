/* kuu-keyboard.h: the on-screen keyboard of a kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KUU_TYPE_KEYBOARD (kuu_keyboard_get_type ())

G_DECLARE_FINAL_TYPE (KuuKeyboard, kuu_keyboard, KUU, KEYBOARD, GtkWidget)

GtkWidget *kuu_keyboard_new        (void);
void       kuu_keyboard_set_target (KuuKeyboard *self,
                                    GtkWidget   *target);
GtkWidget *kuu_keyboard_get_target (KuuKeyboard *self);
gboolean   kuu_keyboard_accepts    (GtkWidget   *widget);

G_END_DECLS
