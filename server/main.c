/* main.c: kuulolla-server — serve, or an admin command
 *
 *   kuulolla-server [--database=PATH] [--listen=HOST:PORT] [--region=ID|FILE]…
 *                   [--tls-cert=FILE --tls-key=FILE]
 *   kuulolla-server [--database=PATH] admin enrol --region=ID --unit=NAME [--valid-days=N]
 *   kuulolla-server [--database=PATH] admin revoke DEVICE_ID
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "kuu-server.h"
#include "kuu-strategy-loader.h"

#define EXIT_USAGE 2

typedef struct
{
  char     *database;
  char     *listen;
  char    **regions;
  char     *tls_cert;
  char     *tls_key;
  char     *region;
  char     *unit;
  int       valid_days;
  char    **rest;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->database);
  g_free (options->listen);
  g_strfreev (options->regions);
  g_free (options->tls_cert);
  g_free (options->tls_key);
  g_free (options->region);
  g_free (options->unit);
  g_strfreev (options->rest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static int
usage_error (const char *message)
{
  g_printerr ("kuulolla-server: %s\nTry “kuulolla-server --help”.\n", message);
  return EXIT_USAGE;
}

static GHashTable *
load_regions (char   **names,
              GError **error)
{
  g_autoptr(GHashTable) regions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_auto(GStrv) bundled = NULL;

  if (names == NULL)
    names = bundled = kuu_strategy_list_bundled ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      KuuStrategy *strategy = kuu_strategy_load_region (names[i], error);

      if (strategy == NULL)
        return NULL;
      g_hash_table_replace (regions, g_strdup (kuu_strategy_get_id (strategy)), strategy);
    }
  return g_steal_pointer (&regions);
}

static int
run_admin (Options         *options,
           KuuServerStore  *store)
{
  g_autoptr(GError) error = NULL;
  const char *command = options->rest[1];

  if (g_strcmp0 (command, "enrol") == 0)
    {
      g_autofree char *code = NULL;

      if (options->region == NULL || options->unit == NULL)
        return usage_error ("admin enrol needs --region and --unit");
      code = kuu_server_store_add_enrolment_code (store, options->region, options->unit,
                                                  (options->valid_days > 0 ? options->valid_days : 7) * G_TIME_SPAN_DAY,
                                                  &error);
      if (code == NULL)
        return usage_error (error->message);
      g_print ("%s\n", code);
      return EXIT_SUCCESS;
    }

  if (g_strcmp0 (command, "revoke") == 0)
    {
      if (options->rest[2] == NULL)
        return usage_error ("admin revoke needs a device id");
      if (!kuu_server_store_revoke (store, options->rest[2], &error))
        return usage_error (error->message);
      g_print ("revoked %s\n", options->rest[2]);
      return EXIT_SUCCESS;
    }

  return usage_error ("admin commands: enrol, revoke");
}

static int
run_server (Options         *options,
            KuuServerStore  *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) regions = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(KuuServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *uri = NULL;

  if (!(regions = load_regions (options->regions, &error)))
    return usage_error (error->message);
  if ((options->tls_cert == NULL) != (options->tls_key == NULL))
    return usage_error ("--tls-cert and --tls-key go together");
  if (options->tls_cert != NULL &&
      !(certificate = g_tls_certificate_new_from_files (options->tls_cert, options->tls_key, &error)))
    return usage_error (error->message);

  server = kuu_server_new (store, regions);
  if (!kuu_server_listen (server, options->listen ? options->listen : "127.0.0.1:8470", certificate, &error))
    {
      g_printerr ("kuulolla-server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  /* The first line says where: a test or a script reads the port from it. */
  uri = kuu_server_get_uri (server);
  g_print ("listening on %s\n", uri);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);
  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new ("[admin enrol|revoke …]");
  g_autoptr(KuuServerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &options.database, "The SQLite database (default kuulolla-server.db)", "PATH" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &options.listen, "Address and port (default 127.0.0.1:8470; port 0 takes a free one)", "HOST:PORT" },
    { "region", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &options.regions, "A region to serve, by id or file (default: every bundled one); with admin enrol, the device's region", "ID|FILE" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_cert, "PEM certificate for HTTPS", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_key, "PEM private key for HTTPS", "FILE" },
    { "unit", 'u', 0, G_OPTION_ARG_STRING, &options.unit, "With admin enrol: where the device stands", "NAME" },
    { "valid-days", 0, 0, G_OPTION_ARG_INT, &options.valid_days, "With admin enrol: days the code is valid (default 7)", "N" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.rest, NULL, NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (options.rest != NULL && g_strcmp0 (options.rest[0], "admin") != 0)
    return usage_error ("unexpected argument");
  if (options.rest != NULL && options.regions != NULL)
    options.region = g_strdup (options.regions[0]);

  store = kuu_server_store_open (options.database ? options.database : "kuulolla-server.db", &error);
  if (store == NULL)
    {
      g_printerr ("kuulolla-server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  return options.rest != NULL ? run_admin (&options, store) : run_server (&options, store);
}
