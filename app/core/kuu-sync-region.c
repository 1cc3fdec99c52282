/* kuu-sync-region.c
 *
 * The region pull (docs/protocol.md § 6): the region file is asked for
 * with the ETag of the one installed (If-None-Match), and a new one is
 * written, with its ETag beside it, only if the strategy loader accepts it
 * — the app never reads a file that would not load. Three steps, each in
 * a task of its own: read the ETag (a worker thread), fetch (the main
 * loop), install (a worker thread); the RegionPull carries what they
 * share, and the sync, from one to the next.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "kuulolla-sync"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "kuu-strategy-loader.h"
#include "kuu-sync-private.h"

#define MAX_ETAG_LENGTH 256

/* One pull, shared by its steps. */
typedef struct
{
  KuuSyncPull pull;
  char    *path;       /* <dir>/<id>.json */
  char    *etag_path;  /* beside it */
  char    *file_name;  /* <id>.json: the loader checks the id against it */
  char    *etag;       /* read, or received */
  GBytes  *bytes;      /* received */
  KuuStrategy *strategy;  /* what the loader made of them */
} RegionPull;

static void
region_pull_clear (RegionPull *region)
{
  g_free (region->path);
  g_free (region->etag_path);
  g_free (region->file_name);
  g_free (region->etag);
  g_clear_pointer (&region->bytes, g_bytes_unref);
  g_clear_object (&region->strategy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegionPull, _kuu_sync_pull_unref)

static RegionPull *
region_pull_new (KuuSync *self)
{
  RegionPull *region = _kuu_sync_pull_new (self, sizeof (RegionPull), (GDestroyNotify)region_pull_clear);

  region->file_name = g_strconcat (self->region.id, ".json", NULL);
  region->path = g_build_filename (self->region.dir, region->file_name, NULL);
  region->etag_path = g_strconcat (region->path, ".etag", NULL);
  return region;
}

/* An entity-tag as sent (quotes and all), short and printable: it goes
 * back to the server in If-None-Match and into a file. */
static gboolean
is_etag (const char *value)
{
  return _kuu_is_visible_ascii (value, MAX_ETAG_LENGTH);
}

/* --- installing ---------------------------------------------------------- */

static gboolean
write_file (const char  *path,
            const char  *data,
            gsize        length,
            GError     **error)
{
  return g_file_set_contents_full (path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

static gboolean
make_folder (const char  *dir,
             GError     **error)
{
  int saved_errno;

  if (g_mkdir_with_parents (dir, 0755) == 0)
    return TRUE;
  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "Cannot create the folder “%s”: %s", dir, g_strerror (saved_errno));
  return FALSE;
}

/* Only a file the loader accepts is written, and atomically: the app
 * never reads half a file or one that would not load. */
static gboolean
install_region (RegionPull  *region,
                gboolean    *out_changed,
                GError     **error)
{
  KuuStrategy *strategy = kuu_strategy_load_bytes (region->bytes, region->file_name, error);
  g_autoptr(GBytes) old = NULL;
  g_autofree char *old_data = NULL;
  g_autofree char *dir = g_path_get_dirname (region->path);
  gsize old_length = 0;
  gsize length;
  const char *data = g_bytes_get_data (region->bytes, &length);

  /* Kept for ::region-changed: the app uses it without reading the file
   * again. */
  g_clear_object (&region->strategy);
  region->strategy = strategy;
  if (strategy == NULL || !make_folder (dir, error))
    return FALSE;

  if (g_file_get_contents (region->path, &old_data, &old_length, NULL))
    old = g_bytes_new_take (g_steal_pointer (&old_data), old_length);
  *out_changed = old == NULL || !g_bytes_equal (old, region->bytes);
  if (*out_changed && !write_file (region->path, data, length, error))
    return FALSE;

  /* No ETag now: the old one would describe another file. */
  if (region->etag == NULL)
    {
      g_remove (region->etag_path);
      return TRUE;
    }
  return write_file (region->etag_path, region->etag, strlen (region->etag), error);
}

static void
install_region_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean changed = FALSE;

  if (install_region (task_data, &changed, &error))
    g_task_return_int (task, changed);
  else
    g_task_return_error (task, error);
}

static void
on_region_installed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  KuuSync *self = KUU_SYNC (object);
  RegionPull *region = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gssize changed = g_task_propagate_int (G_TASK (result), &error);

  self->region.busy = FALSE;
  if (changed < 0)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf ("The region file from the server was not used: %s", error->message);
      g_message ("%s", message);
      _kuu_sync_set_last_error (self, KUU_SYNC_SOURCE_REGION, message);
      return;
    }
  _kuu_sync_note_success (self, KUU_SYNC_SOURCE_REGION);
  if (changed)
    {
      g_set_object (&self->region.strategy, region->strategy);
      _kuu_sync_emit_region_changed (self, region->path);
    }
}

/* --- fetching ------------------------------------------------------------ */

static void
on_region_fetched_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(RegionPull) region = user_data;
  KuuSync *self = region->pull.sync;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  const char *etag;

  if (!_kuu_sync_pull_answer_usable (self, KUU_SYNC_SOURCE_REGION, message, bytes, error, "the region file"))
    {
      self->region.busy = FALSE;
      return;
    }
  if (soup_message_get_status (message) == SOUP_STATUS_NOT_MODIFIED)
    {
      self->region.busy = FALSE;
      _kuu_sync_note_success (self, KUU_SYNC_SOURCE_REGION);
      return;
    }

  /* Answered; whether the file is usable is known once it is checked. */
  _kuu_sync_touch_last_success (self);

  etag = soup_message_headers_get_one (soup_message_get_response_headers (message), "ETag");
  g_free (region->etag);
  region->etag = etag != NULL && is_etag (etag) ? g_strdup (etag) : NULL;
  region->bytes = g_steal_pointer (&bytes);
  _kuu_sync_pull_run_in_thread (g_steal_pointer (&region), install_region_thread, on_region_installed_cb);
}

/* The ETag counts only beside the file it describes. */
static void
read_etag_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  RegionPull *region = task_data;
  g_autofree char *etag = NULL;

  if (g_file_test (region->path, G_FILE_TEST_IS_REGULAR) &&
      g_file_get_contents (region->etag_path, &etag, NULL, NULL))
    {
      g_strstrip (etag);
      if (is_etag (etag))
        region->etag = g_steal_pointer (&etag);
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_etag_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  KuuSync *self = KUU_SYNC (object);
  RegionPull *region = g_task_get_task_data (G_TASK (result));
  g_autoptr(SoupMessage) message = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) ||
      !(message = _kuu_sync_new_message (self, "GET", "/api/v1/region")))
    {
      self->region.busy = FALSE;
      return;
    }

  if (region->etag != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "If-None-Match", region->etag);
  _kuu_sync_pull_send (region, message, on_region_fetched_cb);
}

/* --- for kuu-sync.c ------------------------------------------------------ */

/* Unless it is off or one is on already. */
void
_kuu_sync_region_pull (KuuSync *self)
{
  if (self->region.id == NULL || self->region.busy)
    return;

  self->region.busy = TRUE;
  _kuu_sync_pull_run_in_thread (region_pull_new (self), read_etag_thread, on_etag_read_cb);
}

/* A pull on is cancelled: the next may start at once. */
void
_kuu_sync_region_stop (KuuSync *self)
{
  self->region.busy = FALSE;
}

void
_kuu_sync_region_clear (KuuSync *self)
{
  g_clear_pointer (&self->region.id, g_free);
  g_clear_pointer (&self->region.dir, g_free);
  g_clear_object (&self->region.strategy);
}

/* --- public -------------------------------------------------------------- */

/**
 * kuu_sync_get_region_strategy:
 *
 * The strategy of the region file installed last, as the loader read it
 * before the file was written: a ::region-changed handler uses it rather
 * than reading the file again.
 *
 * Returns: (transfer none) (nullable): %NULL before a file came
 */
KuuStrategy *
kuu_sync_get_region_strategy (KuuSync *self)
{
  g_return_val_if_fail (KUU_IS_SYNC (self), NULL);
  return self->region.strategy;
}

/**
 * kuu_sync_set_region:
 * @region_id: the kiosk's region; its file is fetched from the server
 * @directory: (nullable): where installed region files live; %NULL for
 *   $XDG_DATA_HOME/kuulolla/regions, which overrides the bundled ones
 *
 * Turns on the region pull (docs/protocol.md § 6). A file from the server
 * is written, as <directory>/<region_id>.json with its ETag beside it, only
 * when it loads and its id is @region_id; ::region-changed says so.
 */
void
kuu_sync_set_region (KuuSync    *self,
                     const char *region_id,
                     const char *directory)
{
  g_return_if_fail (KUU_IS_SYNC (self));
  g_return_if_fail (region_id != NULL && *region_id != '\0' && strchr (region_id, '/') == NULL);

  g_free (self->region.id);
  self->region.id = g_strdup (region_id);
  g_free (self->region.dir);
  self->region.dir = directory != NULL
                     ? g_strdup (directory)
                     : g_build_filename (g_get_user_data_dir (), "kuulolla", "regions", NULL);
}
