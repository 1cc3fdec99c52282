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
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sqlite3.h>

#include "kuu-initiatives.h"
#include "kuu-outbox.h"
#include "kuu-store-private.h"
#include "kuu-strategy-loader.h"
#include "kuu-sync.h"
#include "kuu-tls.h"
#include "kuu-wire.h"

#if defined(__SANITIZE_ADDRESS__)
#define ADDRESS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ADDRESS_SANITIZED 1
#endif
#endif

#ifdef ADDRESS_SANITIZED
/* A sanitized build (README): this process runs SoupServers of its own
 * (the faulty proxy, the fake servers), and libsoup 3.2 leaks the sockets
 * of some of their connections (tests/lsan.supp). That suppression needs
 * the library frames of the allocation, which only the slow unwinder
 * finds (build-aux/sanitize-run.sh), so this process uses it. The
 * kuulolla-server it starts does not (ASan's own default, the fast one):
 * slow, it took seconds for a batch and the fault cases timed out.
 * KUULOLLA_SLOW_UNWIND=1 in the environment still makes both slow. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0:malloc_context_size=16";
}
#endif

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

#ifdef __linux__
/* A test that aborts must not leave its server running. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}
#endif

static void
start_server (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%s", f->port ? f->port : "0");
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);

#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
#endif
  f->server = g_subprocess_launcher_spawn (launcher, &error,
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

  /* The server keeps a contact in a table of its own: back into the
   * record it came with, to compare with what the kiosk made. */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT CASE WHEN c.name IS NULL THEN r.record"
                                       "  ELSE json_set (r.record, '$.contact', json_object ('name', c.name,"
                                       "    'email', c.email, 'phone', c.phone)) END"
                                       " FROM records r LEFT JOIN contacts c ON c.uuid = r.uuid WHERE r.uuid = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
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
  g_autoptr(KuuSubmission) kept = NULL;

  add (f, foreign);
  add_mixed (f, 5);
  kuu_sync_start (sync);
  drain (f, sync);

  g_assert_cmpint (kuu_outbox_count_rejected (f->store, NULL), ==, 1);
  g_assert_cmpuint (kuu_sync_get_delivered (sync), ==, 5);
  kept = kuu_store_get (f->store, foreign->uuid, NULL);
  g_assert_nonnull (kept);
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

/* How much slower this build is (KUULOLLA_TIME_FACTOR, set by the
 * sanitized test setup). */
static guint
time_factor (void)
{
  const char *text = g_getenv ("KUULOLLA_TIME_FACTOR");

  return text != NULL ? CLAMP (g_ascii_strtoull (text, NULL, 10), 1, 100) : 1;
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
   * back on the same port: those batches die mid-way and are sent again.
   * Five kills, and more until one has cut a batch: a slow client (a
   * sanitized build) may still be reading its batch when the kill comes. */
  while ((kills < 5 || errors == 0) && kills < 30 && kuu_outbox_count_pending (f->store, NULL) > 0)
    {
      while (kuu_sync_get_state (sync) != KUU_SYNC_SENDING)
        g_main_context_iteration (NULL, TRUE);
      run_for (g_random_int_range (5, 150) * time_factor ());
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

static void        wait_for       (gboolean  (*done) (gpointer data),
                                   gpointer    data,
                                   guint       seconds,
                                   const char *what);
static GHashTable *watch_notifies (KuuSync   *sync);

static void
on_enrolled_full_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  KuuEnrolment **enrolment = user_data;
  g_autoptr(GError) error = NULL;

  *enrolment = kuu_sync_enrol_finish_full (result, &error);
  g_assert_no_error (error);
}

static char *
server_device_id (Fixture *f)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *id;

  g_assert_cmpint (sqlite3_open_v2 (f->server_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id FROM devices", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return id;
}

/* The 201 names the device and its region besides the token; the token
 * works. */
static void
test_enrol_result (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *code = admin (f, "enrol", "--region", "kainuu", "--unit", "Kajaani", NULL);
  g_autoptr(KuuEnrolment) enrolment = NULL;
  g_autoptr(KuuEnrolment) copy = NULL;
  g_autofree char *device_id = NULL;
  g_autoptr(KuuSync) sync = NULL;

  kuu_sync_enrol_async (f->base, code, "Kajaani", NULL, on_enrolled_full_cb, &enrolment);
  while (enrolment == NULL)
    g_main_context_iteration (NULL, TRUE);

  device_id = server_device_id (f);
  g_assert_cmpstr (enrolment->device_id, ==, device_id);
  g_assert_cmpstr (enrolment->region, ==, "kainuu");
  g_assert_cmpuint (strlen (enrolment->token), >=, 22);  /* 128 bits in base64 */
  copy = g_boxed_copy (KUU_TYPE_ENROLMENT, enrolment);
  g_assert_cmpstr (copy->token, ==, enrolment->token);
  g_assert_cmpstr (copy->device_id, ==, device_id);

  sync = kuu_sync_new (f->store, f->base, enrolment->token);
  add_mixed (f, 2);
  kuu_sync_start (sync);
  drain (f, sync);
  assert_server_has_all (f, 2);
}

static gboolean
has_no_error (gpointer data)
{
  return kuu_sync_get_last_error (data) == NULL;
}

/* While a failed try waits out a long backoff, kuu_sync_now() tries at
 * once; a success then clears the error and sets last-success. */
static void
test_now_during_backoff (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  g_autoptr(GHashTable) notifies = watch_notifies (sync);
  guint errors = 0;
  gint64 started;

  /* Ten minutes at least between tries: only kuu_sync_now() can help. */
  kuu_sync_set_backoff (sync, 10 * 60 * 1000, 10 * 60 * 1000);
  g_signal_connect (sync, "notify::last-error", G_CALLBACK (on_error_cb), &errors);
  kill_server (f);
  add_mixed (f, 3);
  kuu_sync_start (sync);
  while (kuu_sync_get_state (sync) != KUU_SYNC_WAITING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (kuu_sync_get_last_error (sync));
  g_assert_cmpint (kuu_sync_get_last_success (sync), ==, 0);
  g_assert_cmpuint (errors, >=, 1);

  /* Still down: the try is made at once, and fails back to waiting. */
  kuu_sync_now (sync);
  g_assert_cmpint (kuu_sync_get_state (sync), ==, KUU_SYNC_SENDING);
  while (kuu_sync_get_state (sync) != KUU_SYNC_WAITING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (kuu_outbox_count_pending (f->store, NULL), ==, 3);

  /* Back: everything goes now, not in ten minutes. */
  start_server (f);
  started = g_get_monotonic_time ();
  kuu_sync_now (sync);
  g_assert_cmpint (kuu_sync_get_state (sync), ==, KUU_SYNC_SENDING);
  drain (f, sync);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 30 * G_USEC_PER_SEC);
  assert_server_has_all (f, 3);
  g_assert_cmpint (kuu_sync_get_last_success (sync), >, 0);

  /* The pulls failed too while it was down; once they go through as well,
   * no error is left for staff. */
  kuu_sync_pull_now (sync);
  wait_for (has_no_error, sync, 30, "last-error to clear");
  g_assert_cmpuint (errors, >=, 2);

  /* A pull may still hold the sync: nothing may reach the handlers'
   * data, gone with this function. */
  kuu_sync_stop (sync);
  g_signal_handlers_disconnect_by_data (sync, &errors);
  g_signal_handlers_disconnect_by_data (sync, notifies);
}

static gboolean
has_last_success (gpointer data)
{
  return kuu_sync_get_last_success (data) > 0;
}

/* Nothing to send: a pull the server answers is the sign all is well. */
static void
test_success_by_pull (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  g_autoptr(GHashTable) notifies = watch_notifies (sync);

  kuu_sync_start (sync);
  wait_for (has_last_success, sync, 30, "a pull to succeed");
  g_assert_cmpuint (kuu_sync_get_delivered (sync), ==, 0);
  g_assert_cmpint (kuu_sync_get_state (sync), ==, KUU_SYNC_IDLE);
  g_assert_cmpint (ABS (kuu_sync_get_last_success (sync) - g_get_real_time () / G_USEC_PER_SEC), <=, 5);
  g_assert_null (kuu_sync_get_last_error (sync));
  kuu_sync_stop (sync);
  g_signal_handlers_disconnect_by_data (sync, notifies);
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

/* "http://127.0.0.1:PORT" of a server listening on loopback, without the
 * final slash. Not soup_server_get_uris(): libsoup 3.2 leaks the local
 * address it takes of each listener. */
static char *
local_uri (SoupServer *server)
{
  g_autoptr(GSList) listeners = soup_server_get_listeners (server);
  g_autoptr(GSocketAddress) address = NULL;

  g_assert_nonnull (listeners);
  address = g_socket_get_local_address (listeners->data, NULL);
  g_assert_true (G_IS_INET_SOCKET_ADDRESS (address));
  return g_strdup_printf ("%s://127.0.0.1:%u", soup_server_is_https (server) ? "https" : "http",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

/* On 127.0.0.1, a free port. Not soup_server_listen_local(): libsoup 3.2
 * caches the listener's local address there and never frees it, a leak
 * at every server's end (LeakSanitizer). */
static void
listen_loopback (SoupServer              *server,
                 SoupServerListenOptions  options)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GError) error = NULL;

  soup_server_listen (server, address, options, &error);
  g_assert_no_error (error);
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

/* After any scenario: every record once, field for field, nothing queued,
 * nothing counted twice on the kiosk either. */
static void
assert_delivered_once_but (Fixture   *f,
                           KuuSync   *sync,
                           guint      n,
                           GPtrArray *refused)
{
  g_autoptr(GPtrArray) rejected = rejected_list (f);
  guint n_refused = refused ? refused->len : 0;

  assert_server_has_all (f, n);
  g_assert_cmpint (kuu_outbox_count_pending (f->store, NULL), ==, 0);
  g_assert_cmpuint (kuu_sync_get_delivered (sync), ==, n);
  g_assert_cmpuint (kuu_sync_get_pending (sync), ==, 0);
  g_assert_cmpuint (kuu_sync_get_rejected (sync), ==, n_refused);
  /* The refused ones are kept, oldest first, each with its reason. */
  g_assert_cmpuint (rejected->len, ==, n_refused);
  for (guint i = 0; i < rejected->len; i++)
    {
      const KuuDeliveryResult *result = g_ptr_array_index (rejected, i);
      g_autoptr(KuuSubmission) kept = kuu_store_get (f->store, result->uuid, NULL);

      g_assert_cmpstr (result->uuid, ==, g_ptr_array_index (refused, i));
      g_assert_nonnull (strstr (result->reason, "talous"));
      g_assert_nonnull (kept);
    }
}

static void
assert_delivered_once (Fixture *f,
                       KuuSync *sync,
                       guint    n)
{
  assert_delivered_once_but (f, sync, n, NULL);
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

/* Each notify says the value changed: never the same value twice. */
static void
on_notify_changed_cb (GObject    *object,
                      GParamSpec *pspec,
                      GHashTable *last)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *text = NULL;
  char *before;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, pspec->name, &value);
  text = g_strdup_value_contents (&value);
  before = g_hash_table_lookup (last, pspec->name);
  if (before != NULL)
    g_assert_cmpstr (before, !=, text);
  g_hash_table_replace (last, (char *)pspec->name, g_steal_pointer (&text));
}

static GHashTable *
watch_notifies (KuuSync *sync)
{
  static const char * const names[] = { "state", "last-error", "last-success", "pending", "rejected", "delivered" };
  GHashTable *last = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", names[i], NULL);

      g_signal_connect (sync, signal, G_CALLBACK (on_notify_changed_cb), last);
    }
  return last;
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

/* --- a long time offline ------------------------------------------------- */

/* Under AddressSanitizer, which tracks every allocation with its stack, a
 * fiftieth as many: the same path, within the test's time; the output says so. */
#ifdef ADDRESS_SANITIZED
#define LONG_OFFLINE 2000
#else
#define LONG_OFFLINE 100000
#endif

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
  g_assert_true (_kuu_store_add_all (f->store, f->sent, &error));
  g_assert_no_error (error);

  tick = g_timeout_add (10, on_tick_cb, &ticks);
  began = g_get_monotonic_time ();
  kuu_sync_start (sync);
  drain_quietly (sync, 600);
  elapsed_ms = (g_get_monotonic_time () - began) / 1000;
  g_source_remove (tick);

#ifdef ADDRESS_SANITIZED
  g_test_message ("a sanitized build: %u records, not the 100000 of a normal one", LONG_OFFLINE);
#endif
  g_test_message ("%u records drained in %.1f s; the main loop ticked %u times (%.0f %% of every 10 ms)",
                  LONG_OFFLINE, elapsed_ms / 1000.0, ticks, 100.0 * ticks / MAX (1, elapsed_ms / 10));
  /* Generous: a loaded machine skips ticks, a blocked loop skips them all. */
  g_assert_cmpuint (ticks, >=, elapsed_ms / 10 / 4);
  assert_server_order (f);
  assert_delivered_once (f, sync, LONG_OFFLINE);
}

/* --- a fake server for the pulls (docs/protocol.md § 6, § 7) ------------ */

#define FAKE_TOKEN "fake-token-0123456789"

typedef struct
{
  SoupServer *server;
  char       *uri;
  GBytes     *region;      /* NULL: 404 */
  char       *etag;
  char       *if_none_match;
  guint       region_requests;
  GPtrArray  *pages;       /* page i carries cursor "c<i+1>" */
  GPtrArray  *since;       /* every cursor asked with; "" for none */
  char       *override;    /* when set, the initiatives answer */
} Fake;

static void
on_fake_region_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  Fake *fake = user_data;
  const char *inm = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");
  gsize size;
  const char *data;

  fake->region_requests++;
  g_free (fake->if_none_match);
  fake->if_none_match = g_strdup (inm);
  if (fake->region == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (inm != NULL && g_strcmp0 (inm, fake->etag) == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  data = g_bytes_get_data (fake->region, &size);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", fake->etag);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, data, size);
}

static void
on_fake_initiatives_cb (SoupServer        *server,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data)
{
  Fake *fake = user_data;
  const char *since = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  guint index = since != NULL && since[0] == 'c' ? (guint)atoi (since + 1) : 0;
  g_autofree char *empty = g_strdup_printf ("{\"initiatives\": [], \"cursor\": \"c%u\"}", index);
  const char *body = fake->override ? fake->override : index < fake->pages->len ? g_ptr_array_index (fake->pages, index) : empty;

  g_ptr_array_add (fake->since, g_strdup (since ? since : ""));
  if (index > fake->pages->len)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
on_fake_enrol_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  const char *body = "{\"device_id\": \"d\", \"token\": \"" FAKE_TOKEN "\", \"region\": \"kainuu\"}";

  soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

/* Every call but enrolment needs the token. */
static void
on_fake_request_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  const char *authorization =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  if (g_str_equal (path, "/api/v1/enrol"))
    on_fake_enrol_cb (server, msg, path, query, user_data);
  else if (g_strcmp0 (authorization, "Bearer " FAKE_TOKEN) != 0)
    soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  else if (g_str_equal (path, "/api/v1/region"))
    on_fake_region_cb (server, msg, path, query, user_data);
  else if (g_str_equal (path, "/api/v1/initiatives"))
    on_fake_initiatives_cb (server, msg, path, query, user_data);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static Fake *
fake_new (GTlsCertificate *certificate)
{
  Fake *fake = g_new0 (Fake, 1);

  fake->server = soup_server_new ("tls-certificate", certificate, NULL);
  fake->pages = g_ptr_array_new_with_free_func (g_free);
  fake->since = g_ptr_array_new_with_free_func (g_free);
  fake->etag = g_strdup ("\"v1\"");
  soup_server_add_handler (fake->server, NULL, on_fake_request_cb, fake, NULL);
  listen_loopback (fake->server, certificate ? SOUP_SERVER_LISTEN_HTTPS : 0);
  fake->uri = local_uri (fake->server);
  return fake;
}

static void
fake_free (Fake *fake)
{
  soup_server_disconnect (fake->server);
  g_object_unref (fake->server);
  g_clear_pointer (&fake->region, g_bytes_unref);
  g_ptr_array_unref (fake->pages);
  g_ptr_array_unref (fake->since);
  g_free (fake->etag);
  g_free (fake->if_none_match);
  g_free (fake->override);
  g_free (fake->uri);
  g_free (fake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fake, fake_free)

static void
fake_serve_region (Fake       *fake,
                   GBytes     *bytes,
                   const char *etag)
{
  g_clear_pointer (&fake->region, g_bytes_unref);
  fake->region = g_bytes_ref (bytes);
  g_free (fake->etag);
  fake->etag = g_strdup (etag);
}

static GBytes *
read_region (const char *id)
{
  g_autofree char *name = g_strconcat (id, ".json", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("KUULOLLA_SOURCE_DIR"), "data", "regions", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, length);
}

typedef struct
{
  guint *counter;
  guint  target;
} Reaching;

static gboolean
has_reached (gpointer data)
{
  Reaching *reaching = data;

  return *reaching->counter >= reaching->target;
}

static void
wait_count (guint      *counter,
            guint       target,
            const char *what)
{
  Reaching reaching = { counter, target };

  wait_for (has_reached, &reaching, 30, what);
}

static void
on_notify_count_cb (GObject    *object,
                    GParamSpec *pspec,
                    guint      *count)
{
  (*count)++;
}

static void
on_changed_count_cb (KuuSync *sync,
                     guint    changed,
                     guint   *count)
{
  g_assert_cmpuint (changed, >, 0);
  (*count)++;
}

static void
on_region_changed_cb (KuuSync    *sync,
                      const char *region_id,
                      const char *path,
                      guint      *changes)
{
  g_assert_cmpstr (region_id, ==, "kainuu");
  g_assert_true (g_str_has_suffix (path, "/kainuu.json"));
  (*changes)++;
}

static void
assert_file_bytes (const char *path,
                   GBytes     *expected)
{
  g_autofree char *data = NULL;
  gsize length;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&data), length);
  g_assert_true (g_bytes_equal (bytes, expected));
}

static void
assert_file_text (const char *path,
                  const char *expected)
{
  g_autofree char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  g_assert_cmpstr (data, ==, expected);
}

/* One pull that brings an error: waits for last-error to change. */
static void
pull_expecting_error (KuuSync    *sync,
                      guint      *errors,
                      const char *words)
{
  guint before = *errors;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* A pull still finishing ignores the call: ask until one starts. */
  while (*errors == before)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      kuu_sync_pull_now (sync);
      run_for (50);
    }
  g_test_message ("last-error: %s", kuu_sync_get_last_error (sync));
  g_assert_nonnull (strstr (kuu_sync_get_last_error (sync), words));
}

static void
test_region_pull (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Fake) fake = fake_new (NULL);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, fake->uri, FAKE_TOKEN);
  g_autofree char *dir = g_build_filename (f->dir, "regions", NULL);
  g_autofree char *path = g_build_filename (dir, "kainuu.json", NULL);
  g_autofree char *etag_path = g_strconcat (path, ".etag", NULL);
  g_autoptr(GBytes) original = read_region ("kainuu");
  g_autoptr(GBytes) broken = g_bytes_new_static ("{\"format\": 1, \"id\": \"kainuu\"}", 29);
  g_autoptr(GBytes) foreign = read_region ("kymenlaakso");
  g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (original, NULL), NULL);
  g_autofree char *compact = json_to_string (node, FALSE);
  g_autoptr(GBytes) newer = g_bytes_new (compact, strlen (compact));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(KuuStrategy) loaded = NULL;
  g_autoptr(GError) error = NULL;
  guint changes = 0, errors = 0;

  g_signal_connect (sync, "region-changed", G_CALLBACK (on_region_changed_cb), &changes);
  g_signal_connect (sync, "notify::last-error", G_CALLBACK (on_notify_count_cb), &errors);
  kuu_sync_set_region (sync, "kainuu", dir);
  fake_serve_region (fake, original, "\"v1\"");

  /* On start: fetched, checked, written with its ETag beside it. */
  kuu_sync_start (sync);
  wait_count (&changes, 1, "the region file");
  assert_file_bytes (path, original);
  assert_file_text (etag_path, "\"v1\"");
  g_assert_null (fake->if_none_match);

  /* Asked again with the ETag: 304, nothing written, no signal. */
  kuu_sync_pull_now (sync);
  wait_count (&fake->region_requests, 2, "the second request");
  run_for (200);
  g_assert_cmpstr (fake->if_none_match, ==, "\"v1\"");
  g_assert_cmpuint (changes, ==, 1);

  /* A file that does not load, or is another region's, is never written. */
  fake_serve_region (fake, broken, "\"v2\"");
  pull_expecting_error (sync, &errors, "region file");
  fake_serve_region (fake, foreign, "\"v3\"");
  pull_expecting_error (sync, &errors, "kainuu.json");
  g_assert_cmpuint (changes, ==, 1);
  assert_file_bytes (path, original);
  assert_file_text (etag_path, "\"v1\"");
  g_assert_cmpstr (fake->if_none_match, ==, "\"v1\"");

  /* A new version: written, and it loads. */
  fake_serve_region (fake, newer, "\"v4\"");
  kuu_sync_pull_now (sync);
  wait_count (&changes, 2, "the new region file");
  /* A file that installs ends the region's error. */
  g_assert_null (kuu_sync_get_last_error (sync));
  g_assert_cmpint (kuu_sync_get_last_success (sync), >, 0);
  assert_file_bytes (path, newer);
  assert_file_text (etag_path, "\"v4\"");
  loaded = kuu_strategy_load_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kuu_strategy_get_id (loaded), ==, "kainuu");

  /* The app could not read it after all: staff see that until the next
   * file from the server installs. */
  kuu_sync_note_error (sync, "The new region file could not be read");
  g_assert_cmpstr (kuu_sync_get_last_error (sync), ==, "The new region file could not be read");
  fake_serve_region (fake, original, "\"v5\"");
  kuu_sync_pull_now (sync);
  wait_count (&changes, 3, "the file after the app's problem");
  g_assert_null (kuu_sync_get_last_error (sync));

  /* No leftovers of the atomic writes. */
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    guint files = 0;

    while (g_dir_read_name (listing) != NULL)
      files++;
    g_assert_cmpuint (files, ==, 2);
  }
}

static char *
initiative_json (const char *uuid,
                 const char *status,
                 const char *answer,
                 const char *updated_at)
{
  g_autofree char *answer_json = answer ? g_strdup_printf ("\"%s\"", answer) : g_strdup ("null");

  return g_strdup_printf ("{\"uuid\": \"%s\", \"title\": \"Iltavastaanotto Kuhmoon\","
                          " \"text\": \"Auki myös iltaisin <b>ja</b> viikonloppuisin. 👍\","
                          " \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\","
                          " \"status\": \"%s\", \"answer\": %s, \"updated_at\": \"%s\"}",
                          uuid, status, answer_json, updated_at);
}

/* Ten ways to be wrong, each in one member. */
static const char * const invalid_initiatives[] = {
  "42",
  "{\"uuid\": \"not-a-uuid\", \"title\": \"t\", \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": {\"fi\": \"t\"}, \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"@LONG@\", \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"t\", \"text\": 12, \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"t\", \"text\": \"t\", \"municipality\": \"Kuhmo!\", \"received_on\": \"2026-10-02\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"t\", \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-02-30\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"t\", \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"received\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"t\", \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"answered\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"t\", \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"yesterday\"}",
};

static char *
invalid_initiative (guint i)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *long_title = g_strnfill (201, 'a');

  GString *text = g_string_new (invalid_initiatives[i]);

  g_string_replace (text, "@UUID@", uuid, 0);
  g_string_replace (text, "@LONG@", long_title, 0);
  return g_string_free (text, FALSE);
}

static char *
page (const char *cursor,
      GPtrArray  *items)
{
  g_autofree char *joined = NULL;

  g_ptr_array_add (items, NULL);
  joined = g_strjoinv (", ", (char **)items->pdata);
  return g_strdup_printf ("{\"initiatives\": [%s], \"cursor\": \"%s\"}", joined, cursor);
}

/* Each wrong member is named; a page that is not UTF-8 is refused whole. */
static void
test_initiatives_parse (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const members[] = {
    "not an object", "uuid:", "title:", "title: longer than 200", "text:", "municipality:",
    "received_on:", "status:", "answer:", "updated_at:",
  };
  static const char not_utf8_text[] = "{\"initiatives\": [], \"cursor\": \"\xff\"}";
  g_autoptr(GBytes) not_utf8 = g_bytes_new_static (not_utf8_text, sizeof not_utf8_text - 1);
  g_autoptr(GError) error = NULL;

  G_STATIC_ASSERT (G_N_ELEMENTS (members) == G_N_ELEMENTS (invalid_initiatives));
  for (guint i = 0; i < G_N_ELEMENTS (invalid_initiatives); i++)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *body = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(KuuInitiativesPage) parsed = NULL;

      g_ptr_array_add (items, invalid_initiative (i));
      body = page ("c1", items);
      bytes = g_bytes_new (body, strlen (body));
      parsed = kuu_initiatives_parse_page (bytes, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (parsed->initiatives->len, ==, 0);
      g_assert_cmpuint (parsed->n_invalid, ==, 1);
      g_assert_nonnull (strstr (parsed->invalid_reason, members[i]));
    }

  g_assert_null (kuu_initiatives_parse_page (not_utf8, &error));
  g_assert_error (error, KUU_INITIATIVES_ERROR, KUU_INITIATIVES_ERROR_BAD_ANSWER);
}

static void
set_own_status (Fixture    *f,
                const char *uuid,
                const char *status)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (kuu_store_get_path (f->store), &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  sqlite3_prepare_v2 (db, "UPDATE initiatives SET status = ? WHERE submission_id = (SELECT id FROM submissions WHERE uuid = ?)",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static const KuuInitiative *
find_initiative (GPtrArray  *list,
                 const char *uuid)
{
  const KuuInitiative *found = NULL;

  for (guint i = 0; i < list->len; i++)
    {
      const KuuInitiative *initiative = g_ptr_array_index (list, i);

      if (g_strcmp0 (initiative->uuid, uuid) == 0)
        {
          g_assert_null (found);  /* never twice */
          found = initiative;
        }
    }
  return found;
}

static void
test_initiatives_pull (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Fake) fake = fake_new (NULL);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, fake->uri, FAKE_TOKEN);
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *b_uuid = g_uuid_string_random ();
  const KuuInitiative *a, *b, *own;
  KuuSubmission *taken_up, *also_on_server, *not_yet;
  guint changes = 0, errors = 0;

  /* The kiosk's own: one taken up, one the server also lists, one new. */
  taken_up = kuu_submission_new_initiative ("Penkkejä aulaan", "Lisää penkkejä.", "kajaani", KUU_CHANNEL_PAPER);
  also_on_server = kuu_submission_new_initiative ("Iltavastaanotto", "Auki iltaisin.", "kuhmo", KUU_CHANNEL_KIOSK);
  not_yet = kuu_submission_new_initiative ("Edellisen ihmisen aloite", "Ei vielä julkinen.", "kuhmo", KUU_CHANNEL_KIOSK);
  kuu_submission_set_contact (taken_up, "Matti", NULL, "+358 40 1");
  kuu_submission_set_contact (also_on_server, "Maija", "maija@example.fi", NULL);
  kuu_submission_set_contact (not_yet, "Pekka", "pekka@example.fi", NULL);
  add (f, taken_up);
  add (f, also_on_server);
  add (f, not_yet);
  set_own_status (f, taken_up->uuid, "in_progress");

  g_ptr_array_add (first, initiative_json (also_on_server->uuid, "in_progress", NULL, "2026-11-01T08:00:00Z"));
  g_ptr_array_add (first, initiative_json (b_uuid, "answered", "Kyllä, \\\"alkaen\\\" tammikuussa.", "2026-11-02T08:00:00+02:00"));
  for (guint i = 0; i < G_N_ELEMENTS (invalid_initiatives); i++)
    g_ptr_array_add (first, invalid_initiative (i));
  g_ptr_array_add (fake->pages, page ("c1", first));
  /* Then, later changes: the first answered, the second's answer refined. */
  g_ptr_array_add (second, initiative_json (also_on_server->uuid, "answered", "Tehty.", "2026-11-20T10:00:00+02:00"));
  g_ptr_array_add (second, initiative_json (b_uuid, "answered", "Tarkennettu vastaus.", "2026-11-21T08:00:00Z"));
  g_ptr_array_add (fake->pages, page ("c2", second));

  g_signal_connect (sync, "initiatives-changed", G_CALLBACK (on_changed_count_cb), &changes);
  g_signal_connect (sync, "notify::last-error", G_CALLBACK (on_notify_count_cb), &errors);
  kuu_sync_pull_now (sync);
  wait_count (&fake->since->len, 3, "three pages");
  run_for (300);

  /* Asked without a cursor, then with each one given. */
  g_assert_cmpstr (g_ptr_array_index (fake->since, 0), ==, "");
  g_assert_cmpstr (g_ptr_array_index (fake->since, 1), ==, "c1");
  g_assert_cmpstr (g_ptr_array_index (fake->since, 2), ==, "c2");
  g_assert_cmpuint (fake->since->len, ==, 3);
  cursor = kuu_initiatives_get_cursor (f->store, NULL);
  g_assert_cmpstr (cursor, ==, "c2");
  g_assert_cmpuint (changes, ==, 2);
  g_test_message ("last-error: %s", kuu_sync_get_last_error (sync));
  g_assert_nonnull (strstr (kuu_sync_get_last_error (sync), "10 initiatives that are not valid"));

  list = kuu_initiatives_list_published (f->store, NULL);
  g_assert_cmpuint (list->len, ==, 3);
  a = find_initiative (list, also_on_server->uuid);
  b = find_initiative (list, b_uuid);
  own = find_initiative (list, taken_up->uuid);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_nonnull (own);
  g_assert_null (find_initiative (list, not_yet->uuid));
  g_assert_cmpint (a->status, ==, KUU_INITIATIVE_ANSWERED);
  g_assert_cmpstr (a->answer, ==, "Tehty.");
  g_assert_cmpstr (a->body, ==, "Auki myös iltaisin <b>ja</b> viikonloppuisin. 👍");
  g_assert_cmpstr (a->updated_at, ==, "2026-11-20T08:00:00Z");
  g_assert_cmpint (b->status, ==, KUU_INITIATIVE_ANSWERED);
  g_assert_cmpstr (b->answer, ==, "Tarkennettu vastaus.");
  g_assert_cmpint (own->status, ==, KUU_INITIATIVE_IN_PROGRESS);

  /* The next pull starts from the cursor kept in the store. */
  kuu_sync_pull_now (sync);
  wait_count (&fake->since->len, 4, "the next pull");
  g_assert_cmpstr (g_ptr_array_index (fake->since, 3), ==, "c2");

  /* An answer of the wrong shape changes nothing, and staff hear of it. */
  fake->override = g_strdup ("{\"initiatives\": {\"uuid\": 1}, \"cursor\": \"c9\"}");
  pull_expecting_error (sync, &errors, "not what the protocol says");
  g_clear_pointer (&cursor, g_free);
  cursor = kuu_initiatives_get_cursor (f->store, NULL);
  g_assert_cmpstr (cursor, ==, "c2");
  g_clear_pointer (&fake->override, g_free);
  fake->override = g_strdup ("{\"initiatives\": [], \"cursor\": {}}");
  pull_expecting_error (sync, &errors, "cursor");
  g_clear_pointer (&fake->override, g_free);

  /* A server that no longer knows the cursor (400): start over. */
  {
    g_autoptr(KuuInitiativesPage) lost = g_new0 (KuuInitiativesPage, 1);
    guint asked = fake->since->len;

    lost->initiatives = g_ptr_array_new ();
    lost->cursor = g_strdup ("c99");
    g_assert_true (kuu_initiatives_store_page (f->store, lost, NULL, NULL));
    kuu_sync_pull_now (sync);
    wait_count (&fake->since->len, asked + 4, "a pull from the start");
    g_assert_cmpstr (g_ptr_array_index (fake->since, asked), ==, "c99");
    g_assert_cmpstr (g_ptr_array_index (fake->since, asked + 1), ==, "");
    g_assert_cmpstr (g_ptr_array_index (fake->since, asked + 2), ==, "c1");
    g_assert_cmpstr (g_ptr_array_index (fake->since, asked + 3), ==, "c2");
    run_for (200);
    g_clear_pointer (&list, g_ptr_array_unref);
    list = kuu_initiatives_list_published (f->store, NULL);
    g_assert_cmpuint (list->len, ==, 3);
  }
}

/* A pull with a refused token stops the sync until enrolment. */
static void
test_pull_unauthorized (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Fake) fake = fake_new (NULL);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, fake->uri, "revoked-token");
  guint states = 0;

  g_signal_connect (sync, "notify::state", G_CALLBACK (on_notify_count_cb), &states);
  kuu_sync_pull_now (sync);
  wait_count (&states, 1, "the state to change");
  g_assert_cmpint (kuu_sync_get_state (sync), ==, KUU_SYNC_UNAUTHORIZED);
  g_assert_nonnull (strstr (kuu_sync_get_last_error (sync), "enrol"));
}

/* Asks again until @counter reaches @target: a pull still running ignores
 * the call. */
static void
pull_until (KuuSync    *sync,
            guint      *counter,
            guint       target,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (*counter < target)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s; last error: %s", what, kuu_sync_get_last_error (sync));
      kuu_sync_pull_now (sync);
      run_for (50);
    }
}

/* The same pulls against the real kuulolla-server. */
static void
test_real_pulls (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  g_autofree char *dir = g_build_filename (f->dir, "regions", NULL);
  g_autofree char *path = g_build_filename (dir, "kainuu.json", NULL);
  g_autofree char *etag_path = g_strconcat (path, ".etag", NULL);
  g_autofree char *etag = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GBytes) bundled = read_region ("kainuu");
  g_autoptr(GPtrArray) list = NULL;
  const KuuInitiative *found;
  KuuSubmission *mine;
  guint region_changes = 0, changes = 0;

  mine = kuu_submission_new_initiative ("Iltavastaanotto Kuhmoon", "Auki myös iltaisin. åäö 👍", "kuhmo",
                                        KUU_CHANNEL_KIOSK);
  kuu_submission_set_contact (mine, "Maija", "maija@example.fi", NULL);
  add (f, mine);
  add_mixed (f, 2);
  g_signal_connect (sync, "region-changed", G_CALLBACK (on_region_changed_cb), &region_changes);
  g_signal_connect (sync, "initiatives-changed", G_CALLBACK (on_changed_count_cb), &changes);
  kuu_sync_set_region (sync, "kainuu", dir);
  kuu_sync_start (sync);
  drain_quietly (sync, 60);
  wait_count (&region_changes, 1, "the region file from the server");
  assert_file_bytes (path, bundled);
  g_assert_true (g_file_get_contents (etag_path, &etag, NULL, NULL));
  g_assert_cmpuint (strlen (etag), ==, 66);  /* "<SHA-256 in hex>" */

  /* Taken up on the server, then answered: the kiosk shows each. */
  out = admin (f, "initiative", mine->uuid, "--status", "in_progress", NULL);
  pull_until (sync, &changes, 1, "the initiative taken up");
  list = kuu_initiatives_list_published (f->store, NULL);
  g_assert_cmpuint (list->len, ==, 1);
  found = find_initiative (list, mine->uuid);
  g_assert_nonnull (found);
  g_assert_cmpint (found->status, ==, KUU_INITIATIVE_IN_PROGRESS);
  g_assert_cmpstr (found->body, ==, mine->text);

  g_free (admin (f, "initiative", mine->uuid, "--status", "answered", "--answer", "Aukeaa 1.1.2027 – kiitos!", NULL));
  pull_until (sync, &changes, 2, "the answer");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kuu_initiatives_list_published (f->store, NULL);
  g_assert_cmpuint (list->len, ==, 1);
  found = find_initiative (list, mine->uuid);
  g_assert_cmpint (found->status, ==, KUU_INITIATIVE_ANSWERED);
  g_assert_cmpstr (found->answer, ==, "Aukeaa 1.1.2027 – kiitos!");

  /* The region file again: 304, nothing new. */
  kuu_sync_pull_now (sync);
  run_for (500);
  g_assert_cmpuint (region_changes, ==, 1);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_null (kuu_sync_get_last_error (sync));
  assert_delivered_once (f, sync, 3);
}

/* A copy of the server's database as a backup tool makes it, while the
 * server runs. */
static void
back_up (const char *database,
         const char *backup)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("VACUUM INTO '%s'", backup);

  g_assert_cmpint (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The server's database restored from a backup: the kiosk's cursor is
 * beyond every change the server knows. It gets 400 bad_cursor, starts
 * over and from then on misses nothing the restored server publishes. */
static void
test_restored_server (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  g_autofree char *backup = g_build_filename (f->dir, "backup.db", NULL);
  g_autofree char *wal = g_strconcat (f->server_db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->server_db, "-shm", NULL);
  g_autofree char *cursor = NULL;
  g_autoptr(GPtrArray) list = NULL;
  KuuSubmission *first, *second;
  guint changes = 0;

  first = kuu_submission_new_initiative ("Iltavastaanotto Kuhmoon", "Auki myös iltaisin.", "kuhmo",
                                         KUU_CHANNEL_KIOSK);
  kuu_submission_set_contact (first, "Maija", "maija@example.fi", NULL);
  add (f, first);
  second = kuu_submission_new_initiative ("Kirjasto sunnuntaisin", "Auki sunnuntaisin.", "kuhmo",
                                          KUU_CHANNEL_KIOSK);
  kuu_submission_set_contact (second, "Matti", NULL, "040 123");
  add (f, second);
  g_signal_connect (sync, "initiatives-changed", G_CALLBACK (on_changed_count_cb), &changes);
  kuu_sync_start (sync);
  drain_quietly (sync, 60);

  g_free (admin (f, "initiative", first->uuid, "--status", "in_progress", NULL));
  pull_until (sync, &changes, 1, "the first initiative taken up");
  back_up (f->server_db, backup);
  g_free (admin (f, "initiative", second->uuid, "--status", "in_progress", NULL));
  g_free (admin (f, "initiative", first->uuid, "--status", "answered", "--answer", "Kyllä", NULL));
  pull_until (sync, &changes, 2, "both initiatives");
  cursor = kuu_initiatives_get_cursor (f->store, NULL);
  g_assert_cmpstr (cursor, ==, "3");

  /* Restored: the server's newest change is 1 again, the kiosk's cursor 3. */
  kill_server (f);
  g_assert_cmpint (g_rename (backup, f->server_db), ==, 0);
  g_remove (wal);
  g_remove (shm);
  start_server (f);
  pull_until (sync, &changes, 3, "the initiatives from the start");
  g_clear_pointer (&cursor, g_free);
  cursor = kuu_initiatives_get_cursor (f->store, NULL);
  g_assert_cmpstr (cursor, ==, "1");
  list = kuu_initiatives_list_published (f->store, NULL);
  g_assert_cmpint (find_initiative (list, first->uuid)->status, ==, KUU_INITIATIVE_IN_PROGRESS);

  /* What the restored server publishes next reaches the kiosk. */
  g_free (admin (f, "initiative", second->uuid, "--status", "answered", "--answer", "Ei", NULL));
  g_free (admin (f, "initiative", first->uuid, "--status", "answered", "--answer", "Kyllä taas", NULL));
  pull_until (sync, &changes, 4, "the restored server's answers");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kuu_initiatives_list_published (f->store, NULL);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (find_initiative (list, first->uuid)->answer, ==, "Kyllä taas");
  g_assert_cmpstr (find_initiative (list, second->uuid)->answer, ==, "Ei");
  g_assert_null (kuu_sync_get_last_error (sync));
}

/* --- a region's own CA ---------------------------------------------------- */

static void
run_openssl (const char *dir,
             const char *arguments)
{
  g_autofree char *command = g_strdup_printf ("sh -c 'cd \"%s\" && openssl %s'", dir, arguments);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  g_spawn_command_line_sync (command, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl %s failed: %s", arguments, err);
}

/* A CA, and a certificate for 127.0.0.1 that it signed. */
static void
make_certificates (const char *dir)
{
  g_autofree char *ext = g_build_filename (dir, "ext.cnf", NULL);

  g_assert_true (g_file_set_contents (ext, "subjectAltName = IP:127.0.0.1\nbasicConstraints = CA:FALSE\n", -1, NULL));
  run_openssl (dir, "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=Kuulolla-Test-CA");
  run_openssl (dir, "req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 2 -subj /CN=Other-CA");
  run_openssl (dir, "req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1");
  run_openssl (dir, "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf");
}

static void
test_private_ca (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *ca = g_build_filename (f->dir, "ca.pem", NULL);
  g_autofree char *other_ca = g_build_filename (f->dir, "other-ca.pem", NULL);
  g_autofree char *cert = g_build_filename (f->dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "server.key", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(Fake) fake = NULL;
  g_autoptr(KuuSync) system = NULL;
  g_autoptr(KuuSync) wrong = NULL;
  g_autoptr(KuuSync) region = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(GPtrArray) one = NULL;
  g_autofree char *token = NULL;
  guint errors = 0, wrong_errors = 0, changes = 0;

  if (openssl == NULL)
    {
      g_test_skip ("no openssl to make certificates");
      return;
    }
  make_certificates (f->dir);
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  fake = fake_new (certificate);
  g_assert_true (g_str_has_prefix (fake->uri, "https://"));
  one = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (one, initiative_json ("6f1c0a52-1111-4d2b-9c3e-1a2b3c4d5e6f", "in_progress", NULL,
                                         "2026-11-01T08:00:00Z"));
  g_ptr_array_add (fake->pages, page ("c1", one));

  /* The system's store does not know the region's CA: refused. */
  system = kuu_sync_new (f->store, fake->uri, FAKE_TOKEN);
  g_signal_connect (system, "notify::last-error", G_CALLBACK (on_notify_count_cb), &errors);
  pull_expecting_error (system, &errors, "initiatives");
  g_assert_cmpuint (fake->since->len, ==, 0);

  /* Another CA: refused too. A file that is not a CA: said so. */
  wrong = kuu_sync_new (f->store, fake->uri, FAKE_TOKEN);
  g_assert_true (kuu_sync_set_tls_ca_file (wrong, other_ca, NULL));
  g_signal_connect (wrong, "notify::last-error", G_CALLBACK (on_notify_count_cb), &wrong_errors);
  pull_expecting_error (wrong, &wrong_errors, "initiatives");
  g_assert_cmpuint (fake->since->len, ==, 0);
  g_assert_false (kuu_sync_set_tls_ca_file (wrong, "/nonexistent/ca.pem", &error));
  g_assert_error (error, KUU_SYNC_ERROR, KUU_SYNC_ERROR_TLS);
  g_clear_error (&error);

  /* The region's CA: accepted. */
  region = kuu_sync_new (f->store, fake->uri, FAKE_TOKEN);
  g_assert_true (kuu_sync_set_tls_ca_file (region, ca, &error));
  g_assert_no_error (error);
  g_signal_connect (region, "initiatives-changed", G_CALLBACK (on_changed_count_cb), &changes);
  kuu_sync_pull_now (region);
  wait_count (&changes, 1, "initiatives over TLS");
  g_assert_null (kuu_sync_get_last_error (region));

  /* Enrolment too. */
  kuu_sync_enrol_with_ca_async (fake->uri, "CODE", "Kajaani", ca, NULL, on_enrolled_cb, &token);
  while (token == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (token, ==, FAKE_TOKEN);
}

/* --- the kiosk holds its server to TLS 1.2 or newer ------------------------ */

typedef struct
{
  char    *token;
  GError  *error;
  gboolean done;
} EnrolResult;

static void
on_enrol_result_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EnrolResult *r = user_data;

  r->token = kuu_sync_enrol_finish (result, &r->error);
  r->done = TRUE;
}

/* kuulolla-server over HTTPS; @priority: the operator's own GnuTLS
 * priority, which the server keeps (NULL: Kuulolla's policy). */
static GSubprocess *
start_tls_server (Fixture     *f,
                  const char  *priority,
                  char       **out_base)
{
  g_autofree char *cert = g_build_filename (f->dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "server.key", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *server;

#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
#endif
  g_subprocess_launcher_setenv (launcher, "G_TLS_GNUTLS_PRIORITY", priority ? priority : KUU_TLS_PRIORITY, TRUE);
  server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("KUULOLLA_SERVER"),
                                        "--database", f->server_db, "--listen", "127.0.0.1:0",
                                        "--region", "kainuu", "--tls-cert", cert, "--tls-key", key, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on https://"));
  *out_base = g_strdup (line + strlen ("listening on "));
  if (g_str_has_suffix (*out_base, "/"))
    (*out_base)[strlen (*out_base) - 1] = '\0';
  return server;
}

static void
enrol_over_tls (Fixture     *f,
                const char  *base,
                EnrolResult *r)
{
  g_autofree char *ca = g_build_filename (f->dir, "ca.pem", NULL);
  g_autofree char *code = admin (f, "enrol", "--region", "kainuu", "--unit", "Kajaani", NULL);

  kuu_sync_enrol_with_ca_async (base, code, "Kajaani", ca, NULL, on_enrol_result_cb, r);
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
stop_tls_server (GSubprocess *server)
{
  g_subprocess_send_signal (server, SIGKILL);
  g_subprocess_wait (server, NULL, NULL);
  g_object_unref (server);
}

static void
test_tls_policy (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *modern_base = NULL;
  g_autofree char *old_base = NULL;
  EnrolResult modern_result = { 0 };
  EnrolResult old_result = { 0 };
  GSubprocess *modern;
  GSubprocess *old;

  if (openssl == NULL)
    {
      g_test_skip ("no openssl to make certificates");
      return;
    }
  g_assert_cmpstr (g_getenv ("G_TLS_GNUTLS_PRIORITY"), ==, KUU_TLS_PRIORITY);
  make_certificates (f->dir);

  /* The control: the same kiosk enrols with a server of today. */
  modern = start_tls_server (f, NULL, &modern_base);
  enrol_over_tls (f, modern_base, &modern_result);
  g_assert_no_error (modern_result.error);
  g_assert_nonnull (modern_result.token);
  stop_tls_server (modern);

  /* A server that offers TLS 1.1 and 1.0 alone: GnuTLS's own default
   * would complete that handshake; the kiosk refuses it. */
  old = start_tls_server (f, "NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0", &old_base);
  enrol_over_tls (f, old_base, &old_result);
  g_assert_nonnull (old_result.error);
  g_assert_null (old_result.token);
  g_test_message ("TLS 1.1 refused: %s", old_result.error->message);
  stop_tls_server (old);

  g_free (modern_result.token);
  g_clear_error (&old_result.error);
}

int
main (int   argc,
      char *argv[])
{
  /* As the app does: first thing, for every TLS connection of the process. */
  kuu_tls_use_policy ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/round-trip", Fixture, NULL, fixture_set_up, test_round_trip, fixture_tear_down);
  g_test_add ("/sync/rejected-kept", Fixture, NULL, fixture_set_up, test_rejected_kept, fixture_tear_down);
  g_test_add ("/sync/server-killed", Fixture, NULL, fixture_set_up, test_server_killed, fixture_tear_down);
  g_test_add ("/sync/revoked", Fixture, NULL, fixture_set_up, test_revoked, fixture_tear_down);
  g_test_add ("/sync/enrol-result", Fixture, NULL, fixture_set_up, test_enrol_result, fixture_tear_down);
  g_test_add ("/sync/now-during-backoff", Fixture, NULL, fixture_set_up, test_now_during_backoff, fixture_tear_down);
  g_test_add ("/sync/success-by-pull", Fixture, NULL, fixture_set_up, test_success_by_pull, fixture_tear_down);
  g_test_add ("/sync/faults/each", Fixture, NULL, fixture_set_up, test_faults_each, fixture_tear_down);
  g_test_add ("/sync/faults/random", Fixture, NULL, fixture_set_up, test_faults_random, fixture_tear_down);
  g_test_add ("/sync/reused-uuid", Fixture, NULL, fixture_set_up, test_reused_uuid, fixture_tear_down);
  g_test_add ("/sync/long-offline", Fixture, "shm", fixture_set_up, test_long_offline, fixture_tear_down);
  g_test_add ("/sync/pull/region", Fixture, NULL, fixture_set_up, test_region_pull, fixture_tear_down);
  g_test_add ("/sync/pull/initiatives-parse", Fixture, NULL, fixture_set_up, test_initiatives_parse, fixture_tear_down);
  g_test_add ("/sync/pull/initiatives", Fixture, NULL, fixture_set_up, test_initiatives_pull, fixture_tear_down);
  g_test_add ("/sync/pull/unauthorized", Fixture, NULL, fixture_set_up, test_pull_unauthorized, fixture_tear_down);
  g_test_add ("/sync/pull/real-server", Fixture, NULL, fixture_set_up, test_real_pulls, fixture_tear_down);
  g_test_add ("/sync/pull/restored-server", Fixture, NULL, fixture_set_up, test_restored_server, fixture_tear_down);
  g_test_add ("/sync/private-ca", Fixture, NULL, fixture_set_up, test_private_ca, fixture_tear_down);
  g_test_add ("/sync/tls-policy", Fixture, NULL, fixture_set_up, test_tls_policy, fixture_tear_down);

  return g_test_run ();
}
