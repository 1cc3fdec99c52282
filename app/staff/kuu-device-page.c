/* kuu-device-page.c
 *
 * Read-only, for staff: where this device sends its answers and how that
 * goes. One tab of staff mode (KuuStaffPage).
 *
 * KuuSync notifies its state, last success, last error and the records
 * waiting and rejected; the page follows. Those two are also counted from
 * the store (in a worker thread) when the page opens: the sync's figures
 * date from its last try, and an answer may have come since.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kuu-device-page.h"
#include "kuu-i18n.h"
#include "kuu-outbox.h"

typedef enum
{
  ROW_SERVER,
  ROW_UNIT,
  ROW_ENROLLED,
  ROW_STATE,
  ROW_LAST_SUCCESS,
  ROW_WAITING,
  ROW_REJECTED,
  ROW_LAST_ERROR,
  N_ROWS
} Row;

struct _KuuDevicePage
{
  GtkWidget     parent_instance;

  KuuContext   *context;
  GSignalGroup *sync_signals;  /* follows the context's sync, whichever it is */
  GCancellable *cancellable;

  GtkWidget    *box;
  GtkLabel     *intro_label;
  GtkGrid      *status_grid;
  GtkButton    *sync_button;
  GtkWidget    *rejected_heading;
  GtkListBox   *rejected_list;
  GtkLabel     *values[N_ROWS];
};

G_DEFINE_FINAL_TYPE (KuuDevicePage, kuu_device_page, GTK_TYPE_WIDGET)

/* One record the server refused, as staff see it. */
typedef struct
{
  gboolean          known;       /* FALSE: the record itself was unreadable */
  KuuSubmissionKind kind;
  gint64            created_at;
  char             *reason;
} Rejected;

static void
rejected_free (Rejected *rejected)
{
  g_free (rejected->reason);
  g_free (rejected);
}

typedef struct
{
  gint64     waiting;
  gint64     rejected;
  GPtrArray *rejected_list;  /* of Rejected, oldest first */
} Counts;

static void
counts_free (Counts *counts)
{
  g_clear_pointer (&counts->rejected_list, g_ptr_array_unref);
  g_free (counts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Counts, counts_free)

/* --- texts ---------------------------------------------------------------- */

static const char *
row_title (Row row)
{
  switch (row)
    {
    case ROW_SERVER:       return _("Server");
    case ROW_UNIT:         return _("Unit");
    case ROW_ENROLLED:     return _("Enrolled");
    case ROW_STATE:        return _("Sync");
    case ROW_LAST_SUCCESS: return _("Last successful sync");
    case ROW_WAITING:      return _("Records waiting");
    case ROW_REJECTED:     return _("Records rejected");
    case ROW_LAST_ERROR:   return _("Last error");
    case N_ROWS:
    default:               g_assert_not_reached ();
    }
}

/* NULL once the page is disposed, or when the device does not send. */
static KuuSync *
current_sync (KuuDevicePage *self)
{
  return self->context != NULL ? kuu_device_session_get_sync (kuu_context_get_session (self->context)) : NULL;
}

static const char *
state_text (KuuDevicePage *self)
{
  KuuSync *sync = current_sync (self);

  if (sync == NULL)
    return _("Not sending: answers stay on this device");

  switch (kuu_sync_get_state (sync))
    {
    case KUU_SYNC_SENDING:
      return _("Sending…");
    case KUU_SYNC_WAITING:
      return _("Waiting to try again: the last try failed");
    case KUU_SYNC_UNAUTHORIZED:
      return _("Stopped: the server no longer accepts this device. Enrol it again.");
    case KUU_SYNC_IDLE:
    default:
      /* Up to date only once the server said so, not just because the
       * queue is empty. */
      if (kuu_sync_get_last_success (sync) <= 0)
        return _("Nothing waiting to be sent; the server has not answered yet");
      return _("Up to date: everything is sent");
    }
}

static char *
enrolled_text (KuuDevicePage *self)
{
  KuuDevice *device = kuu_device_session_get_device (kuu_context_get_session (self->context));

  if (device == NULL || !kuu_device_is_enrolled (device))
    return g_strdup (_("No"));
  if (kuu_device_get_device_id (device) != NULL)
    /* TRANSLATORS: %s is the device's id on the server */
    return g_strdup_printf (_("Yes, as device %s"), kuu_device_get_device_id (device));
  return g_strdup (_("Yes"));
}

static char *
time_text (gint64 when)
{
  /* with seconds: after Sync now, staff see the time move */
  return kuu_i18n_format_unix (when, KUU_I18N_SECOND);
}

static char *
last_success_text (KuuDevicePage *self)
{
  KuuSync *sync = current_sync (self);
  gint64 when = sync ? kuu_sync_get_last_success (sync) : 0;

  if (when <= 0)
    return g_strdup (_("Not yet since the app started"));
  return time_text (when);
}

static const char *
kind_text (Rejected *rejected)
{
  if (!rejected->known)
    return _("Record");

  switch (rejected->kind)
    {
    case KUU_SUBMISSION_RECOMMENDATION: return _("Recommendation");
    case KUU_SUBMISSION_FEEDBACK:       return _("Feedback");
    case KUU_SUBMISSION_INITIATIVE:     return _("Initiative");
    default:                            return _("Record");
    }
}

/* Each refused record with the server's reason: staff can tell the
 * region's IT what to look at. */
static void
show_rejected (KuuDevicePage *self,
               GPtrArray     *list)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->rejected_list))) != NULL)
    gtk_list_box_remove (self->rejected_list, row);

  for (guint i = 0; i < list->len; i++)
    {
      Rejected *rejected = g_ptr_array_index (list, i);
      g_autofree char *when = rejected->known ? time_text (rejected->created_at) : NULL;
      g_autofree char *title = when ? g_strdup_printf ("%s · %s", kind_text (rejected), when)
                                    : g_strdup (kind_text (rejected));

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), rejected->reason ? rejected->reason : "");
      gtk_list_box_append (self->rejected_list, row);
    }
  gtk_widget_set_visible (self->rejected_heading, list->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->rejected_list), list->len > 0);
}

static char *
last_error_text (KuuDevicePage *self)
{
  KuuSync *sync = current_sync (self);
  const char *error = sync ? kuu_sync_get_last_error (sync) : NULL;
  char *problem;

  if (error != NULL)
    return g_strdup (error);
  if ((problem = kuu_context_describe_sync_problem (self->context)) != NULL)
    return problem;
  return g_strdup (_("None"));
}

static char *
rejected_text (gint64 rejected)
{
  if (rejected == 0)
    return g_strdup ("0");
  /* A count of records on one kiosk fits in a guint. */
  return g_strdup_printf (ngettext (
                                       "%u — the server refused it; it is kept on this device",
                                       "%u — the server refused them; they are kept on this device",
                                       (guint)rejected),
                          (guint)rejected);
}

static void
set_value (KuuDevicePage *self,
           Row            row,
           const char    *text)
{
  if (g_strcmp0 (gtk_label_get_text (self->values[row]), text) != 0)
    gtk_label_set_text (self->values[row], text);
}

static void
show_counts (KuuDevicePage *self,
             gint64         waiting,
             gint64         rejected)
{
  g_autofree char *waiting_text = kuu_i18n_format_count ((guint64)MAX (waiting, 0));
  g_autofree char *rejected_label = rejected_text (rejected);

  set_value (self, ROW_WAITING, waiting_text);
  set_value (self, ROW_REJECTED, rejected_label);
}

/* --- counting in a worker thread ------------------------------------------ */

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  KuuStore *store = task_data;
  GError *error = NULL;
  g_autoptr(Counts) counts = g_new0 (Counts, 1);
  g_autoptr(GPtrArray) refused = NULL;

  counts->waiting = kuu_outbox_count_pending (store, &error);
  if (counts->waiting >= 0)
    counts->rejected = kuu_outbox_count_rejected (store, &error);
  if (counts->rejected >= 0 && error == NULL)
    refused = kuu_outbox_list_rejected (store, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  counts->rejected_list = g_ptr_array_new_with_free_func ((GDestroyNotify)rejected_free);
  for (guint i = 0; i < refused->len; i++)
    {
      KuuDeliveryResult *result = g_ptr_array_index (refused, i);
      g_autoptr(KuuSubmission) submission = kuu_store_get (store, result->uuid, NULL);
      Rejected *rejected = g_new0 (Rejected, 1);

      /* A record that cannot be read still shows, with its reason. */
      rejected->known = submission != NULL;
      if (submission != NULL)
        {
          rejected->kind = submission->kind;
          rejected->created_at = submission->created_at;
        }
      rejected->reason = g_strdup (result->reason);
      g_ptr_array_add (counts->rejected_list, rejected);
    }
  g_task_return_pointer (task, g_steal_pointer (&counts), (GDestroyNotify)counts_free);
}

static void
on_counted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  KuuDevicePage *self = KUU_DEVICE_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(Counts) counts = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (counts == NULL)
    {
      g_warning ("Could not count the outbox: %s", error->message);
      return;
    }

  show_counts (self, counts->waiting, counts->rejected);
  show_rejected (self, counts->rejected_list);
}

static void
count (KuuDevicePage *self)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, self->cancellable, on_counted_cb, NULL);
  g_task_set_source_tag (task, count);
  g_task_set_task_data (task, g_object_ref (kuu_context_get_store (self->context)), g_object_unref);
  g_task_run_in_thread (task, count_thread);
}

/* --- updating ------------------------------------------------------------- */

static void
update (KuuDevicePage *self)
{
  const char *server = kuu_device_session_get_server_url (kuu_context_get_session (self->context));
  KuuSync *sync = current_sync (self);
  g_autofree char *enrolled = enrolled_text (self);
  g_autofree char *last_success = last_success_text (self);
  g_autofree char *last_error = last_error_text (self);

  set_value (self, ROW_SERVER, server ? server : _("None set"));
  set_value (self, ROW_UNIT, kuu_context_get_unit (self->context));
  set_value (self, ROW_ENROLLED, enrolled);
  set_value (self, ROW_STATE, state_text (self));
  set_value (self, ROW_LAST_SUCCESS, last_success);
  set_value (self, ROW_LAST_ERROR, last_error);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.sync-now",
                                 sync != NULL && kuu_sync_get_state (sync) != KUU_SYNC_UNAUTHORIZED);
}

static void
on_sync_notify_cb (KuuDevicePage *self,
                   GParamSpec    *pspec)
{
  KuuSync *sync = current_sync (self);

  if (g_str_equal (pspec->name, "pending"))
    show_counts (self, kuu_sync_get_pending (sync), kuu_sync_get_rejected (sync));
  else if (g_str_equal (pspec->name, "rejected"))
    count (self);  /* the list too, with the reasons */
  else
    update (self);
}

static void
on_context_sync_changed_cb (KuuDevicePage *self)
{
  g_signal_group_set_target (self->sync_signals, current_sync (self));
  update (self);
  count (self);
}

/* Both ways: the answers go at once, even during a backoff, and the
 * region's file and initiatives come. */
static void
on_sync_now_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KuuDevicePage *self = KUU_DEVICE_PAGE (widget);
  KuuSync *sync = current_sync (self);

  if (sync == NULL)
    return;

  kuu_sync_now (sync);
  kuu_sync_pull_now (sync);
  update (self);
}

/* --- building ------------------------------------------------------------- */

static void
add_rows (KuuDevicePage *self)
{
  for (Row row = 0; row < N_ROWS; row++)
    {
      GtkWidget *title = gtk_label_new (row_title (row));
      GtkWidget *value = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_yalign (GTK_LABEL (title), 0);
      gtk_widget_add_css_class (title, "status-term");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_hexpand (value, TRUE);
      gtk_widget_add_css_class (value, "status-value");
      /* No labelled-by: it would make a screen reader say the term in
       * place of the figure. The term is read just before it. */
      gtk_grid_attach (self->status_grid, title, 0, row, 1, 1);
      gtk_grid_attach (self->status_grid, value, 1, row, 1, 1);
      self->values[row] = GTK_LABEL (value);
    }
}

static void
kuu_device_page_root (GtkWidget *widget)
{
  KuuDevicePage *self = KUU_DEVICE_PAGE (widget);

  GTK_WIDGET_CLASS (kuu_device_page_parent_class)->root (widget);
  gtk_widget_grab_focus (GTK_WIDGET (self->sync_button));
}

static void
kuu_device_page_dispose (GObject *object)
{
  KuuDevicePage *self = (KuuDevicePage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->sync_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_DEVICE_PAGE);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kuu_device_page_parent_class)->dispose (object);
}

static void
kuu_device_page_class_init (KuuDevicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_device_page_dispose;
  widget_class->root = kuu_device_page_root;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/staff/kuu-device-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuDevicePage, box);
  gtk_widget_class_bind_template_child (widget_class, KuuDevicePage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, KuuDevicePage, status_grid);
  gtk_widget_class_bind_template_child (widget_class, KuuDevicePage, sync_button);
  gtk_widget_class_bind_template_child (widget_class, KuuDevicePage, rejected_heading);
  gtk_widget_class_bind_template_child (widget_class, KuuDevicePage, rejected_list);
  gtk_widget_class_install_action (widget_class, "device.sync-now", NULL, on_sync_now_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "devicepage");
}

static void
kuu_device_page_init (KuuDevicePage *self)
{
  self->cancellable = g_cancellable_new ();
  self->sync_signals = g_signal_group_new (KUU_TYPE_SYNC);
  g_signal_group_connect_object (self->sync_signals, "notify", G_CALLBACK (on_sync_notify_cb),
                                 self, G_CONNECT_SWAPPED);
  gtk_widget_init_template (GTK_WIDGET (self));
  add_rows (self);
}

GtkWidget *
kuu_device_page_new (KuuContext *context)
{
  KuuDevicePage *self;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_DEVICE_PAGE, NULL);
  self->context = g_object_ref (context);
  /* Only a kiosk returns to its start page by itself: not a desktop's window. */
  if (kuu_context_get_kiosk (context))
    {
      g_autofree char *intro = g_strconcat (gtk_label_get_text (self->intro_label), " ",
                                            _("The screen returns to the start by itself after a while."), NULL);

      gtk_label_set_text (self->intro_label, intro);
    }
  g_signal_connect_object (kuu_context_get_session (context), "notify::sync",
                           G_CALLBACK (on_context_sync_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (kuu_context_get_session (context), "notify::problem", G_CALLBACK (update),
                           self, G_CONNECT_SWAPPED);
  g_signal_group_set_target (self->sync_signals, current_sync (self));
  update (self);
  count (self);

  return GTK_WIDGET (self);
}
