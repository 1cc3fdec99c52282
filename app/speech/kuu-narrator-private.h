/* kuu-narrator-private.h: what the narrator's files share — the words
 * for a widget, read from its own labels and properties
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *_kuu_narrator_control      (GtkWidget  *focus);
char      *_kuu_narrator_describe     (GtkWidget  *control);
char      *_kuu_narrator_state        (GtkWidget  *control);
char      *_kuu_narrator_group_label  (GtkWidget  *control,
                                       GtkWidget  *stop);
GtkWidget *_kuu_narrator_group        (GtkWidget  *control);
void       _kuu_narrator_headings     (GtkWidget  *root,
                                       gboolean    into_stacks,
                                       gboolean    every_label,
                                       GPtrArray  *texts);
GtkWidget *_kuu_narrator_inner_step   (GtkWidget  *page);
GtkWidget *_kuu_narrator_step_of      (GtkWidget  *widget,
                                       GtkWidget  *page);

G_END_DECLS
