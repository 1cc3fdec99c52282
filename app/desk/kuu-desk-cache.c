/* kuu-desk-cache.c: the last results per filter, for when the server is away
 *
 * Only the aggregates the server gave (no answers, no contact details, no
 * token) are kept, one file per server and filter in the user's cache
 * folder, wrapped with the time they were fetched:
 * {"fetched_at": <Unix seconds>, "response": <the server's JSON as it came>}.
 * Reading and writing are in a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kuu-desk-cache.h"
#include "kuu-json.h"

typedef struct
{
  char   *path;
  GBytes *body;
} Entry;

typedef struct
{
  JsonNode  *response;
  GDateTime *fetched;
} Loaded;

static void
entry_free (Entry *entry)
{
  g_free (entry->path);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_free (entry);
}

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->response, json_node_unref);
  g_clear_pointer (&loaded->fetched, g_date_time_unref);
  g_free (loaded);
}

char *
kuu_desk_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "kuulolla", "desk", NULL);
}

/* A name that says nothing of the filter: a digest of server and query. */
static char *
cache_path (const char *server_url,
            const char *query)
{
  g_autofree char *key = g_strconcat (server_url, "\n", query, NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *dir = kuu_desk_cache_dir ();
  g_autofree char *name = g_strconcat ("results-", digest, ".json", NULL);

  return g_build_filename (dir, name, NULL);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Entry *entry = task_data;
  g_autofree char *dir = g_path_get_dirname (entry->path);
  g_autoptr(GString) data = g_string_new (NULL);
  gsize size = 0;
  const char *body = g_bytes_get_data (entry->body, &size);
  GError *error = NULL;

  /* The body was read with the strict parser already: it is one JSON
   * value, so the wrapper is JSON too. */
  g_string_append_printf (data, "{\"fetched_at\":%" G_GINT64_FORMAT ",\"response\":", g_get_real_time () / G_USEC_PER_SEC);
  g_string_append_len (data, body, size);
  g_string_append (data, "}\n");
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (entry->path, data->str, data->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, _("The folder %s could not be made"), dir);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
kuu_desk_cache_save_async (const char          *server_url,
                           const char          *query,
                           GBytes              *body,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Entry *entry = g_new0 (Entry, 1);

  g_task_set_source_tag (task, kuu_desk_cache_save_async);
  entry->path = cache_path (server_url, query);
  entry->body = g_bytes_ref (body);
  g_task_set_task_data (task, entry, (GDestroyNotify)entry_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
kuu_desk_cache_save_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autofree char *data = NULL;
  gsize size = 0;
  GError *error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  Loaded *loaded;

  if (!g_file_get_contents (task_data, &data, &size, &error) ||
      (root = kuu_json_parse (data, size, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (object == NULL || !json_object_has_member (object, "fetched_at") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "response")))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a cached answer");
      return;
    }
  loaded = g_new0 (Loaded, 1);
  loaded->response = json_node_ref (json_object_get_member (object, "response"));
  loaded->fetched = g_date_time_new_from_unix_local (json_object_get_int_member (object, "fetched_at"));
  g_task_return_pointer (task, loaded, (GDestroyNotify)loaded_free);
}

void
kuu_desk_cache_load_async (const char          *server_url,
                           const char          *query,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, kuu_desk_cache_load_async);
  g_task_set_task_data (task, cache_path (server_url, query), g_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * kuu_desk_cache_load_finish:
 * @out_fetched: (out): when the server gave it
 *
 * Returns: (transfer full): the server's answer as it was
 */
JsonNode *
kuu_desk_cache_load_finish (GAsyncResult  *result,
                            GDateTime    **out_fetched,
                            GError       **error)
{
  Loaded *loaded = g_task_propagate_pointer (G_TASK (result), error);
  JsonNode *response;

  if (loaded == NULL)
    return NULL;
  response = g_steal_pointer (&loaded->response);
  *out_fetched = g_steal_pointer (&loaded->fetched);
  loaded_free (loaded);
  return response;
}
