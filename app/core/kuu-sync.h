/* kuu-sync.h: delivers the outbox to the region's server (docs/protocol.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-store.h"

G_BEGIN_DECLS

#define KUU_TYPE_SYNC (kuu_sync_get_type ())
#define KUU_SYNC_ERROR (kuu_sync_error_quark ())

typedef enum
{
  KUU_SYNC_ERROR_REFUSED,      /* the server said no: a bad code, a revoked token */
  KUU_SYNC_ERROR_BAD_ANSWER,   /* the server's answer was not what the protocol says */
  KUU_SYNC_ERROR_TLS,          /* the region's CA file cannot be read */
} KuuSyncError;

typedef enum
{
  KUU_SYNC_IDLE,          /* nothing to send */
  KUU_SYNC_SENDING,
  KUU_SYNC_WAITING,       /* after a failure, until the next try */
  KUU_SYNC_UNAUTHORIZED,  /* the token is refused: enrol again */
} KuuSyncState;

G_DECLARE_FINAL_TYPE (KuuSync, kuu_sync, KUU, SYNC, GObject)

#define KUU_TYPE_ENROLMENT (kuu_enrolment_get_type ())

/* What the server's 201 to an enrolment said (docs/protocol.md § 3). */
typedef struct
{
  char *token;      /* a password: kuu_enrolment_free() wipes it */
  char *device_id;  /* (nullable): the server's id for the device */
  char *region;     /* (nullable): the region the code was made for */
} KuuEnrolment;

GType         kuu_enrolment_get_type      (void) G_GNUC_CONST;
KuuEnrolment *kuu_enrolment_copy          (const KuuEnrolment *enrolment);
void          kuu_enrolment_free          (KuuEnrolment       *enrolment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuEnrolment, kuu_enrolment_free)

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
void          kuu_sync_note_error         (KuuSync             *self,
                                           const char          *message);

G_END_DECLS
