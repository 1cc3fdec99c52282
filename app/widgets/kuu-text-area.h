/* kuu-text-area.h: a multi-line text field with a visible length limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KUU_TYPE_TEXT_AREA (kuu_text_area_get_type ())

G_DECLARE_FINAL_TYPE (KuuTextArea, kuu_text_area, KUU, TEXT_AREA, GtkWidget)

GtkWidget   *kuu_text_area_new            (guint        max_length);
char        *kuu_text_area_get_text       (KuuTextArea *self);
void         kuu_text_area_set_text       (KuuTextArea *self,
                                           const char  *text);
guint        kuu_text_area_get_max_length (KuuTextArea *self);
GtkTextView *kuu_text_area_get_view       (KuuTextArea *self);
void         kuu_text_area_set_label      (KuuTextArea *self,
                                           const char  *label);
void         kuu_text_area_set_compact    (KuuTextArea *self,
                                           gboolean     compact);

G_END_DECLS
