/* test-store-counts.c: the dashboard's counts, brought up to date after
 * the save rather than in it (migration 7)
 *
 * A save writes only the answer; whoever reads the counts brings them up
 * to date first, from a mark kept in the same transaction as the counts.
 * These tests check that the counts always hold exactly the answers up
 * to the mark, also when a writer is killed with SIGKILL while saving or
 * while counting, and that a deletion never leaves a new answer behind
 * the mark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>

#include "kuu-stats.h"
#include "kuu-store.h"
#include "kuu-test-sqlite.h"
#include "kuu-test-tree.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kuulolla-counts-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "kiosk.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  kuu_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static gint64
mark (sqlite3 *db)
{
  return kuu_test_query_int (db, "SELECT through_id FROM counted");
}

#define SCORE_SUM "sum (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10)"

/* The counts hold exactly the answers up to the mark, in every table,
 * and the mark is no further than the newest submission. */
static void
assert_counts_match_mark (sqlite3 *db)
{
  gint64 through = mark (db);
  g_autofree char *answers =
    g_strdup_printf ("SELECT count (*) FROM recommendations WHERE submission_id <= %" G_GINT64_FORMAT, through);
  g_autofree char *statements =
    g_strdup_printf ("SELECT count (*), coalesce (sum (a.answer), 0) FROM statement_answers a"
                     " JOIN recommendations r ON r.submission_id = a.submission_id"
                     " WHERE a.submission_id <= %" G_GINT64_FORMAT, through);
  gint64 expected = kuu_test_query_int (db, answers);
  gint64 expected_statements = kuu_test_query_int (db, statements);

  g_assert_cmpint (through, <=, kuu_test_query_int (db, "SELECT coalesce (max (id), 0) FROM submissions"));
  g_assert_cmpint (kuu_test_query_int (db, "SELECT coalesce (" SCORE_SUM ", 0) FROM recommendation_months"), ==, expected);
  g_assert_cmpint (kuu_test_query_int (db, "SELECT coalesce (" SCORE_SUM ", 0) FROM recommendation_weeks"), ==, expected);
  g_assert_cmpint (kuu_test_query_int (db, "SELECT coalesce (sum (answers), 0) FROM statement_months"), ==, expected_statements);
  g_assert_cmpint (kuu_test_query_int (db, "SELECT coalesce (sum (answers), 0) FROM statement_weeks"), ==, expected_statements);
}

static KuuSubmission *
make_recommendation (guint score)
{
  KuuSubmission *submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "goal-a", score);

  kuu_submission_set_place (submission, "kymenlaakso", "Kotka", KUU_LANGUAGE_FI);
  kuu_submission_add_answer (submission, "felt-safe", 1 + score % 5);
  return submission;
}

static void
add_recommendations (KuuStore *store,
                     guint     n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KuuSubmission) submission = make_recommendation (i % 11);
      g_autoptr(GError) error = NULL;

      g_assert_true (kuu_store_add (store, submission, &error));
      g_assert_no_error (error);
    }
}

/* The figures of the whole store from the counts (no limits: period
 * starts), summed over its rows. */
static guint
counted_answers (KuuStore *store)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  KuuStatsQuery query;
  guint total = 0;

  kuu_stats_query_init_for (&query, KUU_AUDIENCE_RESIDENTS);
  query.group = KUU_STATS_GROUP_MONTH;
  rows = kuu_stats_nps (store, &query, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      KuuStatsRow *row = rows->pdata[i];

      total += row->counts.promoters + row->counts.passives + row->counts.detractors;
    }
  return total;
}

/* A save leaves the counts alone; the first read of them counts it. */
static void
test_counts_after_commit (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (fixture->path, &error);
  sqlite3 *db;

  g_assert_no_error (error);
  add_recommendations (store, 12);

  db = open_raw (fixture->path);
  g_assert_cmpint (mark (db), ==, 0);
  g_assert_cmpint (kuu_test_query_int (db, "SELECT count (*) FROM recommendation_months"), ==, 0);
  assert_counts_match_mark (db);

  g_assert_cmpuint (counted_answers (store), ==, 12);
  g_assert_cmpint (mark (db), ==, 12);
  assert_counts_match_mark (db);

  /* Up to date: a read writes nothing (the database's change counter
   * stays where it was). */
  {
    gint64 version = kuu_test_query_int (db, "PRAGMA data_version");

    g_assert_cmpuint (counted_answers (store), ==, 12);
    g_assert_cmpint (kuu_test_query_int (db, "PRAGMA data_version"), ==, version);
  }

  add_recommendations (store, 3);
  g_assert_cmpint (mark (db), ==, 12);
  g_assert_cmpuint (counted_answers (store), ==, 15);
  assert_counts_match_mark (db);
  sqlite3_close (db);
}

/* Answers saved by a store that never read its counts are counted when
 * the store is opened next. */
static void
test_counts_at_open (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (fixture->path, &error);
  sqlite3 *db;

  g_assert_no_error (error);
  add_recommendations (store, 7);
  g_clear_object (&store);

  store = kuu_store_open (fixture->path, &error);
  g_assert_no_error (error);
  db = open_raw (fixture->path);
  g_assert_cmpint (mark (db), ==, 7);
  assert_counts_match_mark (db);
  sqlite3_close (db);
}

/* Deleting the submission at the mark moves the mark down: SQLite gives
 * the next one the same id, which must still be counted. Deleting one
 * not yet counted takes nothing off the counts. */
static void
test_counts_deleted (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (fixture->path, &error);
  sqlite3 *db;

  g_assert_no_error (error);
  add_recommendations (store, 3);
  g_assert_cmpuint (counted_answers (store), ==, 3);

  db = open_raw (fixture->path);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM submissions WHERE id = 3", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (mark (db), ==, 2);
  assert_counts_match_mark (db);

  add_recommendations (store, 1);
  g_assert_cmpint (kuu_test_query_int (db, "SELECT max (id) FROM submissions"), ==, 3);
  g_assert_cmpuint (counted_answers (store), ==, 3);
  assert_counts_match_mark (db);

  /* Saved, then deleted before anyone counted it. */
  add_recommendations (store, 1);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM submissions WHERE id = 4", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (mark (db), ==, 3);
  g_assert_cmpuint (counted_answers (store), ==, 3);
  assert_counts_match_mark (db);
  sqlite3_close (db);
}

/* A writer that saves and now and then counts, killed with SIGKILL at
 * random moments: after every kill the counts hold exactly the answers
 * up to the mark (never a count without its answer, never one twice),
 * and once the store is opened again, every answer. */
static void
test_counts_survive_sigkill (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;
  const char *writer = g_getenv ("KUULOLLA_STORE_WRITER");
  guint rounds = g_test_slow () ? 12 : 5;
  sqlite3 *db;

  g_assert_nonnull (writer);
  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      guint kill_after = g_test_rand_int_range (20, 400);
      guint seen = 0;
      char *line;

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                writer, fixture->path, "5000", "7", NULL);
      g_assert_no_error (error);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
      while (seen < kill_after &&
             (line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)))
        {
          g_free (line);
          seen++;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (seen, ==, kill_after);
      g_subprocess_force_exit (child);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);

      db = open_raw (fixture->path);
      assert_counts_match_mark (db);
      sqlite3_close (db);
    }

  store = kuu_store_open (fixture->path, &error);
  g_assert_no_error (error);
  db = open_raw (fixture->path);
  g_assert_cmpint (mark (db), ==, kuu_test_query_int (db, "SELECT max (id) FROM submissions"));
  assert_counts_match_mark (db);
  sqlite3_close (db);
  g_assert_cmpuint (counted_answers (store), ==, kuu_store_count (store, -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store-counts/after-commit", test_counts_after_commit);
  ADD ("/store-counts/at-open", test_counts_at_open);
  ADD ("/store-counts/deleted", test_counts_deleted);
  ADD ("/store-counts/survive-sigkill", test_counts_survive_sigkill);

#undef ADD

  return g_test_run ();
}
