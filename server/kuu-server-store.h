/* kuu-server-store.h: what the reference server keeps — devices, their
 * enrolment codes and the records they delivered
 *
 * SQLite now; the interface is small so that PostgreSQL can follow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-submission.h"

G_BEGIN_DECLS

#define KUU_TYPE_SERVER_STORE (kuu_server_store_get_type ())
#define KUU_SERVER_STORE_ERROR (kuu_server_store_error_quark ())

typedef enum
{
  KUU_SERVER_STORE_ERROR_FAILED,
  KUU_SERVER_STORE_ERROR_CODE_USED,     /* unknown, used or expired enrolment code */
  KUU_SERVER_STORE_ERROR_NOT_FOUND,
} KuuServerStoreError;

typedef enum
{
  KUU_RECORD_ACCEPTED,
  KUU_RECORD_DUPLICATE,
  KUU_RECORD_CONFLICT,  /* the UUID is taken by different content */
} KuuRecordOutcome;

G_DECLARE_FINAL_TYPE (KuuServerStore, kuu_server_store, KUU, SERVER_STORE, GObject)

GQuark          kuu_server_store_error_quark (void);
KuuServerStore *kuu_server_store_open        (const char      *path,
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
char           *kuu_server_store_find_device (KuuServerStore  *self,
                                              const char      *token,
                                              char           **out_region);
gboolean        kuu_server_store_revoke      (KuuServerStore  *self,
                                              const char      *device_id,
                                              GError         **error);
gboolean        kuu_server_store_add_record  (KuuServerStore      *self,
                                              const char          *device_id,
                                              const KuuSubmission *record,
                                              KuuRecordOutcome    *out_outcome,
                                              GError             **error);

G_END_DECLS
