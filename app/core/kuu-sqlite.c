/* kuu-sqlite.c
 *
 * What the kiosk's store and the server's store both need from SQLite:
 * opening a file with the pragmas that keep an answer through a power cut
 * (set and read back), migrations by user_version, prepared statements
 * kept for reuse, and errors worded for the person who has to act on
 * them, with SQLite's own words after. Errors are in KUU_STORE_ERROR.
 * The functions take the connection and do no locking: each store keeps
 * its own lock around them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "kuu-i18n-private.h"
#include "kuu-sqlite.h"

#define BUSY_TIMEOUT_MS 5000

static int
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return KUU_STORE_ERROR_CORRUPT;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return KUU_STORE_ERROR_READ_ONLY;
    case SQLITE_FULL:
      return KUU_STORE_ERROR_FULL;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return KUU_STORE_ERROR_BUSY;
    case SQLITE_CANTOPEN:
      return KUU_STORE_ERROR_OPEN;
    case SQLITE_CONSTRAINT:
      return KUU_STORE_ERROR_INVALID;
    default:
      return KUU_STORE_ERROR_FAILED;
    }
}

/* A message a staff member can act on, with SQLite's own words after it. */
static const char *
advice_for (int code)
{
  switch (code)
    {
    case KUU_STORE_ERROR_CORRUPT:
      return _("The database file is damaged. Move it aside and start Kuulolla again; "
               "keep the damaged file, it may hold answers not yet sent to the server.");
    case KUU_STORE_ERROR_READ_ONLY:
      return _("The database cannot be written. Check that the disk is not read-only "
               "and that Kuulolla may write to the file and its folder.");
    case KUU_STORE_ERROR_FULL:
      return _("The disk is full. Free some space; nothing already saved is lost.");
    case KUU_STORE_ERROR_BUSY:
      return _("Another program is using the database. Close it and try again.");
    case KUU_STORE_ERROR_OPEN:
      return _("The database cannot be opened. Check that its folder exists and can be written.");
    case KUU_STORE_ERROR_INVALID:
      return _("The record was refused because a field is not valid.");
    default:
      return _("The database reported an error.");
    }
}

/**
 * kuu_sqlite_fail:
 * @db: (nullable): the connection, for its own message and errno
 * @rc: the (extended) result code
 * @doing: what was being done, for the log
 *
 * Sets @error from @rc with advice a person can act on.
 *
 * Returns: %FALSE, to be returned by the caller
 */
gboolean
kuu_sqlite_fail (sqlite3     *db,
                 int          rc,
                 const char  *path,
                 const char  *doing,
                 GError     **error)
{
  int code = error_code_for (rc);
  int system_errno = db != NULL ? sqlite3_system_errno (db) : 0;

  /* SQLite says SQLITE_FULL only where it writes the database or the WAL;
   * growing the WAL's index (-shm) on a full disk is an I/O error to it. */
  if (code == KUU_STORE_ERROR_FAILED && (system_errno == ENOSPC || system_errno == EDQUOT))
    code = KUU_STORE_ERROR_FULL;

  g_set_error (error, KUU_STORE_ERROR, code, "%s (%s: %s, %s)",
               advice_for (code), path, doing,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

/* For a failed quick_check or integrity_check: @detail is its report. */
void
kuu_sqlite_set_corrupt (const char  *path,
                        const char  *detail,
                        GError     **error)
{
  g_set_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_CORRUPT, "%s (%s: %s)",
               advice_for (KUU_STORE_ERROR_CORRUPT), path, detail);
}

gboolean
kuu_sqlite_exec (sqlite3     *db,
                 const char  *path,
                 const char  *sql,
                 const char  *doing,
                 GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return kuu_sqlite_fail (db, rc, path, doing, error);
  return TRUE;
}

gboolean
kuu_sqlite_prepare (sqlite3        *db,
                    const char     *path,
                    const char     *sql,
                    sqlite3_stmt  **out_stmt,
                    GError        **error)
{
  int rc = sqlite3_prepare_v2 (db, sql, -1, out_stmt, NULL);

  if (rc != SQLITE_OK)
    return kuu_sqlite_fail (db, rc, path, "prepare", error);
  return TRUE;
}

/* Steps a statement that returns no row, and leaves it reset. */
gboolean
kuu_sqlite_step_done (sqlite3       *db,
                      const char    *path,
                      sqlite3_stmt  *stmt,
                      const char    *doing,
                      GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    kuu_sqlite_fail (db, rc, path, doing, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

/* Runs a one-row query and hands back its first column as text. */
char *
kuu_sqlite_query_text (sqlite3     *db,
                       const char  *path,
                       const char  *sql,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!kuu_sqlite_prepare (db, path, sql, &stmt, error))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      kuu_sqlite_fail (db, rc, path, sql, error);
      return NULL;
    }
  return kuu_sqlite_column_dup (stmt, 0);
}

/* A text column as a string of the caller's; NULL for NULL. */
char *
kuu_sqlite_column_dup (sqlite3_stmt *stmt,
                       int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

void
kuu_sqlite_bind_text (sqlite3_stmt *stmt,
                      int           index,
                      const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* Set, then read back: some builds quietly keep another value. */
static gboolean
set_pragma (sqlite3     *db,
            const char  *path,
            const char  *name,
            const char  *value,
            const char  *expected,
            GError     **error)
{
  g_autofree char *set = g_strdup_printf ("PRAGMA %s = %s", name, value);
  g_autofree char *get = g_strdup_printf ("PRAGMA %s", name);
  g_autofree char *result = NULL;

  if (!kuu_sqlite_exec (db, path, set, set, error) || !(result = kuu_sqlite_query_text (db, path, get, error)))
    return FALSE;

  if (g_ascii_strcasecmp (result, expected) != 0)
    {
      g_set_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_OPEN,
                   _("The database “%s” does not accept %s = %s (it reports %s), "
                     "so answers could be lost in a power cut."),
                   path, name, value, result);
      return FALSE;
    }

  return TRUE;
}

static gboolean
quick_check (sqlite3     *db,
             const char  *path,
             GError     **error)
{
  g_autofree char *check = kuu_sqlite_query_text (db, path, "PRAGMA quick_check", error);

  if (check == NULL)
    return FALSE;
  if (g_strcmp0 (check, "ok") != 0)
    {
      kuu_sqlite_set_corrupt (path, check, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
configure (sqlite3             *db,
           const char          *path,
           KuuSqliteOpenFlags   flags,
           GError             **error)
{
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (db, TRUE);

  if ((flags & KUU_SQLITE_OPEN_QUICK_CHECK) && !quick_check (db, path, error))
    return FALSE;
  if (!(flags & KUU_SQLITE_OPEN_DURABLE))
    return TRUE;
  return set_pragma (db, path, "journal_mode", "WAL", "wal", error) &&
         set_pragma (db, path, "synchronous", "FULL", "2", error) &&
         set_pragma (db, path, "foreign_keys", "ON", "1", error);
}

static gboolean
ensure_folder (const char  *path,
               GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  int saved_errno;

  if (g_mkdir_with_parents (folder, 0700) == 0)
    return TRUE;

  saved_errno = errno;
  g_set_error (error, KUU_STORE_ERROR,
               saved_errno == EACCES || saved_errno == EROFS || saved_errno == EPERM
               ? KUU_STORE_ERROR_READ_ONLY : KUU_STORE_ERROR_OPEN,
               _("Cannot create the folder “%s” for the database: %s"),
               folder, g_strerror (saved_errno));
  return FALSE;
}

/**
 * kuu_sqlite_open:
 *
 * Opens @path (created when missing, unless read-only) with a busy
 * timeout and extended result codes, then what @flags ask for.
 *
 * Returns: (transfer full): the connection, or %NULL with @error set
 */
sqlite3 *
kuu_sqlite_open (const char          *path,
                 KuuSqliteOpenFlags   flags,
                 GError             **error)
{
  sqlite3 *db = NULL;
  int open_flags = SQLITE_OPEN_FULLMUTEX;
  int rc;

  if ((flags & KUU_SQLITE_OPEN_CREATE_FOLDER) && !ensure_folder (path, error))
    return NULL;
  open_flags |= (flags & KUU_SQLITE_OPEN_READ_ONLY) ? SQLITE_OPEN_READONLY
                                                    : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  rc = sqlite3_open_v2 (path, &db, open_flags, NULL);
  if (rc != SQLITE_OK)
    kuu_sqlite_fail (db, rc, path, "open", error);
  else if (configure (db, path, flags, error))
    return db;

  sqlite3_close (db);
  return NULL;
}

/**
 * kuu_sqlite_migrate:
 * @scripts: (array length=n_scripts): script i brings user_version i to i + 1
 *
 * Runs the scripts the database has not had yet, each in one transaction
 * with its version number, and refuses a database newer than @n_scripts.
 */
gboolean
kuu_sqlite_migrate (sqlite3             *db,
                    const char          *path,
                    const char * const  *scripts,
                    guint                n_scripts,
                    GError             **error)
{
  g_autofree char *version_text = NULL;
  gint64 version;

  if (!(version_text = kuu_sqlite_query_text (db, path, "PRAGMA user_version", error)))
    return FALSE;
  version = g_ascii_strtoll (version_text, NULL, 10);

  if (version > (gint64)n_scripts)
    {
      g_set_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_TOO_NEW,
                   _("The database “%s” was made by a newer version of Kuulolla "
                     "(schema %lld, this version knows %u). Update Kuulolla."),
                   path, (long long)version, n_scripts);
      return FALSE;
    }

  for (; version < (gint64)n_scripts; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, version + 1);

      /* Each step commits with its version number, or not at all. */
      if (!kuu_sqlite_exec (db, path, "BEGIN IMMEDIATE", "migrate", error))
        return FALSE;
      if (!kuu_sqlite_exec (db, path, scripts[version], "migrate", error) ||
          !kuu_sqlite_exec (db, path, bump, "migrate", error) ||
          !kuu_sqlite_exec (db, path, "COMMIT", "migrate", error))
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  return TRUE;
}

KuuSqliteCache *
kuu_sqlite_cache_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)sqlite3_finalize);
}

/**
 * kuu_sqlite_cached:
 * @sql: a string literal: the cache keeps the pointer
 * @out_stmt: (out) (transfer none): the statement, reset and cleared,
 *   owned by @cache
 *
 * Prepares @sql once per connection. Call with the connection's lock held.
 */
gboolean
kuu_sqlite_cached (KuuSqliteCache  *cache,
                   sqlite3         *db,
                   const char      *path,
                   const char      *sql,
                   sqlite3_stmt   **out_stmt,
                   GError         **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (cache, sql);
  int rc;

  if (stmt == NULL)
    {
      rc = sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
      if (rc != SQLITE_OK)
        return kuu_sqlite_fail (db, rc, path, "prepare", error);
      g_hash_table_insert (cache, (gpointer)sql, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  *out_stmt = stmt;
  return TRUE;
}
