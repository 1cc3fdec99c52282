/* main.c: command line, then the application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "kuu-application.h"
#include "kuu-pin.h"
#include "kuu-strategy-loader.h"
#include "kuu-tls.h"

#define EXIT_USAGE 2
#define PIN_LINE_MAX 64
#define DEFAULT_REGION "kymenlaakso"
#define DEFAULT_IDLE_SECONDS 60
#define DEFAULT_COUNTDOWN_SECONDS 15

typedef struct
{
  char     *region;
  char     *database;
  char     *unit;
  char     *server;
  char     *enrol;
  char     *tls_ca;
  gboolean  kiosk;
  gboolean  resident_pages;
  int       idle_seconds;
  int       countdown_seconds;
  char     *audience;
  gboolean  check;
  gboolean  set_pin;
  gboolean  version;
  char    **rest;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->region);
  g_free (options->database);
  g_free (options->unit);
  g_free (options->server);
  g_free (options->enrol);
  g_free (options->tls_ca);
  g_free (options->audience);
  g_strfreev (options->rest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* Settings are optional: an uninstalled build without GSETTINGS_SCHEMA_DIR
 * still runs, on the command line and the built-in defaults. */
static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

static char *
setting_or (GSettings  *settings,
            const char *key,
            const char *fallback)
{
  g_autofree char *value = settings ? g_settings_get_string (settings, key) : NULL;

  if (value != NULL && value[0] != '\0')
    return g_steal_pointer (&value);
  return g_strdup (fallback);
}

static guint
setting_uint_or (GSettings  *settings,
                 const char *key,
                 guint       fallback)
{
  return settings != NULL ? g_settings_get_uint (settings, key) : fallback;
}

/* Only http and https: anything else is a typing mistake we can name now,
 * not a sync error staff find later. */
static gboolean
check_server_url (const char  *url,
                  GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a server address: give one like https://kuulolla.example.fi"), url);
      return FALSE;
    }
  return TRUE;
}

/* --resident-pages: the window is built in staff mode on a desktop; once
 * it is, show the start page residents see instead. Only at the first
 * activation: a second launch must not take staff away from their work. */
static void
on_activated_cb (GApplication *app,
                 gpointer      user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_signal_handlers_disconnect_by_func (app, on_activated_cb, user_data);
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.home", NULL);
}

/* --- --set-pin ----------------------------------------------------------- */

/* One line from stdin without its newline; %NULL at the end of input. On a
 * terminal the echo is off, so nobody reads the PIN over IT's shoulder;
 * from a pipe (tests, scripts) it is read as it comes. */
static char *
read_secret (const char *prompt)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  char line[PIN_LINE_MAX];
  char *read;
  char *copy;

  g_printerr ("%s", prompt);
  if (tty && tcgetattr (STDIN_FILENO, &saved) == 0)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  read = fgets (line, sizeof line, stdin);
  if (tty)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  /* Enter was not echoed: the next prompt or message on its own line. */
  g_printerr ("\n");
  if (read == NULL)
    return NULL;
  line[strcspn (line, "\r\n")] = '\0';
  copy = g_strdup (line);
  /* No copy of the PIN left on the stack for a core dump to show. */
  explicit_bzero (line, sizeof line);
  return copy;
}

/* The new PIN twice, the same both times and in the right format. */
static char *
read_new_pin (GError **error)
{
  g_autofree char *first = read_secret (_("New staff PIN (4 to 12 digits): "));
  g_autofree char *second = NULL;

  if (first == NULL || !kuu_pin_check_format (first, error))
    {
      if (first == NULL)
        g_set_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_INVALID, _("No PIN was given."));
      return NULL;
    }
  second = read_secret (_("The same PIN again: "));
  if (g_strcmp0 (first, second) != 0)
    {
      g_set_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_INVALID,
                   _("The two PINs differ. Nothing was changed."));
      return NULL;
    }
  return g_steal_pointer (&first);
}

/* Run by the region's IT at deployment: a resident at the kiosk never
 * gets to set the first PIN. A set PIN is changed only with the current
 * one, and a wrong one counts towards the lockout as at the kiosk. */
static int
set_pin (const char *database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (database, &error);
  g_autoptr(KuuPin) pin = NULL;
  g_autofree char *current = NULL;
  g_autofree char *new_pin = NULL;
  KuuPinStatus status;

  if (store == NULL || !kuu_pin_get_status (pin = kuu_pin_new (store), &status, &error))
    goto failed;
  if (status.is_set && (current = read_secret (_("Current staff PIN: "))) == NULL)
    {
      g_set_error (&error, KUU_PIN_ERROR, KUU_PIN_ERROR_INVALID, _("No PIN was given."));
      goto failed;
    }
  if ((new_pin = read_new_pin (&error)) == NULL)
    goto failed;
  if (status.is_set ? !kuu_pin_change (pin, current, new_pin, &error)
                    : !kuu_pin_set_first (pin, new_pin, &error))
    goto failed;

  g_print (status.is_set ? _("The staff PIN is changed.\n") : _("The staff PIN is set.\n"));
  return EXIT_SUCCESS;

failed:
  g_printerr ("kuulolla: %s\n", error->message);
  return EXIT_FAILURE;
}

static gboolean
parse_options (int       *argc,
               char    ***argv,
               Options   *options,
               GError   **error)
{
  const GOptionEntry entries[] = {
    { "region", 'r', 0, G_OPTION_ARG_STRING, &options->region,
      N_("The region's id (such as kainuu) or the path of a region file"), N_("ID|FILE") },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &options->database,
      N_("The SQLite database to store answers in"), N_("PATH") },
    { "unit", 'u', 0, G_OPTION_ARG_STRING, &options->unit,
      N_("The unit (location) this device stands in"), N_("NAME") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &options->server,
      N_("The region server's address, such as https://kuulolla.example.fi"), N_("URL") },
    { "enrol", 0, 0, G_OPTION_ARG_STRING, &options->enrol,
      N_("Enrol this device with the server, with a one-time code from its administrator"), N_("CODE") },
    { "tls-ca", 0, 0, G_OPTION_ARG_FILENAME, &options->tls_ca,
      N_("PEM file of the region's own certificate authority, to check the server's certificate with"), N_("FILE") },
    { "kiosk", 'k', 0, G_OPTION_ARG_NONE, &options->kiosk,
      N_("Run full-screen as a resident kiosk"), NULL },
    { "resident-pages", 0, 0, G_OPTION_ARG_NONE, &options->resident_pages,
      N_("On a desktop, open the pages residents use rather than staff mode"), NULL },
    { "idle-seconds", 0, 0, G_OPTION_ARG_INT, &options->idle_seconds,
      N_("Seconds without input before a kiosk offers to start over (default 60)"), N_("SECONDS") },
    { "countdown-seconds", 0, 0, G_OPTION_ARG_INT, &options->countdown_seconds,
      N_("Seconds a kiosk counts down before it clears the screen (default 15)"), N_("SECONDS") },
    { "audience", 0, 0, G_OPTION_ARG_STRING, &options->audience,
      N_("Who this device asks: residents or personnel (default: the setting)"), N_("WHO") },
    { "check", 0, 0, G_OPTION_ARG_NONE, &options->check,
      N_("Check the region file and exit"), NULL },
    { "set-pin", 0, 0, G_OPTION_ARG_NONE, &options->set_pin,
      N_("Set or change the staff PIN, read from the terminal, and exit"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      N_("Show the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  KuuAudience audience;

  g_option_context_set_summary (context, _("Hear what residents think of the region's strategy."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (options->idle_seconds < 0 || options->countdown_seconds < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("A number of seconds must be at least 1"));
      return FALSE;
    }

  if (options->audience != NULL && !kuu_audience_from_string (options->audience, &audience))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The audience is “residents” or “personnel”, not “%s”"), options->audience);
      return FALSE;
    }

  if (options->server != NULL && !check_server_url (options->server, error))
    return FALSE;

  if (options->enrol != NULL && g_strstrip (options->enrol)[0] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The enrolment code is empty: give the code the server's administrator made"));
      return FALSE;
    }

  if (options->tls_ca != NULL && !g_file_test (options->tls_ca, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The certificate authority file “%s” does not exist"), options->tls_ca);
      return FALSE;
    }

  if (options->rest != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unexpected argument “%s”"), options->rest[0]);
      return FALSE;
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(KuuStrategy) strategy = NULL;
  g_autoptr(KuuApplication) app = NULL;
  g_autofree char *region = NULL;
  g_autofree char *default_database = NULL;
  g_autofree char *database = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *server = NULL;
  g_autofree char *tls_ca = NULL;
  char *app_argv[] = { argv[0], NULL };

  /* The kiosk holds its server to TLS 1.2+ too; first thing, while no
   * other thread can read the environment. */
  kuu_tls_use_policy ();
  setlocale (LC_ALL, "");
  /* An uninstalled build points this at <build>/po. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("KUULOLLA_LOCALEDIR") ? g_getenv ("KUULOLLA_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!parse_options (&argc, &argv, &options, &error))
    {
      g_printerr ("kuulolla: %s\n", error->message);
      g_printerr (_("Try “kuulolla --help” for the options.\n"));
      return EXIT_USAGE;
    }

  if (options.version)
    {
      g_print ("kuulolla %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  settings = load_settings ();
  default_database = g_build_filename (g_get_user_data_dir (), "kuulolla", "kuulolla.db", NULL);
  database = options.database ? g_strdup (options.database)
                              : setting_or (settings, "database", default_database);
  /* Needs no region, server or window: only the database the app uses. */
  if (options.set_pin)
    return set_pin (database);

  server = options.server ? g_strdup (options.server) : setting_or (settings, "server-url", NULL);
  if (options.enrol != NULL && server == NULL)
    {
      g_printerr ("kuulolla: %s\n", _("--enrol needs the server's address: give --server=URL as well"));
      return EXIT_USAGE;
    }
  if (server != NULL && options.server == NULL && !check_server_url (server, &error))
    {
      g_printerr ("kuulolla: %s\n", error->message);
      return EXIT_USAGE;
    }

  /* A kiosk service carries the region's CA in its settings, not on its
   * command line. A missing file is not fatal here: the kiosk runs, keeps
   * its answers and says why on Device status. */
  tls_ca = options.tls_ca ? g_strdup (options.tls_ca) : setting_or (settings, "tls-ca-file", NULL);

  region = options.region ? g_strdup (options.region) : setting_or (settings, "region", DEFAULT_REGION);
  if (!(strategy = kuu_strategy_load_region (region, &error)))
    {
      g_printerr ("kuulolla: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (options.check)
    {
      g_print (_("%s: the region file is valid.\n"), kuu_strategy_get_id (strategy));
      return EXIT_SUCCESS;
    }

  /* Until staff name the unit, the device's own name keeps answers apart. */
  unit = options.unit ? g_strdup (options.unit) : setting_or (settings, "unit", g_get_host_name ());

  /* GTK_DEBUG=interactive would open the inspector at start: on a kiosk,
   * nobody gets to look inside. */
  if (options.kiosk)
    g_unsetenv ("GTK_DEBUG");

  app = kuu_application_new (strategy, settings, database, unit, options.kiosk);
  kuu_application_set_server (app, server, options.enrol, tls_ca);
  if (options.resident_pages && !options.kiosk)
    g_signal_connect_after (app, "activate", G_CALLBACK (on_activated_cb), NULL);
  if (options.audience != NULL)
    {
      KuuAudience audience;

      kuu_audience_from_string (options.audience, &audience);
      kuu_application_set_audience (app, audience);
    }
  kuu_application_set_idle_times (app,
                                  options.idle_seconds > 0 ? (guint)options.idle_seconds
                                                           : setting_uint_or (settings, "idle-seconds", DEFAULT_IDLE_SECONDS),
                                  options.countdown_seconds > 0 ? (guint)options.countdown_seconds
                                                                : setting_uint_or (settings, "countdown-seconds", DEFAULT_COUNTDOWN_SECONDS));
  return g_application_run (G_APPLICATION (app), 1, app_argv);
}
