/* kuu-device-session.c
 *
 * KuuDeviceSession runs what a device does besides showing pages: it
 * opens the store (and, after a full disk or a busy database, opens it
 * again every few seconds until it can), reads the device file, enrols
 * with a one-time code, runs the KuuSync it may make (never with another
 * server's or region's credentials) and passes on the region files the
 * sync validated. GLib only: the app shows it, words its problems and
 * makes the windows. Everything that can keep answers from being sent is
 * one GError, the "problem" property, in KUU_DEVICE_SESSION_ERROR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-device-session.h"
#include "kuu-pin.h"

struct _KuuDeviceSession
{
  GObject       parent_instance;

  char         *database_path;
  KuuStore     *store;        /* NULL until it opens */
  GError       *store_error;  /* why it did not, while retrying */
  guint         retry_id;

  char         *server_url;   /* the server it is told to use; NULL: the device file's */
  char         *enrol_code;   /* --enrol: used once, at start */
  char         *tls_ca_file;  /* the region's own CA; NULL: the system's */
  char         *region_id;    /* the region answers are for */

  KuuDevice    *device;       /* NULL until started */
  KuuSync      *sync;         /* NULL while the device does not send */
  GError       *problem;
  GCancellable *cancellable;  /* cancelled by stop: enrolment, saving, the retry */
};

G_DEFINE_FINAL_TYPE (KuuDeviceSession, kuu_device_session, G_TYPE_OBJECT)
G_DEFINE_QUARK (kuu-device-session-error-quark, kuu_device_session_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC,
  PROP_PROBLEM,
  N_PROPS
};

enum {
  REGION_CHANGED,
  ENROLLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Seconds between tries to open a store that failed for a reason that
 * passes by itself (a full disk, another program holding it). */
#define STORE_RETRY_SECONDS 5

/* --- the problem ---------------------------------------------------------- */

static void
set_problem (KuuDeviceSession      *self,
             KuuDeviceSessionError  code,
             const char            *detail)
{
  if (self->problem != NULL && self->problem->code == (int)code &&
      g_strcmp0 (self->problem->message, detail ? detail : "") == 0)
    return;

  g_clear_error (&self->problem);
  self->problem = g_error_new_literal (KUU_DEVICE_SESSION_ERROR, code, detail ? detail : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
clear_problem (KuuDeviceSession *self)
{
  if (self->problem == NULL)
    return;
  g_clear_error (&self->problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

/* --- the sync ------------------------------------------------------------- */

static void
set_sync (KuuDeviceSession *self,
          KuuSync          *sync)
{
  if (self->sync == sync)
    return;
  if (self->sync != NULL)
    kuu_sync_stop (self->sync);
  g_set_object (&self->sync, sync);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}

/* The sync wrote the file only after the loader accepted it: what the
 * loader read is passed on, not the file read again. */
static void
on_region_changed_cb (KuuSync          *sync,
                      const char       *region_id,
                      const char       *path,
                      KuuDeviceSession *self)
{
  KuuStrategy *strategy = kuu_sync_get_region_strategy (sync);

  if (sync == self->sync && strategy != NULL)
    g_signal_emit (self, signals[REGION_CHANGED], 0, strategy);
}

/* Sends to the server the device was enrolled with; never sends its token
 * to another one. */
static void
start_sync (KuuDeviceSession *self)
{
  const char *enrolled_with = kuu_device_get_server_url (self->device);
  const char *region = kuu_device_get_region (self->device);
  g_autoptr(KuuSync) sync = NULL;
  g_autoptr(GError) error = NULL;

  if (!kuu_device_is_enrolled (self->device))
    {
      if (self->server_url != NULL && self->problem == NULL)
        set_problem (self, KUU_DEVICE_SESSION_ERROR_NOT_ENROLLED, NULL);
      return;
    }
  if (self->server_url != NULL && !kuu_device_same_server (self->server_url, enrolled_with))
    {
      set_problem (self, KUU_DEVICE_SESSION_ERROR_OTHER_SERVER, NULL);
      return;
    }
  /* The server checks every answer against the region it enrolled the
   * device for: answers of another region would all come back refused. */
  if (region != NULL && self->region_id != NULL && !g_str_equal (region, self->region_id))
    {
      set_problem (self, KUU_DEVICE_SESSION_ERROR_OTHER_REGION, region);
      return;
    }

  sync = kuu_sync_new (self->store, enrolled_with, kuu_device_get_token (self->device));
  if (self->tls_ca_file != NULL && !kuu_sync_set_tls_ca_file (sync, self->tls_ca_file, &error))
    {
      set_problem (self, KUU_DEVICE_SESSION_ERROR_TLS, error->message);
      return;
    }
  /* Into the folder the loader reads installed region files from
   * ($XDG_DATA_HOME/kuulolla/regions): the next start uses it too. */
  if (self->region_id != NULL)
    kuu_sync_set_region (sync, self->region_id, NULL);
  g_signal_connect_object (sync, "region-changed", G_CALLBACK (on_region_changed_cb), self, 0);
  /* Notified before it starts: a handler may still tune it. */
  set_sync (self, sync);
  kuu_sync_start (sync);
}

/* --- enrolment ------------------------------------------------------------ */

static void
on_device_saved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KuuDeviceSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kuu_device_save_finish (KUU_DEVICE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_problem (self, KUU_DEVICE_SESSION_ERROR_NOT_SAVED, error->message);
      return;
    }
  g_signal_emit (self, signals[ENROLLED], 0);
}

static void
on_pin_reset_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!kuu_pin_reset_finish (KUU_PIN (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The staff PIN was not cleared at enrolment: %s", error->message);
}

static void
on_enrolled_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KuuDeviceSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuEnrolment) enrolment = kuu_enrol_finish (result, &error);
  g_autoptr(KuuPin) pin = NULL;

  /* Stopped: nobody reads it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (enrolment == NULL)
    {
      set_problem (self, KUU_DEVICE_SESSION_ERROR_ENROL_FAILED, error->message);
      start_sync (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The region the server made the code for is the one it checks answers
   * against; start_sync() says so if it is not this kiosk's. */
  kuu_device_set_credentials (self->device, self->server_url, enrolment->device_id, enrolment->token,
                              enrolment->region ? enrolment->region : self->region_id);
  clear_problem (self);
  /* Sending starts now, with the credentials in memory; they reach the
   * disk in a worker thread. */
  start_sync (self);
  kuu_device_save_async (self->device, self->cancellable, on_device_saved_cb, g_object_ref (self));
  /* Enrolling again is how a forgotten staff PIN is cleared
   * (docs/deployment.md): only the region's IT can make the code. */
  pin = kuu_pin_new (self->store);
  kuu_pin_reset_async (pin, self->cancellable, on_pin_reset_cb, NULL);
  g_task_return_boolean (task, TRUE);
}

/* --- the store ------------------------------------------------------------ */

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
schedule_store_retry (KuuDeviceSession *self)
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
  KuuDeviceSession *self = KUU_DEVICE_SESSION (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  g_clear_error (&self->store_error);
  if (store == NULL)
    {
      /* Still the same reason, most likely: whoever shows it knows. */
      self->store_error = g_steal_pointer (&error);
      schedule_store_retry (self);
      return;
    }
  self->store = g_steal_pointer (&store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

static gboolean
on_retry_store_cb (gpointer user_data)
{
  KuuDeviceSession *self = KUU_DEVICE_SESSION (user_data);
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_store_retried_cb, NULL);

  self->retry_id = 0;
  g_task_set_source_tag (task, on_retry_store_cb);
  g_task_set_task_data (task, g_strdup (self->database_path), g_free);
  /* Opening checks the database: not on the main loop of a shown window. */
  g_task_run_in_thread (task, open_store_thread);
  return G_SOURCE_REMOVE;
}

/* --- the object ----------------------------------------------------------- */

static void
kuu_device_session_dispose (GObject *object)
{
  KuuDeviceSession *self = (KuuDeviceSession *)object;

  kuu_device_session_stop (self);
  g_clear_object (&self->sync);
  g_clear_object (&self->device);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kuu_device_session_parent_class)->dispose (object);
}

static void
kuu_device_session_finalize (GObject *object)
{
  KuuDeviceSession *self = (KuuDeviceSession *)object;

  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->enrol_code, g_free);
  g_clear_pointer (&self->tls_ca_file, g_free);
  g_clear_pointer (&self->region_id, g_free);
  g_clear_error (&self->store_error);
  g_clear_error (&self->problem);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kuu_device_session_parent_class)->finalize (object);
}

static void
kuu_device_session_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KuuDeviceSession *self = KUU_DEVICE_SESSION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    case PROP_PROBLEM:
      g_value_set_boxed (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kuu_device_session_class_init (KuuDeviceSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kuu_device_session_dispose;
  object_class->finalize = kuu_device_session_finalize;
  object_class->get_property = kuu_device_session_get_property;

  /**
   * KuuDeviceSession:store:
   *
   * The kiosk's database; %NULL until it opens, which may be a retry
   * after kuu_device_session_open() failed.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KUU_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * KuuDeviceSession:sync:
   *
   * Delivers the answers to the region's server; %NULL while the device
   * does not send. It can come during a run, when enrolment finishes.
   */
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, KUU_TYPE_SYNC,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * KuuDeviceSession:problem:
   *
   * Why answers are not being sent (a #GError in
   * %KUU_DEVICE_SESSION_ERROR, its message the detail), or %NULL.
   */
  properties[PROP_PROBLEM] =
    g_param_spec_boxed ("problem", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KuuDeviceSession::region-changed:
   * @strategy: the region's new strategy, as the loader read the file
   *
   * The sync installed a new file of the region.
   */
  signals[REGION_CHANGED] =
    g_signal_new ("region-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, KUU_TYPE_STRATEGY);

  /**
   * KuuDeviceSession::enrolled:
   *
   * Enrolment finished and the device file is written.
   */
  signals[ENROLLED] =
    g_signal_new ("enrolled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
kuu_device_session_init (KuuDeviceSession *self)
{
  self->cancellable = g_cancellable_new ();
}

/* --- public --------------------------------------------------------------- */

/**
 * kuu_device_session_new:
 * @database_path: the kiosk's database; the device file is beside it
 *
 * Nothing is opened yet: kuu_device_session_open(), then
 * kuu_device_session_start().
 */
KuuDeviceSession *
kuu_device_session_new (const char *database_path)
{
  KuuDeviceSession *self;

  g_return_val_if_fail (database_path != NULL, NULL);

  self = g_object_new (KUU_TYPE_DEVICE_SESSION, NULL);
  self->database_path = g_strdup (database_path);
  return self;
}

/**
 * kuu_device_session_new_for_store:
 * @store: a store already open
 *
 * A session of @store, for whoever opened it (a widget test, a bench):
 * kuu_device_session_start() reads the device file beside it.
 */
KuuDeviceSession *
kuu_device_session_new_for_store (KuuStore *store)
{
  KuuDeviceSession *self;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);

  self = kuu_device_session_new (kuu_store_get_path (store));
  self->store = g_object_ref (store);
  return self;
}

/**
 * kuu_device_session_set_server:
 * @server_url: (nullable): the region server; %NULL: the one the device
 *   is enrolled with, if any
 * @enrol_code: (nullable): a one-time code to enrol with @server_url at
 *   start
 * @tls_ca_file: (nullable): the region's own certificate authority (PEM);
 *   %NULL: the system's
 *
 * Before kuu_device_session_start().
 */
void
kuu_device_session_set_server (KuuDeviceSession *self,
                               const char       *server_url,
                               const char       *enrol_code,
                               const char       *tls_ca_file)
{
  g_return_if_fail (KUU_IS_DEVICE_SESSION (self));
  g_return_if_fail (enrol_code == NULL || server_url != NULL);

  kuu_device_session_set_server_url (self, server_url);
  g_free (self->enrol_code);
  self->enrol_code = g_strdup (enrol_code);
  g_free (self->tls_ca_file);
  self->tls_ca_file = g_strdup (tls_ca_file);
}

/**
 * kuu_device_session_open:
 *
 * Opens the store, on the calling thread: the start-up quick_check reads
 * the database once; it is small on a kiosk and a window cannot show
 * anything useful before it anyway. A full disk or a busy database is
 * tried again every few seconds in a worker thread, until it opens
 * (notify::store) or the session stops.
 *
 * Returns: whether the store is open
 */
gboolean
kuu_device_session_open (KuuDeviceSession  *self,
                         GError           **error)
{
  g_return_val_if_fail (KUU_IS_DEVICE_SESSION (self), FALSE);
  g_return_val_if_fail (self->store == NULL, TRUE);

  g_clear_error (&self->store_error);
  self->store = kuu_store_open (self->database_path, &self->store_error);
  if (self->store != NULL)
    return TRUE;

  schedule_store_retry (self);
  if (error != NULL)
    *error = g_error_copy (self->store_error);
  return FALSE;
}

/* Whether a store that did not open is being tried again. */
gboolean
kuu_device_session_is_retrying (KuuDeviceSession *self)
{
  g_return_val_if_fail (KUU_IS_DEVICE_SESSION (self), FALSE);
  return self->retry_id != 0;
}

/**
 * kuu_device_session_start:
 * @region_id: the region answers are for (the strategy in use)
 * @unit: the unit answers come from, said to the server at enrolment
 *
 * Reads the device file and starts sending, or enrols first with the code
 * of kuu_device_session_set_server(). Nothing here waits for the network:
 * answers queue meanwhile.
 */
void
kuu_device_session_start (KuuDeviceSession *self,
                          const char       *region_id,
                          const char       *unit)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (KUU_IS_DEVICE_SESSION (self));
  g_return_if_fail (self->store != NULL);
  g_return_if_fail (region_id != NULL && unit != NULL);

  g_free (self->region_id);
  self->region_id = g_strdup (region_id);

  path = kuu_device_path_for (self->database_path);
  g_clear_object (&self->device);
  self->device = kuu_device_new (path);
  if (!kuu_device_load (self->device, &error))
    set_problem (self, KUU_DEVICE_SESSION_ERROR_DEVICE_FILE, error->message);
  if (self->server_url == NULL && kuu_device_get_server_url (self->device) != NULL)
    self->server_url = g_strdup (kuu_device_get_server_url (self->device));

  if (self->enrol_code != NULL)
    {
      g_autofree char *code = g_steal_pointer (&self->enrol_code);

      kuu_device_session_enrol_async (self, self->server_url, code, unit, region_id, NULL, NULL, NULL);
      return;
    }
  start_sync (self);
}

/* Whatever is on its way stays queued for the next start. */
void
kuu_device_session_stop (KuuDeviceSession *self)
{
  g_return_if_fail (KUU_IS_DEVICE_SESSION (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  set_sync (self, NULL);
}

/* Returns: (transfer none) (nullable): %NULL until the store opens */
KuuStore *
kuu_device_session_get_store (KuuDeviceSession *self)
{
  g_return_val_if_fail (KUU_IS_DEVICE_SESSION (self), NULL);
  return self->store;
}

/* Returns: (transfer none) (nullable): the enrolment; %NULL until started */
KuuDevice *
kuu_device_session_get_device (KuuDeviceSession *self)
{
  g_return_val_if_fail (KUU_IS_DEVICE_SESSION (self), NULL);
  return self->device;
}

/* The server the device is told to use, enrolled with it or not. */
const char *
kuu_device_session_get_server_url (KuuDeviceSession *self)
{
  g_return_val_if_fail (KUU_IS_DEVICE_SESSION (self), NULL);
  return self->server_url;
}

/* Staff saved another address: the device is enrolled with it later. */
void
kuu_device_session_set_server_url (KuuDeviceSession *self,
                                   const char       *server_url)
{
  char *copy = g_strdup (server_url);  /* it may be our own */

  g_return_if_fail (KUU_IS_DEVICE_SESSION (self));

  g_free (self->server_url);
  self->server_url = copy;
}

/* Returns: (transfer none) (nullable): %NULL while the device does not send */
KuuSync *
kuu_device_session_get_sync (KuuDeviceSession *self)
{
  g_return_val_if_fail (KUU_IS_DEVICE_SESSION (self), NULL);
  return self->sync;
}

/* A new answer is committed: send it now rather than at the next poll.
 * Returns at once; nothing here waits for the network. */
void
kuu_device_session_sync_now (KuuDeviceSession *self)
{
  g_return_if_fail (KUU_IS_DEVICE_SESSION (self));

  if (self->sync != NULL)
    kuu_sync_now (self->sync);
}

/* Returns: (transfer none) (nullable): why answers are not sent */
const GError *
kuu_device_session_get_problem (KuuDeviceSession *self)
{
  g_return_val_if_fail (KUU_IS_DEVICE_SESSION (self), NULL);
  return self->problem;
}

/**
 * kuu_device_session_enrol_async:
 * @server_url: the region server, checked to be http(s)
 * @code: the one-time code its administrator made
 * @unit: the unit the device serves, told to the server
 * @region_id: the region in use, kept if the server names none
 *
 * Enrols the device: on success it sends to @server_url from now on (the
 * device file is written in a worker thread, then ::enrolled) and the
 * staff PIN is cleared; on failure the problem says why. The exchange is
 * cancelled only when the session stops, never by @cancellable: a code
 * the server took is not wasted because a page closed.
 */
void
kuu_device_session_enrol_async (KuuDeviceSession    *self,
                                const char          *server_url,
                                const char          *code,
                                const char          *unit,
                                const char          *region_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KUU_IS_DEVICE_SESSION (self));
  g_return_if_fail (server_url != NULL && code != NULL && unit != NULL && region_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_device_session_enrol_async);
  if (self->store == NULL || self->device == NULL)
    {
      g_task_return_new_error (task, KUU_DEVICE_SESSION_ERROR, KUU_DEVICE_SESSION_ERROR_NOT_OPEN,
                               "The database is not open");
      return;
    }

  kuu_device_session_set_server_url (self, server_url);
  g_free (self->region_id);
  self->region_id = g_strdup (region_id);
  kuu_enrol_async (self->server_url, code, unit, self->tls_ca_file,
                   self->cancellable, on_enrolled_cb, g_steal_pointer (&task));
}

gboolean
kuu_device_session_enrol_finish (KuuDeviceSession  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
