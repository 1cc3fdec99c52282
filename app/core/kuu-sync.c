/* kuu-sync.c
 *
 * Reading the outbox and recording the answers run in worker threads; the
 * HTTP exchange runs on the main loop through SoupSession: the UI never
 * waits. A batch that gets no answer is sent again later, so a record may
 * arrive twice; the server answers "duplicate" and it is counted once.
 * After a failure the next try waits a random time up to base × 2ⁿ,
 * capped ("full jitter"); a network coming back tries at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "kuu-outbox.h"
#include "kuu-sync.h"
#include "kuu-wire.h"

#define BATCH_LIMIT    500
#define POLL_SECONDS   60
#define HTTP_TIMEOUT   60

struct _KuuSync
{
  GObject        parent_instance;

  KuuStore      *store;
  SoupSession   *session;
  char          *base_uri;
  char          *token;
  GCancellable  *cancellable;

  KuuSyncState   state;
  gboolean       running;
  gboolean       in_flight;
  guint          failures;
  guint          batch_limit;
  guint          retry_id;
  guint          base_ms;
  guint          cap_ms;
  gulong         network_id;

  gint64         last_success;
  char          *last_error;
  guint          delivered;
};

G_DEFINE_FINAL_TYPE (KuuSync, kuu_sync, G_TYPE_OBJECT)
G_DEFINE_QUARK (kuu-sync-error-quark, kuu_sync_error)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_SUCCESS,
  PROP_LAST_ERROR,
  PROP_DELIVERED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void attempt (KuuSync *self);

static void
set_state (KuuSync      *self,
           KuuSyncState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gboolean
on_retry_cb (gpointer user_data)
{
  KuuSync *self = user_data;

  self->retry_id = 0;
  attempt (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (KuuSync *self,
          guint    delay_ms)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->running)
    self->retry_id = g_timeout_add (delay_ms, on_retry_cb, self);
}

static void
fail (KuuSync    *self,
      const char *message)
{
  double ceiling = MIN ((double)self->cap_ms, self->base_ms * (double)(1u << MIN (self->failures, 20u)));

  self->failures++;
  self->in_flight = FALSE;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
  g_message ("sync: %s; next try in up to %.0f ms", message, ceiling);

  set_state (self, KUU_SYNC_WAITING);
  schedule (self, (guint)g_random_double_range (0, ceiling));
}

static void
succeed (KuuSync *self,
         guint    delivered)
{
  self->failures = 0;
  self->in_flight = FALSE;
  self->last_success = g_get_real_time () / G_USEC_PER_SEC;
  self->delivered += delivered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIVERED]);
}

/* --- recording the answers ------------------------------------------------ */

static void
settle_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (kuu_outbox_settle (KUU_STORE (source_object), task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_settled_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KuuSync) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *results = g_task_get_task_data (G_TASK (result));
  guint delivered = 0;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail (self, error->message);
      return;
    }

  for (guint i = 0; i < results->len; i++)
    if (((KuuDeliveryResult *)g_ptr_array_index (results, i))->delivery != KUU_DELIVERY_REJECTED)
      delivered++;
  succeed (self, delivered);
  /* Drain: the next batch at once. */
  attempt (self);
}

/* The server's answer, checked: one result per record sent, by UUID. */
static GPtrArray *
parse_results (GBytes     *bytes,
               GPtrArray  *batch,
               GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_delivery_result_free);
  g_autoptr(GHashTable) sent = g_hash_table_new (g_str_hash, g_str_equal);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonNode *root, *list;

  for (guint i = 0; i < batch->len; i++)
    g_hash_table_add (sent, ((KuuSubmission *)g_ptr_array_index (batch, i))->uuid);

  if (!json_parser_load_from_data (parser, data, size, NULL) ||
      !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (root) ||
      !(list = json_object_get_member (json_node_get_object (root), "results")) || !JSON_NODE_HOLDS_ARRAY (list))
    goto bad;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (list), i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      const char *uuid = object ? kuu_wire_get_string (object, "uuid") : NULL;
      const char *status = object ? kuu_wire_get_string (object, "status") : NULL;
      KuuDeliveryResult *result;

      /* Only records this batch sent, and each once. */
      if (uuid == NULL || !g_hash_table_remove (sent, uuid))
        continue;
      result = g_new0 (KuuDeliveryResult, 1);
      result->uuid = g_strdup (uuid);
      if (g_strcmp0 (status, "accepted") == 0)
        result->delivery = KUU_DELIVERY_ACCEPTED;
      else if (g_strcmp0 (status, "duplicate") == 0)
        result->delivery = KUU_DELIVERY_DUPLICATE;
      else if (g_strcmp0 (status, "rejected") == 0)
        {
          result->delivery = KUU_DELIVERY_REJECTED;
          result->reason = g_strdup (kuu_wire_get_string (object, "reason"));
        }
      else
        {
          kuu_delivery_result_free (result);
          goto bad;
        }
      g_ptr_array_add (results, result);
    }
  return g_steal_pointer (&results);

bad:
  g_set_error_literal (error, KUU_SYNC_ERROR, KUU_SYNC_ERROR_BAD_ANSWER,
                       "The server's answer to a batch was not what the protocol says");
  return NULL;
}

/* --- sending -------------------------------------------------------------- */

typedef struct
{
  KuuSync     *self;
  GPtrArray   *batch;
  SoupMessage *message;
} Exchange;

static void
exchange_free (Exchange *exchange)
{
  g_object_unref (exchange->self);
  g_ptr_array_unref (exchange->batch);
  g_object_unref (exchange->message);
  g_free (exchange);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Exchange, exchange_free)

static void
on_response_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Exchange) exchange = user_data;
  KuuSync *self = exchange->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GTask) task = NULL;
  guint status;

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error->message);
      return;
    }

  status = soup_message_get_status (exchange->message);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      /* Retrying cannot help: staff must enrol the device again. Nothing
       * queued is lost. */
      self->in_flight = FALSE;
      g_free (self->last_error);
      self->last_error = g_strdup ("The server refused this device's token: enrol it again");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
      set_state (self, KUU_SYNC_UNAUTHORIZED);
      return;
    }
  if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE && self->batch_limit > 1)
    {
      self->batch_limit = MAX (1, self->batch_limit / 2);
      self->in_flight = FALSE;
      attempt (self);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_autofree char *message = g_strdup_printf ("The server answered %u %s", status,
                                                  soup_message_get_reason_phrase (exchange->message));
      fail (self, message);
      return;
    }

  if (!(results = parse_results (bytes, exchange->batch, &error)))
    {
      fail (self, error->message);
      return;
    }

  task = g_task_new (self->store, self->cancellable, on_settled_cb, g_object_ref (self));
  g_task_set_task_data (task, g_steal_pointer (&results), (GDestroyNotify)g_ptr_array_unref);
  g_task_run_in_thread (task, settle_thread);
}

static void
send_batch (KuuSync   *self,
            GPtrArray *batch)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *uri = g_strconcat (self->base_uri, "/api/v1/submissions", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);
  g_autofree char *body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Exchange *exchange;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->len; i++)
    json_builder_add_value (builder, kuu_wire_submission_to_json (g_ptr_array_index (batch, i), TRUE));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  length = strlen (body);
  bytes = g_bytes_new_take (g_steal_pointer (&body), length);

  exchange = g_new0 (Exchange, 1);
  exchange->self = g_object_ref (self);
  exchange->batch = g_ptr_array_ref (batch);
  exchange->message = soup_message_new ("POST", uri);
  if (exchange->message == NULL)
    {
      exchange_free (exchange);
      fail (self, "The server address is not a valid URI");
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (exchange->message), "Authorization", authorization);
  soup_message_set_request_body_from_bytes (exchange->message, "application/json", bytes);
  soup_session_send_and_read_async (self->session, exchange->message, G_PRIORITY_DEFAULT,
                                    self->cancellable, on_response_cb, exchange);
}

/* --- reading the outbox -------------------------------------------------- */

static void
read_batch_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *batch = kuu_outbox_next_batch (KUU_STORE (source_object), GPOINTER_TO_UINT (task_data), &error);

  if (batch == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, batch, (GDestroyNotify)g_ptr_array_unref);
}

static void
on_batch_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KuuSync) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = g_task_propagate_pointer (G_TASK (result), &error);

  if (batch == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error->message);
      return;
    }

  if (batch->len == 0)
    {
      self->in_flight = FALSE;
      self->batch_limit = BATCH_LIMIT;
      set_state (self, KUU_SYNC_IDLE);
      schedule (self, POLL_SECONDS * 1000);
      return;
    }

  send_batch (self, batch);
}

static void
attempt (KuuSync *self)
{
  g_autoptr(GTask) task = NULL;

  if (!self->running || self->in_flight || self->state == KUU_SYNC_UNAUTHORIZED)
    return;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->in_flight = TRUE;
  set_state (self, KUU_SYNC_SENDING);

  task = g_task_new (self->store, self->cancellable, on_batch_read_cb, g_object_ref (self));
  g_task_set_task_data (task, GUINT_TO_POINTER (self->batch_limit), NULL);
  g_task_run_in_thread (task, read_batch_thread);
}

static void
on_network_changed_cb (GNetworkMonitor *monitor,
                       gboolean         available,
                       KuuSync         *self)
{
  if (available && self->state == KUU_SYNC_WAITING)
    attempt (self);
}

/* --- public -------------------------------------------------------------- */

void
kuu_sync_start (KuuSync *self)
{
  g_return_if_fail (KUU_IS_SYNC (self));

  self->running = TRUE;
  if (self->network_id == 0)
    self->network_id = g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                                                G_CALLBACK (on_network_changed_cb), self, 0);
  attempt (self);
}

void
kuu_sync_stop (KuuSync *self)
{
  g_return_if_fail (KUU_IS_SYNC (self));

  self->running = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->in_flight = FALSE;
}

/* A new record is waiting: try now rather than at the next poll. */
void
kuu_sync_now (KuuSync *self)
{
  g_return_if_fail (KUU_IS_SYNC (self));

  if (self->state != KUU_SYNC_WAITING)
    attempt (self);
}

void
kuu_sync_set_backoff (KuuSync *self,
                      guint    base_ms,
                      guint    cap_ms)
{
  g_return_if_fail (KUU_IS_SYNC (self));
  g_return_if_fail (base_ms > 0 && cap_ms >= base_ms);

  self->base_ms = base_ms;
  self->cap_ms = cap_ms;
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
      g_value_set_int (value, self->state);
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
  g_free (self->token);
  g_free (self->last_error);

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
    g_param_spec_int ("state", NULL, NULL, KUU_SYNC_IDLE, KUU_SYNC_UNAUTHORIZED, KUU_SYNC_IDLE,
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
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kuu_sync_init (KuuSync *self)
{
  self->cancellable = g_cancellable_new ();
  self->batch_limit = BATCH_LIMIT;
  self->base_ms = 2000;
  self->cap_ms = 5 * 60 * 1000;
  /* TLS certificates are checked against the system's store by default. */
  self->session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT, "idle-timeout", HTTP_TIMEOUT, NULL);
}

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

/* --- enrolment ------------------------------------------------------------ */

static void
on_enrolled_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  const char *token = NULL;
  gsize size;
  const char *data;

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (soup_message_get_status (message) != SOUP_STATUS_CREATED)
    {
      g_task_return_new_error (task, KUU_SYNC_ERROR, KUU_SYNC_ERROR_REFUSED,
                               "The server refused the enrolment code (%u)", soup_message_get_status (message));
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  if (json_parser_load_from_data (parser, data, size, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    token = kuu_wire_get_string (json_node_get_object (root), "token");
  if (token == NULL)
    g_task_return_new_error (task, KUU_SYNC_ERROR, KUU_SYNC_ERROR_BAD_ANSWER,
                             "The server's answer to the enrolment had no token");
  else
    g_task_return_pointer (task, g_strdup (token), g_free);
}

/**
 * kuu_sync_enrol_async:
 *
 * Presents a one-time enrolment code; the result is the device's token.
 */
void
kuu_sync_enrol_async (const char          *base_uri,
                      const char          *code,
                      const char          *unit,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT, NULL);
  g_autofree char *uri = g_strconcat (base_uri, "/api/v1/enrol", NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *message;
  GTask *task;
  char *text;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_sync_enrol_async);
  message = soup_message_new ("POST", uri);
  if (message == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not a valid server address: %s", base_uri);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, message, g_object_unref);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "unit");
  json_builder_add_string_value (builder, unit);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  body = g_bytes_new_take (text, strlen (text));
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, cancellable, on_enrolled_cb, task);
}

char *
kuu_sync_enrol_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
