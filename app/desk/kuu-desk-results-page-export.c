/* kuu-desk-results-page-export.c: the region's answers as CSV, from the desk
 *
 * GET /api/v1/reports/answers.csv for the dates the filters show,
 * semicolons (and the server's UTF-8 BOM) for Excel in Finnish or Swedish
 * by default, commas on request. Contact details only for an admin, and
 * only after a confirmation; the server checks the role again and logs the
 * export. The file is chosen with GtkFileChooserNative (the portal in a
 * Flatpak, which needs no file-system access) and written as it streams.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kuu-desk-results-page-private.h"

static char *
iso (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static void
on_downloaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  KuuDeskResultsPage *self;
  g_autofree char *where = NULL;
  g_autofree char *text = NULL;

  if (!kuu_desk_client_download_finish (KUU_DESK_CLIENT (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = g_object_get_data (G_OBJECT (file), "kuu-page");
  where = g_file_get_parse_name (file);
  if (error == NULL)
    text = g_strdup_printf (_("The answers were saved in %s."), where);
  else
    text = g_strdup_printf (_("The answers were not saved: %s"), error->message);
  gtk_label_set_text (self->status_label, text);
}

static void
download (KuuDeskResultsPage *self,
          GFile              *file)
{
  g_autofree char *since = iso (&self->since);
  g_autofree char *until = iso (&self->until);
  gboolean comma = gtk_drop_down_get_selected (self->separator_drop) == 1;
  gboolean contacts = gtk_widget_get_visible (GTK_WIDGET (self->contacts_check)) &&
                      gtk_check_button_get_active (self->contacts_check);
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/answers.csv?since=%s&until=%s&sep=%s%s",
                                           since, until, comma ? "comma" : "semicolon",
                                           contacts ? "&contacts=1" : "");

  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  self->export_cancellable = g_cancellable_new ();
  /* The page rides with the file: a download that ended just as the page
   * went still finds it (its cancellable says whether to speak). */
  g_object_set_data_full (G_OBJECT (file), "kuu-page", g_object_ref (self), g_object_unref);
  gtk_label_set_text (self->status_label, _("Saving the answers…"));
  kuu_desk_client_download_async (self->client, path, file, self->export_cancellable,
                                  on_downloaded_cb, g_object_ref (file));
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        gpointer         user_data)
{
  KuuDeskResultsPage *self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  if (file != NULL)
    download (self, file);
}

static void
choose_file (KuuDeskResultsPage *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *since = iso (&self->since);
  g_autofree char *until = iso (&self->until);
  g_autofree char *name = g_strdup_printf ("kuulolla-%s-%s-%s.csv", self->staff->region, since, until);

  chooser = gtk_file_chooser_native_new (_("Save the answers"), GTK_WINDOW (native),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_confirmed_cb (AdwMessageDialog   *dialog,
                 const char         *response,
                 KuuDeskResultsPage *self)
{
  if (g_strcmp0 (response, "export") == 0)
    choose_file (self);
}

void
_kuu_desk_results_page_export (KuuDeskResultsPage *self)
{
  GtkWidget *dialog;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->contacts_check)) ||
      !gtk_check_button_get_active (self->contacts_check))
    {
      choose_file (self);
      return;
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_native (GTK_WIDGET (self))),
                                   _("Export contact details?"),
                                   _("The file will hold the names, e-mail addresses and phone numbers residents "
                                     "gave for a reply. Keep it only as long as the reply needs, where only those "
                                     "handling the cases can read it. The export is logged on the server with "
                                     "your name."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "export", _("_Export with contact details"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirmed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
