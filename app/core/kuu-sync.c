/* kuu-sync.c
 *
 * Reading the outbox, building a batch, reading the server's answer and
 * recording it run in worker threads; the HTTP exchange runs on the main
 * loop through SoupSession: the UI never waits. A batch that gets no
 * answer, or an answer that is not what the protocol says, is sent again
 * later, so a record may arrive twice; the server answers "duplicate" and
 * it is counted once. After a failure the next try waits a random time up
 * to base × 2ⁿ, capped ("full jitter"); a network coming back tries at
 * once.
 *
 * Pulls (the region file, initiatives) run beside the pushes: on start,
 * after a delivered batch and on a timer, never more often than the pull
 * interval. Their failures are told to staff through last-error and do
 * not hold up the outbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include "kuu-i18n-private.h"
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "kuu-initiatives.h"
#include "kuu-json.h"
#include "kuu-outbox.h"
#include "kuu-strategy-loader.h"
#include "kuu-sync.h"
#include "kuu-sync-private.h"
#include "kuu-wire.h"

#define BATCH_LIMIT       500
#define POLL_SECONDS      60
#define HTTP_TIMEOUT      30
#define PULL_SECONDS      (5 * 60)
#define MAX_PAGES         50
#define MAX_REASON_LENGTH 1000
#define MAX_ETAG_LENGTH   256
/* While a long outbox drains, the waiting records are counted at most so
 * often: a count walks the outbox's index, 15 ms at 100 000 waiting, and
 * counting twice a batch was half the kiosk's CPU in a sync of that many
 * (docs/performance.md). A short batch is always counted: few wait. */
#define COUNT_INTERVAL_US G_USEC_PER_SEC

/* Each exchange with the server clears only an error of its own kind: a
 * pulled initiatives page must not hide that the region file was refused,
 * nor a delivered batch that the initiatives cannot be read. */
typedef enum
{
  SOURCE_PUSH,
  SOURCE_REGION,
  SOURCE_INITIATIVES,
  SOURCE_CONTENT,     /* what the server sent was skipped: no later success undoes that */
} ErrorSource;

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
  guint          generation;       /* bumped at each stop: a batch read before it is given back */
  guint          retry_id;
  guint          base_ms;
  guint          cap_ms;
  gulong         network_id;

  char          *region_id;
  char          *region_dir;
  gboolean       pulling_region;
  gboolean       pulling_initiatives;
  guint          pages;
  guint          pull_id;
  guint          pull_seconds;
  gint64         last_pull;  /* monotonic µs; 0 before the first */
  gint64         last_count; /* monotonic µs of the last count asked for; 0 before */

  gint64         last_success;
  char          *last_error;
  ErrorSource    error_source;  /* what set last_error; its success clears it */
  guint          delivered;
  guint          pending;
  guint          rejected;
};

G_DEFINE_FINAL_TYPE (KuuSync, kuu_sync, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (KuuEnrolment, kuu_enrolment, kuu_enrolment_copy, kuu_enrolment_free)
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

/* What a worker thread made of the server's answer. */
typedef struct
{
  guint      delivered;
  gint64     pending;
  gint64     rejected;
} Settled;

static void attempt (KuuSync *self);
static void pull    (KuuSync *self);

static void
batch_free (Batch *batch)
{
  g_clear_pointer (&batch->uuids, g_ptr_array_unref);
  g_clear_pointer (&batch->body, g_bytes_unref);
  g_free (batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Batch, batch_free)

/* --- state ---------------------------------------------------------------- */

static void
set_state (KuuSync      *self,
           KuuSyncState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (KuuSync     *self,
                ErrorSource  source,
                const char  *message)
{
  self->error_source = source;
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_counts (KuuSync *self,
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

/* @floor_ms: at least this long, whatever the jitter (a 429's Retry-After) */
static void
fail_at_least (KuuSync    *self,
               const char *message,
               guint       floor_ms)
{
  double ceiling = MIN ((double)self->cap_ms, self->base_ms * (double)(1u << MIN (self->failures, 20u)));
  guint delay = MAX (floor_ms, (guint)g_random_double_range (0, ceiling));

  self->failures++;
  self->in_flight = FALSE;
  set_last_error (self, SOURCE_PUSH, message);
  g_message ("sync: %s; next try in %u ms", message, delay);

  set_state (self, KUU_SYNC_WAITING);
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

/* The server answered as the protocol says, whatever it said. */
static void
touch_last_success (KuuSync *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (self->last_success == now)
    return;
  self->last_success = now;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
}

/* An exchange of @source's kind went through: an error it had set is
 * over. */
static void
note_success (KuuSync     *self,
              ErrorSource  source)
{
  g_object_freeze_notify (G_OBJECT (self));
  touch_last_success (self);
  if (self->last_error != NULL && self->error_source == source)
    set_last_error (self, source, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
succeed (KuuSync *self,
         guint    delivered)
{
  self->failures = 0;
  self->in_flight = FALSE;
  note_success (self, SOURCE_PUSH);
  if (delivered > 0)
    {
      self->delivered += delivered;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIVERED]);
    }
}

/* Retrying cannot help: staff must enrol the device again. Nothing queued
 * is lost. */
static void
refuse_token (KuuSync *self)
{
  set_last_error (self, SOURCE_PUSH, "The server refused this device's token: enrol it again");
  set_state (self, KUU_SYNC_UNAUTHORIZED);
}

static SoupMessage *
new_message (KuuSync    *self,
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

/* Whether to count the waiting records now (COUNT_INTERVAL_US). */
static gboolean
count_due (KuuSync *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->last_count != 0 && now - self->last_count < COUNT_INTERVAL_US)
    return FALSE;
  self->last_count = now;
  return TRUE;
}

static void
run_in_thread (KuuSync             *self,
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

typedef struct
{
  GBytes    *answer;
  GPtrArray *uuids;
  gboolean   count;  /* count the waiting records afterwards */
} Answer;

static void
answer_free (Answer *answer)
{
  g_bytes_unref (answer->answer);
  g_ptr_array_unref (answer->uuids);
  g_free (answer);
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
maybe_pull (KuuSync *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->last_pull == 0 || now - self->last_pull >= (gint64)self->pull_seconds * G_USEC_PER_SEC)
    pull (self);
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
  self->batch_limit = MIN (BATCH_LIMIT, self->batch_limit * 2);
  set_counts (self, settled->pending, settled->rejected);
  succeed (self, settled->delivered);
  maybe_pull (self);
  /* Drain: the next batch at once. */
  attempt (self);
}

/* --- sending -------------------------------------------------------------- */

typedef struct
{
  KuuSync     *self;
  GPtrArray   *uuids;
  SoupMessage *message;
} Exchange;

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
      self->in_flight = FALSE;
      refuse_token (self);
      return;
    }
  if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE && self->batch_limit > 1)
    {
      self->batch_limit = MAX (1, self->batch_limit / 2);
      self->in_flight = FALSE;
      attempt (self);
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
  answer->count = exchange->uuids->len < self->batch_limit || count_due (self);
  run_in_thread (self, answer, (GDestroyNotify)answer_free, settle_thread, on_settled_cb);
}

static void
send_batch (KuuSync *self,
            Batch   *batch)
{
  Exchange *exchange;
  SoupMessage *message = new_message (self, "POST", "/api/v1/submissions");

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
  if (GPOINTER_TO_UINT (user_data) != self->generation || !self->running)
    {
      kuu_outbox_release (self->store, batch->uuids);
      return;
    }

  set_counts (self, batch->pending, batch->rejected);
  if (batch->uuids->len == 0)
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
  ReadRequest *request;

  if (!self->running || self->in_flight || self->state == KUU_SYNC_UNAUTHORIZED)
    return;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->in_flight = TRUE;
  set_state (self, KUU_SYNC_SENDING);
  /* Not cancellable: the batch comes back even if the sync stops, and its
   * records are given back then (on_batch_read_cb). */
  task = g_task_new (self, self->cancellable, on_batch_read_cb, GUINT_TO_POINTER (self->generation));
  g_task_set_source_tag (task, attempt);
  g_task_set_check_cancellable (task, FALSE);
  request = g_new (ReadRequest, 1);
  request->limit = self->batch_limit;
  request->count = count_due (self);
  g_task_set_task_data (task, request, g_free);
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

/* --- pulling the region file ---------------------------------------------- */

typedef struct
{
  char   *path;       /* <dir>/<id>.json */
  char   *etag_path;  /* beside it */
  char   *file_name;  /* <id>.json: the loader checks the id against it */
  char   *etag;       /* read, or received */
  GBytes *bytes;      /* received */
} RegionPull;

static void
region_pull_clear (RegionPull *region)
{
  g_free (region->path);
  g_free (region->etag_path);
  g_free (region->file_name);
  g_free (region->etag);
  g_clear_pointer (&region->bytes, g_bytes_unref);
}

/* Shared by the steps of one pull, each a task of its own. */
static void
region_pull_unref (RegionPull *region)
{
  g_rc_box_release_full (region, (GDestroyNotify)region_pull_clear);
}

static gboolean
is_etag (const char *etag)
{
  gsize length = strlen (etag);

  if (length == 0 || length > MAX_ETAG_LENGTH)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (etag[i] < 0x21 || etag[i] > 0x7e)
      return FALSE;
  return TRUE;
}

/* The ETag counts only beside the file it describes. */
static void
read_etag_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  RegionPull *region = task_data;
  g_autofree char *etag = NULL;

  if (g_file_test (region->path, G_FILE_TEST_IS_REGULAR) &&
      g_file_get_contents (region->etag_path, &etag, NULL, NULL))
    {
      g_strstrip (etag);
      if (is_etag (etag))
        region->etag = g_steal_pointer (&etag);
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
write_file (const char  *path,
            const char  *data,
            gsize        length,
            GError     **error)
{
  return g_file_set_contents_full (path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

/* Only a file the loader accepts is written, and atomically: the app
 * never reads half a file or one that would not load. */
static gboolean
install_region (RegionPull  *region,
                gboolean    *out_changed,
                GError     **error)
{
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_bytes (region->bytes, region->file_name, error);
  g_autoptr(GBytes) old = NULL;
  g_autofree char *old_data = NULL;
  g_autofree char *dir = g_path_get_dirname (region->path);
  gsize old_length = 0;
  gsize length;
  const char *data = g_bytes_get_data (region->bytes, &length);

  if (strategy == NULL)
    return FALSE;
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create the folder “%s”: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (g_file_get_contents (region->path, &old_data, &old_length, NULL))
    old = g_bytes_new_take (g_steal_pointer (&old_data), old_length);
  *out_changed = old == NULL || !g_bytes_equal (old, region->bytes);
  if (*out_changed && !write_file (region->path, data, length, error))
    return FALSE;

  /* No ETag now: the old one would describe another file. */
  if (region->etag == NULL)
    {
      g_remove (region->etag_path);
      return TRUE;
    }
  return write_file (region->etag_path, region->etag, strlen (region->etag), error);
}

static void
install_region_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean changed = FALSE;

  if (install_region (task_data, &changed, &error))
    g_task_return_int (task, changed);
  else
    g_task_return_error (task, error);
}

static void
on_region_installed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  KuuSync *self = KUU_SYNC (object);
  RegionPull *region = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gssize changed = g_task_propagate_int (G_TASK (result), &error);

  self->pulling_region = FALSE;
  if (changed < 0)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf ("The region file from the server was not used: %s", error->message);
      g_message ("sync: %s", message);
      set_last_error (self, SOURCE_REGION, message);
      return;
    }
  note_success (self, SOURCE_REGION);
  if (changed)
    g_signal_emit (self, signals[REGION_CHANGED], 0, self->region_id, region->path);
}

/* For the status codes every pull treats alike; FALSE when handled. */
static gboolean
pull_answer_usable (KuuSync     *self,
                    ErrorSource  source,
                    SoupMessage *message,
                    GBytes      *bytes,
                    GError      *error,
                    const char  *what)
{
  g_autofree char *text = NULL;
  guint status;

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        text = g_strdup_printf ("Could not fetch %s: %s", what, error->message);
    }
  else if ((status = soup_message_get_status (message)) == SOUP_STATUS_UNAUTHORIZED)
    refuse_token (self);
  else if (status == SOUP_STATUS_NOT_FOUND)
    {
      g_debug ("sync: the server offers no %s", what);
      note_success (self, source);
    }
  else if (status != SOUP_STATUS_OK && status != SOUP_STATUS_NOT_MODIFIED)
    text = g_strdup_printf ("Could not fetch %s: the server answered %u %s", what, status,
                            soup_message_get_reason_phrase (message));
  else
    return TRUE;

  if (text != NULL)
    {
      g_message ("sync: %s", text);
      set_last_error (self, source, text);
    }
  return FALSE;
}

static void
on_region_fetched_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KuuSync *self = g_task_get_source_object (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  RegionPull *region = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  const char *etag;

  if (!pull_answer_usable (self, SOURCE_REGION, message, bytes, error, "the region file"))
    {
      self->pulling_region = FALSE;
      return;
    }
  if (soup_message_get_status (message) == SOUP_STATUS_NOT_MODIFIED)
    {
      self->pulling_region = FALSE;
      note_success (self, SOURCE_REGION);
      return;
    }

  /* Answered; whether the file is usable is known once it is checked. */
  touch_last_success (self);

  etag = soup_message_headers_get_one (soup_message_get_response_headers (message), "ETag");
  g_free (region->etag);
  region->etag = etag != NULL && is_etag (etag) ? g_strdup (etag) : NULL;
  region->bytes = g_steal_pointer (&bytes);
  run_in_thread (self, g_rc_box_acquire (region), (GDestroyNotify)region_pull_unref,
                 install_region_thread, on_region_installed_cb);
}

static void
on_etag_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  KuuSync *self = KUU_SYNC (object);
  RegionPull *region = g_task_get_task_data (G_TASK (result));
  g_autoptr(SoupMessage) message = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) ||
      !(message = new_message (self, "GET", "/api/v1/region")))
    {
      self->pulling_region = FALSE;
      return;
    }

  if (region->etag != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "If-None-Match", region->etag);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_LOW, self->cancellable,
                                    on_region_fetched_cb, g_object_ref (result));
}

static void
pull_region (KuuSync *self)
{
  RegionPull *region;

  if (self->region_id == NULL || self->pulling_region)
    return;

  self->pulling_region = TRUE;
  region = g_rc_box_new0 (RegionPull);
  region->file_name = g_strconcat (self->region_id, ".json", NULL);
  region->path = g_build_filename (self->region_dir, region->file_name, NULL);
  region->etag_path = g_strconcat (region->path, ".etag", NULL);
  run_in_thread (self, region, (GDestroyNotify)region_pull_unref, read_etag_thread, on_etag_read_cb);
}

/* --- pulling initiatives -------------------------------------------------- */

typedef struct
{
  char               *cursor;    /* sent */
  GBytes             *answer;    /* received */
  KuuInitiativesPage *page;      /* read from it */
  guint               changed;
} InitiativesPull;

static void
initiatives_pull_clear (InitiativesPull *initiatives)
{
  g_free (initiatives->cursor);
  g_clear_pointer (&initiatives->answer, g_bytes_unref);
  g_clear_pointer (&initiatives->page, kuu_initiatives_page_free);
}

static void
initiatives_pull_unref (InitiativesPull *initiatives)
{
  g_rc_box_release_full (initiatives, (GDestroyNotify)initiatives_pull_clear);
}

static void pull_initiatives (KuuSync *self);

static void
store_page_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  KuuSync *self = source_object;
  InitiativesPull *initiatives = task_data;
  GError *error = NULL;

  /* Up to 100 initiatives of 10 000 characters: read here, not on the
   * main loop. */
  if ((initiatives->page = kuu_initiatives_parse_page (initiatives->answer, &error)) &&
      kuu_initiatives_store_page (self->store, initiatives->page, &initiatives->changed, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_page_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KuuSync *self = KUU_SYNC (object);
  InitiativesPull *initiatives = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  KuuInitiativesPage *page;

  self->pulling_initiatives = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_message ("sync: %s", error->message);
          set_last_error (self, SOURCE_INITIATIVES, error->message);
        }
      return;
    }

  page = initiatives->page;
  if (page->n_invalid > 0)
    {
      g_autofree char *message =
        g_strdup_printf ("The server sent %u initiatives that are not valid; they are not shown (%s)",
                         page->n_invalid, page->invalid_reason);
      g_message ("sync: %s", message);
      note_success (self, SOURCE_INITIATIVES);
      set_last_error (self, SOURCE_CONTENT, message);
    }
  else
    note_success (self, SOURCE_INITIATIVES);
  if (initiatives->changed > 0)
    g_signal_emit (self, signals[INITIATIVES_CHANGED], 0, initiatives->changed);

  /* A full page may have more behind it; a server that keeps giving the
   * same cursor is not asked for ever. */
  if (page->more && g_strcmp0 (page->cursor, initiatives->cursor) != 0 && ++self->pages < MAX_PAGES)
    pull_initiatives (self);
}

static void
forget_cursor_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;

  if (kuu_initiatives_forget_cursor (KUU_SYNC (source_object)->store, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_cursor_forgotten_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  KuuSync *self = KUU_SYNC (object);
  g_autoptr(GError) error = NULL;

  self->pulling_initiatives = FALSE;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    pull_initiatives (self);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_last_error (self, SOURCE_INITIATIVES, error->message);
}

static void
on_initiatives_fetched_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KuuSync *self = g_task_get_source_object (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  InitiativesPull *initiatives = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (bytes != NULL && soup_message_get_status (message) == SOUP_STATUS_BAD_REQUEST &&
      initiatives->cursor != NULL && ++self->pages < MAX_PAGES)
    {
      g_message ("sync: the server does not know the initiatives cursor %s; starting over", initiatives->cursor);
      run_in_thread (self, NULL, NULL, forget_cursor_thread, on_cursor_forgotten_cb);
      return;
    }
  if (!pull_answer_usable (self, SOURCE_INITIATIVES, message, bytes, error, "initiatives") ||
      soup_message_get_status (message) != SOUP_STATUS_OK)
    {
      self->pulling_initiatives = FALSE;
      return;
    }

  initiatives->answer = g_steal_pointer (&bytes);
  run_in_thread (self, g_rc_box_acquire (initiatives), (GDestroyNotify)initiatives_pull_unref,
                 store_page_thread, on_page_stored_cb);
}

static void
read_cursor_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  KuuSync *self = source_object;
  InitiativesPull *initiatives = task_data;
  GError *error = NULL;

  initiatives->cursor = kuu_initiatives_get_cursor (self->store, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_cursor_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KuuSync *self = KUU_SYNC (object);
  InitiativesPull *initiatives = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *path = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->pulling_initiatives = FALSE;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_last_error (self, SOURCE_INITIATIVES, error->message);
      return;
    }

  if (initiatives->cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (initiatives->cursor, NULL, FALSE);

      path = g_strconcat ("/api/v1/initiatives?since=", escaped, NULL);
    }
  if (!(message = new_message (self, "GET", path != NULL ? path : "/api/v1/initiatives")))
    {
      self->pulling_initiatives = FALSE;
      return;
    }
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_LOW, self->cancellable,
                                    on_initiatives_fetched_cb, g_object_ref (result));
}

static void
pull_initiatives (KuuSync *self)
{
  if (self->pulling_initiatives)
    return;

  self->pulling_initiatives = TRUE;
  run_in_thread (self, g_rc_box_new0 (InitiativesPull), (GDestroyNotify)initiatives_pull_unref,
                 read_cursor_thread, on_cursor_read_cb);
}

static void
pull (KuuSync *self)
{
  if (self->state == KUU_SYNC_UNAUTHORIZED)
    return;

  self->last_pull = g_get_monotonic_time ();
  self->pages = 0;
  pull_region (self);
  pull_initiatives (self);
}

static gboolean
on_pull_timer_cb (gpointer user_data)
{
  maybe_pull (user_data);
  return G_SOURCE_CONTINUE;
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
  if (self->pull_id == 0)
    self->pull_id = g_timeout_add_seconds (self->pull_seconds, on_pull_timer_cb, self);
  attempt (self);
  maybe_pull (self);
}

void
kuu_sync_stop (KuuSync *self)
{
  g_return_if_fail (KUU_IS_SYNC (self));

  self->running = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->pull_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->in_flight = FALSE;
  self->generation++;
  self->pulling_region = FALSE;
  self->pulling_initiatives = FALSE;
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

  attempt (self);
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
 * kuu_sync_set_region:
 * @region_id: the kiosk's region; its file is fetched from the server
 * @directory: (nullable): where installed region files live; %NULL for
 *   $XDG_DATA_HOME/kuulolla/regions, which overrides the bundled ones
 *
 * Turns on the region pull (docs/protocol.md § 6). A file from the server
 * is written, as <directory>/<region_id>.json with its ETag beside it, only
 * when it loads and its id is @region_id; ::region-changed says so.
 */
void
kuu_sync_set_region (KuuSync    *self,
                     const char *region_id,
                     const char *directory)
{
  g_return_if_fail (KUU_IS_SYNC (self));
  g_return_if_fail (region_id != NULL && *region_id != '\0' && strchr (region_id, '/') == NULL);

  g_free (self->region_id);
  self->region_id = g_strdup (region_id);
  g_free (self->region_dir);
  self->region_dir = directory != NULL
                     ? g_strdup (directory)
                     : g_build_filename (g_get_user_data_dir (), "kuulolla", "regions", NULL);
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

  set_last_error (self, SOURCE_REGION, message);
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
  g_free (self->token);
  g_free (self->last_error);
  g_free (self->region_id);
  g_free (self->region_dir);

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
   * A new region file from the server was written; the app may load it.
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
  self->batch_limit = BATCH_LIMIT;
  self->base_ms = 2000;
  self->cap_ms = 5 * 60 * 1000;
  self->pull_seconds = PULL_SECONDS;
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

KuuEnrolment *
kuu_enrolment_copy (const KuuEnrolment *enrolment)
{
  KuuEnrolment *copy = g_new0 (KuuEnrolment, 1);

  copy->token = g_strdup (enrolment->token);
  copy->device_id = g_strdup (enrolment->device_id);
  copy->region = g_strdup (enrolment->region);
  return copy;
}

void
kuu_enrolment_free (KuuEnrolment *enrolment)
{
  if (enrolment == NULL)
    return;
  if (enrolment->token != NULL)
    memset (enrolment->token, 0, strlen (enrolment->token));
  g_free (enrolment->token);
  g_free (enrolment->device_id);
  g_free (enrolment->region);
  g_free (enrolment);
}

/* The device id and region go to device.ini and on screen: only a short
 * printable value is taken (both are ids, such as a UUID). */
static const char *
short_field (JsonObject *object,
             const char *name)
{
  const char *value = kuu_wire_get_string (object, name);

  if (value == NULL || !is_etag (value) || strlen (value) > 128)
    return NULL;
  return value;
}

/* The body of the server's 201 to an enrolment. Not static:
 * fuzz/fuzz-response.c feeds it. */
KuuEnrolment *
_kuu_sync_parse_enrolment (GBytes  *bytes,
                           GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  KuuEnrolment *enrolment;
  JsonObject *answer = NULL;
  const char *token = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if ((root = kuu_json_parse (data, size, NULL)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      answer = json_node_get_object (root);
      token = kuu_wire_get_string (answer, "token");
    }
  if (token == NULL)
    {
      g_set_error (error, KUU_SYNC_ERROR, KUU_SYNC_ERROR_BAD_ANSWER,
                   "The server's answer to the enrolment had no token");
      return NULL;
    }

  enrolment = g_new0 (KuuEnrolment, 1);
  enrolment->token = g_strdup (token);
  enrolment->device_id = g_strdup (short_field (answer, "device_id"));
  enrolment->region = g_strdup (short_field (answer, "region"));
  return enrolment;
}

static void
on_enrolled_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  KuuEnrolment *enrolment;

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
  if (!(enrolment = _kuu_sync_parse_enrolment (bytes, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, enrolment, (GDestroyNotify)kuu_enrolment_free);
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
  kuu_sync_enrol_with_ca_async (base_uri, code, unit, NULL, cancellable, callback, user_data);
}

/**
 * kuu_sync_enrol_with_ca_async:
 * @ca_file: (nullable): the region's own CA, as for kuu_sync_set_tls_ca_file()
 *
 * As kuu_sync_enrol_async(), for a server whose certificate the region's
 * own CA signed. Finish with kuu_sync_enrol_finish().
 */
void
kuu_sync_enrol_with_ca_async (const char          *base_uri,
                              const char          *code,
                              const char          *unit,
                              const char          *ca_file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT, NULL);
  g_autofree char *uri = g_strconcat (base_uri, "/api/v1/enrol", NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *message;
  GTask *task;
  char *text;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_sync_enrol_async);
  if (ca_file != NULL && !(database = g_tls_file_database_new (ca_file, &error)))
    {
      g_task_return_new_error (task, KUU_SYNC_ERROR, KUU_SYNC_ERROR_TLS,
                               "The region's CA file “%s” cannot be used: %s", ca_file, error->message);
      g_object_unref (task);
      return;
    }
  if (database != NULL)
    soup_session_set_tls_database (session, database);
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

/**
 * kuu_sync_enrol_finish:
 *
 * Returns: (transfer full) (nullable): the token alone; see
 *   kuu_sync_enrol_finish_full() for the device id and region too
 */
char *
kuu_sync_enrol_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_autoptr(KuuEnrolment) enrolment = kuu_sync_enrol_finish_full (result, error);

  return enrolment != NULL ? g_steal_pointer (&enrolment->token) : NULL;
}

/**
 * kuu_sync_enrol_finish_full:
 *
 * Returns: (transfer full) (nullable): the token with the device id and
 *   region the server gave, or %NULL with @error set
 */
KuuEnrolment *
kuu_sync_enrol_finish_full (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
