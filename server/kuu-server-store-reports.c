/* kuu-server-store-reports.c: what the store gives back — the
 * initiatives' statuses and answers, NPS figures and the records for an
 * export
 *
 * Every change to an initiative takes the next number of one sequence, so
 * a kiosk that asks for what changed after the number it saw last misses
 * nothing and gets a re-answered initiative again. The writes run in
 * BEGIN IMMEDIATE: the admin command is another process, and two writers
 * must not take the same number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-privacy.h"
#include "kuu-server-store-private.h"
#include "kuu-wire.h"


/* The initiative must exist and be one: a typo must not publish an
 * answer to nothing. */
static gboolean
find_initiative_region (KuuServerStore  *self,
                        const char      *uuid,
                        char           **out_region,
                        GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT region FROM records WHERE uuid = ? AND kind = 'initiative'",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "look up the initiative", error);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      *out_region = kuu_sqlite_column_dup (stmt, 0);
      return TRUE;
    case SQLITE_DONE:
      g_set_error (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_NOT_FOUND,
                   "No initiative “%s” has been delivered to this server", uuid);
      return FALSE;
    default:
      return _kuu_server_store_fail (self, "look up the initiative", error);
    }
}

static gboolean
write_initiative (KuuServerStore       *self,
                  const char           *uuid,
                  const char           *region,
                  KuuInitiativeStatus   status,
                  const char           *answer,
                  GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO initiatives (uuid, region, status, answer, updated_at, seq)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, (SELECT max ((SELECT coalesce(max(seq), 0) FROM initiatives),"
                          "                               (SELECT coalesce(max(seq), 0) FROM purged_initiatives)) + 1))"
                          " ON CONFLICT (uuid) DO UPDATE SET status = excluded.status,"
                          "   answer = excluded.answer, updated_at = excluded.updated_at, seq = excluded.seq",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "update the initiative", error);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, region, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, kuu_initiative_status_to_string (status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, answer, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _kuu_server_store_fail (self, "update the initiative", error);
  return TRUE;
}

/**
 * kuu_server_store_set_initiative:
 * @answer: (nullable): required when @status is answered; with
 *   in_progress, an optional note such as who handles it
 *
 * Publishes the initiative's status to the kiosks of its region.
 */
gboolean
kuu_server_store_set_initiative (KuuServerStore       *self,
                                 const char           *uuid,
                                 KuuInitiativeStatus   status,
                                 const char           *answer,
                                 GError              **error)
{
  g_autofree char *region = NULL;
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  if (answer != NULL && (!g_utf8_validate (answer, -1, NULL) ||
                         g_utf8_strlen (answer, -1) > KUU_MAX_INITIATIVE_LENGTH))
    {
      g_set_error (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_INVALID,
                   "An answer is UTF-8 text of at most %d characters", KUU_MAX_INITIATIVE_LENGTH);
      return FALSE;
    }
  if (status == KUU_INITIATIVE_ANSWERED && (answer == NULL || *answer == '\0'))
    {
      g_set_error_literal (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_INVALID,
                           "An answered initiative needs its answer (--answer)");
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->mutex);
  if (!_kuu_server_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!find_initiative_region (self, uuid, &region, error) ||
      !write_initiative (self, uuid, region, status, answer, error) ||
      !_kuu_server_store_exec (self, "COMMIT", error))
    {
      _kuu_server_store_exec (self, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

static KuuServerInitiative *
initiative_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(KuuSubmission) record = _kuu_server_store_parse_record ((const char *)sqlite3_column_text (stmt, 1));
  KuuServerInitiative *initiative;
  KuuInitiativeStatus status;

  if (record == NULL || !kuu_initiative_status_from_string ((const char *)sqlite3_column_text (stmt, 2), &status))
    return NULL;

  /* Only what may be published: never the contact. */
  initiative = g_new0 (KuuServerInitiative, 1);
  initiative->seq = sqlite3_column_int64 (stmt, 0);
  initiative->uuid = g_strdup (record->uuid);
  initiative->title = g_strdup (record->title);
  initiative->text = g_strdup (record->text);
  initiative->municipality = g_strdup (record->municipality);
  initiative->received_on = g_strdup (record->received_on);
  initiative->status = status;
  initiative->answer = kuu_sqlite_column_dup (stmt, 3);
  initiative->updated_at = sqlite3_column_int64 (stmt, 4);
  return initiative;
}

/**
 * kuu_server_store_last_initiative_change:
 *
 * The highest cursor the server can have given a device of @region: a
 * cursor beyond it was never given (or the database was restored from a
 * backup since), and the device must start over.
 *
 * Returns: the newest change number among @region's initiatives, purged
 *   ones included, 0 when there is none, or -1 with @error set
 */
gint64
kuu_server_store_last_initiative_change (KuuServerStore  *self,
                                         const char      *region,
                                         GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), -1);

  /* A purged initiative's number was given out too (admin device purge). */
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT max((SELECT coalesce(max(seq), 0) FROM initiatives WHERE region = ?1),"
                          "           (SELECT coalesce(max(seq), 0) FROM purged_initiatives WHERE region = ?1))",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _kuu_server_store_fail (self, "read the initiatives' last change", error);
      return -1;
    }
  sqlite3_bind_text (stmt, 1, region, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _kuu_server_store_fail (self, "read the initiatives' last change", error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/**
 * kuu_server_store_list_initiatives:
 * @after: the change sequence number the caller saw last (0: none)
 * @limit: at most this many
 *
 * Returns: (transfer full) (element-type KuuServerInitiative): the
 *   initiatives of @region taken up or changed after @after, in the
 *   order of their changes
 */
GPtrArray *
kuu_server_store_list_initiatives (KuuServerStore  *self,
                                   const char      *region,
                                   gint64           after,
                                   guint            limit,
                                   GError         **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_server_initiative_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), NULL);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT i.seq, r.record, i.status, i.answer, i.updated_at"
                          " FROM initiatives i JOIN records r ON r.uuid = i.uuid"
                          " WHERE i.region = ? AND i.seq > ? ORDER BY i.seq LIMIT ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _kuu_server_store_fail (self, "list the initiatives", error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, region, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, after);
  sqlite3_bind_int (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KuuServerInitiative *initiative = initiative_from_row (stmt);

      if (initiative == NULL)
        {
          g_set_error (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_FAILED,
                       "A stored initiative (change %" G_GINT64_FORMAT ") cannot be read",
                       (gint64)sqlite3_column_int64 (stmt, 0));
          return NULL;
        }
      g_ptr_array_add (list, initiative);
    }
  if (rc != SQLITE_DONE)
    {
      _kuu_server_store_fail (self, "list the initiatives", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* The grouping columns of an NPS report, each one NULL when not asked
 * for. They come from this fixed list, never from the request. */
static char *
group_columns (KuuReportGroup group)
{
  return g_strdup_printf ("%s, %s, %s, %s, %s",
                          group & KUU_REPORT_GROUP_REGION ? "region" : "NULL",
                          group & KUU_REPORT_GROUP_TOPIC ? "topic_kind" : "NULL",
                          group & KUU_REPORT_GROUP_TOPIC ? "topic_id" : "NULL",
                          group & KUU_REPORT_GROUP_UNIT ? "unit" : "NULL",
                          group & KUU_REPORT_GROUP_MONTH ? "strftime('%Y-%m', created_at, 'unixepoch')" : "NULL");
}

/* Personnel answers are read in whole calendar months (UTC), and only
 * from atomic cells — a unit in a month — of at least
 * KUU_PRIVACY_MIN_PERSONNEL answers: the difference of two reports is
 * then never a group of four (docs/privacy.md). */
#define PERSONNEL_CELLS \
  " AND (%1$saudience <> 'personnel' OR ((%1$sregion, %1$sunit, strftime('%%Y-%%m', %1$screated_at, 'unixepoch')) IN" \
  "   (SELECT region, unit, strftime('%%Y-%%m', created_at, 'unixepoch') FROM records" \
  "     WHERE kind = 'recommendation' AND audience = 'personnel' AND created_at >= ?5 AND created_at < ?6" \
  "     GROUP BY 1, 2, 3 HAVING count(*) >= %2$d)))" \
  " AND (%1$saudience = 'personnel' OR (%1$screated_at >= ?2 AND %1$screated_at < ?3))"

/* Only the filters asked for are in the SQL, so that the index on
 * (kind, audience, created_at) is used. */
static char *
where_clause (const KuuReportQuery *query,
              const char           *table)
{
  GString *where = g_string_new (NULL);

  g_string_append_printf (where, "%1$screated_at >= ?5 AND %1$screated_at < ?6", table);
  g_string_append_printf (where, PERSONNEL_CELLS, table, KUU_PRIVACY_MIN_PERSONNEL);
  if (!query->any_audience)
    g_string_append_printf (where, " AND %saudience = ?1", table);
  if (query->region != NULL)
    g_string_append_printf (where, " AND %sregion = ?4", table);
  return g_string_free (where, FALSE);
}

/* The first second of the month @seconds is in, or of the next one. */
static gint64
month_start (gint64   seconds,
             gboolean next)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) later = NULL;

  if (time == NULL)
    return seconds;
  start = g_date_time_new_utc (g_date_time_get_year (time), g_date_time_get_month (time), 1, 0, 0, 0);
  if (!next)
    return g_date_time_to_unix (start);
  later = g_date_time_add_months (start, 1);
  return g_date_time_to_unix (later);
}

static void
bind_query (sqlite3_stmt         *stmt,
            const KuuReportQuery *query)
{
  if (!query->any_audience)
    sqlite3_bind_text (stmt, 1, kuu_audience_to_string (query->audience), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, query->since);
  sqlite3_bind_int64 (stmt, 3, query->until);
  sqlite3_bind_text (stmt, 4, query->region, -1, SQLITE_STATIC);
  /* The whole months the period touches: personnel's bounds, and the
   * outer bounds of the whole query. */
  sqlite3_bind_int64 (stmt, 5, month_start (query->since, FALSE));
  sqlite3_bind_int64 (stmt, 6, query->until == G_MAXINT64 ? G_MAXINT64 : month_start (query->until - 1, TRUE));
}

static gboolean
same_group (const KuuNpsRow *row,
            sqlite3_stmt    *stmt)
{
  const char *keys[] = { row->region, row->topic_kind, row->topic_id, row->unit, row->month };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_strcmp0 (keys[i], (const char *)sqlite3_column_text (stmt, i)) != 0)
      return FALSE;
  return TRUE;
}

static KuuNpsRow *
nps_row_new (sqlite3_stmt *stmt)
{
  KuuNpsRow *row = g_new0 (KuuNpsRow, 1);

  row->region = kuu_sqlite_column_dup (stmt, 0);
  row->topic_kind = kuu_sqlite_column_dup (stmt, 1);
  row->topic_id = kuu_sqlite_column_dup (stmt, 2);
  row->unit = kuu_sqlite_column_dup (stmt, 3);
  row->month = kuu_sqlite_column_dup (stmt, 4);
  return row;
}

/* SQL counts each score; kuu-nps sorts them into promoters, passives and
 * detractors, so the report cannot disagree with the kiosk's figures. */
static void
add_scores (KuuNpsRow *row,
            int        score,
            gint64     count)
{
  if (score < 0 || score > 10)
    return;
  for (gint64 i = 0; i < count; i++)
    kuu_nps_counts_add (&row->counts, score);
}

/**
 * kuu_server_store_nps_report:
 *
 * Returns: (transfer full) (element-type KuuNpsRow): one row per group
 *   that has answers, ordered by the groups
 */
GPtrArray *
kuu_server_store_nps_report (KuuServerStore       *self,
                             const KuuReportQuery *query,
                             GError              **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_nps_row_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *columns = group_columns (query->group);
  g_autofree char *where = where_clause (query, "");
  g_autofree char *sql = NULL;
  KuuNpsRow *row = NULL;
  int rc;

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), NULL);

  sql = g_strdup_printf ("SELECT %s, score, count(*) FROM records"
                         " WHERE kind = 'recommendation' AND %s"
                         " GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6",
                         columns, where);
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _kuu_server_store_fail (self, "compute the report", error);
      return NULL;
    }
  bind_query (stmt, query);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (row == NULL || !same_group (row, stmt))
        g_ptr_array_add (rows, (row = nps_row_new (stmt)));
      add_scores (row, sqlite3_column_int (stmt, 5), sqlite3_column_int64 (stmt, 6));
    }
  if (rc != SQLITE_DONE)
    {
      _kuu_server_store_fail (self, "compute the report", error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* The bucket of a record's created_at, in SQL; from this fixed list,
 * never from the request. SQLite 3.40 has no %V: an ISO week is named
 * by its Thursday, whose year is the week's year. */
static const char *
bucket_sql (KuuBucket bucket)
{
  switch (bucket)
    {
    case KUU_BUCKET_MONTH:
      return "strftime('%Y-%m', created_at, 'unixepoch')";
    case KUU_BUCKET_WEEK:
      return "date(created_at, 'unixepoch', '-3 days', 'weekday 4')";
    case KUU_BUCKET_NONE:
    default:
      return "NULL";
    }
}

static KuuResultRow *
result_row_new (sqlite3_stmt *stmt)
{
  KuuResultRow *row = g_new0 (KuuResultRow, 1);

  row->topic_kind = kuu_sqlite_column_dup (stmt, 0);
  row->topic_id = kuu_sqlite_column_dup (stmt, 1);
  row->unit = kuu_sqlite_column_dup (stmt, 2);
  row->bucket = kuu_sqlite_column_dup (stmt, 3);
  row->statement = kuu_sqlite_column_dup (stmt, 4);
  row->value = sqlite3_column_int (stmt, 5);
  row->count = sqlite3_column_int64 (stmt, 6);
  return row;
}

/* Call with the SQL's ?1–?4 the audience, since, until and region, and
 * ?5, ?6 whatever @first and @last are. */
static gboolean
read_result_rows (KuuServerStore          *self,
                  const char              *sql,
                  const KuuResultsSelect  *select,
                  gint64                   since,
                  gint64                   until,
                  const char              *first,
                  const char              *last,
                  GPtrArray               *rows,
                  GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "compute the results", error);
  sqlite3_bind_text (stmt, 1, kuu_audience_to_string (select->audience), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, until);
  sqlite3_bind_text (stmt, 4, select->region, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, first, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, last, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, result_row_new (stmt));
  if (rc != SQLITE_DONE)
    return _kuu_server_store_fail (self, "compute the results", error);
  return TRUE;
}

/* The records of [since, until), counted from the records themselves. */
static gboolean
count_records (KuuServerStore          *self,
               const KuuResultsSelect  *select,
               gint64                   since,
               gint64                   until,
               GPtrArray               *rows,
               GError                 **error)
{
  const char *bucket = bucket_sql (select->bucket);
  g_autofree char *scores = NULL;
  g_autofree char *answers = NULL;
  g_autofree char *sql = NULL;

  if (since >= until)
    return TRUE;
  /* The scores from the index records_results alone; the statements'
   * answers from the stored records. */
  scores = g_strdup_printf ("SELECT topic_kind, topic_id, unit, %s, NULL, score, count(*) FROM records"
                            " WHERE region = ?4 AND audience = ?1 AND kind = 'recommendation'"
                            "   AND created_at >= ?2 AND created_at < ?3"
                            " GROUP BY 1, 2, 3, 4, 6", bucket);
  if (!select->scores_only)
    answers = g_strdup_printf (" UNION ALL "
                               "SELECT topic_kind, topic_id, unit, %s, a.value ->> 'statement',"
                               "  a.value ->> 'answer', count(*) FROM records, json_each(records.record, '$.answers') a"
                               " WHERE region = ?4 AND audience = ?1 AND kind = 'recommendation'"
                               "   AND created_at >= ?2 AND created_at < ?3"
                               " GROUP BY 1, 2, 3, 4, 5, 6", bucket);
  sql = g_strconcat (scores, answers, NULL);
  return read_result_rows (self, sql, select, since, until, NULL, NULL, rows, error);
}

static char *
month_name (gint64 seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);

  return time != NULL ? g_date_time_format (time, "%Y-%m") : NULL;
}

/* The whole months [first, last) counted from result_months. */
static gboolean
count_months (KuuServerStore          *self,
              const KuuResultsSelect  *select,
              gint64                   first,
              gint64                   last,
              GPtrArray               *rows,
              GError                 **error)
{
  g_autofree char *first_name = month_name (first);
  g_autofree char *last_name = month_name (last);
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("SELECT topic_kind, topic_id, unit, %s, nullif(statement, ''), value, sum(count)"
                         " FROM result_months WHERE region = ?4 AND audience = ?1 AND month >= ?5 AND month < ?6%s"
                         " GROUP BY 1, 2, 3, 4, 5, 6",
                         select->bucket == KUU_BUCKET_MONTH ? "month" : "NULL",
                         select->scores_only ? " AND statement = ''" : "");
  return read_result_rows (self, sql, select, first, last, first_name, last_name, rows, error);
}

/**
 * kuu_server_store_result_rows:
 *
 * The counts the results are made of: the scores, and the statements'
 * answers, per topic, unit and bucket. The whole months of the period
 * come from the counts the triggers keep (result_months), the days
 * before its first whole month and after its last from the records (and
 * the whole period when counted by week). Aggregating them is the
 * caller's (kuu-results.c).
 *
 * Returns: (transfer full) (element-type KuuResultRow): the counts
 */
GPtrArray *
kuu_server_store_result_rows (KuuServerStore         *self,
                              const KuuResultsSelect *select,
                              GError                **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_result_row_free);
  gint64 first = month_start (select->since, FALSE);
  gint64 last = month_start (select->until, FALSE);

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), NULL);

  if (first < select->since)
    first = month_start (select->since, TRUE);
  if (select->bucket == KUU_BUCKET_WEEK || first >= last)
    first = last = select->until;
  if (!count_records (self, select, select->since, first, rows, error) ||
      (first < last && !count_months (self, select, first, last, rows, error)) ||
      !count_records (self, select, MAX (last, select->since), select->until, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

/* A record as an export gives it: the unit the device was enrolled for
 * (column 4), and its contact from its own table (columns 5–7). */
static KuuSubmission *
record_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(KuuSubmission) record = _kuu_server_store_parse_record ((const char *)sqlite3_column_text (stmt, 0));

  if (record == NULL)
    return NULL;
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    {
      g_free (record->unit);
      record->unit = kuu_sqlite_column_dup (stmt, 4);
    }
  if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
    kuu_submission_set_contact (record, (const char *)sqlite3_column_text (stmt, 5),
                                (const char *)sqlite3_column_text (stmt, 6),
                                (const char *)sqlite3_column_text (stmt, 7));
  return g_steal_pointer (&record);
}

/**
 * kuu_server_store_foreach_record:
 * @func: called for each record in the order they were made; returns
 *   FALSE to stop
 *
 * Walks the records @query selects (its @group is not used).
 */
gboolean
kuu_server_store_foreach_record (KuuServerStore       *self,
                                 const KuuReportQuery *query,
                                 KuuRecordFunc         func,
                                 gpointer              user_data,
                                 GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *where = where_clause (query, "r.");
  g_autofree char *sql = NULL;
  int rc;

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), FALSE);

  sql = g_strdup_printf ("SELECT r.record, r.received_at, i.status, i.answer, r.unit,"
                         "  c.name, c.email, c.phone, c.erased_at"
                         " FROM records r LEFT JOIN initiatives i ON i.uuid = r.uuid"
                         " LEFT JOIN contacts c ON c.uuid = r.uuid"
                         " WHERE %s ORDER BY r.audience = 'personnel',"
                         "  CASE WHEN r.audience = 'personnel' THEN 0 ELSE r.created_at END,"
                         "  strftime('%%Y-%%m', r.created_at, 'unixepoch'), r.unit, r.score, r.uuid",
                         where);
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "read the records", error);
  bind_query (stmt, query);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KuuSubmission) record = record_from_row (stmt);

      if (record == NULL)
        {
          g_set_error_literal (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_FAILED,
                               "A stored record cannot be read");
          return FALSE;
        }
      if (!func (record, sqlite3_column_int64 (stmt, 1), (const char *)sqlite3_column_text (stmt, 2),
                 (const char *)sqlite3_column_text (stmt, 3), sqlite3_column_int64 (stmt, 8), user_data))
        return TRUE;
    }
  if (rc != SQLITE_DONE)
    return _kuu_server_store_fail (self, "read the records", error);
  return TRUE;
}

void
kuu_server_initiative_free (KuuServerInitiative *initiative)
{
  if (initiative == NULL)
    return;
  g_free (initiative->uuid);
  g_free (initiative->title);
  g_free (initiative->text);
  g_free (initiative->municipality);
  g_free (initiative->received_on);
  g_free (initiative->answer);
  g_free (initiative);
}

void
kuu_nps_row_free (KuuNpsRow *row)
{
  if (row == NULL)
    return;
  g_free (row->region);
  g_free (row->topic_kind);
  g_free (row->topic_id);
  g_free (row->unit);
  g_free (row->month);
  g_free (row);
}

void
kuu_result_row_free (KuuResultRow *row)
{
  if (row == NULL)
    return;
  g_free (row->topic_kind);
  g_free (row->topic_id);
  g_free (row->unit);
  g_free (row->bucket);
  g_free (row->statement);
  g_free (row);
}
