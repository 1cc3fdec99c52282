/* kuu-device.h: this device's enrolment — the server it belongs to, its
 * id there and its bearer token — kept in a small key file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KUU_TYPE_DEVICE (kuu_device_get_type ())
#define KUU_DEVICE_ERROR (kuu_device_error_quark ())

typedef enum
{
  KUU_DEVICE_ERROR_INVALID,   /* the file is there but is not a device file */
} KuuDeviceError;

G_DECLARE_FINAL_TYPE (KuuDevice, kuu_device, KUU, DEVICE, GObject)

GQuark      kuu_device_error_quark     (void);
char       *kuu_device_path_for        (const char  *database_path);
KuuDevice  *kuu_device_new             (const char  *path);
gboolean    kuu_device_load            (KuuDevice   *self,
                                        GError     **error);
gboolean    kuu_device_save            (KuuDevice   *self,
                                        GError     **error);
void        kuu_device_save_async      (KuuDevice            *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean    kuu_device_save_finish     (KuuDevice            *self,
                                        GAsyncResult         *result,
                                        GError              **error);
void        kuu_device_set_credentials (KuuDevice   *self,
                                        const char  *server_url,
                                        const char  *device_id,
                                        const char  *token,
                                        const char  *region);
const char *kuu_device_get_path        (KuuDevice   *self);
gboolean    kuu_device_is_enrolled     (KuuDevice   *self);
const char *kuu_device_get_server_url  (KuuDevice   *self);
const char *kuu_device_get_device_id   (KuuDevice   *self);
const char *kuu_device_get_token       (KuuDevice   *self);
const char *kuu_device_get_region      (KuuDevice   *self);
gboolean    kuu_device_same_server     (const char  *a,
                                        const char  *b);

G_END_DECLS
