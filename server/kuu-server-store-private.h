/* kuu-server-store-private.h: what the store's own files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-server-store.h"
#include "kuu-sqlite.h"

G_BEGIN_DECLS

struct _KuuServerStore
{
  GObject  parent_instance;

  sqlite3 *db;
  GMutex   mutex;
  char    *path;  /* immutable: a reader may be opened from any thread */

  /* kuu_server_store_add_record()'s, prepared once: compiling the SQL
   * anew for every record was a tenth of the server's time (perf). */
  KuuSqliteCache *statements;
  GString        *record_text;  /* the record as stored, written anew each time */
};

gboolean _kuu_server_store_fail (KuuServerStore  *self,
                                 const char      *doing,
                                 GError         **error);
KuuSubmission *_kuu_server_store_parse_record (const char *text);

gboolean _kuu_server_store_exec (KuuServerStore  *self,
                                 const char      *sql,
                                 GError         **error);

G_END_DECLS
