/* kuu-export.c
 *
 * Records are read 500 at a time and the store's lock is let go while a
 * batch is written out: a slow destination (a USB stick, a network share)
 * must not hold up a resident's answer being saved meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "kuu-export.h"
#include "kuu-privacy.h"
#include "kuu-i18n-private.h"
#include "kuu-store-private.h"

#define BATCH 500

/* Contacts are joined only when asked for (?5), so without the flag they
 * are never even read. A published status from the server is newer than
 * the one stored at entry. */
/* The small-group rule (kuu-privacy.h) on a personnel file: the answers
 * of a unit with fewer than ?6 personnel recommendations in the period are
 * left out whole (its feedback too). Each row is one person's answer with
 * its time: with four colleagues, a manager could tell whose is whose.
 * The set of units is read once, not per row. */
#define SELECT_RECORDS \
  "WITH shown_units (unit) AS (" \
  "  SELECT u.unit FROM submissions u JOIN recommendations ur ON ur.submission_id = u.id" \
  "   WHERE u.audience = 'personnel'" \
  "     AND (?3 IS NULL OR date (u.created_at, 'unixepoch', 'localtime') >= ?3)" \
  "     AND (?4 IS NULL OR date (u.created_at, 'unixepoch', 'localtime') < ?4)" \
  "   GROUP BY u.unit HAVING count (*) >= ?6)" \
  "SELECT s.id, s.uuid, s.kind, s.created_at, s.unit, s.language, s.audience," \
  "       coalesce (r.topic_kind, f.topic_kind), coalesce (r.topic_id, f.topic_id), r.score," \
  "       (SELECT group_concat (statement_id || '=' || answer, ';')" \
  "          FROM (SELECT statement_id, answer FROM statement_answers a" \
  "                 WHERE a.submission_id = s.id ORDER BY statement_id))," \
  "       coalesce (r.why, f.body, i.body), i.title, i.municipality, i.channel, i.received_on," \
  "       i.signatories, CASE WHEN i.submission_id IS NOT NULL THEN coalesce (p.status, i.status) END," \
  "       c.name, c.email, c.phone" \
  "  FROM submissions s" \
  "  LEFT JOIN recommendations r ON r.submission_id = s.id" \
  "  LEFT JOIN feedback f ON f.submission_id = s.id" \
  "  LEFT JOIN initiatives i ON i.submission_id = s.id" \
  "  LEFT JOIN published_initiatives p ON p.uuid = s.uuid" \
  "  LEFT JOIN contacts c ON c.submission_id = s.id AND ?5" \
  " WHERE s.id > ?1 AND s.audience = ?2" \
  "   AND (?2 <> 'personnel' OR s.unit IN (SELECT unit FROM shown_units))" \
  "   AND (?3 IS NULL OR date (s.created_at, 'unixepoch', 'localtime') >= ?3)" \
  "   AND (?4 IS NULL OR date (s.created_at, 'unixepoch', 'localtime') < ?4)" \
  " ORDER BY s.id LIMIT 500"

enum {
  COLUMN_ID,
  COLUMN_UUID,
  COLUMN_KIND,
  COLUMN_CREATED_AT,
  /* the rest follow in header order */
};

static const char * const header[] = {
  "uuid", "kind", "created_at", "unit", "language", "audience", "topic_kind", "topic_id",
  "score", "statements", "text", "title", "municipality", "channel", "received_on",
  "signatories", "status", "name", "email", "phone",
};

#define N_PLAIN_FIELDS 17  /* the header without the contact columns */

typedef struct
{
  KuuExportQuery  query;
  GOutputStream  *stream;
  GFile          *file;
  guint64         records;
} ExportTaskData;

static void
export_task_data_free (ExportTaskData *data)
{
  g_clear_object (&data->stream);
  g_clear_object (&data->file);
  g_free (data);
}

/* A spreadsheet program runs a cell that starts with one of these as a
 * formula: =HYPERLINK(…) could send data away or mislead. */
static gboolean
needs_neutralising (const char *value)
{
  return value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL;
}

static char
separator (const KuuExportQuery *query)
{
  return query->flags & KUU_EXPORT_SEMICOLONS ? ';' : ',';
}

static void
append_field (GString              *line,
              const KuuExportQuery *query,
              const char           *value,
              gboolean              first)
{
  const char specials[] = { separator (query), '"', '\r', '\n', '\0' };
  const char *prefix = "";

  if (!first)
    g_string_append_c (line, separator (query));
  if (value == NULL)
    return;
  if (needs_neutralising (value))
    prefix = "'";

  if (strpbrk (value, specials) == NULL)
    {
      g_string_append (line, prefix);
      g_string_append (line, value);
      return;
    }

  g_string_append_c (line, '"');
  g_string_append (line, prefix);
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

/* GLib's %Y does not pad a year before 1000 ("26-10-02…"): the year is
 * written with four digits here. */
static char *
format_iso8601 (GDateTime  *time,
                const char *rest)
{
  g_autofree char *text = g_date_time_format (time, rest);

  return text != NULL ? g_strdup_printf ("%04d%s", g_date_time_get_year (time), text) : NULL;
}

static char *
local_iso8601 (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  if (time == NULL)
    return NULL;
  /* An offset with seconds (local mean time before 1921 in Finland,
   * +01:39:49) does not fit %:z: the time would be off by them. Such a
   * time is written in UTC (found by fuzz/fuzz-export.c, as the year). */
  if (g_date_time_get_utc_offset (time) % G_TIME_SPAN_MINUTE != 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

      return format_iso8601 (utc, "-%m-%dT%H:%M:%SZ");
    }
  return format_iso8601 (time, "-%m-%dT%H:%M:%S%:z");
}

static guint
n_fields (const KuuExportQuery *query)
{
  return query->flags & KUU_EXPORT_CONTACTS ? G_N_ELEMENTS (header) : N_PLAIN_FIELDS;
}

static void
append_header (GString              *out,
               const KuuExportQuery *query)
{
  for (guint i = 0; i < n_fields (query); i++)
    append_field (out, query, header[i], i == 0);
  g_string_append (out, "\r\n");
}

static void
append_record (GString              *out,
               sqlite3_stmt         *stmt,
               const KuuExportQuery *query)
{
  g_autofree char *created_at = local_iso8601 (sqlite3_column_int64 (stmt, COLUMN_CREATED_AT));

  /* The columns after the id are in header order. */
  for (guint i = 0; i < n_fields (query); i++)
    {
      int column = i + COLUMN_UUID;

      if (column == COLUMN_CREATED_AT)
        append_field (out, query, created_at, FALSE);
      else
        append_field (out, query, (const char *)sqlite3_column_text (stmt, column), i == 0);
    }
  g_string_append (out, "\r\n");
}

static void
bind_date (sqlite3_stmt *stmt,
           int           index,
           const GDate  *date)
{
  if (!g_date_valid (date))
    {
      sqlite3_bind_null (stmt, index);
      return;
    }
  sqlite3_bind_text (stmt, index,
                     g_strdup_printf ("%04u-%02u-%02u", (guint)g_date_get_year (date),
                                      (guint)g_date_get_month (date), (guint)g_date_get_day (date)),
                     -1, g_free);
}

/* Reads the next batch after *last_id into @out, the store locked only
 * for as long as it takes. */
static gboolean
read_batch (KuuStore              *store,
            sqlite3_stmt          *stmt,
            const KuuExportQuery  *query,
            gint64                *last_id,
            GString               *out,
            guint                 *out_count,
            GError               **error)
{
  sqlite3 *db = _kuu_store_lock (store);
  int rc;

  *out_count = 0;
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, *last_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      append_record (out, stmt, query);
      *last_id = sqlite3_column_int64 (stmt, COLUMN_ID);
      (*out_count)++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    _kuu_store_fail (store, db, rc, "export answers", error);
  _kuu_store_unlock (store);

  return rc == SQLITE_DONE;
}

static sqlite3_stmt *
prepare_select (KuuStore              *store,
                const KuuExportQuery  *query,
                GError               **error)
{
  sqlite3 *db = _kuu_store_lock (store);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, SELECT_RECORDS, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 2, kuu_audience_to_string (query->audience), -1, SQLITE_STATIC);
      bind_date (stmt, 3, &query->since);
      bind_date (stmt, 4, &query->until);
      sqlite3_bind_int (stmt, 5, (query->flags & KUU_EXPORT_CONTACTS) != 0);
      sqlite3_bind_int (stmt, 6, KUU_PRIVACY_MIN_PERSONNEL);
    }
  else
    _kuu_store_fail (store, db, rc, "export answers", error);
  _kuu_store_unlock (store);

  return stmt;
}

static gboolean
write_string (GOutputStream  *stream,
              GString        *text,
              GCancellable   *cancellable,
              GError        **error)
{
  gboolean ok = g_output_stream_write_all (stream, text->str, text->len, NULL, cancellable, error);

  g_string_truncate (text, 0);
  return ok;
}

void
kuu_export_query_init (KuuExportQuery *query,
                       KuuAudience     audience)
{
  g_return_if_fail (query != NULL);

  *query = (KuuExportQuery) { .audience = audience };
  g_date_clear (&query->since, 1);
  g_date_clear (&query->until, 1);
}

/**
 * kuu_export_csv:
 * @query: the audience, the period and whether to add contacts
 * @stream: where the CSV goes; left open
 * @out_records: (out) (optional): how many records were written
 *
 * Writes the records @query selects as CSV (see the top of kuu-export.h
 * for the format). Blocks on the store and @stream: the UI uses
 * kuu_export_csv_async() or kuu_export_csv_to_file_async().
 *
 * Returns: %TRUE when everything was written; else %FALSE with @error
 *   set, and @stream holds a part of the file
 */
gboolean
kuu_export_csv (KuuStore              *store,
                const KuuExportQuery  *query,
                GOutputStream         *stream,
                guint64               *out_records,
                GCancellable          *cancellable,
                GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) out = g_string_new ("\xEF\xBB\xBF");
  gint64 last_id = 0;
  guint64 records = 0;
  guint count = BATCH;

  g_return_val_if_fail (KUU_IS_STORE (store), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (!(stmt = prepare_select (store, query, error)))
    return FALSE;

  append_header (out, query);
  while (count == BATCH)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !read_batch (store, stmt, query, &last_id, out, &count, error) ||
          !write_string (stream, out, cancellable, error))
        return FALSE;
      records += count;
    }

  if (out_records != NULL)
    *out_records = records;
  return TRUE;
}

/* Staff pull a USB stick out as soon as the page says the file is
 * written: the data must be on it by then, not in the page cache. */
static gboolean
sync_to_disk (GFile   *file,
              GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  int fd, saved_errno;

  if (path == NULL)  /* not a local file: nothing to sync here */
    return TRUE;
  if ((fd = g_open (path, O_RDONLY | O_CLOEXEC, 0)) < 0 || fsync (fd) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write “%s” to the disk: %s"), path, g_strerror (saved_errno));
      if (fd >= 0)
        close (fd);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Replaces @file only once the whole export succeeded; created private
 * (0600), as it may hold contact details. */
static gboolean
export_to_file (KuuStore        *store,
                ExportTaskData  *data,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abandon = NULL;

  stream = g_file_replace (data->file, NULL, FALSE,
                           G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, error);
  if (stream == NULL)
    return FALSE;

  if (kuu_export_csv (store, &data->query, G_OUTPUT_STREAM (stream), &data->records, cancellable, error))
    return g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error) &&
           sync_to_disk (data->file, error);

  /* Closing cancelled drops the temporary file and keeps any old one. */
  abandon = g_cancellable_new ();
  g_cancellable_cancel (abandon);
  g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
  return FALSE;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportTaskData *data = task_data;
  GError *error = NULL;
  gboolean ok;

  if (data->file != NULL)
    ok = export_to_file (source_object, data, cancellable, &error);
  else
    ok = kuu_export_csv (source_object, &data->query, data->stream, &data->records, cancellable, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
run_async (KuuStore              *store,
           const KuuExportQuery  *query,
           GOutputStream         *stream,
           GFile                 *file,
           gpointer               source_tag,
           GCancellable          *cancellable,
           GAsyncReadyCallback    callback,
           gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  ExportTaskData *data = g_new0 (ExportTaskData, 1);

  data->query = *query;
  data->stream = stream != NULL ? g_object_ref (stream) : NULL;
  data->file = file != NULL ? g_object_ref (file) : NULL;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify)export_task_data_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * kuu_export_csv_async:
 *
 * kuu_export_csv() in a worker thread; @stream must not be used by anyone
 * else until the callback runs. Finish with kuu_export_csv_finish().
 */
void
kuu_export_csv_async (KuuStore              *store,
                      const KuuExportQuery  *query,
                      GOutputStream         *stream,
                      GCancellable          *cancellable,
                      GAsyncReadyCallback    callback,
                      gpointer               user_data)
{
  g_return_if_fail (KUU_IS_STORE (store));
  g_return_if_fail (query != NULL);
  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));

  run_async (store, query, stream, NULL, kuu_export_csv_async, cancellable, callback, user_data);
}

/**
 * kuu_export_csv_to_file_async:
 * @file: the file to write; replaced only when the export succeeds, and
 *   created readable by its owner only
 *
 * As kuu_export_csv_async(), into @file. Finish with
 * kuu_export_csv_finish().
 */
void
kuu_export_csv_to_file_async (KuuStore              *store,
                              const KuuExportQuery  *query,
                              GFile                 *file,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data)
{
  g_return_if_fail (KUU_IS_STORE (store));
  g_return_if_fail (query != NULL);
  g_return_if_fail (G_IS_FILE (file));

  run_async (store, query, NULL, file, kuu_export_csv_to_file_async, cancellable, callback, user_data);
}

/**
 * kuu_export_csv_finish:
 * @out_records: (out) (optional): how many records were written
 *
 * Returns: %TRUE when the whole file was written; else %FALSE with @error
 */
gboolean
kuu_export_csv_finish (KuuStore      *store,
                       GAsyncResult  *result,
                       guint64       *out_records,
                       GError       **error)
{
  ExportTaskData *data;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kuu_export_csv_async ||
                        g_task_get_source_tag (G_TASK (result)) == kuu_export_csv_to_file_async, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_records != NULL)
    *out_records = data->records;
  return TRUE;
}
