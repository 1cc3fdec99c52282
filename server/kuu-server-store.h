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

/* Part of its implementation of KuuServerStorage, callable directly for
 * the callers that hold the SQLite store itself (kuu-server.c, the
 * fuzzers, benchmarks and tests); the rest is in
 * kuu-server-store-private.h. */
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

G_END_DECLS
