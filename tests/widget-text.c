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

/* Every text below @widget, shown or not: labels, what text fields and
 * text views hold, and the window's title — all a next person or a
 * screen reader could come upon. */
void
collect_all_text (GtkWidget *widget,
                  GString   *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  else if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (out, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  else if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      g_string_append_printf (out, "%s\n", text);
    }
  else if (GTK_IS_WINDOW (widget))
    g_string_append_printf (out, "%s\n", gtk_window_get_title (GTK_WINDOW (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_all_text (child, out);
}

void
assert_shows (const char *labels,
              const char *text)
{
  if (strstr (labels, text) == NULL)
    g_error ("the page does not show “%s”; it shows:\n%s", text, labels);
}
