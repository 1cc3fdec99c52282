/* kuu-flow-page.c
 *
 * Every flow page derives from KuuFlowPage, which owns its ::cancelled
 * and ::saved (KuuSubmission) signals, which the window follows. Pages
 * that never write a submission (the answers board) just never emit
 * ::saved. The submission is written before the page says "saved": the
 * signal is emitted only from the store's callback. On an error the page
 * stays as it is, with the person's input, and says so.
 *
 * The header and send row are the subclass's template children named
 * "header" and "send_row": the base class finds them when it saves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-choice-grid.h"
#include "kuu-contact-form.h"
#include "kuu-flow-page.h"

typedef struct
{
  /* Cancelled in dispose: nothing the page started outlives it. */
  GCancellable *cancellable;
} KuuFlowPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (KuuFlowPage, kuu_flow_page, GTK_TYPE_WIDGET)

enum {
  SAVED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  KuuFlowPage   *page;
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
  g_signal_emit (data->page, signals[SAVED], 0, data->submission);
}

static void
kuu_flow_page_dispose (GObject *object)
{
  KuuFlowPagePrivate *priv = kuu_flow_page_get_instance_private (KUU_FLOW_PAGE (object));

  g_cancellable_cancel (priv->cancellable);

  G_OBJECT_CLASS (kuu_flow_page_parent_class)->dispose (object);
}

/* Kept until here: a callback that comes after dispose still finds it
 * cancelled. */
static void
kuu_flow_page_finalize (GObject *object)
{
  KuuFlowPagePrivate *priv = kuu_flow_page_get_instance_private (KUU_FLOW_PAGE (object));

  g_clear_object (&priv->cancellable);

  G_OBJECT_CLASS (kuu_flow_page_parent_class)->finalize (object);
}

static void
kuu_flow_page_class_init (KuuFlowPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kuu_flow_page_dispose;
  object_class->finalize = kuu_flow_page_finalize;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, KUU_TYPE_SUBMISSION | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* The widgets the templates use, registered before they are parsed. */
  g_type_ensure (KUU_TYPE_CHOICE_GRID);
  g_type_ensure (KUU_TYPE_CONTACT_FORM);
  g_type_ensure (KUU_TYPE_FLOW_HEADER);
  g_type_ensure (KUU_TYPE_SEND_ROW);
}

static void
kuu_flow_page_init (KuuFlowPage *self)
{
  KuuFlowPagePrivate *priv = kuu_flow_page_get_instance_private (self);

  priv->cancellable = g_cancellable_new ();
}

/**
 * kuu_flow_page_class_set_template:
 * @template_name: the .ui file under the resource prefix's ui/
 *
 * For a subclass's class_init: its template, layout and CSS name.
 */
void
kuu_flow_page_class_set_template (GtkWidgetClass *widget_class,
                                  const char     *template_name,
                                  const char     *css_name)
{
  g_autofree char *resource = g_strconcat (RESOURCE_PREFIX "/ui/", template_name, NULL);

  gtk_widget_class_set_template_from_resource (widget_class, resource);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, css_name);
}

/**
 * kuu_flow_page_get_cancellable:
 *
 * Returns: (transfer none): cancelled when the page goes away
 */
GCancellable *
kuu_flow_page_get_cancellable (KuuFlowPage *self)
{
  KuuFlowPagePrivate *priv = kuu_flow_page_get_instance_private (self);

  g_return_val_if_fail (KUU_IS_FLOW_PAGE (self), NULL);

  return priv->cancellable;
}

void
kuu_flow_page_cancel (KuuFlowPage *self)
{
  g_return_if_fail (KUU_IS_FLOW_PAGE (self));

  g_signal_emit (self, signals[CANCELLED], 0);
}

/* The subclass's template children, by the names every flow template
 * gives them. */
static gpointer
template_child (KuuFlowPage *self,
                const char  *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (self), G_OBJECT_TYPE (self), name);

  g_assert (child != NULL);
  return child;
}

/**
 * kuu_flow_page_save:
 * @submission: (transfer full): what to write
 *
 * Writes @submission in the store's worker thread, then emits ::saved
 * with it. Meanwhile the header is insensitive and the send row busy.
 */
void
kuu_flow_page_save (KuuFlowPage   *self,
                    KuuContext    *context,
                    KuuSubmission *submission)
{
  SaveData *data;

  g_return_if_fail (KUU_IS_FLOW_PAGE (self));
  g_return_if_fail (submission != NULL);

  data = g_new0 (SaveData, 1);
  data->page = g_object_ref (self);
  data->submission = submission;
  data->header = KUU_FLOW_HEADER (template_child (self, "header"));
  data->send_row = KUU_SEND_ROW (template_child (self, "send_row"));

  kuu_send_row_show_error (data->send_row, NULL);
  set_busy (data, TRUE);
  kuu_submission_set_place (submission,
                            kuu_strategy_get_id (kuu_context_get_strategy (context)),
                            kuu_context_get_unit (context),
                            kuu_context_get_language (context));
  kuu_store_add_async (kuu_context_get_store (context), submission,
                       kuu_flow_page_get_cancellable (self), on_added_cb, data);
}
