/* test-chaos.c: SIGKILL to the kiosk and to the server at random moments
 * while residents submit and the outbox syncs, many times over, on the
 * same two databases. Afterwards, and after one clean sync: both
 * databases pass integrity_check, every record the kiosk acknowledged is
 * on the server exactly once with the content it had, the outbox is
 * empty, and the server holds nothing the kiosk never committed.
 *
 * The kiosk is tests/kiosk-driver.c: not the GTK app, which is too heavy
 * to start a hundred times in a few minutes, but the app's own KuuStore
 * and KuuSync from app/core, driven the way the app drives them
 * (kuu_store_add_async, then kuu_sync_now). The server is the real
 * kuulolla-server on 127.0.0.1, the device enrolled with a one-time code.
 *
 * Everything random comes from GTest's seed, printed at the start
 * ("# random seed: R02S…"): replay with
 *   meson test -C _build chaos --test-args=--seed=R02S…
 * (the processes' own timing is not replayable, the choices are).
 * KUULOLLA_CHAOS_ROUNDS sets the number of kills (200 by default, half of
 * each side); the kills stop after KUULOLLA_CHAOS_SECONDS (150) whatever
 * the count, so a slow machine still finishes within the test's timeout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>

#include "kuu-outbox.h"
#include "kuu-sync.h"
#include "kuu-test-server.h"
#include "kuu-test-tree.h"
#include "kuu-wire.h"
#include "small-fs.h"

#define MIN_KILLS_EACH 10  /* below this even a slow machine has tested nothing */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *lines;
  gboolean          eof;
} Kiosk;

typedef struct
{
  char        *dir;
  char        *kiosk_db;
  char        *server_db;
  char        *port;
  char        *base;
  char        *token;
  GSubprocess *server;
  Kiosk       *kiosk;
  GHashTable  *committed;  /* uuid → the record's JSON, as the kiosk printed it */
  guint        kiosk_kills;
  guint        server_kills;
} Chaos;

static void
start_server (Chaos *c)
{
  g_autofree char *base = NULL;

  c->server = kuu_test_server_start (NULL, c->server_db, c->port, NULL, &base);
  g_assert_true (g_str_has_prefix (base, "http://"));
  if (c->base == NULL)
    {
      c->base = g_steal_pointer (&base);
      c->port = kuu_test_server_port (c->base);
    }
}

/* SIGKILL, and the process must have died of it, not of anything else. */
static void
kill_hard (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (process, SIGKILL);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_signaled (process) || g_subprocess_get_term_sig (process) != SIGKILL)
    g_error ("a process ended on its own before the kill (exit status %d)",
             g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1);
}

/* The end of a case: its folder goes, with both databases. */
static void
chaos_clear (Chaos *c)
{
  kuu_test_remove_tree (c->dir);
  g_hash_table_unref (c->committed);
  g_free (c->dir);
  g_free (c->kiosk_db);
  g_free (c->server_db);
  g_free (c->port);
  g_free (c->base);
  g_free (c->token);
}

static void
enrol (Chaos *c)
{
  c->token = kuu_test_server_enrol (c->server_db, c->base);
}

static void read_next_line (Chaos *c, Kiosk *kiosk);

/* "uuid<TAB>json": printed only after the commit returned. */
static void
take_line (Chaos      *c,
           const char *line)
{
  const char *tab = strchr (line, '\t');

  g_autofree char *uuid = NULL;

  g_assert_nonnull (tab);
  uuid = g_strndup (line, tab - line);
  g_assert_false (g_hash_table_contains (c->committed, uuid));
  g_hash_table_insert (c->committed, g_steal_pointer (&uuid), g_strdup (tab + 1));
}

typedef struct
{
  Chaos *chaos;
  Kiosk *kiosk;
} LineRead;

static void
on_line_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autofree LineRead *read = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                     result, NULL, &error);

  g_assert_no_error (error);
  if (line == NULL)
    {
      read->kiosk->eof = TRUE;
      return;
    }
  take_line (read->chaos, line);
  read_next_line (read->chaos, read->kiosk);
}

static void
read_next_line (Chaos *c,
                Kiosk *kiosk)
{
  LineRead *read = g_new (LineRead, 1);

  read->chaos = c;
  read->kiosk = kiosk;
  g_data_input_stream_read_line_async (kiosk->lines, G_PRIORITY_DEFAULT, NULL, on_line_read_cb, read);
}

static void
start_kiosk (Chaos *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = kuu_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *seed = g_strdup_printf ("%u", (guint)g_test_rand_int ());

  c->kiosk = g_new0 (Kiosk, 1);
  c->kiosk->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("KUULOLLA_KIOSK_DRIVER"),
                                                   c->kiosk_db, c->base, c->token, seed, NULL);
  g_assert_no_error (error);
  c->kiosk->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (c->kiosk->process));
  read_next_line (c, c->kiosk);
}

/* Whatever the kiosk printed before it died was committed: read it all. */
static void
kill_kiosk (Chaos *c)
{
  Kiosk *kiosk = g_steal_pointer (&c->kiosk);

  kill_hard (kiosk->process);
  while (!kiosk->eof)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (kiosk->lines);
  g_object_unref (kiosk->process);
  g_free (kiosk);
}

static void
run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL ? (guint)g_ascii_strtoull (value, NULL, 10) : fallback;
}

/* One kill of each side in turn, the order within each pair and the
 * moment random: from right after a start (the kiosk opening its store,
 * the server its database) to well into a stream of batches. */
static void
kill_many (Chaos *c)
{
  guint rounds = env_uint ("KUULOLLA_CHAOS_ROUNDS", 200);
  gint64 deadline = g_get_monotonic_time () + env_uint ("KUULOLLA_CHAOS_SECONDS", 150) * G_USEC_PER_SEC;
  gboolean kiosk_first = FALSE;

  for (guint round = 0; round < rounds && g_get_monotonic_time () < deadline; round++)
    {
      gboolean kiosk_turn;

      if (round % 2 == 0)
        kiosk_first = g_test_rand_bit ();
      kiosk_turn = (round % 2 == 0) == kiosk_first;

      run_for (g_test_rand_int_range (0, 400));
      if (kiosk_turn)
        {
          kill_kiosk (c);
          c->kiosk_kills++;
          start_kiosk (c);
        }
      else
        {
          kill_hard (c->server);
          g_clear_object (&c->server);
          c->server_kills++;
          /* Sometimes the kiosk finds it gone for a while and backs off. */
          run_for (g_test_rand_int_range (0, 2) * g_test_rand_int_range (0, 300));
          start_server (c);
        }
    }
}

/* The kiosk with nothing new: syncs until its outbox is empty. */
static void
drain (Chaos *c)
{
  const char *argv[] = { g_getenv ("KUULOLLA_KIOSK_DRIVER"), c->kiosk_db, c->base, c->token, "--drain", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);

  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

static void
assert_integrity (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
}

static KuuSubmission *
parse_record (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  KuuSubmission *submission;

  g_assert_no_error (error);
  submission = kuu_wire_submission_from_json (node, &error);
  g_assert_no_error (error);
  return submission;
}

/* Every acknowledged record is on the server once, as the kiosk made it;
 * every record the server has, the kiosk has (committed, if maybe not yet
 * printed when it was killed). Returns how many the server holds. */
static guint
assert_server_records (Chaos    *c,
                       KuuStore *kiosk)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint held = 0;

  g_assert_cmpint (sqlite3_open_v2 (c->server_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  assert_integrity (db);

  /* The server keeps a contact in a table of its own: back into the
   * record it came with, to compare with what the kiosk made. */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT r.uuid, CASE WHEN c.name IS NULL THEN r.record"
                                       "  ELSE json_set (r.record, '$.contact', json_object ('name', c.name,"
                                       "    'email', c.email, 'phone', c.phone)) END,"
                                       " count(*) OVER (PARTITION BY r.uuid)"
                                       " FROM records r LEFT JOIN contacts c ON c.uuid = r.uuid",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *uuid = (const char *)sqlite3_column_text (stmt, 0);
      const char *made_json = g_hash_table_lookup (c->committed, uuid);
      g_autoptr(KuuSubmission) stored = parse_record ((const char *)sqlite3_column_text (stmt, 1));
      g_autoptr(KuuSubmission) on_kiosk = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 1);
      on_kiosk = kuu_store_get (kiosk, uuid, &error);
      g_assert_no_error (error);
      if (made_json != NULL)
        {
          g_autoptr(KuuSubmission) made = parse_record (made_json);

          g_assert_true (kuu_submission_equal (made, stored));
        }
      held++;
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT 1 FROM records WHERE uuid = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  {
    GHashTableIter iter;
    gpointer uuid;

    g_hash_table_iter_init (&iter, c->committed);
    while (g_hash_table_iter_next (&iter, &uuid, NULL))
      {
        sqlite3_reset (stmt);
        sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) != SQLITE_ROW)
          g_error ("record %s was committed on the kiosk but is not on the server", (char *)uuid);
      }
  }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return held;
}

static void
assert_kiosk_intact (Chaos *c)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (c->kiosk_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  assert_integrity (db);
  sqlite3_close (db);
}

static void
test_chaos_kills (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) kiosk = NULL;
  Chaos c = { 0 };
  gint64 started = g_get_monotonic_time ();
  gint64 on_kiosk;
  guint held;

  /* Both databases in memory: a SIGKILL leaves the page cache as it was,
   * so tmpfs loses nothing a disk would keep, and the many fsyncs do not
   * slow the CI's shared disk. */
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    c.dir = g_mkdtemp (g_strdup ("/dev/shm/kuulolla-chaos-XXXXXX"));
  else
    c.dir = g_dir_make_tmp ("kuulolla-chaos-XXXXXX", NULL);
  g_assert_nonnull (c.dir);
  c.kiosk_db = g_build_filename (c.dir, "kiosk.db", NULL);
  c.server_db = g_build_filename (c.dir, "server.db", NULL);
  c.committed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  start_server (&c);
  enrol (&c);
  start_kiosk (&c);
  kill_many (&c);
  kill_kiosk (&c);
  c.kiosk_kills++;

  g_test_message ("%u kills of the kiosk, %u of the server in %.0f s; %u records acknowledged",
                  c.kiosk_kills, c.server_kills, (g_get_monotonic_time () - started) / 1e6,
                  g_hash_table_size (c.committed));
  g_assert_cmpuint (c.kiosk_kills, >=, MIN_KILLS_EACH);
  g_assert_cmpuint (c.server_kills, >=, MIN_KILLS_EACH);

  drain (&c);
  kill_hard (c.server);
  g_clear_object (&c.server);

  assert_kiosk_intact (&c);
  kiosk = kuu_store_open (c.kiosk_db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kuu_outbox_count_pending (kiosk, NULL), ==, 0);
  g_assert_cmpint (kuu_outbox_count_rejected (kiosk, NULL), ==, 0);

  held = assert_server_records (&c, kiosk);
  on_kiosk = kuu_store_count (kiosk, -1, NULL);
  g_test_message ("the kiosk holds %" G_GINT64_FORMAT " records, the server %u; %u acknowledged",
                  on_kiosk, held, g_hash_table_size (c.committed));
  /* Each kiosk kill may have cut one commit off before its line was
   * printed; those are on the kiosk and so must be on the server too. */
  g_assert_cmpint (on_kiosk, ==, held);
  g_assert_cmpint (on_kiosk, >=, g_hash_table_size (c.committed));
  g_assert_cmpint (on_kiosk, <=, g_hash_table_size (c.committed) + c.kiosk_kills);
  g_assert_cmpuint (g_hash_table_size (c.committed), >, 0);

  g_clear_object (&kiosk);
  chaos_clear (&c);
}

static gint64
server_count (Chaos *c)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (c->server_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM records", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

static void
wait_until (gboolean   (*done) (gpointer data),
            gpointer     data,
            const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("still waiting for %s after 60 s", what);
      run_for (20);
    }
}

typedef struct
{
  Chaos    *chaos;
  KuuStore *store;
  KuuSync  *sync;
  gint64    expected;
} FullSync;

static gboolean
server_has_all (gpointer data)
{
  FullSync *fs = data;

  return server_count (fs->chaos) == fs->expected;
}

static gboolean
sync_failed_twice (gpointer data)
{
  FullSync *fs = data;

  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fs->sync), "errors")) >= 2;
}

static gboolean
outbox_empty (gpointer data)
{
  FullSync *fs = data;

  return kuu_outbox_count_pending (fs->store, NULL) == 0 && kuu_sync_get_state (fs->sync) != KUU_SYNC_SENDING;
}

static void
on_last_error_cb (KuuSync    *sync,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  guint errors = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (sync), "errors"));

  if (kuu_sync_get_last_error (sync) != NULL)
    g_object_set_data (G_OBJECT (sync), "errors", GUINT_TO_POINTER (errors + 1));
}

/* The kiosk's disk is full while it syncs: the server stores the records,
 * but the kiosk cannot write down that it did. Nothing may be lost or
 * marked: the outbox keeps every record, and once there is room again
 * the resends are answered as duplicates and the outbox empties, each
 * record on the server once. */
static void
test_chaos_sync_on_full_disk (void)
{
  g_autofree char *why_not = NULL;
  g_autofree char *mount = small_fs_mount (4096, &why_not);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;
  g_autoptr(KuuSync) sync = NULL;
  Chaos c = { 0 };
  FullSync fs = { &c };

  if (mount == NULL)
    {
      g_test_skip (why_not);
      return;
    }
  c.dir = g_dir_make_tmp ("kuulolla-chaos-XXXXXX", NULL);
  c.server_db = g_build_filename (c.dir, "server.db", NULL);
  c.kiosk_db = g_build_filename (mount, "kiosk.db", NULL);
  c.committed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  start_server (&c);
  enrol (&c);

  store = kuu_store_open (c.kiosk_db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 120; i++)
    {
      g_autoptr(KuuSubmission) s = kuu_submission_new_feedback ("Odotusaika oli pitkä. åäö");
      g_autoptr(JsonNode) node = NULL;

      kuu_submission_set_contact (s, "Åsa Öhman", "asa@example.fi", NULL);
      kuu_submission_set_place (s, "kainuu", "Kajaani", KUU_LANGUAGE_FI);
      kuu_store_add (store, s, &error);
      g_assert_no_error (error);
      node = kuu_wire_submission_to_json (s, TRUE);
      g_hash_table_insert (c.committed, g_strdup (s->uuid), json_to_string (node, FALSE));
    }
  fs.store = store;
  fs.expected = 120;

  small_fs_fill (mount, 0);
  sync = kuu_sync_new (store, c.base, c.token);
  fs.sync = sync;
  kuu_sync_set_backoff (sync, 20, 200);
  g_signal_connect (sync, "notify::last-error", G_CALLBACK (on_last_error_cb), NULL);
  kuu_sync_start (sync);
  wait_until (server_has_all, &fs, "the server to hold every record");
  wait_until (sync_failed_twice, &fs, "the sync to fail to record the answers");
  g_test_message ("disk full, the sync says: %s", kuu_sync_get_last_error (sync));
  g_assert_nonnull (strstr (kuu_sync_get_last_error (sync), "disk is full"));
  g_assert_cmpint (kuu_outbox_count_pending (store, NULL), ==, 120);
  g_assert_true (kuu_store_check_integrity (store, &error));
  g_assert_no_error (error);

  small_fs_empty (mount);
  kuu_sync_now (sync);
  wait_until (outbox_empty, &fs, "the outbox to empty");
  kuu_sync_stop (sync);
  g_clear_object (&sync);

  g_assert_true (kuu_store_check_integrity (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assert_server_records (&c, store), ==, 120);
  g_assert_cmpint (kuu_outbox_count_rejected (store, NULL), ==, 0);

  g_clear_object (&store);
  kill_hard (c.server);
  g_clear_object (&c.server);
  small_fs_unmount (mount);
  chaos_clear (&c);
}

int
main (int   argc,
      char *argv[])
{
  small_fs_isolate ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chaos/sync-on-full-disk", test_chaos_sync_on_full_disk);
  g_test_add_func ("/chaos/kills", test_chaos_kills);
  return g_test_run ();
}
