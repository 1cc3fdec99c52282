/* test-sqlite.c: the SQLite toolkit both stores use — migrations by
 * user_version, the pragmas read back, the statement cache, and errors
 * a person can act on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "kuu-sqlite.h"
#include "kuu-test-tree.h"

typedef KuuTestDir Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  kuu_test_dir_set_up (fixture, "sqlite", "test.db");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  kuu_test_dir_tear_down (fixture);
}

static const char * const scripts[] = {
  "CREATE TABLE a (x INTEGER PRIMARY KEY);",
  "CREATE TABLE b (y INTEGER REFERENCES a (x));",
  "INSERT INTO nowhere VALUES (1);",  /* fails: the third step never lands */
};

static char *
query (sqlite3    *db,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *value = kuu_sqlite_query_text (db, "test.db", sql, &error);

  g_assert_no_error (error);
  return value;
}

/* The pragmas that keep an answer through a power cut, as read back. */
static void
test_sqlite_open_durable (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = kuu_sqlite_open (fixture->path, KUU_SQLITE_OPEN_DURABLE | KUU_SQLITE_OPEN_QUICK_CHECK, &error);
  g_autofree char *journal = NULL;
  g_autofree char *synchronous = NULL;
  g_autofree char *foreign_keys = NULL;

  g_assert_no_error (error);
  journal = query (db, "PRAGMA journal_mode");
  synchronous = query (db, "PRAGMA synchronous");
  foreign_keys = query (db, "PRAGMA foreign_keys");
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpstr (synchronous, ==, "2");
  g_assert_cmpstr (foreign_keys, ==, "1");
  sqlite3_close (db);
}

/* Each step lands with its version or not at all; a newer file is refused. */
static void
test_sqlite_migrate (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = kuu_sqlite_open (fixture->path, KUU_SQLITE_OPEN_DURABLE, &error);
  g_autofree char *version = NULL;
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  g_assert_true (kuu_sqlite_migrate (db, fixture->path, scripts, 2, &error));
  g_assert_no_error (error);
  version = query (db, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "2");

  g_assert_false (kuu_sqlite_migrate (db, fixture->path, scripts, 3, &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_FAILED);
  g_clear_error (&error);
  again = query (db, "PRAGMA user_version");
  g_assert_cmpstr (again, ==, "2");

  g_assert_false (kuu_sqlite_migrate (db, fixture->path, scripts, 1, &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_TOO_NEW);
  sqlite3_close (db);
}

/* A constraint is a refused record, worded for staff, with the path. */
static void
test_sqlite_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  KuuSqliteCache *cache = kuu_sqlite_cache_new ();
  sqlite3 *db = kuu_sqlite_open (fixture->path, KUU_SQLITE_OPEN_DURABLE, &error);
  sqlite3_stmt *insert = NULL;
  sqlite3_stmt *same = NULL;

  g_assert_no_error (error);
  g_assert_true (kuu_sqlite_migrate (db, fixture->path, scripts, 2, &error));
  g_assert_true (kuu_sqlite_cached (cache, db, fixture->path, "INSERT INTO b (y) VALUES (?)", &insert, &error));
  g_assert_true (kuu_sqlite_cached (cache, db, fixture->path, "INSERT INTO b (y) VALUES (?)", &same, &error));
  g_assert_true (insert == same);

  sqlite3_bind_int (insert, 1, 7);
  g_assert_false (kuu_sqlite_step_done (db, fixture->path, insert, "insert", &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_clear_error (&error);

  g_assert_false (kuu_sqlite_exec (db, fixture->path, "SELECT * FROM nowhere", "read", &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_FAILED);
  g_clear_pointer (&cache, g_hash_table_unref);
  sqlite3_close (db);
}

static void
test_sqlite_open_missing_folder (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (kuu_sqlite_open ("/nonexistent-kuulolla/a/b.db", KUU_SQLITE_OPEN_DURABLE, &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_OPEN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sqlite/open-durable", Fixture, NULL, fixture_set_up, test_sqlite_open_durable, fixture_tear_down);
  g_test_add ("/sqlite/migrate", Fixture, NULL, fixture_set_up, test_sqlite_migrate, fixture_tear_down);
  g_test_add ("/sqlite/errors", Fixture, NULL, fixture_set_up, test_sqlite_errors, fixture_tear_down);
  g_test_add_func ("/sqlite/open-missing-folder", test_sqlite_open_missing_folder);

  return g_test_run ();
}
