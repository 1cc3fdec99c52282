/* kuu-sqlite.h: the SQLite toolkit shared by the kiosk store and the server store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "kuu-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef enum
{
  KUU_SQLITE_OPEN_READ_ONLY     = 1 << 0,
  KUU_SQLITE_OPEN_QUICK_CHECK   = 1 << 1,  /* PRAGMA quick_check before use */
  KUU_SQLITE_OPEN_DURABLE       = 1 << 2,  /* WAL, synchronous=FULL, foreign_keys, read back */
  KUU_SQLITE_OPEN_CREATE_FOLDER = 1 << 3,  /* its folder too (mode 0700) when missing */
} KuuSqliteOpenFlags;

sqlite3  *kuu_sqlite_open        (const char          *path,
                                  KuuSqliteOpenFlags   flags,
                                  GError             **error);
gboolean  kuu_sqlite_fail        (sqlite3             *db,
                                  int                  rc,
                                  const char          *path,
                                  const char          *doing,
                                  GError             **error);
void      kuu_sqlite_set_corrupt (const char          *path,
                                  const char          *detail,
                                  GError             **error);
gboolean  kuu_sqlite_exec        (sqlite3             *db,
                                  const char          *path,
                                  const char          *sql,
                                  const char          *doing,
                                  GError             **error);
gboolean  kuu_sqlite_prepare     (sqlite3             *db,
                                  const char          *path,
                                  const char          *sql,
                                  sqlite3_stmt       **out_stmt,
                                  GError             **error);
gboolean  kuu_sqlite_step_done   (sqlite3             *db,
                                  const char          *path,
                                  sqlite3_stmt        *stmt,
                                  const char          *doing,
                                  GError             **error);
char     *kuu_sqlite_query_text  (sqlite3             *db,
                                  const char          *path,
                                  const char          *sql,
                                  GError             **error);
gboolean  kuu_sqlite_migrate     (sqlite3             *db,
                                  const char          *path,
                                  const char * const  *scripts,
                                  guint                n_scripts,
                                  GError             **error);
char     *kuu_sqlite_column_dup  (sqlite3_stmt        *stmt,
                                  int                  column);
void      kuu_sqlite_bind_text   (sqlite3_stmt        *stmt,
                                  int                  index,
                                  const char          *text);

/* Statements prepared once and kept (SQLITE_PREPARE_PERSISTENT), keyed by
 * their SQL literal. */
typedef GHashTable KuuSqliteCache;

KuuSqliteCache *kuu_sqlite_cache_new (void);
gboolean        kuu_sqlite_cached    (KuuSqliteCache  *cache,
                                      sqlite3         *db,
                                      const char      *path,
                                      const char      *sql,
                                      sqlite3_stmt   **out_stmt,
                                      GError         **error);

/* A statement borrowed from a cache: g_autoptr() resets it and drops its
 * bindings instead of finalising it, however the caller returns, so that
 * no read stays open on the connection. */
typedef sqlite3_stmt KuuSqliteBorrowed;

static inline void
kuu_sqlite_borrowed_release (KuuSqliteBorrowed *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuSqliteBorrowed, kuu_sqlite_borrowed_release)

G_END_DECLS
