/* kuu-sync.c
 *
 * KuuSync, the sync client: the object, its properties and signals, and
 * when each job runs. The jobs have files of their own (see
 * kuu-sync-private.h): the outbox's delivery (kuu-sync-push.c), tried on
 * start, when asked and when a network comes back after a failure; the
 * region file and the initiatives (kuu-sync-region.c,
 * kuu-sync-initiatives.c), pulled beside the pushes — on start, after a
 * delivered batch and on a timer, never more often than the pull
 * interval. The pulls' failures are told to staff through last-error and
 * do not hold up the outbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "kuulolla-sync"

#include "config.h"

#include <sodium.h>

#include "kuu-core-enums.h"
#include "kuu-sync-private.h"

#define PULL_SECONDS (5 * 60)

G_DEFINE_FINAL_TYPE (KuuSync, kuu_sync, G_TYPE_OBJECT)
G_DEFINE_QUARK (kuu-sync-error-quark, kuu_sync_error)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_SUCCESS,
  PROP_LAST_ERROR,
  PROP_DELIVERED,
  PROP_PENDING,
  PROP_REJECTED,
  N_PROPS
};

enum {
  REGION_CHANGED,
  INITIATIVES_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* --- pulls --------------------------------------------------------------- */

static void
pull (KuuSync *self)
{
  if (self->state == KUU_SYNC_UNAUTHORIZED)
    return;

  self->last_pull = g_get_monotonic_time ();
  _kuu_sync_region_pull (self);
  _kuu_sync_initiatives_pull (self);
}

static gboolean
on_pull_timer_cb (gpointer user_data)
{
  _kuu_sync_maybe_pull (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_network_changed_cb (GNetworkMonitor *monitor,
                       gboolean         available,
                       KuuSync         *self)
{
  if (available && self->state == KUU_SYNC_WAITING)
    _kuu_sync_push_attempt (self);
}

/* --- for the jobs: properties and signals -------------------------------- */

void
_kuu_sync_set_state (KuuSync      *self,
                     KuuSyncState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
_kuu_sync_set_last_error (KuuSync       *self,
                          KuuSyncSource  source,
                          const char    *message)
{
  self->error_source = source;
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

/* A count below 0 was not made. */
void
_kuu_sync_set_counts (KuuSync *self,
                      gint64   pending,
                      gint64   rejected)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (pending >= 0 && self->pending != (guint)pending)
    {
      self->pending = (guint)pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  if (rejected >= 0 && self->rejected != (guint)rejected)
    {
      self->rejected = (guint)rejected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REJECTED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
_kuu_sync_add_delivered (KuuSync *self,
                         guint    delivered)
{
  if (delivered == 0)
    return;
  self->delivered += delivered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIVERED]);
}

/* The server answered as the protocol says, whatever it said. */
void
_kuu_sync_touch_last_success (KuuSync *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (self->last_success == now)
    return;
  self->last_success = now;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
}

/* An exchange of @source's kind went through: an error it had set is
 * over. */
void
_kuu_sync_note_success (KuuSync       *self,
                        KuuSyncSource  source)
{
  g_object_freeze_notify (G_OBJECT (self));
  _kuu_sync_touch_last_success (self);
  if (self->last_error != NULL && self->error_source == source)
    _kuu_sync_set_last_error (self, source, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Retrying cannot help: staff must enrol the device again. Nothing queued
 * is lost. */
void
_kuu_sync_refuse_token (KuuSync *self)
{
  _kuu_sync_set_last_error (self, KUU_SYNC_SOURCE_PUSH, "The server refused this device's token: enrol it again");
  _kuu_sync_set_state (self, KUU_SYNC_UNAUTHORIZED);
}

void
_kuu_sync_emit_region_changed (KuuSync    *self,
                               const char *path)
{
  g_signal_emit (self, signals[REGION_CHANGED], 0, self->region.id, path);
}

void
_kuu_sync_emit_initiatives_changed (KuuSync *self,
                                    guint    changed)
{
  g_signal_emit (self, signals[INITIATIVES_CHANGED], 0, changed);
}

/* --- for the jobs: talking to the server --------------------------------- */

SoupMessage *
_kuu_sync_new_message (KuuSync    *self,
                       const char *method,
                       const char *path)
{
  g_autofree char *uri = g_strconcat (self->base_uri, path, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);
  SoupMessage *message = soup_message_new (method, uri);

  if (message != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  return message;
}

/* A step of a job in a worker thread, cancelled by kuu_sync_stop(). */
void
_kuu_sync_run_in_thread (KuuSync             *self,
                         gpointer             data,
                         GDestroyNotify       destroy,
                         GTaskThreadFunc      func,
                         GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, callback, NULL);

  g_task_set_source_tag (task, func);
  g_task_set_task_data (task, data, destroy);
  g_task_run_in_thread (task, func);
}

/* A pull's state: @size bytes starting with a KuuSyncPull. */
gpointer
_kuu_sync_pull_new (KuuSync        *self,
                    gsize           size,
                    GDestroyNotify  clear)
{
  KuuSyncPull *pull;

  g_assert (size >= sizeof (KuuSyncPull));
  pull = g_rc_box_alloc0 (size);
  pull->sync = g_object_ref (self);
  pull->clear = clear;
  return pull;
}

static void
pull_clear (KuuSyncPull *pull)
{
  pull->clear (pull);
  g_object_unref (pull->sync);
}

void
_kuu_sync_pull_unref (gpointer pull)
{
  g_rc_box_release_full (pull, (GDestroyNotify)pull_clear);
}

/* The pull's next step in a worker thread; it takes the caller's
 * reference. */
void
_kuu_sync_pull_run_in_thread (gpointer             pull,
                              GTaskThreadFunc      func,
                              GAsyncReadyCallback  callback)
{
  _kuu_sync_run_in_thread (((KuuSyncPull *)pull)->sync, pull, _kuu_sync_pull_unref, func, callback);
}

/* Sends @message for the pull, at a low priority: @callback gets a
 * reference of the pull as its user data. */
void
_kuu_sync_pull_send (gpointer             pull,
                     SoupMessage         *message,
                     GAsyncReadyCallback  callback)
{
  KuuSync *self = ((KuuSyncPull *)pull)->sync;

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_LOW, self->cancellable,
                                    callback, g_rc_box_acquire (pull));
}

/* A pull stops here: the next may start; @error, unless it was a stop,
 * is the pull's last error. */
void
_kuu_sync_pull_end (KuuSync       *self,
                    gboolean      *busy,
                    KuuSyncSource  source,
                    const GError  *error)
{
  *busy = FALSE;
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _kuu_sync_set_last_error (self, source, error->message);
}

/* For the status codes every pull treats alike; FALSE when handled. */
gboolean
_kuu_sync_pull_answer_usable (KuuSync       *self,
                              KuuSyncSource  source,
                              SoupMessage   *message,
                              GBytes        *bytes,
                              GError        *error,
                              const char    *what)
{
  g_autofree char *text = NULL;
  guint status;

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        text = g_strdup_printf ("Could not fetch %s: %s", what, error->message);
    }
  else if ((status = soup_message_get_status (message)) == SOUP_STATUS_UNAUTHORIZED)
    _kuu_sync_refuse_token (self);
  else if (status == SOUP_STATUS_NOT_FOUND)
    {
      g_debug ("The server offers no %s", what);
      _kuu_sync_note_success (self, source);
    }
  else if (status != SOUP_STATUS_OK && status != SOUP_STATUS_NOT_MODIFIED)
    text = g_strdup_printf ("Could not fetch %s: the server answered %u %s", what, status,
                            soup_message_get_reason_phrase (message));
  else
    return TRUE;

  if (text != NULL)
    {
      g_message ("%s", text);
      _kuu_sync_set_last_error (self, source, text);
    }
  return FALSE;
}

/* Pulls, unless the last was less than the pull interval ago. */
void
_kuu_sync_maybe_pull (KuuSync *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->last_pull == 0 || now - self->last_pull >= (gint64)self->pull_seconds * G_USEC_PER_SEC)
    pull (self);
}

/* Printable ASCII without spaces, 1 to @max_length bytes: what the server
 * sends that ends up in a file or a header (an ETag, an id). */
gboolean
_kuu_is_visible_ascii (const char *value,
                       gsize       max_length)
{
  gsize length = strlen (value);

  if (length == 0 || length > max_length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (value[i] < 0x21 || value[i] > 0x7e)
      return FALSE;
  return TRUE;
}

/* --- GObject ------------------------------------------------------------- */

static void
kuu_sync_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  KuuSync *self = KUU_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LAST_SUCCESS:
      g_value_set_int64 (value, self->last_success);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_DELIVERED:
      g_value_set_uint (value, self->delivered);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_REJECTED:
      g_value_set_uint (value, self->rejected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kuu_sync_dispose (GObject *object)
{
  KuuSync *self = (KuuSync *)object;

  kuu_sync_stop (self);
  if (self->network_id != 0)
    g_clear_signal_handler (&self->network_id, g_network_monitor_get_default ());
  g_clear_object (&self->session);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kuu_sync_parent_class)->dispose (object);
}

static void
kuu_sync_finalize (GObject *object)
{
  KuuSync *self = (KuuSync *)object;

  g_clear_object (&self->cancellable);
  g_free (self->base_uri);
  /* A password: not memset(), which the compiler may drop before a free. */
  if (self->token != NULL)
    sodium_memzero (self->token, strlen (self->token));
  g_free (self->token);
  g_free (self->last_error);
  _kuu_sync_region_clear (self);

  G_OBJECT_CLASS (kuu_sync_parent_class)->finalize (object);
}

static void
kuu_sync_class_init (KuuSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kuu_sync_dispose;
  object_class->finalize = kuu_sync_finalize;
  object_class->get_property = kuu_sync_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, KUU_TYPE_SYNC_STATE, KUU_SYNC_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_SUCCESS] =
    g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DELIVERED] =
    g_param_spec_uint ("delivered", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REJECTED] =
    g_param_spec_uint ("rejected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KuuSync::region-changed:
   * @region_id: the region
   * @path: the file written
   *
   * A new region file from the server was written, after the loader
   * accepted it: kuu_sync_get_region_strategy() is what it read.
   */
  signals[REGION_CHANGED] =
    g_signal_new ("region-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * KuuSync::initiatives-changed:
   * @changed: how many initiatives were new or changed
   */
  signals[INITIATIVES_CHANGED] =
    g_signal_new ("initiatives-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
kuu_sync_init (KuuSync *self)
{
  self->cancellable = g_cancellable_new ();
  self->pull_seconds = PULL_SECONDS;
  _kuu_sync_push_init (self);
  /* TLS certificates are checked against the system's store by default. */
  self->session = soup_session_new_with_options ("timeout", KUU_SYNC_HTTP_TIMEOUT,
                                                 "idle-timeout", KUU_SYNC_HTTP_TIMEOUT, NULL);
}

/* --- public -------------------------------------------------------------- */

/**
 * kuu_sync_new:
 * @base_uri: the server, e.g. "https://kuulolla.kainuu.fi" (no trailing slash)
 * @token: the bearer token from enrolment
 */
KuuSync *
kuu_sync_new (KuuStore   *store,
              const char *base_uri,
              const char *token)
{
  KuuSync *self;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);
  g_return_val_if_fail (base_uri != NULL && token != NULL, NULL);

  self = g_object_new (KUU_TYPE_SYNC, NULL);
  self->store = g_object_ref (store);
  self->base_uri = g_strdup (base_uri);
  if (g_str_has_suffix (self->base_uri, "/"))
    self->base_uri[strlen (self->base_uri) - 1] = '\0';
  self->token = g_strdup (token);
  return self;
}

void
kuu_sync_start (KuuSync *self)
{
  g_return_if_fail (KUU_IS_SYNC (self));

  self->running = TRUE;
  if (self->network_id == 0)
    self->network_id = g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                                                G_CALLBACK (on_network_changed_cb), self, 0);
  if (self->pull_id == 0)
    self->pull_id = g_timeout_add_seconds (self->pull_seconds, on_pull_timer_cb, self);
  _kuu_sync_push_attempt (self);
  _kuu_sync_maybe_pull (self);
}

void
kuu_sync_stop (KuuSync *self)
{
  g_return_if_fail (KUU_IS_SYNC (self));

  self->running = FALSE;
  g_clear_handle_id (&self->pull_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  _kuu_sync_push_stop (self);
  _kuu_sync_region_stop (self);
  _kuu_sync_initiatives_stop (self);
}

/**
 * kuu_sync_now:
 *
 * A new record is waiting, or staff ask: try now rather than at the next
 * poll, even while a failed try waits out its backoff. The failures are
 * still counted, so a server that stays away is asked less and less
 * often after this one try.
 */
void
kuu_sync_now (KuuSync *self)
{
  g_return_if_fail (KUU_IS_SYNC (self));

  _kuu_sync_push_attempt (self);
}

/**
 * kuu_sync_pull_now:
 *
 * Fetches the region file and the initiatives now, whatever the interval
 * (a staff member's "check now").
 */
void
kuu_sync_pull_now (KuuSync *self)
{
  g_return_if_fail (KUU_IS_SYNC (self));

  pull (self);
}

/**
 * kuu_sync_set_timeout:
 * @seconds: how long a request may go without the server saying anything
 *   (default 30 s); a stalled server then counts as a failure
 */
void
kuu_sync_set_timeout (KuuSync *self,
                      guint    seconds)
{
  g_return_if_fail (KUU_IS_SYNC (self));
  g_return_if_fail (seconds > 0);

  soup_session_set_timeout (self->session, seconds);
  soup_session_set_idle_timeout (self->session, seconds);
}

/**
 * kuu_sync_set_tls_ca_file:
 * @ca_file: PEM certificates of the region's own CA
 *
 * Validates the server's certificate against this CA instead of the
 * system's store. Certificates are always validated.
 */
gboolean
kuu_sync_set_tls_ca_file (KuuSync     *self,
                          const char  *ca_file,
                          GError     **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (KUU_IS_SYNC (self), FALSE);
  g_return_val_if_fail (ca_file != NULL, FALSE);

  if (!(database = g_tls_file_database_new (ca_file, &local_error)))
    {
      g_set_error (error, KUU_SYNC_ERROR, KUU_SYNC_ERROR_TLS,
                   "The region's CA file “%s” cannot be used: %s", ca_file, local_error->message);
      return FALSE;
    }
  soup_session_set_tls_database (self->session, database);
  return TRUE;
}

/**
 * kuu_sync_note_error:
 * @message: what went wrong, for staff
 *
 * Something the app found in what the sync brought (a region file that no
 * longer loads) is shown with the sync's own errors, in last-error; the
 * next region file that installs clears it.
 */
void
kuu_sync_note_error (KuuSync    *self,
                     const char *message)
{
  g_return_if_fail (KUU_IS_SYNC (self));
  g_return_if_fail (message != NULL);

  _kuu_sync_set_last_error (self, KUU_SYNC_SOURCE_REGION, message);
}

/* How often pulls may run (default 5 min); for tests and staff settings. */
void
kuu_sync_set_pull_interval (KuuSync *self,
                            guint    seconds)
{
  g_return_if_fail (KUU_IS_SYNC (self));
  g_return_if_fail (seconds > 0);

  self->pull_seconds = seconds;
  if (self->pull_id != 0)
    {
      g_clear_handle_id (&self->pull_id, g_source_remove);
      self->pull_id = g_timeout_add_seconds (seconds, on_pull_timer_cb, self);
    }
}

KuuSyncState
kuu_sync_get_state (KuuSync *self)
{
  g_return_val_if_fail (KUU_IS_SYNC (self), KUU_SYNC_IDLE);
  return self->state;
}

gint64
kuu_sync_get_last_success (KuuSync *self)
{
  g_return_val_if_fail (KUU_IS_SYNC (self), 0);
  return self->last_success;
}

const char *
kuu_sync_get_last_error (KuuSync *self)
{
  g_return_val_if_fail (KUU_IS_SYNC (self), NULL);
  return self->last_error;
}

guint
kuu_sync_get_delivered (KuuSync *self)
{
  g_return_val_if_fail (KUU_IS_SYNC (self), 0);
  return self->delivered;
}

/* The records waiting, as of the last look at the outbox. */
guint
kuu_sync_get_pending (KuuSync *self)
{
  g_return_val_if_fail (KUU_IS_SYNC (self), 0);
  return self->pending;
}

/* The records the server refused, kept for staff (kuu_outbox_list_rejected()). */
guint
kuu_sync_get_rejected (KuuSync *self)
{
  g_return_val_if_fail (KUU_IS_SYNC (self), 0);
  return self->rejected;
}
