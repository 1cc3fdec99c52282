/* kuu-sync-push.c
 *
 * The outbox's delivery, one round at a time: read a batch from the
 * outbox, send it, settle each record by the server's answer, then the
 * next round at once while records wait. Reading the outbox, building a
 * batch, reading the server's answer and recording it run in worker
 * threads; the HTTP exchange runs on the main loop through SoupSession:
 * the UI never waits. A batch that gets no answer, or an answer that is
 * not what the protocol says, is sent again later, so a record may arrive
 * twice; the server answers "duplicate" and it is counted once. After a
 * failure the next try waits a random time up to base × 2ⁿ, capped ("full
 * jitter"); a network coming back tries at once (kuu-sync.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "kuulolla-sync"

#include "config.h"

#include "kuu-i18n-private.h"
#include "kuu-json.h"
#include "kuu-outbox.h"
#include "kuu-sync-private.h"
#include "kuu-wire.h"

#define BATCH_LIMIT       500
#define POLL_SECONDS      60
#define MAX_REASON_LENGTH 1000
/* While a long outbox drains, the waiting records are counted at most so
 * often: a count walks the outbox's index, 15 ms at 100 000 waiting, and
 * counting twice a batch was half the kiosk's CPU in a sync of that many
 * (docs/performance.md). A short batch is always counted: few wait. */
#define COUNT_INTERVAL_US G_USEC_PER_SEC

/* What a worker thread is to read from the outbox. */
typedef struct
{
  guint    limit;
  gboolean count;  /* count the waiting records even if the batch is full */
} ReadRequest;

/* What a worker thread found in the outbox. */
typedef struct
{
  GPtrArray *uuids;
  GBytes    *body;
  gint64     pending;
  gint64     rejected;
} Batch;

/* A batch on its way: the HTTP exchange. */
typedef struct
{
  KuuSync     *self;
  GPtrArray   *uuids;
  SoupMessage *message;
} Exchange;

/* The server's 200, for a worker thread to settle the records by. */
typedef struct
{
  GBytes    *answer;
  GPtrArray *uuids;
  gboolean   count;  /* count the waiting records afterwards */
} Answer;

/* What a worker thread made of the server's answer. */
typedef struct
{
  guint      delivered;
  gint64     pending;
  gint64     rejected;
} Settled;

static void
batch_free (Batch *batch)
{
  g_clear_pointer (&batch->uuids, g_ptr_array_unref);
  g_clear_pointer (&batch->body, g_bytes_unref);
  g_free (batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Batch, batch_free)

static void
exchange_free (Exchange *exchange)
{
  g_object_unref (exchange->self);
  g_ptr_array_unref (exchange->uuids);
  g_object_unref (exchange->message);
  g_free (exchange);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Exchange, exchange_free)

static void
answer_free (Answer *answer)
{
  g_bytes_unref (answer->answer);
  g_ptr_array_unref (answer->uuids);
  g_free (answer);
}

/* --- rounds and the backoff ---------------------------------------------- */

/* The one place a round ends, however it went: _kuu_sync_push_attempt()
 * may start the next. */
static void
end_round (KuuSync *self)
{
  self->push.in_flight = FALSE;
}

static gboolean
on_retry_cb (gpointer user_data)
{
  KuuSync *self = user_data;

  self->push.retry_id = 0;
  _kuu_sync_push_attempt (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (KuuSync *self,
          guint    delay_ms)
{
  g_clear_handle_id (&self->push.retry_id, g_source_remove);
  if (self->running)
    self->push.retry_id = g_timeout_add (delay_ms, on_retry_cb, self);
}

/* @floor_ms: at least this long, whatever the jitter (a 429's Retry-After) */
static void
fail_at_least (KuuSync    *self,
               const char *message,
               guint       floor_ms)
{
  KuuSyncPush *push = &self->push;
  double ceiling = MIN ((double)push->cap_ms, push->base_ms * (double)(1u << MIN (push->failures, 20u)));
  guint delay = MAX (floor_ms, (guint)g_random_double_range (0, ceiling));

  push->failures++;
  end_round (self);
  _kuu_sync_set_last_error (self, KUU_SYNC_SOURCE_PUSH, message);
  g_message ("%s; next try in %u ms", message, delay);

  _kuu_sync_set_state (self, KUU_SYNC_WAITING);
  schedule (self, delay);
}

static void
fail (KuuSync    *self,
      const char *message)
{
  fail_at_least (self, message, 0);
}

/* Retry-After in seconds, or as an HTTP date; 0 when absent or unreadable.
 * Capped: a confused server must not silence a kiosk for days. */
static guint
retry_after_ms (SoupMessage *message)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds = 0;

  if (value == NULL)
    return 0;
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &seconds, NULL))
    return (guint)MIN (seconds * 1000, 3600 * 1000);
  if ((date = soup_date_time_new_from_http_string (value)) != NULL)
    {
      now = g_date_time_new_now_utc ();
      seconds = (guint64)CLAMP (g_date_time_difference (date, now) / G_USEC_PER_SEC, 0, 3600);
    }
  return (guint)(seconds * 1000);
}

static void
succeed (KuuSync *self,
         guint    delivered)
{
  self->push.failures = 0;
  end_round (self);
  _kuu_sync_note_success (self, KUU_SYNC_SOURCE_PUSH);
  _kuu_sync_add_delivered (self, delivered);
}

/* Whether to count the waiting records now (COUNT_INTERVAL_US). */
static gboolean
count_due (KuuSync *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->push.last_count != 0 && now - self->push.last_count < COUNT_INTERVAL_US)
    return FALSE;
  self->push.last_count = now;
  return TRUE;
}

/* --- reading the answer and recording it ---------------------------------- */

static gpointer
bad_answer (GError     **error,
            const char  *what)
{
  g_set_error (error, KUU_SYNC_ERROR, KUU_SYNC_ERROR_BAD_ANSWER,
               "The server's answer to a batch was not what the protocol says (%s); the batch will be sent again",
               what);
  return NULL;
}

static KuuDeliveryResult *
read_result (JsonNode    *item,
             GHashTable  *unanswered,
             GError     **error)
{
  g_autoptr(KuuDeliveryResult) result = g_new0 (KuuDeliveryResult, 1);
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
  const char *uuid = object ? kuu_wire_get_string (object, "uuid") : NULL;
  const char *status = object ? kuu_wire_get_string (object, "status") : NULL;
  const char *reason = object ? kuu_wire_get_string (object, "reason") : NULL;

  /* Only records this batch sent, and each once. */
  if (uuid == NULL || !g_hash_table_remove (unanswered, uuid))
    {
      return bad_answer (error, "a result for a record not sent, or twice");
    }
  result->uuid = g_strdup (uuid);
  if (g_strcmp0 (status, "accepted") == 0)
    result->delivery = KUU_DELIVERY_ACCEPTED;
  else if (g_strcmp0 (status, "duplicate") == 0)
    result->delivery = KUU_DELIVERY_DUPLICATE;
  else if (g_strcmp0 (status, "rejected") == 0)
    {
      result->delivery = KUU_DELIVERY_REJECTED;
      if (reason != NULL && g_utf8_validate (reason, -1, NULL) && *reason != '\0')
        result->reason = g_utf8_strlen (reason, -1) > MAX_REASON_LENGTH
                         ? g_utf8_substring (reason, 0, MAX_REASON_LENGTH)
                         : g_strdup (reason);
      else
        result->reason = g_strdup ("rejected by the server without a reason");
    }
  else
    {
      return bad_answer (error, "an unknown status");
    }
  return g_steal_pointer (&result);
}

/* The server's answer, checked: exactly one result per record sent.
 * Not static: fuzz/fuzz-response.c feeds it. */
GPtrArray *
_kuu_sync_parse_results (GBytes     *bytes,
                         GPtrArray  *uuids,
                         GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_delivery_result_free);
  g_autoptr(GHashTable) unanswered = g_hash_table_new (g_str_hash, g_str_equal);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonNode *list;
  JsonArray *array;

  for (guint i = 0; i < uuids->len; i++)
    g_hash_table_add (unanswered, g_ptr_array_index (uuids, i));

  if (!(root = kuu_json_parse (data, size, NULL)) || !JSON_NODE_HOLDS_OBJECT (root))
    return bad_answer (error, "not a JSON object");
  list = json_object_get_member (json_node_get_object (root), "results");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return bad_answer (error, "no array “results”");
  array = json_node_get_array (list);
  if (json_array_get_length (array) != uuids->len)
    return bad_answer (error, "not one result per record");

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      KuuDeliveryResult *result = read_result (json_array_get_element (array, i), unanswered, error);

      if (result == NULL)
        return NULL;
      g_ptr_array_add (results, result);
    }
  return g_steal_pointer (&results);
}

static void
settle_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  KuuSync *self = source_object;
  Answer *answer = task_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree Settled *settled = g_new0 (Settled, 1);
  GError *error = NULL;

  if (!(results = _kuu_sync_parse_results (answer->answer, answer->uuids, &error)) ||
      !kuu_outbox_settle (self->store, results, &error))
    {
      kuu_outbox_release (self->store, answer->uuids);
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < results->len; i++)
    if (((KuuDeliveryResult *)g_ptr_array_index (results, i))->delivery != KUU_DELIVERY_REJECTED)
      settled->delivered++;
  settled->pending = answer->count ? kuu_outbox_count_pending (self->store, NULL) : -1;
  settled->rejected = kuu_outbox_count_rejected (self->store, NULL);
  g_task_return_pointer (task, g_steal_pointer (&settled), g_free);
}

static void
on_settled_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  KuuSync *self = KUU_SYNC (object);
  g_autoptr(GError) error = NULL;
  g_autofree Settled *settled = g_task_propagate_pointer (G_TASK (result), &error);

  if (settled == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error->message);
      return;
    }

  /* Grow back after a 413: one refusal (or a proxy's whim) must not
   * leave a long queue crawling out one record at a time. */
  self->push.batch_limit = MIN (BATCH_LIMIT, self->push.batch_limit * 2);
  _kuu_sync_set_counts (self, settled->pending, settled->rejected);
  succeed (self, settled->delivered);
  _kuu_sync_maybe_pull (self);
  /* Drain: the next batch at once. */
  _kuu_sync_push_attempt (self);
}

/* --- sending -------------------------------------------------------------- */

static void
on_response_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Exchange) exchange = user_data;
  KuuSync *self = exchange->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  Answer *answer;
  guint status;

  /* Unless the server answered for them, the records wait again, and
   * staff may edit them (kuu-outbox). */
  if (bytes == NULL || soup_message_get_status (exchange->message) != SOUP_STATUS_OK)
    kuu_outbox_release (self->store, exchange->uuids);

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error->message);
      return;
    }

  status = soup_message_get_status (exchange->message);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      end_round (self);
      _kuu_sync_refuse_token (self);
      return;
    }
  if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE && self->push.batch_limit > 1)
    {
      self->push.batch_limit = MAX (1, self->push.batch_limit / 2);
      end_round (self);
      _kuu_sync_push_attempt (self);
      return;
    }
  if (status == 429)
    {
      fail_at_least (self, "The server asks this kiosk to send less often (429); it waits as asked",
                     retry_after_ms (exchange->message));
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_autofree char *message = g_strdup_printf ("The server answered %u %s", status,
                                                  soup_message_get_reason_phrase (exchange->message));
      fail (self, message);
      return;
    }

  answer = g_new0 (Answer, 1);
  answer->answer = g_steal_pointer (&bytes);
  answer->uuids = g_ptr_array_ref (exchange->uuids);
  answer->count = exchange->uuids->len < self->push.batch_limit || count_due (self);
  _kuu_sync_run_in_thread (self, answer, (GDestroyNotify)answer_free, settle_thread, on_settled_cb);
}

static void
send_batch (KuuSync *self,
            Batch   *batch)
{
  Exchange *exchange;
  SoupMessage *message = _kuu_sync_new_message (self, "POST", "/api/v1/submissions");

  if (message == NULL)
    {
      kuu_outbox_release (self->store, batch->uuids);
      fail (self, "The server address is not a valid URI");
      return;
    }

  soup_message_set_request_body_from_bytes (message, "application/json", batch->body);
  exchange = g_new0 (Exchange, 1);
  exchange->self = g_object_ref (self);
  exchange->uuids = g_ptr_array_ref (batch->uuids);
  exchange->message = message;
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    self->cancellable, on_response_cb, exchange);
}

/* --- reading the outbox -------------------------------------------------- */

/* Written straight to text (kuu-wire): a json-glib tree a record was
 * most of the kiosk's CPU in a sync (docs/performance.md). */
static GBytes *
build_body (GPtrArray  *records,
            GError    **error)
{
  g_autoptr(GString) out = g_string_sized_new (64 + records->len * 512);

  g_string_append (out, "{\"records\":[");
  for (guint i = 0; i < records->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      if (!kuu_wire_append_submission (out, g_ptr_array_index (records, i), TRUE, error))
        return NULL;
    }
  g_string_append (out, "]}");
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static void
read_batch_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  KuuSync *self = source_object;
  ReadRequest *request = task_data;
  g_autoptr(Batch) batch = g_new0 (Batch, 1);
  g_autoptr(GPtrArray) records = NULL;
  GError *error = NULL;

  if (!(records = kuu_outbox_next_batch (self->store, request->limit, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  batch->uuids = g_ptr_array_new_full (records->len, g_free);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (batch->uuids, g_strdup (((KuuSubmission *)g_ptr_array_index (records, i))->uuid));
  /* Serialised here: 500 records are a few milliseconds of work. A record
   * that cannot be written (not UTF-8) holds the outbox up, as it would
   * at the server, but says why. */
  if (records->len > 0 && !(batch->body = build_body (records, &error)))
    {
      kuu_outbox_release (self->store, batch->uuids);
      g_prefix_error (&error, _("A waiting record cannot be sent: "));
      g_task_return_error (task, error);
      return;
    }
  batch->pending = records->len < request->limit || request->count ? kuu_outbox_count_pending (self->store, NULL) : -1;
  batch->rejected = kuu_outbox_count_rejected (self->store, NULL);
  g_task_return_pointer (task, g_steal_pointer (&batch), (GDestroyNotify)batch_free);
}

static void
on_batch_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KuuSync *self = KUU_SYNC (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(Batch) batch = g_task_propagate_pointer (G_TASK (result), &error);

  if (batch == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error->message);
      return;
    }

  /* Stopped (and maybe started again) meanwhile: the records were marked
   * in flight, and the next read would pass them by. */
  if (GPOINTER_TO_UINT (user_data) != self->push.generation || !self->running)
    {
      kuu_outbox_release (self->store, batch->uuids);
      return;
    }

  _kuu_sync_set_counts (self, batch->pending, batch->rejected);
  if (batch->uuids->len == 0)
    {
      end_round (self);
      self->push.batch_limit = BATCH_LIMIT;
      _kuu_sync_set_state (self, KUU_SYNC_IDLE);
      schedule (self, POLL_SECONDS * 1000);
      return;
    }

  send_batch (self, batch);
}

/* --- for kuu-sync.c ------------------------------------------------------ */

void
_kuu_sync_push_init (KuuSync *self)
{
  self->push.batch_limit = BATCH_LIMIT;
  self->push.base_ms = 2000;
  self->push.cap_ms = 5 * 60 * 1000;
}

/* Starts a round unless one is on, the sync is stopped or the token was
 * refused. */
void
_kuu_sync_push_attempt (KuuSync *self)
{
  g_autoptr(GTask) task = NULL;
  ReadRequest *request;

  if (!self->running || self->push.in_flight || self->state == KUU_SYNC_UNAUTHORIZED)
    return;

  g_clear_handle_id (&self->push.retry_id, g_source_remove);
  self->push.in_flight = TRUE;
  _kuu_sync_set_state (self, KUU_SYNC_SENDING);
  /* Not cancellable: the batch comes back even if the sync stops, and its
   * records are given back then (on_batch_read_cb). */
  task = g_task_new (self, self->cancellable, on_batch_read_cb, GUINT_TO_POINTER (self->push.generation));
  g_task_set_source_tag (task, _kuu_sync_push_attempt);
  g_task_set_check_cancellable (task, FALSE);
  request = g_new (ReadRequest, 1);
  request->limit = self->push.batch_limit;
  request->count = count_due (self);
  g_task_set_task_data (task, request, g_free);
  g_task_run_in_thread (task, read_batch_thread);
}

/* The round on is abandoned: a batch still being read is given back when
 * it comes (on_batch_read_cb), one being sent when its exchange is
 * cancelled (on_response_cb). */
void
_kuu_sync_push_stop (KuuSync *self)
{
  g_clear_handle_id (&self->push.retry_id, g_source_remove);
  end_round (self);
  self->push.generation++;
}

/* --- public -------------------------------------------------------------- */

void
kuu_sync_set_backoff (KuuSync *self,
                      guint    base_ms,
                      guint    cap_ms)
{
  g_return_if_fail (KUU_IS_SYNC (self));
  g_return_if_fail (base_ms > 0 && cap_ms >= base_ms);

  self->push.base_ms = base_ms;
  self->push.cap_ms = cap_ms;
}
