/* widget-text.h: what a widget tree shows, for GTK-level tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

void collect_labels   (GtkWidget  *widget,
                       GString    *out);
void collect_all_text (GtkWidget  *widget,
                       GString    *out);
void assert_shows     (const char *labels,
                       const char *text);
