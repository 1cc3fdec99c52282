/* kuu-flow.c
 *
 * Every flow page has ::cancelled, and those that write a submission
 * ::saved (KuuSubmission), which the window follows. The submission is written before the page says "saved": the page's
 * ::saved signal is emitted only from the store's callback. On an error
 * the page stays as it is, with the person's input, and says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-choice-grid.h"
#include "kuu-contact-form.h"
#include "kuu-flow.h"

/**
 * kuu_flow_class_init:
 * @template_name: the .ui file under the resource prefix's ui/
 * @saves: whether the page writes a submission and so has ::saved
 */
void
kuu_flow_class_init (GtkWidgetClass *widget_class,
                     const char     *template_name,
                     const char     *css_name,
                     gboolean        saves)
{
  GType type = G_TYPE_FROM_CLASS (widget_class);
  g_autofree char *resource = g_strconcat (RESOURCE_PREFIX "/ui/", template_name, NULL);

  if (saves)
    g_signal_new ("saved", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, KUU_TYPE_SUBMISSION | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_new ("cancelled", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* The widgets the templates use, registered before they are parsed. */
  g_type_ensure (KUU_TYPE_CHOICE_GRID);
  g_type_ensure (KUU_TYPE_CONTACT_FORM);
  g_type_ensure (KUU_TYPE_FLOW_HEADER);
  g_type_ensure (KUU_TYPE_SEND_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, resource);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, css_name);
}

void
kuu_flow_cancel (GtkWidget *page)
{
  g_signal_emit_by_name (page, "cancelled");
}

typedef struct
{
  GtkWidget     *page;
  KuuSubmission *submission;
  KuuFlowHeader *header;
  KuuSendRow    *send_row;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->page);
  kuu_submission_free (data->submission);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static void
set_busy (SaveData *data,
          gboolean  busy)
{
  kuu_send_row_set_busy (data->send_row, busy);
  kuu_flow_header_set_sensitive (data->header, !busy);
}

/* What the person at the screen is told. A refused field is theirs to
 * fix; a full disk is staff's, and no retry helps until they act;
 * anything else may pass. The details go to the log for IT. */
static const char *
message_for (const GError *error)
{
  if (g_error_matches (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID))
    return error->message;
  if (g_error_matches (error, KUU_STORE_ERROR, KUU_STORE_ERROR_FULL))
    return KUU_SEND_FULL_MESSAGE;
  return KUU_SEND_FAILED_MESSAGE;
}

static void
on_added_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!kuu_store_add_finish (KUU_STORE (object), result, &error))
    {
      /* Cancelled: the page is gone, with nobody to tell. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not save a submission: %s", error->message);
      set_busy (data, FALSE);
      kuu_send_row_show_error (data->send_row, message_for (error));
      return;
    }

  set_busy (data, FALSE);
  g_signal_emit_by_name (data->page, "saved", data->submission);
}

/**
 * kuu_flow_save:
 * @submission: (transfer full): what to write
 *
 * Writes @submission in the store's worker thread, then emits ::saved on
 * @page with it.
 */
void
kuu_flow_save (GtkWidget     *page,
               KuuContext    *context,
               KuuSubmission *submission,
               GCancellable  *cancellable,
               KuuFlowHeader *header,
               KuuSendRow    *send_row)
{
  SaveData *data;

  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (submission != NULL);

  data = g_new0 (SaveData, 1);
  data->page = g_object_ref (page);
  data->submission = submission;
  data->header = header;
  data->send_row = send_row;

  kuu_send_row_show_error (send_row, NULL);
  set_busy (data, TRUE);
  kuu_submission_set_place (submission,
                            kuu_strategy_get_id (kuu_context_get_strategy (context)),
                            kuu_context_get_unit (context),
                            kuu_context_get_language (context));
  kuu_store_add_async (kuu_context_get_store (context), submission,
                       cancellable, on_added_cb, data);
}
