/* kuu-device-session.h: what the device runs besides its pages — the
 * store opened (and opened again after a full disk), the device file, the
 * sync, enrolment and the region files the sync brings — with one channel
 * for what goes wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kuu-device.h"
#include "kuu-store.h"
#include "kuu-strategy.h"
#include "kuu-sync.h"

G_BEGIN_DECLS

#define KUU_TYPE_DEVICE_SESSION (kuu_device_session_get_type ())
#define KUU_DEVICE_SESSION_ERROR (kuu_device_session_error_quark ())

/* Why answers are not being sent: the codes of KuuDeviceSession:problem.
 * The message is the detail only (what the server said, a region id), in
 * no particular language: the app words the problem when it shows it. */
typedef enum
{
  KUU_DEVICE_SESSION_ERROR_NOT_ENROLLED,  /* a server is set, but no credentials */
  KUU_DEVICE_SESSION_ERROR_OTHER_SERVER,  /* enrolled with another server */
  KUU_DEVICE_SESSION_ERROR_OTHER_REGION,  /* enrolled for another region: the message is its id */
  KUU_DEVICE_SESSION_ERROR_ENROL_FAILED,  /* the message: what the server or network said */
  KUU_DEVICE_SESSION_ERROR_NOT_SAVED,     /* enrolled, but the device file was not written: why */
  KUU_DEVICE_SESSION_ERROR_DEVICE_FILE,   /* the device file cannot be read: the message says it all */
  KUU_DEVICE_SESSION_ERROR_TLS,           /* the region's CA file cannot be used: likewise */
  KUU_DEVICE_SESSION_ERROR_NOT_OPEN,      /* the database is not open */
} KuuDeviceSessionError;

G_DECLARE_FINAL_TYPE (KuuDeviceSession, kuu_device_session, KUU, DEVICE_SESSION, GObject)

GQuark            kuu_device_session_error_quark   (void);
KuuDeviceSession *kuu_device_session_new           (const char        *database_path);
KuuDeviceSession *kuu_device_session_new_for_store (KuuStore          *store);
void              kuu_device_session_set_server    (KuuDeviceSession  *self,
                                                    const char        *server_url,
                                                    const char        *enrol_code,
                                                    const char        *tls_ca_file);
gboolean          kuu_device_session_open          (KuuDeviceSession  *self,
                                                    GError           **error);
gboolean          kuu_device_session_is_retrying   (KuuDeviceSession  *self);
void              kuu_device_session_start         (KuuDeviceSession  *self,
                                                    const char        *region_id,
                                                    const char        *unit);
void              kuu_device_session_stop          (KuuDeviceSession  *self);
KuuStore         *kuu_device_session_get_store     (KuuDeviceSession  *self);
KuuDevice        *kuu_device_session_get_device    (KuuDeviceSession  *self);
const char       *kuu_device_session_get_server_url (KuuDeviceSession *self);
void              kuu_device_session_set_server_url (KuuDeviceSession *self,
                                                     const char       *server_url);
KuuSync          *kuu_device_session_get_sync      (KuuDeviceSession  *self);
void              kuu_device_session_sync_now      (KuuDeviceSession  *self);
const GError     *kuu_device_session_get_problem   (KuuDeviceSession  *self);
void              kuu_device_session_enrol_async   (KuuDeviceSession  *self,
                                                    const char        *server_url,
                                                    const char        *code,
                                                    const char        *unit,
                                                    const char        *region_id,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
gboolean          kuu_device_session_enrol_finish  (KuuDeviceSession  *self,
                                                    GAsyncResult      *result,
                                                    GError           **error);

G_END_DECLS
