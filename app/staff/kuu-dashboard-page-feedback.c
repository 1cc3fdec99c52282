/* kuu-dashboard-page-feedback.c
 *
 * The dashboard's list of the latest free-text feedback, each with a
 * button that hides it from the list (and shows it again), stored by
 * KuuFeedbackList in a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kuu-dashboard-page-private.h"
#include "kuu-i18n.h"

static void set_row_hidden (GtkWidget *row, gboolean hidden);

static void
on_hidden_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  g_autoptr(GError) error = NULL;
  gboolean hidden = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "kuu-want-hidden"));
  GtkWidget *button = g_object_get_data (G_OBJECT (row), "kuu-button");

  if (!kuu_feedback_set_hidden_finish (KUU_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Could not change a feedback text: %s", error->message);
          gtk_widget_set_sensitive (button, TRUE);
        }
      return;
    }
  gtk_widget_set_sensitive (button, TRUE);
  set_row_hidden (row, hidden);
}

static void
on_hide_clicked_cb (GtkButton *button,
                    GtkWidget *row)
{
  KuuDashboardPage *self = KUU_DASHBOARD_PAGE (gtk_widget_get_ancestor (row, KUU_TYPE_DASHBOARD_PAGE));
  gboolean hidden = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "kuu-hidden"));

  g_object_set_data (G_OBJECT (row), "kuu-want-hidden", GINT_TO_POINTER (!hidden));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  kuu_feedback_set_hidden_async (kuu_context_get_store (self->context),
                                 g_object_get_data (G_OBJECT (row), "kuu-uuid"), !hidden,
                                 self->life, on_hidden_cb, g_object_ref (row));
}

static void
set_row_hidden (GtkWidget *row,
                gboolean   hidden)
{
  GtkWidget *button = g_object_get_data (G_OBJECT (row), "kuu-button");
  GtkWidget *mark = g_object_get_data (G_OBJECT (row), "kuu-mark");
  GtkWidget *text = g_object_get_data (G_OBJECT (row), "kuu-text");

  g_object_set_data (G_OBJECT (row), "kuu-hidden", GINT_TO_POINTER (hidden));
  gtk_button_set_label (GTK_BUTTON (button), hidden ? _("Show again") : _("Hide"));
  gtk_widget_set_tooltip_text (button, hidden
                               ? _("Allow this text on public displays again")
                               : _("Hide this text from any public display"));
  gtk_widget_set_visible (mark, hidden);
  if (hidden)
    gtk_widget_add_css_class (row, "feedback-hidden");
  else
    gtk_widget_remove_css_class (row, "feedback-hidden");
  gtk_widget_set_opacity (text, hidden ? 0.7 : 1.0);
}

static GtkWidget *
feedback_row (KuuDashboardPage      *self,
              const KuuFeedbackItem *item)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (item->created_at);
  g_autofree char *date = kuu_i18n_format_date_time (when, KUU_I18N_MINUTE);
  const char *topic = _kuu_dashboard_page_topic_title (self, item->topic_kind, item->topic_id);
  g_autofree char *meta = topic ? g_strjoin (" · ", date, item->unit, topic, NULL)
                                : g_strjoin (" · ", date, item->unit, NULL);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *meta_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *meta_label = gtk_label_new (meta);
  GtkWidget *mark = gtk_label_new (_("Hidden from public displays"));
  GtkWidget *text = gtk_label_new (item->text);
  GtkWidget *button = gtk_button_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (box, "dashboard-row");
  gtk_label_set_xalign (GTK_LABEL (meta_label), 0);
  gtk_widget_add_css_class (meta_label, "dim-label");
  gtk_widget_add_css_class (mark, "feedback-hidden-mark");
  gtk_box_append (GTK_BOX (meta_box), meta_label);
  gtk_box_append (GTK_BOX (meta_box), mark);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), meta_box);
  gtk_box_append (GTK_BOX (texts), text);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), button);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data_full (G_OBJECT (row), "kuu-uuid", g_strdup (item->uuid), g_free);
  g_object_set_data (G_OBJECT (row), "kuu-button", button);
  g_object_set_data (G_OBJECT (row), "kuu-mark", mark);
  g_object_set_data (G_OBJECT (row), "kuu-text", text);
  g_signal_connect (button, "clicked", G_CALLBACK (on_hide_clicked_cb), row);
  set_row_hidden (row, item->hidden);
  return row;
}

void
_kuu_dashboard_page_show_feedback (KuuDashboardPage *self,
                                   const Load       *load)
{
  _kuu_dashboard_page_clear_list (self->feedback_list);
  for (guint i = 0; i < load->feedback->len; i++)
    gtk_list_box_append (self->feedback_list, feedback_row (self, g_ptr_array_index (load->feedback, i)));
  if (load->feedback->len == 0)
    {
      GtkWidget *none = gtk_label_new (_("No feedback texts"));

      gtk_widget_add_css_class (none, "dashboard-row");
      gtk_list_box_append (self->feedback_list, none);
    }
}
