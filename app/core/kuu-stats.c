/* kuu-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-stats.h"
#include "kuu-store-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

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

/* The grouping columns are chosen from constants only; every value from
 * outside is bound as a parameter. */
static char *
build_sql (KuuStatsGroup group)
{
  const char *period = "NULL";

  if (group & KUU_STATS_GROUP_MONTH)
    period = "strftime ('%Y-%m', " LOCAL_TIME ")";
  else if (group & KUU_STATS_GROUP_WEEK)
    period = "date (" LOCAL_TIME ", '-6 days', 'weekday 1')";

  return g_strdup_printf (
    "SELECT %s, %s, %s, %s,"
    "       sum (r.score >= 9), sum (r.score BETWEEN 7 AND 8), sum (r.score <= 6)"
    "  FROM recommendations r JOIN submissions s ON s.id = r.submission_id"
    " WHERE s.audience = ?1"
    "   AND (?2 IS NULL OR r.topic_kind = ?2)"
    "   AND (?3 IS NULL OR r.topic_id = ?3)"
    "   AND (?4 IS NULL OR s.unit = ?4)"
    "   AND (?5 = 0 OR s.created_at >= ?5)"
    "   AND (?6 = 0 OR s.created_at < ?6)"
    " GROUP BY 1, 2, 3, 4"
    " ORDER BY 1, 2, 3, 4",
    group & KUU_STATS_GROUP_TOPIC ? "r.topic_kind" : "NULL",
    group & KUU_STATS_GROUP_TOPIC ? "r.topic_id" : "NULL",
    group & KUU_STATS_GROUP_UNIT ? "s.unit" : "NULL",
    period);
}

static KuuStatsRow *
row_from_statement (sqlite3_stmt *stmt)
{
  KuuStatsRow *row = g_new0 (KuuStatsRow, 1);

  row->topic_kind = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  row->topic_id = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  row->unit = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
  row->period = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
  row->counts.promoters = sqlite3_column_int (stmt, 4);
  row->counts.passives = sqlite3_column_int (stmt, 5);
  row->counts.detractors = sqlite3_column_int (stmt, 6);
  kuu_nps_compute (&row->counts, &row->nps);

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

/**
 * kuu_stats_nps:
 *
 * Counts promoters, passives and detractors for each group, and the index
 * with its margin. Groups without answers are left out. Blocks on the
 * database: call it from a worker thread in the UI.
 *
 * Returns: (transfer full) (element-type KuuStatsRow): the rows, or %NULL
 *   with @error set
 */
GPtrArray *
kuu_stats_nps (KuuStore            *store,
               const KuuStatsQuery *query,
               GError             **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_stats_row_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  sql = build_sql (query->group);
  db = _kuu_store_lock (store);

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  sqlite3_bind_text (stmt, 1, kuu_audience_to_string (query->audience), -1, SQLITE_STATIC);
  bind_optional (stmt, 2, query->any_topic_kind ? NULL : kuu_topic_kind_to_string (query->topic_kind));
  bind_optional (stmt, 3, query->topic_id);
  bind_optional (stmt, 4, query->unit);
  sqlite3_bind_int64 (stmt, 5, query->since);
  sqlite3_bind_int64 (stmt, 6, query->until);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_statement (stmt));
  if (rc != SQLITE_DONE)
    goto failed;

  _kuu_store_unlock (store);
  return g_steal_pointer (&rows);

failed:
  _kuu_store_fail (store, db, rc, "compute recommendation index", error);
  _kuu_store_unlock (store);
  return NULL;
}

/* The query's strings belong to the caller; the thread gets its own copy. */
typedef struct
{
  KuuStatsQuery  query;
  char          *topic_id;
  char          *unit;
} StatsTaskData;

static void
stats_task_data_free (StatsTaskData *data)
{
  g_free (data->topic_id);
  g_free (data->unit);
  g_free (data);
}

static void
stats_nps_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  StatsTaskData *data = task_data;
  GError *error = NULL;
  GPtrArray *rows = kuu_stats_nps (KUU_STORE (source_object), &data->query, &error);

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
  StatsTaskData *data;

  g_return_if_fail (KUU_IS_STORE (store));
  g_return_if_fail (query != NULL);

  data = g_new0 (StatsTaskData, 1);
  data->query = *query;
  data->topic_id = g_strdup (query->topic_id);
  data->unit = g_strdup (query->unit);
  data->query.topic_id = data->topic_id;
  data->query.unit = data->unit;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_stats_nps_async);
  g_task_set_task_data (task, data, (GDestroyNotify)stats_task_data_free);
  g_task_run_in_thread (task, stats_nps_thread);
}

GPtrArray *
kuu_stats_nps_finish (KuuStore      *store,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
