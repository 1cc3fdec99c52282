/* kuu-server-store.h: the server's storage in SQLite, the implementation
 * of KuuServerStorage (kuu-server-storage.h) the server has today
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-server-storage.h"

G_BEGIN_DECLS

#define KUU_TYPE_SERVER_STORE (kuu_server_store_get_type ())

G_DECLARE_FINAL_TYPE (KuuServerStore, kuu_server_store, KUU, SERVER_STORE, GObject)

KuuServerStore *kuu_server_store_open (const char  *path,
                                       GError     **error);

/* Its implementation of KuuServerStorage, callable directly for the
 * callers not yet on the interface. */
KuuServerStore *kuu_server_store_open_reader (KuuServerStore  *self,
                                              GError         **error);
KuuServerStore *kuu_server_store_open_writer (KuuServerStore  *self,
                                              GError         **error);
char           *kuu_server_store_add_enrolment_code (KuuServerStore  *self,
                                                     const char      *region,
                                                     const char      *unit,
                                                     GTimeSpan        valid_for,
                                                     GError         **error);
gboolean        kuu_server_store_enrol       (KuuServerStore  *self,
                                              const char      *code,
                                              char           **out_device_id,
                                              char           **out_token,
                                              char           **out_region,
                                              GError         **error);
KuuPrincipal   *kuu_server_store_authenticate (KuuServerStore  *self,
                                               const char      *token);
char           *kuu_server_store_add_admin_token (KuuServerStore  *self,
                                                  KuuRole          role,
                                                  const char      *name,
                                                  char           **out_id,
                                                  GError         **error);
gboolean        kuu_server_store_revoke      (KuuServerStore  *self,
                                              const char      *device_id,
                                              GError         **error);
gboolean        kuu_server_store_begin_batch (KuuServerStore      *self,
                                              GError             **error);
gboolean        kuu_server_store_end_batch   (KuuServerStore      *self,
                                              gboolean             commit,
                                              GError             **error);
gboolean        kuu_server_store_add_record  (KuuServerStore      *self,
                                              const char          *device_id,
                                              const KuuSubmission *record,
                                              KuuRecordOutcome    *out_outcome,
                                              GError             **error);
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
gboolean        kuu_server_store_foreach_record   (KuuServerStore       *self,
                                                   const KuuReportQuery *query,
                                                   KuuRecordFunc         func,
                                                   gpointer              user_data,
                                                   GError              **error);

G_END_DECLS
