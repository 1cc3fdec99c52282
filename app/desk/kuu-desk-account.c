/* kuu-desk-account.c: who is signed in at the desk, and where the token is kept
 *
 * The staff token is a password to the region's answers: it lives only in
 * the desktop's keyring through libsecret (inside a Flatpak, libsecret
 * goes through the Secret portal by itself), keyed by the server's
 * address. What is not secret — the server, the staff member's id, name,
 * role and region — is in desk.ini in the user's config folder, so the
 * desk can greet them before the keyring answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "kuu-desk-account.h"

#define GROUP "desk"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".StaffToken", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "staff-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

char *
kuu_desk_account_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "kuulolla", "desk.ini", NULL);
}

/**
 * kuu_desk_account_load:
 * @out_server_url: (out): the server last used, or %NULL
 *
 * Returns: (nullable): who signed in last (without the token), or %NULL
 */
KuuDeskStaff *
kuu_desk_account_load (char **out_server_url)
{
  g_autofree char *path = kuu_desk_account_path ();
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(KuuDeskStaff) staff = g_new0 (KuuDeskStaff, 1);

  *out_server_url = NULL;
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  *out_server_url = g_key_file_get_string (file, GROUP, "server-url", NULL);
  staff->id = g_key_file_get_string (file, GROUP, "staff-id", NULL);
  staff->name = g_key_file_get_string (file, GROUP, "name", NULL);
  staff->role = g_key_file_get_string (file, GROUP, "role", NULL);
  staff->region = g_key_file_get_string (file, GROUP, "region", NULL);
  if (staff->id == NULL || staff->name == NULL || staff->role == NULL || staff->region == NULL)
    return NULL;
  return g_steal_pointer (&staff);
}

static void
on_account_written_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Never the token: the keyring holds it. */
void
kuu_desk_account_save_async (const char          *server_url,
                             KuuDeskStaff        *staff,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = kuu_desk_account_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GFile) target = g_file_new_for_path (path);
  g_autoptr(GBytes) bytes = NULL;
  gsize length = 0;
  char *data;

  g_task_set_source_tag (task, kuu_desk_account_save_async);
  g_key_file_set_string (file, GROUP, "server-url", server_url);
  g_key_file_set_string (file, GROUP, "staff-id", staff->id);
  g_key_file_set_string (file, GROUP, "name", staff->name);
  g_key_file_set_string (file, GROUP, "role", staff->role);
  g_key_file_set_string (file, GROUP, "region", staff->region);
  data = g_key_file_to_data (file, &length, NULL);
  bytes = g_bytes_new_take (data, length);
  g_mkdir_with_parents (folder, 0700);
  g_file_replace_contents_bytes_async (target, bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                       cancellable, on_account_written_cb, g_steal_pointer (&task));
}

gboolean
kuu_desk_account_save_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* At sign-out: the address stays (it is typed once), the person goes. */
void
kuu_desk_account_forget (const char *server_url)
{
  g_autofree char *path = kuu_desk_account_path ();
  g_autoptr(GKeyFile) file = g_key_file_new ();

  g_key_file_set_string (file, GROUP, "server-url", server_url);
  if (!g_key_file_save_to_file (file, path, NULL))
    g_unlink (path);
}

/* --- the keyring ---------------------------------------------------------- */

static void
on_token_stored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
kuu_desk_token_store_async (const char          *server_url,
                            const char          *staff_id,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = g_strdup_printf (_("Kuulolla region desk sign-in (%s)"), server_url);

  g_task_set_source_tag (task, kuu_desk_token_store_async);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                         on_token_stored_cb, g_steal_pointer (&task),
                         "server", server_url, "staff-id", staff_id, NULL);
}

gboolean
kuu_desk_token_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_token_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify)secret_password_free);
}

/* The task's value is NULL when the keyring has no token for the server. */
void
kuu_desk_token_lookup_async (const char          *server_url,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, kuu_desk_token_lookup_async);
  secret_password_lookup (token_schema (), cancellable, on_token_found_cb, g_steal_pointer (&task),
                          "server", server_url, NULL);
}

/* Returns: (transfer full) (nullable): free with secret_password_free() */
char *
kuu_desk_token_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_token_cleared_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
kuu_desk_token_clear_async (const char          *server_url,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, kuu_desk_token_clear_async);
  secret_password_clear (token_schema (), cancellable, on_token_cleared_cb, g_steal_pointer (&task),
                         "server", server_url, NULL);
}

gboolean
kuu_desk_token_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
