/* kuu-server-regions.c
 *
 * A region file is kept as the bytes it was read from: a kiosk gets
 * exactly those, and loads them with the same loader the server used to
 * accept them, so a file the server serves is one a kiosk can load. The
 * ETag is the SHA-256 of the bytes: strong, and the same after a restart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "kuu-server-regions.h"
#include "kuu-strategy-loader.h"

#define BUNDLED_PATH RESOURCE_PREFIX "/regions/"

typedef struct
{
  KuuStrategy *strategy;
  GBytes      *bytes;
  char        *etag;    /* with its quotes, as in the header */
  char        *source;  /* where it came from, for messages */
} Region;

struct _KuuServerRegions
{
  GObject     parent_instance;

  GHashTable *regions;  /* id → Region */
};

G_DEFINE_FINAL_TYPE (KuuServerRegions, kuu_server_regions, G_TYPE_OBJECT)

static void
region_free (Region *region)
{
  g_clear_object (&region->strategy);
  g_clear_pointer (&region->bytes, g_bytes_unref);
  g_free (region->etag);
  g_free (region->source);
  g_free (region);
}

static gboolean
add_bytes (KuuServerRegions  *self,
           GBytes            *bytes,
           const char        *source,
           GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = g_path_get_basename (source);
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_bytes (bytes, name, &local_error);
  g_autofree char *digest = NULL;
  Region *region, *other;

  if (strategy == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   "The region file “%s” does not load: %s", source, local_error->message);
      return FALSE;
    }
  if ((other = g_hash_table_lookup (self->regions, kuu_strategy_get_id (strategy))))
    {
      g_set_error (error, KUU_STRATEGY_ERROR, KUU_STRATEGY_ERROR_DUPLICATE_ID,
                   "The region “%s” is given twice: by “%s” and by “%s”",
                   kuu_strategy_get_id (strategy), other->source, source);
      return FALSE;
    }

  digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  region = g_new0 (Region, 1);
  region->strategy = g_steal_pointer (&strategy);
  region->bytes = g_bytes_ref (bytes);
  region->etag = g_strdup_printf ("\"%s\"", digest);
  region->source = g_strdup (source);
  g_hash_table_insert (self->regions, g_strdup (kuu_strategy_get_id (region->strategy)), region);
  return TRUE;
}

static gboolean
add_file (KuuServerRegions  *self,
          const char        *path,
          GError           **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &local_error);

  if (bytes == NULL)
    {
      g_set_error (error, KUU_STRATEGY_ERROR, KUU_STRATEGY_ERROR_NOT_FOUND,
                   "Cannot read the region file “%s”: %s", path, local_error->message);
      return FALSE;
    }
  return add_bytes (self, bytes, path, error);
}

static gboolean
add_bundled (KuuServerRegions  *self,
             const char        *id,
             GError           **error)
{
  g_auto(GStrv) known = kuu_strategy_list_bundled ();  /* also registers the resource */
  g_autofree char *path = g_strconcat (BUNDLED_PATH, id, ".json", NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autofree char *list = NULL;

  if (bytes != NULL)
    return add_bytes (self, bytes, path, error);

  list = g_strjoinv (", ", known);
  g_set_error (error, KUU_STRATEGY_ERROR, KUU_STRATEGY_ERROR_NOT_FOUND,
               "There is no bundled region “%s” (bundled: %s); give the path of a region file instead",
               id, list);
  return FALSE;
}

static void
kuu_server_regions_finalize (GObject *object)
{
  KuuServerRegions *self = (KuuServerRegions *)object;

  g_clear_pointer (&self->regions, g_hash_table_unref);

  G_OBJECT_CLASS (kuu_server_regions_parent_class)->finalize (object);
}

static void
kuu_server_regions_class_init (KuuServerRegionsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kuu_server_regions_finalize;
}

static void
kuu_server_regions_init (KuuServerRegions *self)
{
  self->regions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)region_free);
}

KuuServerRegions *
kuu_server_regions_new (void)
{
  return g_object_new (KUU_TYPE_SERVER_REGIONS, NULL);
}

/**
 * kuu_server_regions_add:
 * @id_or_path: a bundled region's id, or a region file (a path with a
 *   slash or ending in .json)
 */
gboolean
kuu_server_regions_add (KuuServerRegions  *self,
                        const char        *id_or_path,
                        GError           **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_REGIONS (self), FALSE);
  g_return_val_if_fail (id_or_path != NULL, FALSE);

  if (strchr (id_or_path, '/') != NULL || g_str_has_suffix (id_or_path, ".json"))
    return add_file (self, id_or_path, error);
  return add_bundled (self, id_or_path, error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *)a, *(char * const *)b);
}

/**
 * kuu_server_regions_add_dir:
 *
 * Adds every *.json file in @path, in the order of their names.
 */
gboolean
kuu_server_regions_add_dir (KuuServerRegions  *self,
                            const char        *path,
                            GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &local_error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_return_val_if_fail (KUU_IS_SERVER_REGIONS (self), FALSE);

  if (dir == NULL)
    {
      g_set_error (error, KUU_STRATEGY_ERROR, KUU_STRATEGY_ERROR_NOT_FOUND,
                   "Cannot read the regions folder “%s”: %s", path, local_error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_names);

  if (names->len == 0)
    {
      g_set_error (error, KUU_STRATEGY_ERROR, KUU_STRATEGY_ERROR_NOT_FOUND,
                   "The regions folder “%s” has no .json files", path);
      return FALSE;
    }
  for (guint i = 0; i < names->len; i++)
    if (!add_file (self, g_ptr_array_index (names, i), error))
      return FALSE;
  return TRUE;
}

/**
 * kuu_server_regions_add_bundled:
 *
 * Adds every region built into Kuulolla.
 */
gboolean
kuu_server_regions_add_bundled (KuuServerRegions  *self,
                                GError           **error)
{
  g_auto(GStrv) ids = kuu_strategy_list_bundled ();

  g_return_val_if_fail (KUU_IS_SERVER_REGIONS (self), FALSE);

  for (guint i = 0; ids[i] != NULL; i++)
    if (!add_bundled (self, ids[i], error))
      return FALSE;
  return TRUE;
}

/**
 * kuu_server_regions_is_id:
 *
 * Whether @text has the form of a region id (docs/region-format.md):
 * 1–64 characters of a–z, 0–9 and “-”, starting with a letter.
 */
gboolean
kuu_server_regions_is_id (const char *text)
{
  gsize length = text != NULL ? strlen (text) : 0;

  if (length == 0 || length > 64 || !g_ascii_islower (text[0]))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_islower (text[i]) && !g_ascii_isdigit (text[i]) && text[i] != '-')
      return FALSE;
  return TRUE;
}

/**
 * kuu_server_regions_add_for_enrol:
 * @id_or_path: what admin enrol was given as --region
 *
 * Finds the region a device is enrolled for among the ones the server
 * serves (@self), as the server's own --region would: a region file is
 * loaded (and must load), an id must be one of @self's.
 *
 * Returns: (transfer none) (nullable): the region's id, or %NULL with
 *   @error set
 */
const char *
kuu_server_regions_add_for_enrol (KuuServerRegions  *self,
                                  const char        *id_or_path,
                                  GError           **error)
{
  g_autoptr(KuuServerRegions) file = NULL;
  const char *id = id_or_path;
  gpointer key = NULL;
  Region *region;
  GHashTableIter iter;

  g_return_val_if_fail (KUU_IS_SERVER_REGIONS (self), NULL);
  g_return_val_if_fail (id_or_path != NULL, NULL);

  if (strchr (id_or_path, '/') != NULL || g_str_has_suffix (id_or_path, ".json"))
    {
      /* Loaded apart first: the file may well be one the folder has too. */
      file = kuu_server_regions_new ();
      if (!add_file (file, id_or_path, error))
        return NULL;
      g_hash_table_iter_init (&iter, file->regions);
      g_hash_table_iter_next (&iter, (gpointer *)&id, (gpointer *)&region);
      if (g_hash_table_lookup (self->regions, id) == NULL && !add_bytes (self, region->bytes, id_or_path, error))
        return NULL;
    }
  else if (!kuu_server_regions_is_id (id_or_path))
    {
      g_set_error (error, KUU_STRATEGY_ERROR, KUU_STRATEGY_ERROR_INVALID_VALUE,
                   "“%s” is no region id (1–64 characters a–z, 0–9 and “-”, starting with a letter)"
                   " and no region file", id_or_path);
      return NULL;
    }
  else if (g_hash_table_lookup (self->regions, id_or_path) == NULL)
    {
      g_autofree const char **ids = (const char **)g_hash_table_get_keys_as_array (self->regions, NULL);
      g_autofree char *list = NULL;

      qsort (ids, g_hash_table_size (self->regions), sizeof (char *), compare_names);
      list = g_strjoinv (", ", (char **)ids);
      g_set_error (error, KUU_STRATEGY_ERROR, KUU_STRATEGY_ERROR_NOT_FOUND,
                   "This server serves no region “%s” (it serves: %s); give the same --regions-dir"
                   " or --region=FILE as to the server", id_or_path, list);
      return NULL;
    }

  if (!g_hash_table_lookup_extended (self->regions, id, &key, NULL))
    g_assert_not_reached ();
  return key;
}

guint
kuu_server_regions_get_n_regions (KuuServerRegions *self)
{
  g_return_val_if_fail (KUU_IS_SERVER_REGIONS (self), 0);

  return g_hash_table_size (self->regions);
}

/**
 * kuu_server_regions_get_strategy:
 *
 * Returns: (transfer none) (nullable): the region @id, if served
 */
KuuStrategy *
kuu_server_regions_get_strategy (KuuServerRegions *self,
                                 const char       *id)
{
  Region *region;

  g_return_val_if_fail (KUU_IS_SERVER_REGIONS (self), NULL);

  region = id != NULL ? g_hash_table_lookup (self->regions, id) : NULL;
  return region != NULL ? region->strategy : NULL;
}

/**
 * kuu_server_regions_get_file:
 * @out_etag: (out) (transfer none): the file's strong ETag, quoted
 *
 * Returns: (transfer none) (nullable): the bytes of region @id's file
 */
GBytes *
kuu_server_regions_get_file (KuuServerRegions  *self,
                             const char        *id,
                             const char       **out_etag)
{
  Region *region;

  g_return_val_if_fail (KUU_IS_SERVER_REGIONS (self), NULL);

  region = id != NULL ? g_hash_table_lookup (self->regions, id) : NULL;
  if (region == NULL)
    return NULL;
  if (out_etag != NULL)
    *out_etag = region->etag;
  return region->bytes;
}
