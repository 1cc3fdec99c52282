/* widget-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "widget-text.h"

/* Every visible label's text below @widget, in widget order. */
void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

void
assert_shows (const char *labels,
              const char *text)
{
  if (strstr (labels, text) == NULL)
    g_error ("the page does not show “%s”; it shows:\n%s", text, labels);
}
