/* test-sync.c: the kiosk's outbox against the real kuulolla-server on
 * 127.0.0.1 — every record arrives once, field for field, through a
 * server killed and restarted mid-stream; a refused record stays on the
 * kiosk with its reason; a revoked token stops the sync without losing
 * anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>

#include "kuu-outbox.h"
#include "kuu-sync.h"
#include "kuu-wire.h"

typedef struct
{
  char        *dir;
  char        *server_db;
  char        *port;
  GSubprocess *server;
  char        *base;
  KuuStore    *store;
  GPtrArray   *sent;   /* KuuSubmission, as made, contacts included */
} Fixture;

static void
start_server (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%s", f->port ? f->port : "0");
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  f->server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                g_getenv ("KUULOLLA_SERVER"), "--database", f->server_db,
                                "--listen", listen, "--region", "kainuu", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on http://"));
  g_free (f->base);
  f->base = g_strdup (line + strlen ("listening on "));
  if (g_str_has_suffix (f->base, "/"))
    f->base[strlen (f->base) - 1] = '\0';
  if (f->port == NULL)
    f->port = g_strdup (strrchr (f->base, ':') + 1);
}

static void
kill_server (Fixture *f)
{
  g_subprocess_send_signal (f->server, SIGKILL);
  g_subprocess_wait (f->server, NULL, NULL);
  g_clear_object (&f->server);
}

static char *
admin (Fixture    *f,
       const char *first,
       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  va_list args;

  g_ptr_array_add (argv, (char *)g_getenv ("KUULOLLA_SERVER"));
  g_ptr_array_add (argv, (char *)"--database");
  g_ptr_array_add (argv, f->server_db);
  g_ptr_array_add (argv, (char *)"admin");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return g_strstrip (g_steal_pointer (&out));
}

static void
on_enrolled_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  char **token = user_data;
  g_autoptr(GError) error = NULL;

  *token = kuu_sync_enrol_finish (result, &error);
  g_assert_no_error (error);
}

static char *
enrol (Fixture *f)
{
  g_autofree char *code = admin (f, "enrol", "--region", "kainuu", "--unit", "Kajaani", NULL);
  char *token = NULL;

  kuu_sync_enrol_async (f->base, code, "Kajaani", NULL, on_enrolled_cb, &token);
  while (token == NULL)
    g_main_context_iteration (NULL, TRUE);
  return token;
}

static void
add (Fixture       *f,
     KuuSubmission *submission)
{
  g_autoptr(GError) error = NULL;

  kuu_submission_set_place (submission, "kainuu", "Kajaani", KUU_LANGUAGE_FI);
  kuu_store_add (f->store, submission, &error);
  g_assert_no_error (error);
  g_ptr_array_add (f->sent, submission);
}

static KuuSubmission *
make_one (guint i)
{
  KuuSubmission *s;

  switch (i % 3)
    {
    case 0:
      s = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "together", i % 11);
      kuu_submission_add_answer (s, "felt-safe", 1 + i % 5);
      s->text = g_strdup_printf ("<b>Hyvä</b> & '; DROP TABLE records; -- %u 👍", i);
      break;
    case 1:
      s = kuu_submission_new_feedback ("Odotusaika oli pitkä. åäö");
      kuu_submission_set_contact (s, "Åsa Öhman", "asa@example.fi", NULL);
      break;
    default:
      s = kuu_submission_new_initiative ("Iltavastaanotto", "Auki myös iltaisin.", "kuhmo", KUU_CHANNEL_KIOSK);
      kuu_submission_set_contact (s, "Matti Virtanen", NULL, "+358 40 123 4567");
      break;
    }
  kuu_submission_set_place (s, "kainuu", "Kajaani", KUU_LANGUAGE_FI);
  return s;
}

static void
add_mixed (Fixture *f,
           guint    n)
{
  for (guint i = 0; i < n; i++)
    add (f, make_one (i));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  /* The long-offline test puts both databases in memory when it can: the
   * reference server commits each record with its own fsync. */
  if (g_strcmp0 (data, "shm") == 0 && g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    f->dir = g_mkdtemp (g_strdup ("/dev/shm/kuulolla-sync-XXXXXX"));
  else
    f->dir = g_dir_make_tmp ("kuulolla-sync-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->server_db = g_build_filename (f->dir, "server.db", NULL);
  path = g_build_filename (f->dir, "kiosk.db", NULL);
  f->store = kuu_store_open (path, &error);
  g_assert_no_error (error);
  f->sent = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_submission_free);
  start_server (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);

  if (f->server != NULL)
    kill_server (f);
  g_clear_object (&f->store);
  g_ptr_array_unref (f->sent);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (f->dir);
  g_free (f->server_db);
  g_free (f->port);
  g_free (f->base);
}

/* Runs the main loop until the outbox is empty, or fails after a while. */
static void
drain (Fixture *f,
       KuuSync *sync)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (kuu_outbox_count_pending (f->store, NULL) > 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%" G_GINT64_FORMAT " records still queued; last error: %s",
                 kuu_outbox_count_pending (f->store, NULL), kuu_sync_get_last_error (sync));
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  /* The last settle may still be finishing: let it. */
  while (kuu_sync_get_state (sync) == KUU_SYNC_SENDING)
    g_main_context_iteration (NULL, TRUE);
}

/* Every record made on the kiosk is on the server once, field for field. */
static void
assert_server_has_all (Fixture *f,
                       guint    expected)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint found = 0;

  g_assert_cmpint (sqlite3_open_v2 (f->server_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM records", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, expected);
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT record FROM records WHERE uuid = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < f->sent->len; i++)
    {
      const KuuSubmission *made = g_ptr_array_index (f->sent, i);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(KuuSubmission) stored = NULL;

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, made->uuid, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        continue;
      node = json_from_string ((const char *)sqlite3_column_text (stmt, 0), NULL);
      stored = kuu_wire_submission_from_json (node, NULL);
      g_assert_nonnull (stored);
      g_assert_true (kuu_submission_equal (made, stored));
      found++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (found, ==, expected);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  g_autoptr(KuuSubmission) kept = NULL;

  add_mixed (f, 30);
  kuu_sync_start (sync);
  drain (f, sync);

  assert_server_has_all (f, 30);
  g_assert_cmpint (kuu_outbox_count_rejected (f->store, NULL), ==, 0);
  g_assert_cmpuint (kuu_sync_get_delivered (sync), ==, 30);
  g_assert_cmpint (kuu_sync_get_last_success (sync), >, 0);

  /* The server has the contacts: the kiosk keeps none. */
  kept = kuu_store_get (f->store, ((KuuSubmission *)g_ptr_array_index (f->sent, 1))->uuid, NULL);
  g_assert_nonnull (kept);
  g_assert_false (kuu_submission_has_contact (kept));
}

static void
test_rejected_kept (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  KuuSubmission *foreign = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "talous", 7);

  add (f, foreign);
  add_mixed (f, 5);
  kuu_sync_start (sync);
  drain (f, sync);

  g_assert_cmpint (kuu_outbox_count_rejected (f->store, NULL), ==, 1);
  g_assert_cmpuint (kuu_sync_get_delivered (sync), ==, 5);
  g_assert_nonnull (kuu_store_get (f->store, foreign->uuid, NULL));
  g_ptr_array_remove_index (f->sent, 0);
  assert_server_has_all (f, 5);
}

static void
on_error_cb (KuuSync    *sync,
             GParamSpec *pspec,
             guint      *errors)
{
  (*errors)++;
}

/* Runs the main loop for a while. */
static void
run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static void
test_server_killed (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  guint kills = 0;
  guint errors = 0;

  add_mixed (f, 3000);
  kuu_sync_set_backoff (sync, 20, 400);
  g_signal_connect (sync, "notify::last-error", G_CALLBACK (on_error_cb), &errors);
  kuu_sync_start (sync);

  /* Kill it while a batch is on its way or being stored, then bring it
   * back on the same port: those batches die mid-way and are sent again. */
  while (kills < 5 && kuu_outbox_count_pending (f->store, NULL) > 0)
    {
      while (kuu_sync_get_state (sync) != KUU_SYNC_SENDING)
        g_main_context_iteration (NULL, TRUE);
      run_for (g_random_int_range (5, 150));
      kill_server (f);
      kills++;
      run_for (100);
      start_server (f);
    }

  drain (f, sync);
  g_test_message ("killed the server %u times; the client saw %u failures", kills, errors);
  g_assert_cmpuint (errors, >, 0);
  assert_server_has_all (f, 3000);
  g_assert_cmpint (kuu_outbox_count_rejected (f->store, NULL), ==, 0);
}

static void
test_revoked (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *device = NULL;
  g_autofree char *revoked = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->server_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "SELECT id FROM devices", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  device = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  revoked = admin (f, "revoke", device, NULL);

  add_mixed (f, 3);
  kuu_sync_start (sync);
  while (kuu_sync_get_state (sync) != KUU_SYNC_UNAUTHORIZED)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (kuu_outbox_count_pending (f->store, NULL), ==, 3);
  g_assert_nonnull (strstr (kuu_sync_get_last_error (sync), "enrol"));
}

/* --- waiting ---------------------------------------------------------- */

static gboolean
on_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @done says so, or fails after @seconds. */
static void
wait_for (gboolean  (*done) (gpointer data),
          gpointer    data,
          guint       seconds,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint wake = g_timeout_add (20, on_wake_cb, NULL);

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %u s waiting for %s", seconds, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

static gboolean
is_drained (gpointer data)
{
  KuuSync *sync = data;

  return kuu_sync_get_state (sync) == KUU_SYNC_IDLE && kuu_sync_get_pending (sync) == 0 &&
         kuu_sync_get_last_success (sync) > 0;
}

/* Without touching the store from the main thread: only the properties. */
static void
drain_quietly (KuuSync *sync,
               guint    seconds)
{
  wait_for (is_drained, sync, seconds, "the outbox to drain");
}

static GPtrArray *
rejected_list (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = kuu_outbox_list_rejected (f->store, &error);

  g_assert_no_error (error);
  return list;
}

/* --- a proxy that breaks things ------------------------------------------ */

typedef enum
{
  FAULT_NONE,
  FAULT_500,          /* before the server sees the batch */
  FAULT_413,          /* "too large": the client halves its batches */
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
  "none", "500", "413", "stall", "drop", "garbage", "wrong-shape",
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
  Fault fault = g_str_equal (path, "/api/v1/submissions") ? next_fault (proxy) : FAULT_NONE;

  proxy->counts[fault]++;
  switch (fault)
    {
    case FAULT_500:
      respond (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "{\"error\":\"internal\",\"message\":\"x\"}", 34);
      break;
    case FAULT_413:
      respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "{}", 2);
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
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *text = NULL;

  proxy->server = soup_server_new (NULL, NULL);
  proxy->session = soup_session_new ();
  proxy->upstream = upstream;
  proxy->stalled = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (proxy->server, NULL, on_proxy_request_cb, proxy, NULL);
  soup_server_listen_local (proxy->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy->server);
  text = g_uri_to_string (uris->data);
  proxy->uri = g_strndup (text, strlen (text) - (g_str_has_suffix (text, "/") ? 1 : 0));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify)g_uri_unref);
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

/* After any scenario: every record once, field for field, nothing queued,
 * nothing counted twice on the kiosk either. */
static void
assert_delivered_once (Fixture *f,
                       KuuSync *sync,
                       guint    n)
{
  g_autoptr(GPtrArray) rejected = rejected_list (f);

  assert_server_has_all (f, n);
  g_assert_cmpint (kuu_outbox_count_pending (f->store, NULL), ==, 0);
  g_assert_cmpuint (rejected->len, ==, 0);
  g_assert_cmpuint (kuu_sync_get_delivered (sync), ==, n);
  g_assert_cmpuint (kuu_sync_get_pending (sync), ==, 0);
  g_assert_cmpuint (kuu_sync_get_rejected (sync), ==, 0);
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
    FAULT_LOST_ANSWER, FAULT_NONE, FAULT_500, FAULT_TRUNCATED, FAULT_413, FAULT_STALL,
    FAULT_PARTIAL, FAULT_DROP, FAULT_LATE_500, FAULT_GARBAGE, FAULT_LATE_STALL, FAULT_NONE,
    FAULT_WRONG_SHAPE, FAULT_WRONG_SHAPE, FAULT_WRONG_SHAPE, FAULT_WRONG_SHAPE,
    FAULT_WRONG_SHAPE, FAULT_WRONG_SHAPE, FAULT_WRONG_SHAPE, FAULT_LOST_ANSWER,
  };
  g_autofree char *token = enrol (f);
  g_autoptr(Proxy) proxy = proxy_new (f->base);
  g_autoptr(KuuSync) sync = new_faulty_sync (f, proxy, token);

  proxy->schedule = schedule;
  proxy->schedule_length = G_N_ELEMENTS (schedule);
  add_mixed (f, 2000);
  kuu_sync_start (sync);
  drain_quietly (sync, 120);

  report_faults (proxy);
  g_assert_cmpuint (proxy->next, ==, G_N_ELEMENTS (schedule));
  for (guint i = FAULT_500; i < N_FAULTS; i++)
    g_assert_cmpuint (proxy->counts[i], >=, 1);
  /* The server committed batches the client never heard of: they came
   * back as duplicates, and were counted once. */
  g_assert_cmpuint (proxy->duplicates, >, 0);
  assert_delivered_once (f, sync, 2000);
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

  g_test_message ("fault seed %u (set KUULOLLA_FAULT_SEED=%u to repeat)", seed, seed);
  proxy->rand = g_rand_new_with_seed (seed);
  proxy->rate = 0.6;
  add_mixed (f, 4000);
  kuu_sync_start (sync);
  drain_quietly (sync, 180);

  report_faults (proxy);
  assert_delivered_once (f, sync, 4000);
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

/* --- a long time offline ------------------------------------------------- */

#define LONG_OFFLINE 100000

static gboolean
on_tick_cb (gpointer user_data)
{
  (*(guint *)user_data)++;
  return G_SOURCE_CONTINUE;
}

/* The server received them oldest first: its insertion order is the
 * kiosk's. */
static void
assert_server_order (Fixture *f)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint i = 0;

  g_assert_cmpint (sqlite3_open_v2 (f->server_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT uuid FROM records ORDER BY rowid", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const KuuSubmission *made = g_ptr_array_index (f->sent, i);

      g_assert_cmpuint (i, <, f->sent->len);
      g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, made->uuid);
      i++;
    }
  g_assert_cmpuint (i, ==, f->sent->len);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_long_offline (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_real_time () / G_USEC_PER_SEC - 60 * 24 * 3600;
  gint64 began, elapsed_ms;
  guint ticks = 0;
  guint tick;

  /* Sixty days offline, in one transaction. */
  for (guint i = 0; i < LONG_OFFLINE; i++)
    {
      KuuSubmission *s = make_one (i);

      s->created_at = start + i * 50;
      g_ptr_array_add (f->sent, s);
    }
  g_assert_true (kuu_store_add_all (f->store, f->sent, &error));
  g_assert_no_error (error);

  tick = g_timeout_add (10, on_tick_cb, &ticks);
  began = g_get_monotonic_time ();
  kuu_sync_start (sync);
  drain_quietly (sync, 600);
  elapsed_ms = (g_get_monotonic_time () - began) / 1000;
  g_source_remove (tick);

  g_test_message ("%u records drained in %.1f s; the main loop ticked %u times (%.0f %% of every 10 ms)",
                  LONG_OFFLINE, elapsed_ms / 1000.0, ticks, 100.0 * ticks / MAX (1, elapsed_ms / 10));
  /* Generous: a loaded machine skips ticks, a blocked loop skips them all. */
  g_assert_cmpuint (ticks, >=, elapsed_ms / 10 / 4);
  assert_server_order (f);
  assert_delivered_once (f, sync, LONG_OFFLINE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/round-trip", Fixture, NULL, fixture_set_up, test_round_trip, fixture_tear_down);
  g_test_add ("/sync/rejected-kept", Fixture, NULL, fixture_set_up, test_rejected_kept, fixture_tear_down);
  g_test_add ("/sync/server-killed", Fixture, NULL, fixture_set_up, test_server_killed, fixture_tear_down);
  g_test_add ("/sync/revoked", Fixture, NULL, fixture_set_up, test_revoked, fixture_tear_down);
  g_test_add ("/sync/faults/each", Fixture, NULL, fixture_set_up, test_faults_each, fixture_tear_down);
  g_test_add ("/sync/faults/random", Fixture, NULL, fixture_set_up, test_faults_random, fixture_tear_down);
  g_test_add ("/sync/reused-uuid", Fixture, NULL, fixture_set_up, test_reused_uuid, fixture_tear_down);
  g_test_add ("/sync/long-offline", Fixture, "shm", fixture_set_up, test_long_offline, fixture_tear_down);

  return g_test_run ();
}
