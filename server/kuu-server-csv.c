/* kuu-server-csv.c: the records of a report as CSV
 *
 * RFC 4180 (CRLF, quotes doubled, a field quoted when it holds a quote,
 * the separator, CR or LF) with a UTF-8 byte order mark so that a
 * spreadsheet reads å, ä and ö right. A cell that a spreadsheet would
 * take for a formula — one that starts with = + - @, a tab or a carriage
 * return, or their full-width forms — gets a ' in front (the OWASP
 * advice against CSV injection), so the text shows as typed and runs
 * nothing.
 *
 * Two sets of columns: the desk's (a staff token) begins with the
 * device export's columns in its order (app/core/kuu-export.c), so that
 * a spreadsheet made for one reads the other, and adds the server's own
 * after them; reader and admin tokens keep protocol version 1's.
 *
 * A personnel row says its month, not its time, and neither its UUID
 * nor its language: in a unit-month cell of five, a time or a language
 * could single a person out (docs/privacy.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kuu-server-private.h"

typedef enum
{
  F_UUID, F_KIND, F_CREATED_AT, F_RECEIVED_AT, F_REGION, F_UNIT, F_LANGUAGE, F_AUDIENCE,
  F_TOPIC_KIND, F_TOPIC_ID, F_SCORE, F_ANSWERS, F_TEXT, F_TITLE, F_MUNICIPALITY, F_CHANNEL,
  F_RECEIVED_ON, F_SIGNATORIES, F_STATUS, F_ANSWER,
  F_CONTACT_NAME, F_CONTACT_EMAIL, F_CONTACT_PHONE, F_CONTACT_ERASED,
  N_FIELDS
} Field;

typedef struct
{
  const char *name;
  Field       field;
  gboolean    contact;  /* only with contacts=1 */
} Column;

/* Protocol version 1's, for reader and admin tokens. */
static const Column script_columns[] = {
  { "uuid", F_UUID }, { "kind", F_KIND }, { "created_at", F_CREATED_AT }, { "received_at", F_RECEIVED_AT },
  { "region", F_REGION }, { "unit", F_UNIT }, { "language", F_LANGUAGE }, { "audience", F_AUDIENCE },
  { "topic_kind", F_TOPIC_KIND }, { "topic_id", F_TOPIC_ID }, { "score", F_SCORE }, { "answers", F_ANSWERS },
  { "text", F_TEXT }, { "title", F_TITLE }, { "municipality", F_MUNICIPALITY }, { "channel", F_CHANNEL },
  { "received_on", F_RECEIVED_ON }, { "signatories", F_SIGNATORIES }, { "status", F_STATUS },
  { "answer", F_ANSWER }, { "contact_name", F_CONTACT_NAME, TRUE }, { "contact_email", F_CONTACT_EMAIL, TRUE },
  { "contact_phone", F_CONTACT_PHONE, TRUE }, { "contact_erased", F_CONTACT_ERASED, TRUE },
};

/* The device export's, then the server's own. */
static const Column desk_columns[] = {
  { "uuid", F_UUID }, { "kind", F_KIND }, { "created_at", F_CREATED_AT }, { "unit", F_UNIT },
  { "language", F_LANGUAGE }, { "audience", F_AUDIENCE }, { "topic_kind", F_TOPIC_KIND },
  { "topic_id", F_TOPIC_ID }, { "score", F_SCORE }, { "statements", F_ANSWERS }, { "text", F_TEXT },
  { "title", F_TITLE }, { "municipality", F_MUNICIPALITY }, { "channel", F_CHANNEL },
  { "received_on", F_RECEIVED_ON }, { "signatories", F_SIGNATORIES }, { "status", F_STATUS },
  { "name", F_CONTACT_NAME, TRUE }, { "email", F_CONTACT_EMAIL, TRUE }, { "phone", F_CONTACT_PHONE, TRUE },
  { "region", F_REGION }, { "received_at", F_RECEIVED_AT }, { "answer", F_ANSWER },
  { "contact_erased", F_CONTACT_ERASED, TRUE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (script_columns) == N_FIELDS);
G_STATIC_ASSERT (G_N_ELEMENTS (desk_columns) == N_FIELDS);

typedef struct
{
  GString            *csv;
  const KuuCsvFormat *format;
  guint               n_rows;
} Export;

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
             char        separator,
             gboolean    first)
{
  g_autoptr(GString) text = g_string_new (cell);
  const char specials[] = { '"', separator, '\r', '\n', '\0' };

  if (!first)
    g_string_append_c (csv, separator);
  if (cell == NULL)
    return;
  if (looks_like_formula (cell))
    g_string_prepend_c (text, '\'');
  if (strpbrk (text->str, specials) == NULL)
    {
      g_string_append (csv, text->str);
      return;
    }
  g_string_replace (text, "\"", "\"\"", 0);
  g_string_append_printf (csv, "\"%s\"", text->str);
}

static const Column *
columns_of (const KuuCsvFormat *format)
{
  return format->desk ? desk_columns : script_columns;
}

/* @values by field, or the columns' names with @values NULL. */
static void
append_row (GString            *csv,
            const KuuCsvFormat *format,
            const char * const *values)
{
  const Column *columns = columns_of (format);
  gboolean first = TRUE;

  for (guint i = 0; i < N_FIELDS; i++)
    {
      if (columns[i].contact && !format->contacts)
        continue;
      append_cell (csv, values != NULL ? values[columns[i].field] : columns[i].name, format->separator, first);
      first = FALSE;
    }
  g_string_append (csv, "\r\n");
}

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

/* A personnel answer's month, "2026-11": not the time it was made. */
static char *
format_created (const KuuSubmission *record)
{
  g_autofree char *time = _kuu_server_format_time (record->created_at);

  if (record->audience == KUU_AUDIENCE_PERSONNEL && time != NULL)
    time[7] = '\0';
  return g_steal_pointer (&time);
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
  gboolean personnel = record->audience == KUU_AUDIENCE_PERSONNEL;
  g_autofree char *created = format_created (record);
  g_autofree char *received = personnel ? NULL : _kuu_server_format_time (received_at);
  g_autofree char *score = recommendation ? g_strdup_printf ("%d", record->score) : NULL;
  g_autofree char *answers = recommendation ? format_answers (record) : NULL;
  g_autofree char *signatories = initiative ? g_strdup_printf ("%d", record->signatories) : NULL;
  g_autofree char *erased = contact_erased_at > 0 ? _kuu_server_format_time (contact_erased_at) : NULL;
  const char *values[] = {
    personnel ? NULL : record->uuid, kuu_submission_kind_to_string (record->kind), created, received,
    record->region, record->unit, personnel ? NULL : kuu_language_to_code (record->language),
    kuu_audience_to_string (record->audience),
    record->has_topic ? kuu_topic_kind_to_string (record->topic_kind) : NULL,
    record->has_topic ? record->topic_id : NULL, score, answers, record->text,
    record->title, record->municipality, initiative ? kuu_channel_to_string (record->channel) : NULL,
    record->received_on, signatories, initiative ? (status != NULL ? status : "received") : NULL, answer,
    record->contact_name, record->contact_email, record->contact_phone, erased,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (values) == N_FIELDS);
  append_row (export->csv, export->format, values);
  export->n_rows++;
  return TRUE;
}

/**
 * _kuu_server_make_csv:
 * @out_rows: (out): how many records it holds
 *
 * Runs in a worker thread, on a reader of its own.
 *
 * Returns: (transfer full): the CSV, or %NULL with @error set
 */
GBytes *
_kuu_server_make_csv (KuuServerStorage      *reader,
                      const KuuReportQuery  *query,
                      const KuuCsvFormat    *format,
                      guint                 *out_rows,
                      GError               **error)
{
  g_autoptr(GString) csv = g_string_new ("\xEF\xBB\xBF");
  Export export = { csv, format, 0 };

  append_row (csv, format, NULL);
  if (!kuu_server_storage_foreach_record (reader, query, on_record_cb, &export, error))
    return NULL;
  *out_rows = export.n_rows;
  return g_string_free_to_bytes (g_steal_pointer (&csv));
}
