/* bench-save.c: the store's submit path against a bare SQLite insert and
 * commit with the same pragmas (WAL, synchronous=FULL), on the same disk.
 *
 * Each round saves one recommendation both ways, in turn, so that both
 * see the same disk and the same noise; prints median and 99th percentile
 * of each and their ratios.
 *
 * Usage: bench-save DIR [COUNT]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "kuu-store.h"
#include "bench-percentile.h"

static sqlite3 *
open_bare (const char *path)
{
  sqlite3 *db = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                        "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, uuid TEXT UNIQUE, region TEXT,"
                        " unit TEXT, topic TEXT, score INTEGER, created_at INTEGER)",
                    NULL, NULL, NULL) != SQLITE_OK)
    g_error ("bare database: %s", sqlite3_errmsg (db));
  return db;
}

/* One insert in its own transaction, as one resident's answer is. */
static void
bare_insert (sqlite3      *db,
             sqlite3_stmt *stmt,
             int           i)
{
  g_autofree char *uuid = g_uuid_string_random ();

  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, i % 11);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("bare insert: %s", sqlite3_errmsg (db));
  sqlite3_reset (stmt);
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("bare commit: %s", sqlite3_errmsg (db));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *store_path = NULL;
  g_autofree char *bare_path = NULL;
  g_autoptr(KuuStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) store_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_times = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3 *bare;
  sqlite3_stmt *stmt;
  int count;

  if (argc < 2)
    {
      g_printerr ("usage: bench-save DIR [COUNT]\n");
      return 2;
    }
  count = argc > 2 ? atoi (argv[2]) : 10000;
  store_path = g_build_filename (argv[1], "store.db", NULL);
  bare_path = g_build_filename (argv[1], "bare.db", NULL);

  if (!(store = kuu_store_open (store_path, &error)))
    g_error ("%s", error->message);
  bare = open_bare (bare_path);
  sqlite3_prepare_v2 (bare, "INSERT INTO t (uuid, region, unit, topic, score, created_at)"
                            " VALUES (?1, 'kainuu', 'Kajaani', 'together', ?2, ?3)", -1, &stmt, NULL);

  for (int i = 0; i < count; i++)
    {
      g_autoptr(KuuSubmission) submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "together", i % 11);
      gint64 start;
      double ms;

      kuu_submission_set_place (submission, "kainuu", "Kajaani", KUU_LANGUAGE_FI);
      kuu_submission_add_answer (submission, "felt-safe", 1 + i % 5);

      start = g_get_monotonic_time ();
      if (!kuu_store_add (store, submission, &error))
        g_error ("store: %s", error->message);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (store_times, ms);

      start = g_get_monotonic_time ();
      bare_insert (bare, stmt, i);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (bare_times, ms);
    }

  {
    double store_median = bench_percentile (store_times, 0.5), store_p99 = bench_percentile (store_times, 0.99);
    double bare_median = bench_percentile (bare_times, 0.5), bare_p99 = bench_percentile (bare_times, 0.99);

    /* One line a figure: name, value, baseline, ratio (bench/run reads them). */
    g_print ("save-median-ms %.3f %.3f %.2f\n", store_median, bare_median, store_median / bare_median);
    g_print ("save-p99-ms %.3f %.3f %.2f\n", store_p99, bare_p99, store_p99 / bare_p99);
  }

  sqlite3_finalize (stmt);
  sqlite3_close (bare);
  return 0;
}
