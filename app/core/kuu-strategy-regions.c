/* kuu-strategy-regions.c
 *
 * Where a region's file is found by its id: a path given on the command
 * line, a file installed in the data dirs (so a region can ship a newer
 * strategy without a new build), or the regions compiled in as a
 * GResource. The reading and checking itself is kuu-strategy-loader.c's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-i18n-private.h"
#include <string.h>

#include "kuu-regions-resources.h"
#include "kuu-strategy-loader.h"

#define REGIONS_RESOURCE_PATH RESOURCE_PREFIX "/regions/"

/* Registered on first use: a static library drops an object file nothing
 * refers to, and a resource constructor is referred to by nothing. */
static void
ensure_bundled_regions (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      kuu_regions_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

static gboolean
looks_like_path (const char *id_or_path)
{
  return strchr (id_or_path, '/') != NULL || g_str_has_suffix (id_or_path, ".json");
}

/* An installed file overrides the bundled one, so a region's IT can ship
 * a newer strategy without a new build. */
static GFile *
find_installed_region (const char *file_name)
{
  const char *override_dir = g_getenv ("KUULOLLA_REGIONS_DIR");
  const char * const *dirs = g_get_system_data_dirs ();
  g_autofree char *user_path = NULL;

  if (override_dir != NULL)
    {
      g_autofree char *path = g_build_filename (override_dir, file_name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_file_new_for_path (path);
    }

  user_path = g_build_filename (g_get_user_data_dir (), "kuulolla", "regions", file_name, NULL);
  if (g_file_test (user_path, G_FILE_TEST_IS_REGULAR))
    return g_file_new_for_path (user_path);

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], "kuulolla", "regions", file_name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_file_new_for_path (path);
    }

  return NULL;
}

/**
 * kuu_strategy_load_region:
 * @id_or_path: a region id such as “kainuu”, or a path to a region file
 *
 * Returns: (transfer full): the strategy, or %NULL with @error set
 */
KuuStrategy *
kuu_strategy_load_region (const char  *id_or_path,
                          GError     **error)
{
  g_autofree char *file_name = NULL;
  g_autofree char *resource = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) bundled = NULL;
  g_autofree char *known = NULL;

  g_return_val_if_fail (id_or_path != NULL, NULL);

  if (looks_like_path (id_or_path))
    {
      file = g_file_new_for_commandline_arg (id_or_path);
      return kuu_strategy_load_file (file, error);
    }

  file_name = g_strconcat (id_or_path, ".json", NULL);
  if ((file = find_installed_region (file_name)))
    return kuu_strategy_load_file (file, error);

  ensure_bundled_regions ();
  resource = g_strconcat (REGIONS_RESOURCE_PATH, file_name, NULL);
  bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes != NULL)
    return kuu_strategy_load_bytes (bytes, file_name, error);

  bundled = kuu_strategy_list_bundled ();
  known = g_strjoinv (", ", bundled);
  g_set_error (error, KUU_STRATEGY_ERROR, KUU_STRATEGY_ERROR_NOT_FOUND,
               _("There is no region “%s”. Known regions: %s; or give the path of a region file."),
               id_or_path, known);
  return NULL;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(char * const *)a, *(char * const *)b);
}

/**
 * kuu_strategy_list_bundled:
 *
 * Returns: (transfer full): the ids of the regions built into Kuulolla,
 *   sorted
 */
char **
kuu_strategy_list_bundled (void)
{
  g_auto(GStrv) children = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  char **ids;

  ensure_bundled_regions ();
  children = g_resources_enumerate_children (REGIONS_RESOURCE_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    {
      if (g_str_has_suffix (children[i], ".json"))
        {
          g_autofree char *id = g_strndup (children[i], strlen (children[i]) - strlen (".json"));

          g_strv_builder_add (builder, id);
        }
    }

  ids = g_strv_builder_end (builder);
  qsort (ids, g_strv_length (ids), sizeof (char *), compare_strings);
  return ids;
}
