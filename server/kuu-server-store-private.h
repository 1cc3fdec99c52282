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

/* Secrets (kuu-server-store.c): made from the CSPRNG, kept as hashes. */
char *_kuu_server_store_hash_secret    (const char *secret);
char *_kuu_server_store_new_token      (void);
char *_kuu_server_store_new_code       (void);
char *_kuu_server_store_normalize_code (const char *code);

/* kuu-server-store-staff.c */
void          _kuu_server_store_staff_init       (KuuServerStorageInterface *iface);
KuuPrincipal *_kuu_server_store_find_staff_token (KuuServerStore            *self,
                                                  const char                *hash);

/* The rest of the KuuServerStorage implementation: callers use
 * kuu_server_storage_*(). */
KuuServerStore *kuu_server_store_open_reader (KuuServerStore  *self,
                                              GError         **error);
KuuServerStore *kuu_server_store_open_writer (KuuServerStore  *self,
                                              GError         **error);
gboolean        kuu_server_store_revoke      (KuuServerStore  *self,
                                              const char      *device_id,
                                              GError         **error);
GPtrArray      *kuu_server_store_list_device_records (KuuServerStore  *self,
                                                      const char      *device_id,
                                                      gint64           since,
                                                      GError         **error);
gboolean        kuu_server_store_purge_device     (KuuServerStore       *self,
                                                   const char           *device_id,
                                                   gint64                since,
                                                   guint                *out_records,
                                                   guint                *out_initiatives,
                                                   GError              **error);
gboolean        kuu_server_store_erase_contact    (KuuServerStore       *self,
                                                   const char           *uuid,
                                                   gboolean             *out_checkpointed,
                                                   GError              **error);
gboolean        kuu_server_store_audit            (KuuServerStore       *self,
                                                   const char           *action,
                                                   const char           *subject,
                                                   const char           *detail,
                                                   GError              **error);
gboolean        kuu_server_store_set_initiative   (KuuServerStore       *self,
                                                   const char           *uuid,
                                                   KuuInitiativeStatus   status,
                                                   const char           *answer,
                                                   GError              **error);
GPtrArray      *kuu_server_store_list_initiatives (KuuServerStore       *self,
                                                   const char           *region,
                                                   gint64                after,
                                                   guint                 limit,
                                                   GError              **error);
gint64          kuu_server_store_last_initiative_change (KuuServerStore  *self,
                                                         const char      *region,
                                                         GError         **error);
GPtrArray      *kuu_server_store_nps_report       (KuuServerStore       *self,
                                                   const KuuReportQuery *query,
                                                   GError              **error);
GPtrArray      *kuu_server_store_result_rows      (KuuServerStore         *self,
                                                   const KuuResultsSelect *select,
                                                   GError                **error);
gboolean        kuu_server_store_foreach_record   (KuuServerStore       *self,
                                                   const KuuReportQuery *query,
                                                   KuuRecordFunc         func,
                                                   gpointer              user_data,
                                                   GError              **error);

G_END_DECLS
