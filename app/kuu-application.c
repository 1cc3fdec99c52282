/* kuu-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "kuu-application.h"
#include "kuu-first-frame.h"
#include "kuu-pin.h"
#include "kuu-context.h"
#include "kuu-enrol.h"
#include "kuu-strategy-loader.h"
#include "kuu-window.h"

struct _KuuApplication
{
  AdwApplication  parent_instance;

  KuuStrategy    *strategy;
  GSettings      *settings;
  char           *database_path;
  char           *unit;
  gboolean        kiosk;
  guint           idle_seconds;
  gboolean        audience_fixed;
  KuuAudience     audience;
  guint           countdown_seconds;
  char           *server_url;  /* NULL: the device file's, if any */
  char           *enrol_code;
  char           *tls_ca_file; /* the region's own CA; NULL: the system's */
  GCancellable   *cancellable;

  KuuContext     *context;     /* NULL until the store is open */
  GError         *store_error; /* why it is not */
  guint           retry_id;    /* opening the store again, after a full disk */
};

/* Seconds between tries to open a store that failed for a reason that
 * passes by itself (a full disk, another program holding it). */
#define STORE_RETRY_SECONDS 5

G_DEFINE_FINAL_TYPE (KuuApplication, kuu_application, ADW_TYPE_APPLICATION)

/* The device's own problem, said where staff look: on stderr now and on
 * the device status page, in its language then, later. */
static void
report_problem (KuuApplication *self,
                KuuSyncProblem  problem,
                const char     *detail)
{
  g_autofree char *text = NULL;

  kuu_context_set_sync_problem (self->context, problem, detail);
  text = kuu_context_describe_sync_problem (self->context);
  g_printerr ("kuulolla: %s\n", text);
}

static void
on_region_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  KuuApplication *self = KUU_APPLICATION (object);
  g_autoptr(KuuSync) sync = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *message = NULL;
  KuuStrategy *next;

  /* Shutting down, or the sync replaced: nobody to tell. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->context == NULL || kuu_context_get_sync (self->context) != sync)
    return;
  /* Staff chose another region in Settings, used from the next start
   * page: the old region's new file does not replace that choice. */
  next = kuu_context_get_next_strategy (self->context);
  if (next != NULL && !g_str_equal (kuu_strategy_get_id (next),
                                    kuu_strategy_get_id (kuu_context_get_strategy (self->context))))
    return;
  if (strategy != NULL &&
      g_str_equal (kuu_strategy_get_id (strategy), kuu_strategy_get_id (kuu_context_get_strategy (self->context))))
    {
      kuu_context_set_next_strategy (self->context, strategy);
      return;
    }

  /* The sync checked the file before writing it; this is a file changed
   * since. The strategy in use stays. */
  message = g_strdup_printf (_("The new region file from the server could not be read, so the "
                               "current one stays in use: %s"),
                             error ? error->message : kuu_strategy_get_id (strategy));
  g_printerr ("kuulolla: %s\n", message);
  kuu_sync_note_error (sync, message);
}

static void
load_region_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_autoptr(GFile) file = g_file_new_for_path (task_data);
  GError *error = NULL;
  KuuStrategy *strategy = kuu_strategy_load_file (file, &error);

  if (strategy != NULL)
    g_task_return_pointer (task, strategy, g_object_unref);
  else
    g_task_return_error (task, error);
}

/* A kiosk runs for weeks: the region's new strategy is read now, in a
 * worker thread, and the window uses it when nobody is mid-flow. */
static void
on_region_changed_cb (KuuSync        *sync,
                      const char     *region_id,
                      const char     *path,
                      KuuApplication *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_region_loaded_cb, g_object_ref (sync));

  g_task_set_source_tag (task, on_region_changed_cb);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_region_thread);
}

/* Sends to the server the device was enrolled with; never sends its token
 * to another one. */
static void
start_sync (KuuApplication *self)
{
  KuuDevice *device = kuu_context_get_device (self->context);
  const char *enrolled_with = kuu_device_get_server_url (device);
  const char *region = kuu_device_get_region (device);
  g_autoptr(KuuSync) sync = NULL;
  g_autoptr(GError) error = NULL;

  if (!kuu_device_is_enrolled (device))
    {
      if (self->server_url != NULL && kuu_context_get_sync_problem (self->context) == KUU_SYNC_PROBLEM_NONE)
        report_problem (self, KUU_SYNC_PROBLEM_NOT_ENROLLED, NULL);
      return;
    }

  if (self->server_url != NULL && !kuu_device_same_server (self->server_url, enrolled_with))
    {
      report_problem (self, KUU_SYNC_PROBLEM_OTHER_SERVER, NULL);
      return;
    }

  /* The server checks every answer against the region it enrolled the
   * device for: answers of another region would all come back refused. */
  if (region != NULL && !g_str_equal (region, kuu_strategy_get_id (kuu_context_get_strategy (self->context))))
    {
      report_problem (self, KUU_SYNC_PROBLEM_OTHER_REGION, region);
      return;
    }

  sync = kuu_sync_new (kuu_context_get_store (self->context), enrolled_with, kuu_device_get_token (device));
  if (self->tls_ca_file != NULL && !kuu_sync_set_tls_ca_file (sync, self->tls_ca_file, &error))
    {
      report_problem (self, KUU_SYNC_PROBLEM_MESSAGE, error->message);
      return;
    }
  /* Into the folder the loader reads installed region files from
   * ($XDG_DATA_HOME/kuulolla/regions): the next start uses it too. */
  kuu_sync_set_region (sync, kuu_strategy_get_id (kuu_context_get_strategy (self->context)), NULL);
  g_signal_connect_object (sync, "region-changed", G_CALLBACK (on_region_changed_cb), self, 0);
  kuu_context_set_sync (self->context, sync);
  kuu_sync_start (sync);
}

static void
on_device_saved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KuuApplication) self = user_data;
  KuuDevice *device = KUU_DEVICE (object);
  g_autoptr(GError) error = NULL;

  if (!kuu_device_save_finish (device, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->context != NULL)
        report_problem (self, KUU_SYNC_PROBLEM_NOT_SAVED, error->message);
      return;
    }

  g_print (_("kuulolla: enrolled with %s; the credentials are in %s\n"),
           kuu_device_get_server_url (device), kuu_device_get_path (device));
}

static void
on_pin_reset_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!kuu_pin_reset_finish (KUU_PIN (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("kuulolla: the staff PIN was not cleared at enrolment: %s", error->message);
}

static void
on_enrolled_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KuuApplication *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuEnrolment) enrolment = kuu_enrol_finish (result, &error);
  g_autoptr(KuuPin) pin = NULL;
  KuuDevice *device;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->context == NULL)
    {
      /* Shutting down: nobody reads it. */
      g_task_return_error (task, error ? g_steal_pointer (&error)
                                       : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"));
      return;
    }

  if (enrolment == NULL)
    {
      report_problem (self, KUU_SYNC_PROBLEM_ENROL_FAILED, error->message);
      start_sync (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  device = kuu_context_get_device (self->context);
  /* The region the server made the code for is the one it checks answers
   * against; start_sync() says so if it is not this kiosk's. */
  kuu_device_set_credentials (device, self->server_url, enrolment->device_id, enrolment->token,
                              enrolment->region ? enrolment->region
                                                : kuu_strategy_get_id (kuu_context_get_strategy (self->context)));
  kuu_context_set_sync_problem (self->context, KUU_SYNC_PROBLEM_NONE, NULL);
  /* Sending starts now, with the credentials in memory; they reach the
   * disk in a worker thread. */
  start_sync (self);
  kuu_device_save_async (device, self->cancellable, on_device_saved_cb, g_object_ref (self));
  /* Enrolling again is how a forgotten staff PIN is cleared
   * (docs/deployment.md): only the region's IT can make the code. */
  pin = kuu_pin_new (kuu_context_get_store (self->context));
  kuu_pin_reset_async (pin, self->cancellable, on_pin_reset_cb, NULL);
  g_task_return_boolean (task, TRUE);
}

/**
 * kuu_application_enrol_async:
 * @server_url: the region server, checked to be http(s)
 * @code: the one-time code its administrator made
 *
 * Enrols the device as --enrol does at start: on success it sends to
 * @server_url from now on (the device file is written in a worker
 * thread) and the staff PIN is cleared. Staff mode's Settings calls it
 * too. The exchange itself is cancelled only when the app shuts down: a
 * code the server took is not wasted because a page closed.
 */
void
kuu_application_enrol_async (KuuApplication      *self,
                             const char          *server_url,
                             const char          *code,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  char *url;

  g_return_if_fail (KUU_IS_APPLICATION (self));
  g_return_if_fail (server_url != NULL && code != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_application_enrol_async);
  if (self->context == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The database is not open, so the device cannot be enrolled."));
      return;
    }

  /* @server_url may be self->server_url itself (--enrol at start). */
  url = g_strdup (server_url);
  g_free (self->server_url);
  self->server_url = g_steal_pointer (&url);
  kuu_context_set_server_url (self->context, self->server_url);
  kuu_enrol_async (self->server_url, code, kuu_context_get_unit (self->context), self->tls_ca_file,
                   self->cancellable, on_enrolled_cb, g_steal_pointer (&task));
}

gboolean
kuu_application_enrol_finish (KuuApplication  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reads the device file and starts sending, or enrols first. Nothing here
 * waits for the network: the window shows at once, and answers queue. */
static void
open_sync (KuuApplication *self)
{
  g_autofree char *path = kuu_device_path_for (self->database_path);
  g_autoptr(KuuDevice) device = kuu_device_new (path);
  g_autoptr(GError) error = NULL;

  kuu_context_set_device (self->context, device);
  if (!kuu_device_load (device, &error))
    report_problem (self, KUU_SYNC_PROBLEM_MESSAGE, error->message);
  kuu_context_set_server_url (self->context, self->server_url ? self->server_url
                                                              : kuu_device_get_server_url (device));

  if (self->enrol_code != NULL)
    {
      kuu_application_enrol_async (self, self->server_url, self->enrol_code, NULL, NULL, NULL);
      return;
    }

  start_sync (self);
}

static void
use_store (KuuApplication *self,
           KuuStore       *store)
{
  self->context = kuu_context_new (self->strategy, store, self->settings,
                                   self->unit, self->kiosk);
  kuu_context_set_idle_times (self->context, self->idle_seconds, self->countdown_seconds);
  if (self->audience_fixed)
    kuu_context_set_audience (self->context, self->audience);
  open_sync (self);
}

/* Staff free the disk or stop the other program; nobody should have to
 * restart a kiosk for it to notice. */
static gboolean
store_error_passes (const GError *error)
{
  return g_error_matches (error, KUU_STORE_ERROR, KUU_STORE_ERROR_FULL) ||
         g_error_matches (error, KUU_STORE_ERROR, KUU_STORE_ERROR_BUSY);
}

static gboolean on_retry_store_cb (gpointer user_data);

static void
schedule_store_retry (KuuApplication *self)
{
  if (store_error_passes (self->store_error))
    self->retry_id = g_timeout_add_seconds (STORE_RETRY_SECONDS, on_retry_store_cb, self);
}

static void
open_store_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  KuuStore *store = kuu_store_open (task_data, &error);

  if (store != NULL)
    g_task_return_pointer (task, store, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
on_store_retried_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  KuuApplication *self = KUU_APPLICATION (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWindow *old_window;
  GtkWindow *window;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (store == NULL)
    {
      /* Still the same reason: the window already says it. */
      g_clear_error (&self->store_error);
      self->store_error = g_steal_pointer (&error);
      schedule_store_retry (self);
      return;
    }

  g_printerr ("kuulolla: %s\n", _("The database opened after all."));
  g_clear_error (&self->store_error);
  use_store (self, store);

  /* The new window first, so the application never has none. */
  old_window = gtk_application_get_active_window (GTK_APPLICATION (self));
  window = GTK_WINDOW (kuu_window_new (self, self->context));
  gtk_window_present (window);
  if (old_window != NULL)
    gtk_window_destroy (old_window);
}

static gboolean
on_retry_store_cb (gpointer user_data)
{
  KuuApplication *self = KUU_APPLICATION (user_data);
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_store_retried_cb, NULL);

  self->retry_id = 0;
  g_task_set_source_tag (task, on_retry_store_cb);
  g_task_set_task_data (task, g_strdup (self->database_path), g_free);
  /* Opening checks the database: not on the main loop of a shown window. */
  g_task_run_in_thread (task, open_store_thread);
  return G_SOURCE_REMOVE;
}

static void
open_context (KuuApplication *self)
{
  g_autoptr(KuuStore) store = NULL;

  /* The start-up quick_check reads the database once; it is small on a
   * kiosk and the window cannot show anything useful before it anyway. */
  store = kuu_store_open (self->database_path, &self->store_error);
  if (store == NULL)
    {
      g_warning ("%s", self->store_error->message);
      schedule_store_retry (self);
      return;
    }

  use_store (self, store);
}

/* GTK 4.8's GtkScrolledWindow connects to its GtkSettings'
 * notify::gtk-overlay-scrolling when it is realized, and at unrealize
 * disconnects a different function: the handler stays behind, one for
 * every scrolled window ever shown, and would call into a freed widget if
 * the setting changed. A kiosk builds its pages anew for every resident,
 * so they piled up with each visit (docs/performance.md, "Memory"). This
 * hook disconnects the one GTK leaves, by its detail and the widget it was
 * connected with. */
static gboolean
on_unrealize_hook_cb (GSignalInvocationHint *hint,
                      guint                  n_params,
                      const GValue          *params,
                      gpointer               user_data)
{
  GObject *widget = g_value_get_object (&params[0]);

  if (GTK_IS_SCROLLED_WINDOW (widget))
    g_signal_handlers_disconnect_matched (gtk_widget_get_settings (GTK_WIDGET (widget)),
                                          G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DETAIL | G_SIGNAL_MATCH_DATA,
                                          g_signal_lookup ("notify", G_TYPE_OBJECT),
                                          g_quark_from_static_string ("gtk-overlay-scrolling"),
                                          NULL, NULL, widget);
  return TRUE;  /* stay for every unrealize */
}

static void
work_around_gtk (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      /* The signal exists once the class does. */
      g_autoptr(GTypeClass) klass = g_type_class_ref (GTK_TYPE_WIDGET);

      g_signal_add_emission_hook (g_signal_lookup ("unrealize", GTK_TYPE_WIDGET), 0,
                                  on_unrealize_hook_cb, NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}

static void
kuu_application_startup (GApplication *app)
{
  KuuApplication *self = KUU_APPLICATION (app);

  G_APPLICATION_CLASS (kuu_application_parent_class)->startup (app);

  work_around_gtk ();

  open_context (self);
}

static void
kuu_application_shutdown (GApplication *app)
{
  KuuApplication *self = KUU_APPLICATION (app);

  /* Whatever is on its way stays queued for the next start. */
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->context != NULL)
    kuu_context_set_sync (self->context, NULL);

  G_APPLICATION_CLASS (kuu_application_parent_class)->shutdown (app);
}

static void
kuu_application_activate (GApplication *app)
{
  KuuApplication *self = KUU_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      if (self->context != NULL)
        window = GTK_WINDOW (kuu_window_new (self, self->context));
      else
        window = GTK_WINDOW (kuu_window_new_for_error (self, self->store_error,
                                                         self->retry_id != 0));
    }

  kuu_first_frame_watch (window);
  gtk_window_present (window);
}

static void
kuu_application_finalize (GObject *object)
{
  KuuApplication *self = (KuuApplication *)object;

  g_clear_object (&self->context);
  g_clear_object (&self->strategy);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->unit, g_free);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->enrol_code, g_free);
  g_clear_pointer (&self->tls_ca_file, g_free);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (kuu_application_parent_class)->finalize (object);
}

static void
kuu_application_class_init (KuuApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = kuu_application_finalize;
  app_class->startup = kuu_application_startup;
  app_class->activate = kuu_application_activate;
  app_class->shutdown = kuu_application_shutdown;
}

static void
kuu_application_init (KuuApplication *self)
{
  self->cancellable = g_cancellable_new ();
}

KuuApplication *
kuu_application_new (KuuStrategy *strategy,
                     GSettings   *settings,
                     const char  *database_path,
                     const char  *unit,
                     gboolean     kiosk)
{
  KuuApplication *self;

  g_return_val_if_fail (KUU_IS_STRATEGY (strategy), NULL);
  g_return_val_if_fail (database_path != NULL, NULL);
  g_return_val_if_fail (unit != NULL, NULL);

  /* A kiosk is one process owning its screen; on a desktop a second
   * launch raises the first window. */
  self = g_object_new (KUU_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", kiosk ? G_APPLICATION_NON_UNIQUE : G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
  self->strategy = g_object_ref (strategy);
  g_set_object (&self->settings, settings);
  self->database_path = g_strdup (database_path);
  self->unit = g_strdup (unit);
  self->kiosk = kiosk;

  return self;
}

/* Before the application runs: the window reads them from the context. */
void
kuu_application_set_idle_times (KuuApplication *self,
                                guint           idle_seconds,
                                guint           countdown_seconds)
{
  g_return_if_fail (KUU_IS_APPLICATION (self));
  g_return_if_fail (idle_seconds > 0 && countdown_seconds > 0);

  self->idle_seconds = idle_seconds;
  self->countdown_seconds = countdown_seconds;
}

/* Before the application runs: who the device asks, over the setting. */
void
kuu_application_set_audience (KuuApplication *self,
                              KuuAudience     audience)
{
  g_return_if_fail (KUU_IS_APPLICATION (self));

  self->audience_fixed = TRUE;
  self->audience = audience;
}

/**
 * kuu_application_set_server:
 * @server_url: (nullable): the region server; %NULL: the one the device
 *   is enrolled with, if any
 * @enrol_code: (nullable): a one-time code to enrol with @server_url at
 *   start
 * @tls_ca_file: (nullable): the region's own certificate authority (PEM)
 *   to check the server's certificate with; %NULL: the system's
 *
 * Before the application runs.
 */
void
kuu_application_set_server (KuuApplication *self,
                            const char     *server_url,
                            const char     *enrol_code,
                            const char     *tls_ca_file)
{
  g_return_if_fail (KUU_IS_APPLICATION (self));
  g_return_if_fail (enrol_code == NULL || server_url != NULL);

  g_free (self->server_url);
  self->server_url = g_strdup (server_url);
  g_free (self->enrol_code);
  self->enrol_code = g_strdup (enrol_code);
  g_free (self->tls_ca_file);
  self->tls_ca_file = g_strdup (tls_ca_file);
}
