/* kuu-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "kuu-stats.h"
#include "kuu-store-private.h"

#define LOCAL_TIME "s.created_at, 'unixepoch', 'localtime'"

void
kuu_stats_query_init (KuuStatsQuery *query)
{
  g_return_if_fail (query != NULL);

  *query = (KuuStatsQuery) {
    .audience = KUU_AUDIENCE_RESIDENTS,
    .any_topic_kind = TRUE,
  };
}

/**
 * kuu_stats_query_init_for:
 *
 * As kuu_stats_query_init(), for @audience: what a personnel page uses, so
 * that the audience is never left to a default.
 */
void
kuu_stats_query_init_for (KuuStatsQuery *query,
                          KuuAudience    audience)
{
  kuu_stats_query_init (query);
  query->audience = audience;
}

void
kuu_stats_scale_row_free (KuuStatsScaleRow *row)
{
  if (row == NULL)
    return;

  g_free (row->topic_kind);
  g_free (row->topic_id);
  g_free (row->unit);
  g_free (row->period);
  g_free (row);
}

void
kuu_stats_row_free (KuuStatsRow *row)
{
  if (row == NULL)
    return;

  g_free (row->topic_kind);
  g_free (row->topic_id);
  g_free (row->unit);
  g_free (row->period);
  g_free (row);
}

/* Where a figure is counted from: every answer, or the answers counted
 * per local week or month (migration 5), which a refresh reads in a few
 * thousand rows instead of a million. */
typedef enum
{
  SOURCE_ANSWERS,
  SOURCE_WEEKS,
  SOURCE_MONTHS,
} Source;

#define ALL_SCORES "t.s0 + t.s1 + t.s2 + t.s3 + t.s4 + t.s5 + t.s6 + t.s7 + t.s8 + t.s9 + t.s10"

#define NPS_MEASURES "sum (r.score >= 9), sum (r.score BETWEEN 7 AND 8), sum (r.score <= 6)," \
  " sum (r.score = 0), sum (r.score = 1), sum (r.score = 2), sum (r.score = 3)," \
  " sum (r.score = 4), sum (r.score = 5), sum (r.score = 6), sum (r.score = 7)," \
  " sum (r.score = 8), sum (r.score = 9), sum (r.score = 10)"

/* The same columns as NPS_MEASURES, from the counts. */
#define COUNTED_MEASURES "sum (t.s9 + t.s10), sum (t.s7 + t.s8)," \
  " sum (t.s0 + t.s1 + t.s2 + t.s3 + t.s4 + t.s5 + t.s6)," \
  " sum (t.s0), sum (t.s1), sum (t.s2), sum (t.s3), sum (t.s4), sum (t.s5)," \
  " sum (t.s6), sum (t.s7), sum (t.s8), sum (t.s9), sum (t.s10)"

#define SCALE_MEASURES "count (a.answer), avg (a.answer), sum (a.answer >= 4)"
#define COUNTED_SCALE_MEASURES "sum (t.answers), sum (t.total) * 1.0 / sum (t.answers), sum (t.agree)"
#define SCALE_JOIN \
  " JOIN statement_answers a ON a.submission_id = r.submission_id AND a.statement_id = ?7"

/* Whether @time (0: no limit) is a local midnight starting a month, or
 * else a week (Monday): only then do the counts hold exactly the answers
 * from or until it. */
static gboolean
starts_period (gint64   time,
               gboolean month)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == 0)
    return TRUE;
  if (!(local = g_date_time_new_from_unix_local (time)))
    return FALSE;
  if (g_date_time_get_hour (local) != 0 || g_date_time_get_minute (local) != 0 ||
      g_date_time_get_second (local) != 0)
    return FALSE;
  return month ? g_date_time_get_day_of_month (local) == 1 : g_date_time_get_day_of_week (local) == 1;
}

static gboolean
spans_periods (const KuuStatsQuery *query,
               gboolean             month)
{
  return starts_period (query->since, month) && starts_period (query->until, month);
}

/* Months when the grouping and the limits allow (fewest rows), else weeks,
 * else every answer: an odd limit (from noon, say) is still exact. */
static Source
choose_source (const KuuStatsQuery *query)
{
  if (query->group & KUU_STATS_GROUP_MONTH)
    return spans_periods (query, TRUE) ? SOURCE_MONTHS : SOURCE_ANSWERS;
  if (query->group & KUU_STATS_GROUP_WEEK)
    return spans_periods (query, FALSE) ? SOURCE_WEEKS : SOURCE_ANSWERS;
  if (spans_periods (query, TRUE))
    return SOURCE_MONTHS;
  return spans_periods (query, FALSE) ? SOURCE_WEEKS : SOURCE_ANSWERS;
}

/* Only the filters the query sets are written, so that SQLite can use
 * the index on (audience, created_at) for a period; every value from
 * outside is bound as a parameter. */
static void
append_filters (GString             *sql,
                const KuuStatsQuery *query,
                const char          *topic,
                const char          *unit)
{
  if (!query->any_topic_kind)
    g_string_append_printf (sql, " AND %s.topic_kind = ?2", topic);
  if (query->topic_id != NULL)
    g_string_append_printf (sql, " AND %s.topic_id = ?3", topic);
  if (query->unit != NULL)
    g_string_append_printf (sql, " AND %s.unit = ?4", unit);
}

static void
append_grouping (GString             *sql,
                 const KuuStatsQuery *query,
                 const char          *topic,
                 const char          *unit,
                 const char          *period)
{
  gboolean by_topic = query->group & KUU_STATS_GROUP_TOPIC;

  g_string_append_printf (sql, "SELECT %s%s, %s%s, %s%s, %s, ",
                          by_topic ? topic : "NULL", by_topic ? ".topic_kind" : "",
                          by_topic ? topic : "NULL", by_topic ? ".topic_id" : "",
                          query->group & KUU_STATS_GROUP_UNIT ? unit : "NULL",
                          query->group & KUU_STATS_GROUP_UNIT ? ".unit" : "",
                          period);
}

/* Each measure is computed with audience = ?1: one audience per figure,
 * always. */
static char *
build_answers_sql (const KuuStatsQuery *query,
                   const char          *measures,
                   const char          *join)
{
  GString *sql = g_string_new (NULL);
  const char *period = "NULL";

  if (query->group & KUU_STATS_GROUP_MONTH)
    period = "strftime ('%Y-%m', " LOCAL_TIME ")";
  else if (query->group & KUU_STATS_GROUP_WEEK)
    period = "date (" LOCAL_TIME ", '-6 days', 'weekday 1')";

  append_grouping (sql, query, "r", "s", period);
  g_string_append_printf (sql, "%s FROM recommendations r JOIN submissions s ON s.id = r.submission_id%s"
                               " WHERE s.audience = ?1", measures, join);
  append_filters (sql, query, "r", "s");
  if (query->since != 0)
    g_string_append (sql, " AND s.created_at >= ?5");
  if (query->until != 0)
    g_string_append (sql, " AND s.created_at < ?6");
  g_string_append (sql, " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4");
  return g_string_free (sql, FALSE);
}

/* The limits are period starts (choose_source()): their period's key,
 * as the triggers wrote it, compares like the time. Counts a deletion
 * brought to zero are left out, as a group without answers is. With
 * @statement, the 1–5 statement ?7's counts, else the scores'. */
static char *
build_counted_sql (const KuuStatsQuery *query,
                   Source               source,
                   gboolean             statement)
{
  GString *sql = g_string_new (NULL);
  gboolean by_period = query->group & (KUU_STATS_GROUP_MONTH | KUU_STATS_GROUP_WEEK);
  gboolean months = source == SOURCE_MONTHS;
  const char *from = months ? "strftime ('%Y-%m', ?5, 'unixepoch', 'localtime')" : "date (?5, 'unixepoch', 'localtime')";
  const char *until = months ? "strftime ('%Y-%m', ?6, 'unixepoch', 'localtime')" : "date (?6, 'unixepoch', 'localtime')";

  append_grouping (sql, query, "t", "t", by_period ? "t.period" : "NULL");
  if (statement)
    g_string_append_printf (sql, COUNTED_SCALE_MEASURES " FROM %s t WHERE t.audience = ?1 AND t.statement_id = ?7",
                            months ? "statement_months" : "statement_weeks");
  else
    g_string_append_printf (sql, COUNTED_MEASURES " FROM %s t WHERE t.audience = ?1",
                            months ? "recommendation_months" : "recommendation_weeks");
  append_filters (sql, query, "t", "t");
  if (query->since != 0)
    g_string_append_printf (sql, " AND t.period >= %s", from);
  if (query->until != 0)
    g_string_append_printf (sql, " AND t.period < %s", until);
  g_string_append_printf (sql, " GROUP BY 1, 2, 3, 4 HAVING sum (%s) > 0 ORDER BY 1, 2, 3, 4",
                          statement ? "t.answers" : ALL_SCORES);
  return g_string_free (sql, FALSE);
}

static gpointer
row_from_statement (sqlite3_stmt *stmt,
                    KuuAudience   audience)
{
  KuuStatsRow *row = g_new0 (KuuStatsRow, 1);

  row->audience = audience;

  row->topic_kind = kuu_sqlite_column_dup (stmt, 0);
  row->topic_id = kuu_sqlite_column_dup (stmt, 1);
  row->unit = kuu_sqlite_column_dup (stmt, 2);
  row->period = kuu_sqlite_column_dup (stmt, 3);
  row->counts.promoters = sqlite3_column_int (stmt, 4);
  row->counts.passives = sqlite3_column_int (stmt, 5);
  row->counts.detractors = sqlite3_column_int (stmt, 6);
  for (guint score = 0; score <= 10; score++)
    row->scores[score] = sqlite3_column_int (stmt, 7 + score);
  kuu_nps_compute (&row->counts, &row->nps);

  return row;
}

static gpointer
scale_row_from_statement (sqlite3_stmt *stmt,
                          KuuAudience   audience)
{
  KuuStatsScaleRow *row = g_new0 (KuuStatsScaleRow, 1);

  row->audience = audience;
  row->topic_kind = kuu_sqlite_column_dup (stmt, 0);
  row->topic_id = kuu_sqlite_column_dup (stmt, 1);
  row->unit = kuu_sqlite_column_dup (stmt, 2);
  row->period = kuu_sqlite_column_dup (stmt, 3);
  row->count = sqlite3_column_int (stmt, 4);
  row->mean = sqlite3_column_double (stmt, 5);
  row->agree = sqlite3_column_int (stmt, 6);
  row->share_agree = row->count > 0 ? 100.0 * row->agree / row->count : NAN;

  return row;
}

static void
bind_optional (sqlite3_stmt *stmt,
               int           index,
               const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

typedef gpointer (*RowFunc) (sqlite3_stmt *stmt,
                             KuuAudience   audience);

static GPtrArray *
run_query (KuuStore             *store,
           const KuuStatsQuery  *query,
           const char           *sql,
           const char           *statement_id,
           RowFunc               make_row,
           GDestroyNotify        free_row,
           GError              **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = _kuu_store_lock (store);
  int rc;

  /* The counts are brought up to date after saves, not in them. */
  if (!_kuu_store_count_up (store, error))
    {
      _kuu_store_unlock (store);
      return NULL;
    }
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  sqlite3_bind_text (stmt, 1, kuu_audience_to_string (query->audience), -1, SQLITE_STATIC);
  bind_optional (stmt, 2, query->any_topic_kind ? NULL : kuu_topic_kind_to_string (query->topic_kind));
  bind_optional (stmt, 3, query->topic_id);
  bind_optional (stmt, 4, query->unit);
  sqlite3_bind_int64 (stmt, 5, query->since);
  sqlite3_bind_int64 (stmt, 6, query->until);
  if (statement_id != NULL)
    sqlite3_bind_text (stmt, 7, statement_id, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, make_row (stmt, query->audience));
  if (rc != SQLITE_DONE)
    goto failed;

  _kuu_store_unlock (store);
  return g_steal_pointer (&rows);

failed:
  _kuu_store_fail (store, db, rc, "compute figures", error);
  _kuu_store_unlock (store);
  return NULL;
}

/**
 * kuu_stats_nps:
 *
 * Counts promoters, passives and detractors for each group, and the index
 * with its margin, over @query's audience only. Groups without answers
 * are left out. Blocks on the database: call it from a worker thread in
 * the UI.
 *
 * Returns: (transfer full) (element-type KuuStatsRow): the rows, or %NULL
 *   with @error set
 */
GPtrArray *
kuu_stats_nps (KuuStore            *store,
               const KuuStatsQuery *query,
               GError             **error)
{
  g_autofree char *sql = NULL;
  Source source;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  source = choose_source (query);
  sql = source == SOURCE_ANSWERS ? build_answers_sql (query, NPS_MEASURES, "")
                                 : build_counted_sql (query, source, FALSE);
  return run_query (store, query, sql, NULL, row_from_statement,
                    (GDestroyNotify)kuu_stats_row_free, error);
}

/**
 * kuu_stats_scale:
 * @statement_id: the 1–5 statement, e.g. %KUU_STATEMENT_FUNCTIONING with
 *   a personnel query for Kymenlaakso's workplace-functioning target
 *
 * The mean of the answers to @statement_id and the share who answered 4
 * or 5, for each group of @query (its audience only), from the answers
 * given with a recommendation. Groups without answers to it are left
 * out. Blocks like kuu_stats_nps().
 *
 * Returns: (transfer full) (element-type KuuStatsScaleRow): the rows, or
 *   %NULL with @error set
 */
GPtrArray *
kuu_stats_scale (KuuStore            *store,
                 const KuuStatsQuery *query,
                 const char          *statement_id,
                 GError             **error)
{
  g_autofree char *sql = NULL;
  Source source;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (statement_id != NULL, NULL);

  source = choose_source (query);
  sql = source == SOURCE_ANSWERS ? build_answers_sql (query, SCALE_MEASURES, SCALE_JOIN)
                                 : build_counted_sql (query, source, TRUE);
  return run_query (store, query, sql, statement_id, scale_row_from_statement,
                    (GDestroyNotify)kuu_stats_scale_row_free, error);
}

/**
 * kuu_stats_units:
 *
 * The units that have answers in the store, of either audience, sorted:
 * what a results page offers to filter by. Blocks like kuu_stats_nps().
 *
 * Returns: (transfer full): the units, or %NULL with @error set
 */
GStrv
kuu_stats_units (KuuStore  *store,
                 GError   **error)
{
  g_autoptr(GStrvBuilder) units = g_strv_builder_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);

  db = _kuu_store_lock (store);
  if (!_kuu_store_count_up (store, error))
    {
      _kuu_store_unlock (store);
      return NULL;
    }
  /* One seek a unit on the monthly counts' index on units (a count
   * without answers is deleted with them), not a scan of every answer. */
  rc = sqlite3_prepare_v2 (db,
                           "WITH RECURSIVE u (unit) AS ("
                           "  SELECT min (unit) FROM recommendation_months"
                           "  UNION ALL"
                           "  SELECT (SELECT min (t.unit) FROM recommendation_months t WHERE t.unit > u.unit)"
                           "    FROM u WHERE u.unit IS NOT NULL)"
                           " SELECT unit FROM u WHERE unit IS NOT NULL",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_strv_builder_add (units, (const char *)sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _kuu_store_fail (store, db, rc, "list the units", error);
      _kuu_store_unlock (store);
      return NULL;
    }
  _kuu_store_unlock (store);
  return g_strv_builder_end (units);
}

/* The query's strings belong to the caller; the thread gets its own copy. */
typedef struct
{
  KuuStatsQuery  query;
  char          *topic_id;
  char          *unit;
  char          *statement_id;  /* NULL: the index */
} StatsTaskData;

static void
stats_task_data_free (StatsTaskData *data)
{
  g_free (data->topic_id);
  g_free (data->unit);
  g_free (data->statement_id);
  g_free (data);
}

static StatsTaskData *
stats_task_data_new (const KuuStatsQuery *query,
                     const char          *statement_id)
{
  StatsTaskData *data = g_new0 (StatsTaskData, 1);

  data->query = *query;
  data->topic_id = g_strdup (query->topic_id);
  data->unit = g_strdup (query->unit);
  data->statement_id = g_strdup (statement_id);
  data->query.topic_id = data->topic_id;
  data->query.unit = data->unit;
  return data;
}

static void
stats_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  StatsTaskData *data = task_data;
  GError *error = NULL;
  GPtrArray *rows;

  if (data->statement_id != NULL)
    rows = kuu_stats_scale (KUU_STORE (source_object), &data->query, data->statement_id, &error);
  else
    rows = kuu_stats_nps (KUU_STORE (source_object), &data->query, &error);

  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify)g_ptr_array_unref);
}

/**
 * kuu_stats_nps_async:
 *
 * Runs kuu_stats_nps() in a worker thread, so a page can show a result
 * without holding up the main loop while SQLite reads.
 */
void
kuu_stats_nps_async (KuuStore            *store,
                     const KuuStatsQuery *query,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KUU_IS_STORE (store));
  g_return_if_fail (query != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_stats_nps_async);
  g_task_set_task_data (task, stats_task_data_new (query, NULL), (GDestroyNotify)stats_task_data_free);
  g_task_run_in_thread (task, stats_thread);
}

GPtrArray *
kuu_stats_nps_finish (KuuStore      *store,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kuu_stats_nps_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * kuu_stats_scale_async:
 *
 * Runs kuu_stats_scale() in a worker thread.
 */
void
kuu_stats_scale_async (KuuStore            *store,
                       const KuuStatsQuery *query,
                       const char          *statement_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KUU_IS_STORE (store));
  g_return_if_fail (query != NULL);
  g_return_if_fail (statement_id != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_stats_scale_async);
  g_task_set_task_data (task, stats_task_data_new (query, statement_id), (GDestroyNotify)stats_task_data_free);
  g_task_run_in_thread (task, stats_thread);
}

/**
 * kuu_stats_scale_finish:
 *
 * Returns: (transfer full) (element-type KuuStatsScaleRow): the rows, or
 *   %NULL with @error set
 */
GPtrArray *
kuu_stats_scale_finish (KuuStore      *store,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kuu_stats_scale_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
