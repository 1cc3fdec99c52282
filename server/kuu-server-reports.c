/* kuu-server-reports.c: GET /api/v1/reports/nps and
 * GET /api/v1/reports/answers.csv, for reader and admin tokens
 *
 * The NPS figures come from kuu-nps, as on the kiosk. Residents and
 * personnel are never counted together: a report is of one audience.
 *
 * The CSV follows RFC 4180 (CRLF, quotes doubled, a field quoted when it
 * holds a quote, comma, CR or LF) with a UTF-8 byte order mark so that a
 * spreadsheet reads å, ä and ö right. A cell that a spreadsheet would take
 * for a formula — one that starts with = + - @, a tab or a carriage
 * return, or their full-width forms — gets a ' in front (the OWASP advice
 * against CSV injection), so the text shows as typed and runs nothing.
 * Contact columns are there only for an admin token, or a staff admin,
 * that asks (contacts=1).
 *
 * Staff tokens get the desk's CSV: the device export's columns first
 * (app/core/kuu-export.c), then the server's own, separated by
 * semicolons unless sep=comma asks otherwise (Excel in Finnish or
 * Swedish reads semicolons); reader and admin tokens keep the format of
 * protocol version 1 (docs/protocol.md § 8). Every export is in the
 * audit log, who and how many rows. The small-group rule holds in every
 * report (kuu-privacy.h): a cell under 10 answers gives its count only,
 * personnel answers come only from unit-month cells of at least 5, and
 * a personnel row of an export says its month, not its time.
 *
 * A report is made in a worker thread with its own read-only connection,
 * the request paused meanwhile: a year of records must not stop the main
 * loop, where every kiosk's sync is answered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "kuu-privacy.h"
#include "kuu-server-private.h"

typedef enum
{
  REPORT_NPS,
  REPORT_CSV,
} ReportKind;

typedef struct
{
  ReportKind         kind;
  KuuReportQuery     query;
  char              *region;    /* query.region points here */
  gboolean           contacts;
  gboolean           desk;      /* a staff token: the desk's columns */
  char               separator;
  guint              n_rows;    /* written by the worker thread */
  KuuPrincipal      *who;
  KuuServerStorage  *store;
  SoupServerMessage *msg;
} Report;

static void
report_free (Report *report)
{
  g_free (report->region);
  g_clear_pointer (&report->who, kuu_principal_free);
  g_clear_object (&report->store);
  g_clear_object (&report->msg);
  g_free (report);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Report, report_free)

static void start_report (KuuServer         *self,
                          SoupServerMessage *msg,
                          Report            *report);

static const char * const nps_parameters[] = { "group", "since", "until", "audience", "region", NULL };
static const char * const csv_parameters[] = { "since", "until", "audience", "region", "contacts", "sep", NULL };

static const struct
{
  const char     *name;
  KuuReportGroup  group;
} group_names[] = {
  { "region", KUU_REPORT_GROUP_REGION },
  { "topic", KUU_REPORT_GROUP_TOPIC },
  { "unit", KUU_REPORT_GROUP_UNIT },
  { "month", KUU_REPORT_GROUP_MONTH },
};

static gboolean
bad_request (SoupServerMessage *msg,
             const char        *message)
{
  _kuu_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message);
  return FALSE;
}

/* YYYY-MM-DD as the first second of that day, UTC. */
static gboolean
parse_date (const char *text,
            gint64     *out_seconds)
{
  guint64 year, month, day;
  g_autoptr(GDateTime) time = NULL;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  if (!g_ascii_string_to_unsigned ((char[]) { text[0], text[1], text[2], text[3], 0 }, 10, 1, 9999, &year, NULL) ||
      !g_ascii_string_to_unsigned ((char[]) { text[5], text[6], 0 }, 10, 1, 12, &month, NULL) ||
      !g_ascii_string_to_unsigned ((char[]) { text[8], text[9], 0 }, 10, 1, 31, &day, NULL) ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;
  time = g_date_time_new_utc (year, month, day, 0, 0, 0);
  *out_seconds = g_date_time_to_unix (time);
  return TRUE;
}

/* since and until are days, both included. */
static gboolean
parse_period (SoupServerMessage *msg,
              GHashTable        *query,
              KuuReportQuery    *out)
{
  const char *since = g_hash_table_lookup (query, "since");
  const char *until = g_hash_table_lookup (query, "until");

  out->since = G_MININT64;
  out->until = G_MAXINT64;
  if (since != NULL && !parse_date (since, &out->since))
    return bad_request (msg, "since: a date, YYYY-MM-DD.");
  if (until != NULL && !parse_date (until, &out->until))
    return bad_request (msg, "until: a date, YYYY-MM-DD.");
  if (until != NULL)
    out->until += 24 * 60 * 60;
  if (out->since >= out->until)
    return bad_request (msg, "since: a day before until, or the same day.");
  return TRUE;
}

static gboolean
parse_filters (KuuServer          *self,
               SoupServerMessage  *msg,
               GHashTable         *query,
               const KuuPrincipal *principal,
               gboolean            any_audience,
               KuuReportQuery     *out)
{
  const char *audience = g_hash_table_lookup (query, "audience");

  out->region = g_hash_table_lookup (query, "region");
  if (out->region != NULL && kuu_server_regions_get_strategy (self->regions, out->region) == NULL)
    return bad_request (msg, "region: this server has no such region.");
  /* A staff member sees their own region only. */
  if (kuu_role_is_staff (principal->role) && out->region != NULL && g_strcmp0 (out->region, principal->region) != 0)
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", "Your account is for another region.");
      return FALSE;
    }
  if (kuu_role_is_staff (principal->role))
    out->region = principal->region;

  out->any_audience = any_audience && audience == NULL;
  out->audience = KUU_AUDIENCE_RESIDENTS;
  if (audience != NULL && !kuu_audience_from_string (audience, &out->audience))
    return bad_request (msg, "audience: residents or personnel.");
  return TRUE;
}

static gboolean
parse_group (SoupServerMessage *msg,
             const char        *text,
             KuuReportGroup    *out_group)
{
  g_auto(GStrv) names = NULL;

  *out_group = 0;
  if (text == NULL || *text == '\0')
    return TRUE;
  names = g_strsplit (text, ",", 8);
  for (guint i = 0; names[i] != NULL; i++)
    {
      guint j;

      for (j = 0; j < G_N_ELEMENTS (group_names); j++)
        if (g_strcmp0 (g_strstrip (names[i]), group_names[j].name) == 0)
          break;
      if (j == G_N_ELEMENTS (group_names))
        return bad_request (msg, "group: a comma-separated list of region, topic, unit and month.");
      *out_group |= group_names[j].group;
    }
  return TRUE;
}

static void
add_count (JsonBuilder *builder,
           const char  *name,
           gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_count_or_null (JsonBuilder       *builder,
                   const char        *name,
                   gint64             value,
                   KuuCellVisibility  visibility)
{
  json_builder_set_member_name (builder, name);
  if (visibility == KUU_CELL_FULL)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* NaN is not JSON: no figure is null. */
static void
add_figure (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isnan (value))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, value);
}

static void
add_key (JsonBuilder *builder,
         const char  *name,
         const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* Under 10 answers a row gives its count only; a personnel row under 5
 * is not given at all (kuu-privacy.h). */
static void
add_row (JsonBuilder     *builder,
         KuuAudience      audience,
         const KuuNpsRow *row)
{
  KuuNps nps;
  KuuCellVisibility visibility;
  KuuNpsCounts counts;

  kuu_nps_compute (&row->counts, &nps);
  visibility = kuu_privacy_cell_visibility (audience, nps.total);
  if (visibility == KUU_CELL_HIDDEN)
    return;
  counts = row->counts;
  if (visibility != KUU_CELL_FULL)
    nps.index = nps.margin = NAN;
  json_builder_begin_object (builder);
  add_key (builder, "region", row->region);
  if (row->topic_kind != NULL)
    {
      json_builder_set_member_name (builder, "topic");
      json_builder_begin_object (builder);
      add_key (builder, "kind", row->topic_kind);
      add_key (builder, "id", row->topic_id);
      json_builder_end_object (builder);
    }
  add_key (builder, "unit", row->unit);
  add_key (builder, "month", row->month);
  add_count_or_null (builder, "promoters", counts.promoters, visibility);
  add_count_or_null (builder, "passives", counts.passives, visibility);
  add_count_or_null (builder, "detractors", counts.detractors, visibility);
  add_count (builder, "total", nps.total);
  json_builder_set_member_name (builder, "visibility");
  json_builder_add_string_value (builder, visibility == KUU_CELL_FULL ? "full" : "count_only");
  add_figure (builder, "index", nps.index);
  add_figure (builder, "margin", nps.margin);
  json_builder_set_member_name (builder, "small_sample");
  json_builder_add_boolean_value (builder, kuu_nps_is_small_sample (&nps));
  json_builder_end_object (builder);
}

static JsonNode *
build_nps (const KuuReportQuery *query,
           GPtrArray            *rows)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "audience");
  json_builder_add_string_value (builder, kuu_audience_to_string (query->audience));
  json_builder_set_member_name (builder, "group");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (group_names); i++)
    if (query->group & group_names[i].group)
      json_builder_add_string_value (builder, group_names[i].name);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    add_row (builder, query->audience, g_ptr_array_index (rows, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
parse_nps_request (KuuServer          *self,
                   SoupServerMessage  *msg,
                   GHashTable         *query,
                   const KuuPrincipal *principal,
                   KuuReportQuery     *out)
{
  return parse_period (msg, query, out) &&
         parse_filters (self, msg, query, principal, FALSE, out) &&
         parse_group (msg, g_hash_table_lookup (query, "group"), &out->group);
}

static GBytes *
make_nps (KuuServerStorage  *reader,
          const Report      *report,
          GError           **error)
{
  g_autoptr(GPtrArray) rows = kuu_server_storage_nps_report (reader, &report->query, error);
  g_autoptr(JsonNode) body = NULL;
  char *text;

  if (rows == NULL)
    return NULL;
  body = build_nps (&report->query, rows);
  text = json_to_string (body, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

void
_kuu_server_on_nps_report_cb (SoupServer        *soup,
                              SoupServerMessage *msg,
                              const char        *path,
                              GHashTable        *query,
                              gpointer           user_data)
{
  KuuServer *self = user_data;
  g_autoptr(KuuPrincipal) principal = NULL;
  g_autoptr(Report) report = g_new0 (Report, 1);
  g_autoptr(GHashTable) parameters = NULL;  /* the report's strings point here until it starts */

  if (!(principal = _kuu_server_authorize (self, msg, KUU_ALLOW_READER | KUU_ALLOW_ADMIN | KUU_ALLOW_STAFF)) ||
      !_kuu_server_check_method (msg, "GET") ||
      !_kuu_server_parse_query (msg, nps_parameters, &parameters) ||
      !parse_nps_request (self, msg, parameters, principal, &report->query))
    return;
  report->kind = REPORT_NPS;
  start_report (self, msg, g_steal_pointer (&report));
}

/* --- CSV --------------------------------------------------------------- */

static gboolean
parse_csv_request (KuuServer          *self,
                   SoupServerMessage  *msg,
                   GHashTable         *query,
                   const KuuPrincipal *principal,
                   Report             *out)
{
  const char *contacts = g_hash_table_lookup (query, "contacts");
  const char *sep = g_hash_table_lookup (query, "sep");

  if (!parse_period (msg, query, &out->query) ||
      !parse_filters (self, msg, query, principal, TRUE, &out->query))
    return FALSE;

  out->desk = kuu_role_is_staff (principal->role);
  if (sep != NULL && g_strcmp0 (sep, "semicolon") != 0 && g_strcmp0 (sep, "comma") != 0)
    return bad_request (msg, "sep: semicolon or comma.");
  /* The desk's default is Excel's in Finnish and Swedish; the scripts'
   * stays as it was. */
  out->separator = g_strcmp0 (sep, "comma") == 0 ? ',' : g_strcmp0 (sep, "semicolon") == 0 ? ';'
                   : out->desk ? ';' : ',';
  if (contacts != NULL && g_strcmp0 (contacts, "0") != 0 && g_strcmp0 (contacts, "1") != 0)
    return bad_request (msg, "contacts: 1 or 0.");
  out->contacts = g_strcmp0 (contacts, "1") == 0;
  if (out->contacts && principal->role != KUU_ROLE_ADMIN && principal->role != KUU_ROLE_STAFF_ADMIN)
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                 "Contact details need an administrator's account.");
      return FALSE;
    }
  return TRUE;
}

static GBytes *
make_csv (KuuServerStorage  *reader,
          Report            *report,
          GError           **error)
{
  KuuCsvFormat format = { report->desk, report->contacts, report->separator };

  return _kuu_server_make_csv (reader, &report->query, &format, &report->n_rows, error);
}

void
_kuu_server_on_answers_csv_cb (SoupServer        *soup,
                               SoupServerMessage *msg,
                               const char        *path,
                               GHashTable        *query,
                               gpointer           user_data)
{
  KuuServer *self = user_data;
  g_autoptr(KuuPrincipal) principal = NULL;
  g_autoptr(Report) report = g_new0 (Report, 1);
  g_autoptr(GHashTable) parameters = NULL;  /* the report's strings point here until it starts */

  if (!(principal = _kuu_server_authorize (self, msg, KUU_ALLOW_READER | KUU_ALLOW_ADMIN | KUU_ALLOW_STAFF)) ||
      !_kuu_server_check_method (msg, "GET") ||
      !_kuu_server_parse_query (msg, csv_parameters, &parameters) ||
      !parse_csv_request (self, msg, parameters, principal, report))
    return;
  report->kind = REPORT_CSV;
  report->who = g_steal_pointer (&principal);
  start_report (self, msg, g_steal_pointer (&report));
}

/* Who exported what, how many rows, with contacts or not. */
static void
audit_export (KuuServer    *self,
              const Report *report)
{
  g_autofree char *since = report->query.since != G_MININT64 ? _kuu_server_format_time (report->query.since) : NULL;
  g_autofree char *until = report->query.until != G_MAXINT64 ? _kuu_server_format_time (report->query.until) : NULL;
  g_autofree char *subject = g_strdup_printf ("answers.csv %s %s…%s", report->query.region ? report->query.region : "all",
                                              since ? since : "", until ? until : "");
  g_autofree char *detail = g_strdup_printf ("%u rows%s", report->n_rows, report->contacts ? ", with contacts" : "");

  _kuu_server_audit (self, report->msg, report->who, report->contacts ? "export-contacts" : "export", subject, detail);
}

/* --- in a worker thread -------------------------------------------------- */

static void
make_report_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Report *report = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuServerStorage) reader = kuu_server_storage_open_reader (report->store, &error);
  GBytes *bytes = NULL;

  if (reader != NULL)
    bytes = report->kind == REPORT_NPS ? make_nps (reader, report, &error) : make_csv (reader, report, &error);
  if (bytes == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify)g_bytes_unref);
}

static void
respond_report (SoupServerMessage *msg,
                ReportKind         kind,
                GBytes            *bytes)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (kind == REPORT_CSV)
    {
      soup_message_headers_replace (headers, "Content-Disposition", "attachment; filename=\"answers.csv\"");
      soup_message_headers_replace (headers, "Cache-Control", "no-store");
    }
  soup_message_headers_set_content_type (headers, kind == REPORT_CSV
                                         ? "text/csv; charset=utf-8; header=present"
                                         : "application/json", NULL);
  soup_message_body_truncate (body);
  soup_message_body_append_bytes (body, bytes);
}

static void
on_report_made_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Report *report = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_task_propagate_pointer (G_TASK (result), &error);

  if (bytes != NULL && report->kind == REPORT_CSV)
    audit_export (KUU_SERVER (source_object), report);
  if (bytes != NULL)
    respond_report (report->msg, report->kind, bytes);
  else
    {
      g_warning ("a report failed: %s", error->message);
      _kuu_server_respond_error (report->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                 "The server could not make the report.");
    }
  soup_server_message_unpause (report->msg);
}

static void
start_report (KuuServer         *self,
              SoupServerMessage *msg,
              Report            *report)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_report_made_cb, NULL);

  /* The query's strings belong to the request: the report keeps its own. */
  report->region = g_strdup (report->query.region);
  report->query.region = report->region;
  report->store = g_object_ref (self->store);
  report->msg = g_object_ref (msg);
  g_task_set_source_tag (task, start_report);
  g_task_set_task_data (task, report, (GDestroyNotify)report_free);
  soup_server_message_pause (msg);
  g_task_run_in_thread (task, make_report_thread);
}
