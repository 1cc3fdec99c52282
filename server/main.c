/* main.c: kuulolla-server — serve, or an admin command
 *
 *   kuulolla-server [--database=PATH] [--listen=HOST:PORT] [--region=ID|FILE]…
 *                   [--regions-dir=DIR] [--tls-cert=FILE --tls-key=FILE]
 *                   [--rate=N] [--client-rate=N] [--rate-keys=N]
 *                   [--request-timeout=S] [--max-connections=N]
 *   kuulolla-server [--database=PATH] admin enrol --region=ID|FILE [--regions-dir=DIR] --unit=NAME
 *                   [--valid-days=N]
 *   kuulolla-server [--database=PATH] admin revoke DEVICE_ID|TOKEN_ID
 *   kuulolla-server [--database=PATH] admin device records DEVICE_ID [--since=DATE]
 *   kuulolla-server [--database=PATH] admin device purge DEVICE_ID --since=DATE
 *   kuulolla-server [--database=PATH] admin erase-contact UUID
 *   kuulolla-server [--database=PATH] admin token --role=reader|admin [--name=TEXT]
 *   kuulolla-server [--database=PATH] admin initiative UUID --status=in_progress|answered [--answer=TEXT]
 *   kuulolla-server [--database=PATH] admin staff add --region=ID --name=NAME --role=viewer|handler|admin
 *                   [--valid-for=DAYS]
 *   kuulolla-server [--database=PATH] admin staff list [--region=ID]
 *   kuulolla-server [--database=PATH] admin staff revoke STAFF_ID
 *   kuulolla-server [--database=PATH] admin audit [--since=DATE] [--staff=STAFF_ID]
 *
 * Every admin command that changes something leaves an audit line: a row
 * in the database's audit table and a line on stderr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#include "kuu-connection-guard.h"
#include "kuu-server.h"
#include "kuu-server-store.h"
#include "kuu-tls.h"

#define EXIT_USAGE 2

typedef struct
{
  char     *database;
  char     *listen;
  char    **regions;
  char     *regions_dir;
  char     *tls_cert;
  char     *tls_key;
  char     *region;
  char     *unit;
  int       valid_days;
  int       valid_for;
  char     *staff;
  int       rate;
  int       client_rate;
  int       rate_keys;
  int       request_timeout;
  int       max_connections;
  char     *role;
  char     *name;
  char     *status;
  char     *answer;
  char     *since;
  char    **rest;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->database);
  g_free (options->listen);
  g_strfreev (options->regions);
  g_free (options->regions_dir);
  g_free (options->tls_cert);
  g_free (options->tls_key);
  g_free (options->region);
  g_free (options->unit);
  g_free (options->role);
  g_free (options->name);
  g_free (options->status);
  g_free (options->answer);
  g_free (options->since);
  g_free (options->staff);
  g_strfreev (options->rest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static int
usage_error (const char *message)
{
  g_printerr ("kuulolla-server: %s\nTry “kuulolla-server --help”.\n", message);
  return EXIT_USAGE;
}

/* Every region must load with the kiosk's own loader, or the server does
 * not start: it would otherwise serve a file no kiosk can use. */
static KuuServerRegions *
load_regions (Options  *options,
              GError  **error)
{
  g_autoptr(KuuServerRegions) regions = kuu_server_regions_new ();

  for (guint i = 0; options->regions != NULL && options->regions[i] != NULL; i++)
    if (!kuu_server_regions_add (regions, options->regions[i], error))
      return NULL;
  if (options->regions_dir != NULL && !kuu_server_regions_add_dir (regions, options->regions_dir, error))
    return NULL;
  if (options->regions == NULL && options->regions_dir == NULL &&
      !kuu_server_regions_add_bundled (regions, error))
    return NULL;
  return g_steal_pointer (&regions);
}

/* A row in the audit table and a line on stderr; the action is done
 * already, so a failure to record it is said but changes no status. */
static void
audit (KuuServerStorage *store,
       const char       *action,
       const char       *subject,
       const char       *detail)
{
  g_autoptr(GError) error = NULL;

  if (!kuu_server_storage_audit (store, action, subject, detail, &error))
    g_printerr ("kuulolla-server: %s (audit line of %s %s)\n", error->message, action, subject);
  g_printerr ("kuulolla-server: audit: %s %s%s%s\n", action, subject, detail ? ": " : "", detail ? detail : "");
}

/* The regions the server serves with the same options: the folder's,
 * else the bundled ones (a --region=FILE is added by the caller). */
static KuuServerRegions *
load_served_regions (Options  *options,
                     GError  **error)
{
  g_autoptr(KuuServerRegions) regions = kuu_server_regions_new ();

  if (options->regions_dir != NULL ? !kuu_server_regions_add_dir (regions, options->regions_dir, error)
                                   : !kuu_server_regions_add_bundled (regions, error))
    return NULL;
  return g_steal_pointer (&regions);
}

/* A unit is stored with every record the device sends and shown in
 * every report: the limits of a record's unit (docs/protocol.md § 4). */
static gboolean
unit_is_valid (const char *unit)
{
  g_autofree char *stripped = g_strstrip (g_strdup (unit));

  return g_utf8_validate (unit, -1, NULL) && *stripped != '\0' && g_utf8_strlen (unit, -1) <= 100;
}

static int
admin_enrol (Options          *options,
             KuuServerStorage *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuServerRegions) regions = NULL;
  g_autofree char *code = NULL;
  g_autofree char *detail = NULL;
  const char *region;

  if (options->region == NULL || options->unit == NULL)
    return usage_error ("admin enrol needs --region and --unit");
  if (!unit_is_valid (options->unit))
    return usage_error ("--unit: a name of 1–100 characters, such as “Kajaani, Kainuun keskussairaala”");
  /* Only a region this server serves: the kiosk is handed it as its own. */
  if (!(regions = load_served_regions (options, &error)) ||
      !(region = kuu_server_regions_add_for_enrol (regions, options->region, &error)))
    return usage_error (error->message);
  code = kuu_server_storage_add_enrolment_code (store, region, options->unit,
                                                (options->valid_days > 0 ? options->valid_days : 7) * G_TIME_SPAN_DAY,
                                                &error);
  if (code == NULL)
    return usage_error (error->message);
  detail = g_strdup_printf ("unit “%s”", options->unit);
  audit (store, "enrol", region, detail);
  g_print ("%s\n", code);
  return EXIT_SUCCESS;
}

static int
admin_revoke (Options          *options,
              KuuServerStorage *store)
{
  g_autoptr(GError) error = NULL;

  if (options->rest[2] == NULL)
    return usage_error ("admin revoke needs a device id or a token id");
  if (!kuu_server_storage_revoke (store, options->rest[2], &error))
    return usage_error (error->message);
  audit (store, "revoke", options->rest[2], NULL);
  g_print ("revoked %s\n", options->rest[2]);
  return EXIT_SUCCESS;
}

/* The token on stdout, alone, for a script; its id on stderr, for a person
 * who may want to revoke it one day. */
static int
admin_token (Options          *options,
             KuuServerStorage *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *id = NULL;
  KuuRole role;

  if (!kuu_role_from_string (options->role, &role) || role == KUU_ROLE_DEVICE)
    return usage_error ("admin token needs --role=reader or --role=admin");
  if (options->name != NULL && (!g_utf8_validate (options->name, -1, NULL) || strlen (options->name) > 200))
    return usage_error ("--name: UTF-8 text of at most 200 bytes");
  if (!(token = kuu_server_storage_add_admin_token (store, role, options->name, &id, &error)))
    {
      g_printerr ("kuulolla-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  audit (store, "token", id, options->role);
  g_print ("%s\n", token);
  g_printerr ("token id %s (role %s): give it to admin revoke to withdraw the token\n", id, options->role);
  return EXIT_SUCCESS;
}

static int
admin_initiative (Options          *options,
                  KuuServerStorage *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  KuuInitiativeStatus status;

  if (options->rest[2] == NULL || !g_uuid_string_is_valid (options->rest[2]))
    return usage_error ("admin initiative needs the initiative's UUID");
  /* "received" is where every initiative starts, not a status to set. */
  if (!kuu_initiative_status_from_string (options->status, &status) || status == KUU_INITIATIVE_RECEIVED)
    return usage_error ("admin initiative needs --status=in_progress or --status=answered");
  /* Kiosks make their UUIDs in lower case; a person may copy one in upper. */
  uuid = g_ascii_strdown (options->rest[2], -1);
  if (!kuu_server_storage_set_initiative (store, uuid, status, options->answer, &error))
    {
      if (g_error_matches (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_INVALID))
        return usage_error (error->message);
      g_printerr ("kuulolla-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  audit (store, "initiative", uuid, options->status);
  g_print ("%s %s\n", uuid, options->status);
  return EXIT_SUCCESS;
}

/* --since: a date (midnight UTC) or an RFC 3339 time. */
static gboolean
parse_since (const char *text,
             gint64     *out_since)
{
  g_autofree char *time = NULL;
  g_autoptr(GDateTime) parsed = NULL;

  if (text == NULL)
    return FALSE;
  time = strlen (text) == 10 ? g_strconcat (text, "T00:00:00Z", NULL) : g_strdup (text);
  if (!(parsed = g_date_time_new_from_iso8601 (time, NULL)))
    return FALSE;
  *out_since = g_date_time_to_unix (parsed);
  return TRUE;
}

static void
print_device_record (const KuuDeviceRecord *record)
{
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (record->created_at);
  g_autoptr(GDateTime) received = g_date_time_new_from_unix_utc (record->received_at);
  g_autofree char *created_text = created ? g_date_time_format_iso8601 (created) : g_strdup ("?");
  g_autofree char *received_text = received ? g_date_time_format_iso8601 (received) : g_strdup ("?");

  g_print ("%s\t%s\t%s\t%s\t%s\t%s\n", record->uuid, record->kind, created_text, received_text,
           record->unit, record->status ? record->status : "");
}

/* One line a record, tab-separated: uuid, kind, created_at, received_at,
 * unit, initiative status (empty unless taken up). */
static int
admin_device_records (KuuServerStorage *store,
                      const char       *device_id,
                      gint64            since)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = kuu_server_storage_list_device_records (store, device_id, since, &error);

  if (records == NULL)
    {
      g_printerr ("kuulolla-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  for (guint i = 0; i < records->len; i++)
    print_device_record (g_ptr_array_index (records, i));
  g_printerr ("%u records from device %s\n", records->len, device_id);
  return EXIT_SUCCESS;
}

static int
admin_device_purge (KuuServerStorage *store,
                    const char       *device_id,
                    gint64            since)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) since_time = g_date_time_new_from_unix_utc (since);
  g_autofree char *since_text = since_time ? g_date_time_format_iso8601 (since_time) : g_strdup ("?");
  guint n_records = 0, n_initiatives = 0;

  if (!kuu_server_storage_purge_device (store, device_id, since, &n_records, &n_initiatives, &error))
    {
      g_printerr ("kuulolla-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_printerr ("kuulolla-server: audit: device purge %s: since %s: %u records, %u initiatives taken up\n",
              device_id, since_text, n_records, n_initiatives);
  g_print ("purged %u records\n", n_records);
  return EXIT_SUCCESS;
}

static int
admin_device (Options          *options,
              KuuServerStorage *store)
{
  const char *command = options->rest[2];
  const char *device_id = command != NULL ? options->rest[3] : NULL;
  gint64 since = 0;

  if (device_id == NULL || !g_uuid_string_is_valid (device_id))
    return usage_error ("admin device records|purge needs the device's id (a UUID)");
  if (options->since != NULL && !parse_since (options->since, &since))
    return usage_error ("--since: a date (2026-11-24) or a time (2026-11-24T10:00:00Z)");
  if (g_strcmp0 (command, "records") == 0)
    return admin_device_records (store, device_id, since);
  /* A purge of everything a device ever sent is never the default. */
  if (g_strcmp0 (command, "purge") == 0 && options->since == NULL)
    return usage_error ("admin device purge needs --since: the day the device went missing");
  if (g_strcmp0 (command, "purge") == 0)
    return admin_device_purge (store, device_id, since);
  return usage_error ("admin device commands: records, purge");
}

static int
admin_erase_contact (Options          *options,
                     KuuServerStorage *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  gboolean checkpointed = FALSE;

  if (options->rest[2] == NULL || !g_uuid_string_is_valid (options->rest[2]))
    return usage_error ("admin erase-contact needs the record's UUID");
  uuid = g_ascii_strdown (options->rest[2], -1);
  if (!kuu_server_storage_erase_contact (store, uuid, &checkpointed, &error))
    {
      g_printerr ("kuulolla-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_printerr ("kuulolla-server: audit: erase-contact %s\n", uuid);
  if (!checkpointed)
    g_printerr ("kuulolla-server: the server is busy reading: the erased contact leaves the database's"
                " write-ahead log at its next checkpoint; run the command's checkpoint again with"
                " “sqlite3 DATABASE 'PRAGMA wal_checkpoint(TRUNCATE)'” to be sure\n");
  g_print ("erased the contact of %s\n", uuid);
  return EXIT_SUCCESS;
}

/* --- staff accounts and the audit log (docs/staff-guide.md) ------------ */

/* A person's name as staff list and the audit log show it. */
static gboolean
staff_name_is_valid (const char *name)
{
  g_autofree char *stripped = NULL;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  stripped = g_strstrip (g_strdup (name));
  return *stripped != '\0' && g_utf8_strlen (name, -1) <= 100;
}

/* The code on stdout, alone, for a script; the staff id on stderr. */
static int
admin_staff_add (Options          *options,
                 KuuServerStorage *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuServerRegions) regions = NULL;
  g_autofree char *code = NULL;
  g_autofree char *id = NULL;
  g_autofree char *detail = NULL;
  KuuRole role;

  if (options->region == NULL || options->name == NULL || options->role == NULL)
    return usage_error ("admin staff add needs --region, --name and --role");
  if (!kuu_staff_role_from_string (options->role, &role))
    return usage_error ("--role: viewer (results), handler (results and cases) or admin (also exports with contacts)");
  if (!staff_name_is_valid (options->name))
    return usage_error ("--name: the person's name, 1–100 characters");
  if (options->valid_for < 0 || options->valid_for > 365)
    return usage_error ("--valid-for: days from 1 to 365");
  if (!(regions = load_served_regions (options, &error)) ||
      kuu_server_regions_get_strategy (regions, options->region) == NULL)
    return usage_error ("--region: the id of a region this server serves, such as kainuu");
  code = kuu_server_storage_add_staff (store, options->region, options->name, role,
                                       (options->valid_for > 0 ? options->valid_for : 7) * G_TIME_SPAN_DAY,
                                       &id, &error);
  if (code == NULL)
    {
      g_printerr ("kuulolla-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  detail = g_strdup_printf ("%s, %s, region %s", options->name, options->role, options->region);
  audit (store, "staff-add", id, detail);
  g_print ("%s\n", code);
  g_printerr ("staff id %s (%s, %s): give the code to the person to sign in at the desk once;"
              " give the id to admin staff revoke to end the account\n", id, options->name, options->role);
  return EXIT_SUCCESS;
}

static char *
format_time_or (gint64      seconds,
                const char *none)
{
  g_autoptr(GDateTime) time = seconds > 0 ? g_date_time_new_from_unix_utc (seconds) : NULL;

  return time != NULL ? g_date_time_format_iso8601 (time) : g_strdup (none);
}

/* One line a staff member, tab-separated: id, name, role, region,
 * created, last sign-in (or "never"), revoked (when, or "active"). */
static int
admin_staff_list (Options          *options,
                  KuuServerStorage *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = kuu_server_storage_list_staff (store, options->region, &error);

  if (list == NULL)
    {
      g_printerr ("kuulolla-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  for (guint i = 0; i < list->len; i++)
    {
      const KuuStaff *staff = g_ptr_array_index (list, i);
      g_autofree char *created = format_time_or (staff->created_at, "?");
      g_autofree char *signed_in = format_time_or (staff->last_sign_in_at, "never");
      g_autofree char *revoked = format_time_or (staff->revoked_at, "active");

      g_print ("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", staff->id, staff->name, kuu_role_to_string (staff->role),
               staff->region, created, signed_in, revoked);
    }
  g_printerr ("%u staff\n", list->len);
  return EXIT_SUCCESS;
}

static int
admin_staff_revoke (Options          *options,
                    KuuServerStorage *store)
{
  g_autoptr(GError) error = NULL;
  const char *id = options->rest[3];

  if (id == NULL || !g_uuid_string_is_valid (id))
    return usage_error ("admin staff revoke needs the staff member's id (admin staff list shows it)");
  if (!kuu_server_storage_revoke_staff (store, id, &error))
    {
      if (g_error_matches (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_NOT_FOUND))
        return usage_error (error->message);
      g_printerr ("kuulolla-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  audit (store, "staff-revoke", id, NULL);
  g_print ("revoked %s\n", id);
  return EXIT_SUCCESS;
}

static int
admin_staff (Options          *options,
             KuuServerStorage *store)
{
  const char *command = options->rest[2];

  if (g_strcmp0 (command, "add") == 0)
    return admin_staff_add (options, store);
  if (g_strcmp0 (command, "list") == 0)
    return admin_staff_list (options, store);
  if (g_strcmp0 (command, "revoke") == 0)
    return admin_staff_revoke (options, store);
  return usage_error ("admin staff commands: add, list, revoke");
}

/* One line an action, tab-separated: time (UTC), action, subject, who
 * (id), who (name), address, detail; empty where there is none. */
static int
admin_audit (Options          *options,
             KuuServerStorage *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 since = 0;

  if (options->since != NULL && !parse_since (options->since, &since))
    return usage_error ("--since: a date (2026-11-24) or a time (2026-11-24T10:00:00Z)");
  if (!(list = kuu_server_storage_list_audit (store, since, options->staff, &error)))
    {
      g_printerr ("kuulolla-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  for (guint i = 0; i < list->len; i++)
    {
      const KuuAuditEntry *entry = g_ptr_array_index (list, i);
      g_autofree char *at = format_time_or (entry->at, "?");

      g_print ("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", at, entry->action, entry->subject,
               entry->staff_id ? entry->staff_id : "", entry->staff_name ? entry->staff_name : "",
               entry->address ? entry->address : "", entry->detail ? entry->detail : "");
    }
  return EXIT_SUCCESS;
}

static int
run_admin (Options          *options,
           KuuServerStorage *store)
{
  const char *command = options->rest[1];

  if (g_strcmp0 (command, "enrol") == 0)
    return admin_enrol (options, store);
  if (g_strcmp0 (command, "revoke") == 0)
    return admin_revoke (options, store);
  if (g_strcmp0 (command, "token") == 0)
    return admin_token (options, store);
  if (g_strcmp0 (command, "initiative") == 0)
    return admin_initiative (options, store);
  if (g_strcmp0 (command, "device") == 0)
    return admin_device (options, store);
  if (g_strcmp0 (command, "erase-contact") == 0)
    return admin_erase_contact (options, store);
  if (g_strcmp0 (command, "staff") == 0)
    return admin_staff (options, store);
  if (g_strcmp0 (command, "audit") == 0)
    return admin_audit (options, store);
  return usage_error ("admin commands: enrol, revoke, token, initiative, device, erase-contact, staff, audit");
}

/* SIGTERM and SIGINT end the main loop: the server and the database are
 * closed properly, not cut off. */
static gboolean
on_quit_signal_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* A policy other than ours is said at start, so that a weaker one is
 * never a surprise. */
static void
say_tls_policy (void)
{
  const char *priority = g_getenv ("G_TLS_GNUTLS_PRIORITY");

  if (g_strcmp0 (priority, KUU_TLS_PRIORITY) != 0)
    g_printerr ("kuulolla-server: TLS priority from G_TLS_GNUTLS_PRIORITY: %s\n", priority);
}

static int
run_server (Options         *options,
            KuuServerStorage *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuServerRegions) regions = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(KuuServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *uri = NULL;

  if (!(regions = load_regions (options, &error)))
    {
      g_printerr ("kuulolla-server: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (options->rate < 0 || options->client_rate < 0 || options->rate_keys < 0)
    return usage_error ("--rate, --client-rate and --rate-keys take a number more than 0");
  if (options->request_timeout < 0 || options->max_connections < 0)
    return usage_error ("--request-timeout and --max-connections take a number more than 0");
  if ((options->tls_cert == NULL) != (options->tls_key == NULL))
    return usage_error ("--tls-cert and --tls-key go together");
  if (options->tls_cert != NULL &&
      !(certificate = g_tls_certificate_new_from_files (options->tls_cert, options->tls_key, &error)))
    return usage_error (error->message);
  if (certificate != NULL)
    say_tls_policy ();

  server = kuu_server_new (store, regions);
  kuu_server_set_rate_limits (server,
                              options->rate > 0 ? options->rate : KUU_SERVER_DEFAULT_TOKEN_RATE,
                              options->client_rate > 0 ? options->client_rate : KUU_SERVER_DEFAULT_CLIENT_RATE,
                              options->rate_keys > 0 ? options->rate_keys : KUU_SERVER_MAX_RATE_KEYS);
  kuu_server_set_connection_limits (server,
                                    options->request_timeout > 0 ? options->request_timeout
                                                                 : KUU_CONNECTION_GUARD_DEFAULT_TIMEOUT,
                                    options->max_connections > 0 ? options->max_connections
                                                                 : KUU_CONNECTION_GUARD_DEFAULT_PER_ADDRESS);
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
  g_unix_signal_add (SIGTERM, on_quit_signal_cb, loop);
  g_unix_signal_add (SIGINT, on_quit_signal_cb, loop);
  g_main_loop_run (loop);
  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new ("[admin enrol|revoke|token|initiative|device|erase-contact|staff|audit …]");
  g_autoptr(KuuServerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &options.database, "The SQLite database (default kuulolla-server.db)", "PATH" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &options.listen, "Address and port (default 127.0.0.1:8470; port 0 takes a free one)", "HOST:PORT" },
    { "region", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &options.regions, "A region to serve, by bundled id or file, repeatable (default: every bundled one); with admin enrol, the device's region", "ID|FILE" },
    { "regions-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.regions_dir, "Serve every region file (*.json) in this folder", "DIR" },
    { "rate", 0, 0, G_OPTION_ARG_INT, &options.rate, "Requests a minute for each device or admin token (default 600)", "N" },
    { "client-rate", 0, 0, G_OPTION_ARG_INT, &options.client_rate, "Requests a minute for each client address without a valid token (default 60)", "N" },
    { "request-timeout", 0, 0, G_OPTION_ARG_INT, &options.request_timeout, "Seconds a client has to send a whole request, idle keep-alive included (default 60)", "S" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &options.max_connections, "Connections one address (an IPv6 /64) may hold at once (default 256)", "N" },
    { "rate-keys", 0, 0, G_OPTION_ARG_INT, &options.rate_keys, "Tokens and addresses whose rate is remembered, each (default 10000; the least recently seen is forgotten)", "N" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_cert, "PEM certificate for HTTPS", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_key, "PEM private key for HTTPS", "FILE" },
    { "unit", 'u', 0, G_OPTION_ARG_STRING, &options.unit, "With admin enrol: where the device stands", "NAME" },
    { "valid-days", 0, 0, G_OPTION_ARG_INT, &options.valid_days, "With admin enrol: days the code is valid (default 7)", "N" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &options.role, "With admin token: reader (reports) or admin (reports with contact details); with admin staff add: viewer, handler or admin", "ROLE" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &options.name, "With admin token: whose token it is; with admin staff add: the person's name", "TEXT" },
    { "valid-for", 0, 0, G_OPTION_ARG_INT, &options.valid_for, "With admin staff add: days the sign-in code is valid (default 7)", "DAYS" },
    { "staff", 0, 0, G_OPTION_ARG_STRING, &options.staff, "With admin audit: only what this staff member (or token) did or had done to them", "ID" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &options.status, "With admin initiative: in_progress or answered", "STATUS" },
    { "answer", 0, 0, G_OPTION_ARG_STRING, &options.answer, "With admin initiative: the answer to publish (needed for answered)", "TEXT" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &options.since, "With admin device: records received since this date (2026-11-24, UTC) or time; with admin audit: lines since then", "DATE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.rest, NULL, NULL },
    { NULL }
  };

  /* First thing, while no other thread can read the environment. */
  kuu_tls_use_policy ();
  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "HTTPS: TLS 1.2 or 1.3 only, ECDHE key exchange with AES-GCM or\n"
                                    "ChaCha20-Poly1305 (GnuTLS priority " KUU_TLS_PRIORITY ");\n"
                                    "an operator's own G_TLS_GNUTLS_PRIORITY replaces it.");
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

  return options.rest != NULL ? run_admin (&options, KUU_SERVER_STORAGE (store)) : run_server (&options, KUU_SERVER_STORAGE (store));
}
