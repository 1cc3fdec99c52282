/* kuu-device.c
 *
 * What enrolment gave this device, in a GKeyFile beside the database:
 *
 *   [device]
 *   server-url=https://kuulolla.kainuu.fi
 *   device-id=7f1c0a52-…        (when the server told it)
 *   token=…
 *   region=kainuu               (the region the device was enrolled for)
 *
 * The token is a password: the file is written whole or not at all, with
 * mode 0600, and the token is never part of a message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include "kuu-i18n-private.h"
#include <glib/gstdio.h>

#include "kuu-device.h"

#define GROUP "device"

struct _KuuDevice
{
  GObject  parent_instance;

  char    *path;
  char    *server_url;
  char    *device_id;
  char    *token;
  char    *region;
};

G_DEFINE_FINAL_TYPE (KuuDevice, kuu_device, G_TYPE_OBJECT)
G_DEFINE_QUARK (kuu-device-error-quark, kuu_device_error)

static void
clear_credentials (KuuDevice *self)
{
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->region, g_free);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
}

/* A missing key reads as NULL; an empty one too. */
static char *
read_key (GKeyFile   *file,
          const char *key)
{
  g_autofree char *value = g_key_file_get_string (file, GROUP, key, NULL);

  if (value == NULL || value[0] == '\0')
    return NULL;
  return g_strstrip (g_steal_pointer (&value));
}

static gboolean
invalid (KuuDevice   *self,
         const char  *reason,
         GError     **error)
{
  g_set_error (error, KUU_DEVICE_ERROR, KUU_DEVICE_ERROR_INVALID,
               _("The device file “%s” cannot be read (%s). Remove it and enrol the device again."),
               self->path, reason);
  return FALSE;
}

static void
kuu_device_finalize (GObject *object)
{
  KuuDevice *self = (KuuDevice *)object;

  clear_credentials (self);
  g_free (self->path);

  G_OBJECT_CLASS (kuu_device_parent_class)->finalize (object);
}

static void
kuu_device_class_init (KuuDeviceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kuu_device_finalize;
}

static void
kuu_device_init (KuuDevice *self)
{
}

/**
 * kuu_device_path_for:
 * @database_path: the kiosk's database
 *
 * The device file goes with the database it sends from: device.ini in
 * the same folder. For the default database that is
 * `$XDG_DATA_HOME/kuulolla/device.ini`; a test's own database keeps its
 * own credentials.
 */
char *
kuu_device_path_for (const char *database_path)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (database_path != NULL, NULL);

  dir = g_path_get_dirname (database_path);
  return g_build_filename (dir, "device.ini", NULL);
}

/* Not read yet: see kuu_device_load(). */
KuuDevice *
kuu_device_new (const char *path)
{
  KuuDevice *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (KUU_TYPE_DEVICE, NULL);
  self->path = g_strdup (path);
  return self;
}

/**
 * kuu_device_load:
 *
 * Reads the file. No file is no error: the device is not enrolled. A file
 * that is not a device file is an error, and leaves the device not
 * enrolled.
 */
gboolean
kuu_device_load (KuuDevice  *self,
                 GError    **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (KUU_IS_DEVICE (self), FALSE);

  clear_credentials (self);
  if (!g_key_file_load_from_file (file, self->path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      return invalid (self, local_error->message, error);
    }
  if (!g_key_file_has_group (file, GROUP))
    return invalid (self, _("it has no [device] group"), error);

  self->server_url = read_key (file, "server-url");
  self->token = read_key (file, "token");
  self->device_id = read_key (file, "device-id");
  self->region = read_key (file, "region");
  if ((self->server_url == NULL) != (self->token == NULL))
    {
      clear_credentials (self);
      return invalid (self, _("it needs both server-url and token"), error);
    }
  if (self->server_url != NULL && !g_uri_is_valid (self->server_url, G_URI_FLAGS_NONE, NULL))
    {
      clear_credentials (self);
      return invalid (self, _("its server-url is not an address"), error);
    }

  return TRUE;
}

static char *
to_data (KuuDevice *self,
         gsize     *length)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  g_key_file_set_comment (file, NULL, NULL,
                          " Kuulolla: this device's enrolment. The token is a password: keep this file private.",
                          NULL);
  g_key_file_set_string (file, GROUP, "server-url", self->server_url);
  if (self->device_id != NULL)
    g_key_file_set_string (file, GROUP, "device-id", self->device_id);
  g_key_file_set_string (file, GROUP, "token", self->token);
  if (self->region != NULL)
    g_key_file_set_string (file, GROUP, "region", self->region);
  return g_key_file_to_data (file, length, NULL);
}

/* Written whole to a temporary file and renamed over the old one, so a
 * power cut leaves the old credentials or the new, never half. */
static gboolean
write_data (const char  *path,
            const char  *data,
            gsize        length,
            GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create the folder “%s” for the device file: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static void
wipe_free (char *data)
{
  if (data != NULL)
    memset (data, 0, strlen (data));
  g_free (data);
}

gboolean
kuu_device_save (KuuDevice  *self,
                 GError    **error)
{
  g_autofree char *data = NULL;
  gboolean ok;
  gsize length;

  g_return_val_if_fail (KUU_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (kuu_device_is_enrolled (self), FALSE);

  data = to_data (self, &length);
  ok = write_data (self->path, data, length, error);
  memset (data, 0, length);
  return ok;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  KuuDevice *self = source_object;
  GError *error = NULL;

  if (write_data (self->path, task_data, strlen (task_data), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * kuu_device_save_async:
 *
 * As kuu_device_save(), in a worker thread: writing waits for the disk
 * (fsync), and the main loop must not. The credentials as they are now
 * are written.
 */
void
kuu_device_save_async (KuuDevice           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gsize length;

  g_return_if_fail (KUU_IS_DEVICE (self));
  g_return_if_fail (kuu_device_is_enrolled (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_device_save_async);
  g_task_set_task_data (task, to_data (self, &length), (GDestroyNotify)wipe_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
kuu_device_save_finish (KuuDevice     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * kuu_device_set_credentials:
 * @device_id: (nullable): the server's id for the device, if it said
 * @region: (nullable): the region the device was enrolled for
 *
 * Replaces the credentials in memory; kuu_device_save() writes them.
 */
void
kuu_device_set_credentials (KuuDevice  *self,
                            const char *server_url,
                            const char *device_id,
                            const char *token,
                            const char *region)
{
  g_return_if_fail (KUU_IS_DEVICE (self));
  g_return_if_fail (server_url != NULL && token != NULL);

  clear_credentials (self);
  self->server_url = g_strdup (server_url);
  self->device_id = g_strdup (device_id);
  self->token = g_strdup (token);
  self->region = g_strdup (region);
}

const char *
kuu_device_get_path (KuuDevice *self)
{
  g_return_val_if_fail (KUU_IS_DEVICE (self), NULL);
  return self->path;
}

gboolean
kuu_device_is_enrolled (KuuDevice *self)
{
  g_return_val_if_fail (KUU_IS_DEVICE (self), FALSE);
  return self->server_url != NULL && self->token != NULL;
}

const char *
kuu_device_get_server_url (KuuDevice *self)
{
  g_return_val_if_fail (KUU_IS_DEVICE (self), NULL);
  return self->server_url;
}

const char *
kuu_device_get_device_id (KuuDevice *self)
{
  g_return_val_if_fail (KUU_IS_DEVICE (self), NULL);
  return self->device_id;
}

const char *
kuu_device_get_token (KuuDevice *self)
{
  g_return_val_if_fail (KUU_IS_DEVICE (self), NULL);
  return self->token;
}

const char *
kuu_device_get_region (KuuDevice *self)
{
  g_return_val_if_fail (KUU_IS_DEVICE (self), NULL);
  return self->region;
}

/* "https://a.fi" and "https://a.fi/" are the same server. */
gboolean
kuu_device_same_server (const char *a,
                        const char *b)
{
  gsize la, lb;

  if (a == NULL || b == NULL)
    return FALSE;
  la = strlen (a);
  lb = strlen (b);
  while (la > 0 && a[la - 1] == '/')
    la--;
  while (lb > 0 && b[lb - 1] == '/')
    lb--;
  return la == lb && strncmp (a, b, la) == 0;
}
