/* test-sync-faults.c: the kiosk's outbox through a proxy that breaks
 * things on the way to the real kuulolla-server — errors, stalls, dropped
 * connections, answers lost after the commit — each kind in turn and at
 * random; every record arrives once all the same. And a UUID reused by
 * another kiosk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kuu-test-sync.h"
#include "kuu-tls.h"

/* --- a proxy that breaks things ------------------------------------------ */

typedef enum
{
  FAULT_NONE,
  FAULT_500,          /* before the server sees the batch */
  FAULT_413,          /* "too large": the client halves its batches */
  FAULT_429,          /* "too many", Retry-After: 1 */
  FAULT_STALL,        /* no answer at all, until the client's timeout */
  FAULT_DROP,         /* the connection closed at once */
  FAULT_GARBAGE,      /* 200 and not JSON */
  FAULT_WRONG_SHAPE,  /* 200 and JSON of another shape */
  FAULT_LOST_ANSWER,  /* the server committed; its answer is dropped */
  FAULT_TRUNCATED,    /* the server committed; half its answer arrives */
  FAULT_PARTIAL,      /* the server committed; results for half the batch */
  FAULT_LATE_500,     /* the server committed; the client gets a 500 */
  FAULT_LATE_STALL,   /* the server committed; then silence */
  N_FAULTS
} Fault;

static const char * const fault_names[] = {
  "none", "500", "413", "429", "stall", "drop", "garbage", "wrong-shape",
  "lost-answer", "truncated", "partial", "late-500", "late-stall",
};

typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *uri;
  const char  *upstream;
  GRand       *rand;
  double       rate;
  const Fault *schedule;
  guint        schedule_length;
  guint        next;
  guint        counts[N_FAULTS];
  guint        duplicates;  /* "duplicate" results from the real server */
  gint64       refused_at;  /* when the last 429 went out */
  gint64       least_wait;  /* the shortest time to the next batch after one, µs */
  GPtrArray   *stalled;     /* held until the end, never answered */
} Proxy;

typedef struct
{
  Proxy             *proxy;
  SoupServerMessage *msg;
  Fault              fault;
} Forward;

static Fault
next_fault (Proxy *proxy)
{
  if (proxy->next < proxy->schedule_length)
    return proxy->schedule[proxy->next++];
  if (proxy->rand != NULL && g_rand_double (proxy->rand) < proxy->rate)
    return g_rand_int_range (proxy->rand, FAULT_500, N_FAULTS);
  return FAULT_NONE;
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  g_io_stream_close (stream, NULL, NULL);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *body,
         gsize              length)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, length);
}

static guint
count_string (const char *haystack,
              const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Keeps the results of the first half of the batch only. */
static char *
halve_results (const char *body)
{
  g_autoptr(JsonNode) root = json_from_string (body, NULL);
  JsonArray *results;
  guint length;

  g_assert_nonnull (root);
  results = json_object_get_array_member (json_node_get_object (root), "results");
  length = json_array_get_length (results);
  for (guint i = length; i > length / 2; i--)
    json_array_remove_element (results, i - 1);
  return json_to_string (root, FALSE);
}

/* A fault after the server has answered: it has committed the batch. */
static void
answer_after_commit (Forward    *forward,
                     guint       status,
                     const char *body)
{
  SoupServerMessage *msg = forward->msg;
  g_autofree char *half = NULL;

  switch (forward->fault)
    {
    case FAULT_LOST_ANSWER:
      drop_connection (msg);
      return;
    case FAULT_TRUNCATED:
      respond (msg, status, body, strlen (body) / 2);
      break;
    case FAULT_PARTIAL:
      half = status == SOUP_STATUS_OK ? halve_results (body) : g_strdup (body);
      respond (msg, status, half, strlen (half));
      break;
    case FAULT_LATE_500:
      respond (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "{}", 2);
      break;
    case FAULT_LATE_STALL:
      g_ptr_array_add (forward->proxy->stalled, g_object_ref (msg));
      return;
    default:
      respond (msg, status, body, strlen (body));
      break;
    }
  soup_server_message_unpause (msg);
}

static void
on_forwarded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Forward *forward = user_data;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autofree char *body = NULL;

  if (bytes == NULL)
    {
      /* The real server is away: the client sees a bad gateway. */
      respond (forward->msg, SOUP_STATUS_BAD_GATEWAY, "{}", 2);
      soup_server_message_unpause (forward->msg);
    }
  else
    {
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);

      body = data != NULL ? g_strndup (data, size) : g_strdup ("");
      forward->proxy->duplicates += count_string (body, "\"duplicate\"");
      answer_after_commit (forward, soup_message_get_status (message), body);
    }
  g_object_unref (forward->msg);
  g_free (forward);
}

static void
forward (Proxy             *proxy,
         SoupServerMessage *msg,
         Fault              fault)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *target = g_strconcat (proxy->upstream, g_uri_get_path (uri),
                                         g_uri_get_query (uri) ? "?" : "", g_uri_get_query (uri), NULL);
  g_autoptr(SoupMessage) message = soup_message_new (soup_server_message_get_method (msg), target);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  Forward *data = g_new0 (Forward, 1);

  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (message, "application/json", body);
  data->proxy = proxy;
  data->msg = g_object_ref (msg);
  data->fault = fault;
  soup_server_message_pause (msg);
  soup_session_send_and_read_async (proxy->session, message, G_PRIORITY_DEFAULT, NULL, on_forwarded_cb, data);
}

static void
on_proxy_request_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  Proxy *proxy = user_data;
  gboolean batch = g_str_equal (path, "/api/v1/submissions");
  Fault fault = batch ? next_fault (proxy) : FAULT_NONE;
  gint64 now = g_get_monotonic_time ();

  if (batch && proxy->refused_at != 0)
    {
      proxy->least_wait = MIN (proxy->least_wait, now - proxy->refused_at);
      proxy->refused_at = 0;
    }
  proxy->counts[fault]++;
  switch (fault)
    {
    case FAULT_500:
      respond (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "{\"error\":\"internal\",\"message\":\"x\"}", 34);
      break;
    case FAULT_413:
      respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "{}", 2);
      break;
    case FAULT_429:
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      respond (msg, 429, "{\"error\":\"too_many_requests\",\"message\":\"x\"}", 43);
      proxy->refused_at = now;
      break;
    case FAULT_STALL:
      soup_server_message_pause (msg);
      g_ptr_array_add (proxy->stalled, g_object_ref (msg));
      break;
    case FAULT_DROP:
      drop_connection (msg);
      break;
    case FAULT_GARBAGE:
      respond (msg, SOUP_STATUS_OK, "<html>\x01\xff not json", 17);
      break;
    case FAULT_WRONG_SHAPE:
      {
        static const char * const shapes[] = {
          "[]", "{\"results\": {}}", "{\"results\": [1, 2]}", "{\"results\": [{\"uuid\": {}, \"status\": []}]}",
          "{\"results\": []}", "{\"result\": \"ok\"}", "null",
        };
        const char *shape = shapes[proxy->counts[fault] % G_N_ELEMENTS (shapes)];

        respond (msg, SOUP_STATUS_OK, shape, strlen (shape));
      }
      break;
    default:
      forward (proxy, msg, fault);
      break;
    }
}

static Proxy *
proxy_new (const char *upstream)
{
  Proxy *proxy = g_new0 (Proxy, 1);

  proxy->server = soup_server_new (NULL, NULL);
  proxy->session = soup_session_new ();
  proxy->upstream = upstream;
  proxy->stalled = g_ptr_array_new_with_free_func (g_object_unref);
  proxy->least_wait = G_MAXINT64;
  soup_server_add_handler (proxy->server, NULL, on_proxy_request_cb, proxy, NULL);
  listen_loopback (proxy->server, 0);
  proxy->uri = local_uri (proxy->server);
  return proxy;
}

static void
proxy_free (Proxy *proxy)
{
  /* The stalled ones: their clients gave up long ago. */
  for (guint i = 0; i < proxy->stalled->len; i++)
    drop_connection (g_ptr_array_index (proxy->stalled, i));
  g_ptr_array_unref (proxy->stalled);
  soup_server_disconnect (proxy->server);
  g_object_unref (proxy->server);
  g_object_unref (proxy->session);
  g_clear_pointer (&proxy->rand, g_rand_free);
  g_free (proxy->uri);
  g_free (proxy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Proxy, proxy_free)

static void
report_faults (Proxy *proxy)
{
  g_autoptr(GString) line = g_string_new ("faults:");

  for (guint i = 0; i < N_FAULTS; i++)
    g_string_append_printf (line, " %s=%u", fault_names[i], proxy->counts[i]);
  g_string_append_printf (line, "; the server answered \"duplicate\" %u times", proxy->duplicates);
  g_test_message ("%s", line->str);
}

/* @n records, and among them some the server refuses (a goal Kainuu does
 * not have); their UUIDs go to @refused. */
static void
add_mixed_with_refused (Fixture   *f,
                        guint      n,
                        guint      every,
                        GPtrArray *refused)
{
  for (guint i = 0; i < n; i++)
    {
      add (f, make_one (i));
      if (i % every == every / 2)
        {
          KuuSubmission *foreign = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "talous", 7);

          g_ptr_array_add (refused, foreign->uuid);
          add (f, foreign);
        }
    }
}

static KuuSync *
new_faulty_sync (Fixture    *f,
                 Proxy      *proxy,
                 const char *token)
{
  KuuSync *sync = kuu_sync_new (f->store, proxy->uri, token);

  kuu_sync_set_backoff (sync, 10, 100);
  kuu_sync_set_timeout (sync, 1);
  return sync;
}

/* Every kind of fault in turn, each between two clean exchanges. */
static void
test_faults_each (Fixture       *f,
                  gconstpointer  data)
{
  static const Fault schedule[] = {
    FAULT_LOST_ANSWER, FAULT_NONE, FAULT_500, FAULT_TRUNCATED, FAULT_413, FAULT_429, FAULT_STALL,
    FAULT_PARTIAL, FAULT_DROP, FAULT_LATE_500, FAULT_GARBAGE, FAULT_LATE_STALL, FAULT_NONE,
    FAULT_WRONG_SHAPE, FAULT_WRONG_SHAPE, FAULT_WRONG_SHAPE, FAULT_WRONG_SHAPE,
    FAULT_WRONG_SHAPE, FAULT_WRONG_SHAPE, FAULT_WRONG_SHAPE, FAULT_LOST_ANSWER,
  };
  g_autofree char *token = enrol (f);
  g_autoptr(Proxy) proxy = proxy_new (f->base);
  g_autoptr(KuuSync) sync = new_faulty_sync (f, proxy, token);
  g_autoptr(GPtrArray) refused = g_ptr_array_new ();
  g_autoptr(GHashTable) notified = watch_notifies (sync);

  proxy->schedule = schedule;
  proxy->schedule_length = G_N_ELEMENTS (schedule);
  add_mixed_with_refused (f, 2000, 300, refused);
  kuu_sync_start (sync);
  drain_quietly (sync, 120);

  report_faults (proxy);
  g_assert_cmpuint (g_hash_table_size (notified), ==, 6);  /* every property watched was notified */
  g_assert_cmpuint (proxy->next, ==, G_N_ELEMENTS (schedule));
  for (guint i = FAULT_500; i < N_FAULTS; i++)
    g_assert_cmpuint (proxy->counts[i], >=, 1);
  /* The server committed batches the client never heard of: they came
   * back as duplicates, and were counted once. */
  g_assert_cmpuint (proxy->duplicates, >, 0);
  /* A 429 is waited out, not retried at once. */
  g_assert_cmpint (proxy->least_wait, >=, G_USEC_PER_SEC - 50000);
  assert_delivered_once_but (f, sync, 2000, refused);
}

/* Faults at random, seeded; KUULOLLA_FAULT_SEED repeats a run. */
static void
test_faults_random (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(Proxy) proxy = proxy_new (f->base);
  g_autoptr(KuuSync) sync = new_faulty_sync (f, proxy, token);
  const char *seed_text = g_getenv ("KUULOLLA_FAULT_SEED");
  guint32 seed = seed_text ? (guint32)g_ascii_strtoull (seed_text, NULL, 10) : g_random_int ();
  g_autoptr(GPtrArray) refused = g_ptr_array_new ();

  g_test_message ("fault seed %u (set KUULOLLA_FAULT_SEED=%u to repeat)", seed, seed);
  proxy->rand = g_rand_new_with_seed (seed);
  proxy->rate = 0.6;
  add_mixed_with_refused (f, 4000, 700, refused);
  kuu_sync_start (sync);
  drain_quietly (sync, 180);

  report_faults (proxy);
  assert_delivered_once_but (f, sync, 4000, refused);
}

/* The same UUID with other content, from another kiosk: refused, kept with
 * the reason on that kiosk; the server keeps the first. */
static void
test_reused_uuid (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) first = kuu_sync_new (f->store, f->base, token);
  g_autofree char *other_path = g_build_filename (f->dir, "other.db", NULL);
  g_autoptr(KuuStore) other = kuu_store_open (other_path, NULL);
  g_autoptr(KuuSync) second = kuu_sync_new (other, f->base, token);
  g_autoptr(KuuSubmission) impostor = NULL;
  g_autoptr(KuuSubmission) fresh = kuu_submission_new_feedback ("Toinen kioski");
  g_autoptr(GPtrArray) rejected = NULL;
  const KuuSubmission *original;

  add_mixed (f, 3);
  kuu_sync_start (first);
  drain_quietly (first, 60);

  original = g_ptr_array_index (f->sent, 0);
  impostor = kuu_submission_copy (original);
  impostor->score = (original->score + 1) % 11;
  kuu_submission_set_place (fresh, "kainuu", "Kajaani", KUU_LANGUAGE_SV);
  g_assert_true (kuu_store_add (other, impostor, NULL));
  g_assert_true (kuu_store_add (other, fresh, NULL));
  kuu_sync_start (second);
  drain_quietly (second, 60);

  rejected = kuu_outbox_list_rejected (other, NULL);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_cmpstr (((KuuDeliveryResult *)g_ptr_array_index (rejected, 0))->uuid, ==, impostor->uuid);
  g_assert_nonnull (strstr (((KuuDeliveryResult *)g_ptr_array_index (rejected, 0))->reason, "uuid"));
  g_assert_cmpuint (kuu_sync_get_rejected (second), ==, 1);
  g_assert_cmpuint (kuu_sync_get_delivered (second), ==, 1);
  g_assert_cmpint (kuu_outbox_count_pending (other, NULL), ==, 0);

  /* The server still holds the first content, and the other kiosk's
   * fresh record once. */
  g_ptr_array_add (f->sent, kuu_submission_copy (fresh));
  assert_server_has_all (f, 4);
  g_assert_cmpuint (kuu_sync_get_delivered (first), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  /* As the app does: first thing, for every TLS connection of the process. */
  kuu_tls_use_policy ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/faults/each", Fixture, NULL, fixture_set_up, test_faults_each, fixture_tear_down);
  g_test_add ("/sync/faults/random", Fixture, NULL, fixture_set_up, test_faults_random, fixture_tear_down);
  g_test_add ("/sync/reused-uuid", Fixture, NULL, fixture_set_up, test_reused_uuid, fixture_tear_down);

  return g_test_run ();
}
