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
 * Contact columns are there only for an admin token that asks (contacts=1).
 *
 * A report is made in a worker thread with its own read-only connection,
 * the request paused meanwhile: a year of records must not stop the main
 * loop, where every kiosk's sync is answered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

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
  KuuServerStorage  *store;
  SoupServerMessage *msg;
} Report;

static void
report_free (Report *report)
{
  g_free (report->region);
  g_clear_object (&report->store);
  g_clear_object (&report->msg);
  g_free (report);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Report, report_free)

static void start_report (KuuServer         *self,
                          SoupServerMessage *msg,
                          Report            *report);

static const char * const nps_parameters[] = { "group", "since", "until", "audience", "region", NULL };
static const char * const csv_parameters[] = { "since", "until", "audience", "region", "contacts", NULL };

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
parse_filters (KuuServer         *self,
               SoupServerMessage *msg,
               GHashTable        *query,
               gboolean           any_audience,
               KuuReportQuery    *out)
{
  const char *audience = g_hash_table_lookup (query, "audience");

  out->region = g_hash_table_lookup (query, "region");
  if (out->region != NULL && kuu_server_regions_get_strategy (self->regions, out->region) == NULL)
    return bad_request (msg, "region: this server has no such region.");

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

static void
add_row (JsonBuilder     *builder,
         const KuuNpsRow *row)
{
  KuuNps nps;

  kuu_nps_compute (&row->counts, &nps);
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
  add_count (builder, "promoters", row->counts.promoters);
  add_count (builder, "passives", row->counts.passives);
  add_count (builder, "detractors", row->counts.detractors);
  add_count (builder, "total", nps.total);
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
    add_row (builder, g_ptr_array_index (rows, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
parse_nps_request (KuuServer         *self,
                   SoupServerMessage *msg,
                   GHashTable        *query,
                   KuuReportQuery    *out)
{
  return parse_period (msg, query, out) &&
         parse_filters (self, msg, query, FALSE, out) &&
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

  if (!(principal = _kuu_server_authorize (self, msg, KUU_ALLOW_READER | KUU_ALLOW_ADMIN)) ||
      !_kuu_server_check_method (msg, "GET") ||
      !_kuu_server_parse_query (msg, nps_parameters, &parameters) ||
      !parse_nps_request (self, msg, parameters, &report->query))
    return;
  report->kind = REPORT_NPS;
  start_report (self, msg, g_steal_pointer (&report));
}

/* --- CSV --------------------------------------------------------------- */

static gboolean
looks_like_formula (const char *cell)
{
  static const gunichar starts[] = { '=', '+', '-', '@', '\t', '\r', 0xFF1D, 0xFF0B, 0xFF0D, 0xFF20 };
  gunichar first = g_utf8_get_char (cell);

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    if (first == starts[i])
      return TRUE;
  return FALSE;
}

static void
append_cell (GString    *csv,
             const char *cell,
             gboolean    first)
{
  g_autoptr(GString) text = g_string_new (cell);

  if (!first)
    g_string_append_c (csv, ',');
  if (cell == NULL)
    return;
  if (looks_like_formula (cell))
    g_string_prepend_c (text, '\'');
  if (strpbrk (text->str, "\",\r\n") == NULL)
    {
      g_string_append (csv, text->str);
      return;
    }
  g_string_replace (text, "\"", "\"\"", 0);
  g_string_append_printf (csv, "\"%s\"", text->str);
}

static void
append_row (GString            *csv,
            const char * const *cells,
            guint               n_cells)
{
  for (guint i = 0; i < n_cells; i++)
    append_cell (csv, cells[i], i == 0);
  g_string_append (csv, "\r\n");
}

static const char * const csv_columns[] = {
  "uuid", "kind", "created_at", "received_at", "region", "unit", "language", "audience",
  "topic_kind", "topic_id", "score", "answers", "text",
  "title", "municipality", "channel", "received_on", "signatories", "status", "answer",
  "contact_name", "contact_email", "contact_phone", "contact_erased",
};
#define N_CONTACT_COLUMNS 4

typedef struct
{
  GString  *csv;
  gboolean  contacts;
} Export;

/* statement=answer pairs: "felt-safe=5;easy-to-deal=4" */
static char *
format_answers (const KuuSubmission *record)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < record->answers->len; i++)
    {
      const KuuStatementAnswer *answer = &g_array_index (record->answers, KuuStatementAnswer, i);

      g_string_append_printf (text, "%s%s=%d", i > 0 ? ";" : "", answer->statement_id, answer->answer);
    }
  return g_string_free (text, FALSE);
}

static gboolean
on_record_cb (const KuuSubmission *record,
              gint64               received_at,
              const char          *status,
              const char          *answer,
              gint64               contact_erased_at,
              gpointer             user_data)
{
  Export *export = user_data;
  gboolean recommendation = record->kind == KUU_SUBMISSION_RECOMMENDATION;
  gboolean initiative = record->kind == KUU_SUBMISSION_INITIATIVE;
  g_autofree char *created = _kuu_server_format_time (record->created_at);
  g_autofree char *received = _kuu_server_format_time (received_at);
  g_autofree char *score = recommendation ? g_strdup_printf ("%d", record->score) : NULL;
  g_autofree char *answers = recommendation ? format_answers (record) : NULL;
  g_autofree char *signatories = initiative ? g_strdup_printf ("%d", record->signatories) : NULL;
  g_autofree char *erased = contact_erased_at > 0 ? _kuu_server_format_time (contact_erased_at) : NULL;
  const char *cells[] = {
    record->uuid, kuu_submission_kind_to_string (record->kind), created, received, record->region,
    record->unit, kuu_language_to_code (record->language), kuu_audience_to_string (record->audience),
    record->has_topic ? kuu_topic_kind_to_string (record->topic_kind) : NULL,
    record->has_topic ? record->topic_id : NULL, score, answers, record->text,
    record->title, record->municipality, initiative ? kuu_channel_to_string (record->channel) : NULL,
    record->received_on, signatories, initiative ? (status != NULL ? status : "received") : NULL, answer,
    record->contact_name, record->contact_email, record->contact_phone, erased,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (cells) == G_N_ELEMENTS (csv_columns));
  append_row (export->csv, cells, G_N_ELEMENTS (cells) - (export->contacts ? 0 : N_CONTACT_COLUMNS));
  return TRUE;
}

static gboolean
parse_csv_request (KuuServer          *self,
                   SoupServerMessage  *msg,
                   GHashTable         *query,
                   const KuuPrincipal *principal,
                   Report             *out)
{
  const char *contacts;

  if (!parse_period (msg, query, &out->query) ||
      !parse_filters (self, msg, query, TRUE, &out->query))
    return FALSE;

  contacts = g_hash_table_lookup (query, "contacts");
  if (contacts != NULL && g_strcmp0 (contacts, "0") != 0 && g_strcmp0 (contacts, "1") != 0)
    return bad_request (msg, "contacts: 1 or 0.");
  out->contacts = g_strcmp0 (contacts, "1") == 0;
  if (out->contacts && principal->role != KUU_ROLE_ADMIN)
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                 "Contact details need an admin token.");
      return FALSE;
    }
  return TRUE;
}

static GBytes *
make_csv (KuuServerStorage  *reader,
          const Report      *report,
          GError           **error)
{
  g_autoptr(GString) csv = g_string_new ("\xEF\xBB\xBF");
  guint n_columns = G_N_ELEMENTS (csv_columns) - (report->contacts ? 0 : N_CONTACT_COLUMNS);
  Export export = { csv, report->contacts };

  append_row (csv, csv_columns, n_columns);
  if (!kuu_server_storage_foreach_record (reader, &report->query, on_record_cb, &export, error))
    return NULL;
  return g_string_free_to_bytes (g_steal_pointer (&csv));
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

  if (!(principal = _kuu_server_authorize (self, msg, KUU_ALLOW_READER | KUU_ALLOW_ADMIN)) ||
      !_kuu_server_check_method (msg, "GET") ||
      !_kuu_server_parse_query (msg, csv_parameters, &parameters) ||
      !parse_csv_request (self, msg, parameters, principal, report))
    return;
  report->kind = REPORT_CSV;
  start_report (self, msg, g_steal_pointer (&report));
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
