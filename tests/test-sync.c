/* test-sync.c: the kiosk's outbox against the real kuulolla-server on
 * 127.0.0.1 — every record arrives once, field for field, through a
 * server killed and restarted mid-stream; a refused record stays on the
 * kiosk with its reason; a revoked token stops the sync without losing
 * anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
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

static void
add_mixed (Fixture *f,
           guint    n)
{
  for (guint i = 0; i < n; i++)
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
      add (f, s);
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("kuulolla-sync-XXXXXX", NULL);
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/round-trip", Fixture, NULL, fixture_set_up, test_round_trip, fixture_tear_down);
  g_test_add ("/sync/rejected-kept", Fixture, NULL, fixture_set_up, test_rejected_kept, fixture_tear_down);
  g_test_add ("/sync/server-killed", Fixture, NULL, fixture_set_up, test_server_killed, fixture_tear_down);
  g_test_add ("/sync/revoked", Fixture, NULL, fixture_set_up, test_revoked, fixture_tear_down);

  return g_test_run ();
}
