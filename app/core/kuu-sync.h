/* kuu-sync.h: delivers the outbox to the region's server (docs/protocol.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-enrol.h"
#include "kuu-store.h"
#include "kuu-strategy.h"

G_BEGIN_DECLS

#define KUU_TYPE_SYNC (kuu_sync_get_type ())
#define KUU_SYNC_ERROR (kuu_sync_error_quark ())

typedef enum
{
  KUU_SYNC_ERROR_REFUSED,      /* the server said no: a bad code, a revoked token */
  KUU_SYNC_ERROR_BAD_ANSWER,   /* the server's answer was not what the protocol says */
  KUU_SYNC_ERROR_TLS,          /* the region's CA file cannot be read */
} KuuSyncError;

/* A registered enum (KUU_TYPE_SYNC_STATE, kuu-core-enums.h): the type of
 * the "state" property. */
typedef enum
{
  KUU_SYNC_IDLE,          /* nothing to send */
  KUU_SYNC_SENDING,
  KUU_SYNC_WAITING,       /* after a failure, until the next try */
  KUU_SYNC_UNAUTHORIZED,  /* the token is refused: enrol again */
} KuuSyncState;

G_DECLARE_FINAL_TYPE (KuuSync, kuu_sync, KUU, SYNC, GObject)

GQuark        kuu_sync_error_quark        (void);
KuuSync      *kuu_sync_new                (KuuStore     *store,
                                           const char   *base_uri,
                                           const char   *token);
void          kuu_sync_set_backoff        (KuuSync      *self,
                                           guint         base_ms,
                                           guint         cap_ms);
void          kuu_sync_set_timeout        (KuuSync      *self,
                                           guint         seconds);
gboolean      kuu_sync_set_tls_ca_file    (KuuSync      *self,
                                           const char   *ca_file,
                                           GError      **error);
void          kuu_sync_set_region         (KuuSync      *self,
                                           const char   *region_id,
                                           const char   *directory);
KuuStrategy  *kuu_sync_get_region_strategy (KuuSync     *self);
void          kuu_sync_set_pull_interval  (KuuSync      *self,
                                           guint         seconds);
void          kuu_sync_pull_now           (KuuSync      *self);
guint         kuu_sync_get_pending        (KuuSync      *self);
guint         kuu_sync_get_rejected       (KuuSync      *self);
void          kuu_sync_start              (KuuSync      *self);
void          kuu_sync_stop               (KuuSync      *self);
void          kuu_sync_now                (KuuSync      *self);
KuuSyncState  kuu_sync_get_state          (KuuSync      *self);
gint64        kuu_sync_get_last_success   (KuuSync      *self);
const char   *kuu_sync_get_last_error     (KuuSync      *self);
guint         kuu_sync_get_delivered      (KuuSync      *self);
void          kuu_sync_note_error         (KuuSync      *self,
                                           const char   *message);

/* Enrolment needs no KuuSync: these are kuu_enrol_async() and
 * kuu_enrol_finish() (kuu-enrol.h) under the names they had before. */
void          kuu_sync_enrol_async        (const char          *base_uri,
                                           const char          *code,
                                           const char          *unit,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
void          kuu_sync_enrol_with_ca_async (const char         *base_uri,
                                            const char         *code,
                                            const char         *unit,
                                            const char         *ca_file,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
char         *kuu_sync_enrol_finish       (GAsyncResult        *result,
                                           GError             **error);
KuuEnrolment *kuu_sync_enrol_finish_full  (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
