/* kuu-feedback-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-feedback-list.h"
#include "kuu-i18n-private.h"
#include "kuu-store-private.h"

/* Feedback bodies and non-empty whys of one audience; the id breaks ties
 * between answers saved in the same second, so the newest stays first.
 * Walked newest first on the index by (audience, created_at) (migration
 * 5) and stopped at the limit: a region's store holds a million answers,
 * which a union of every text would read and sort on each refresh. A
 * submission is one kind, so at most one of f and r is there. */
#define LIST_SQL \
  "SELECT s.uuid, s.kind, s.created_at, s.unit, coalesce (f.topic_kind, r.topic_kind)," \
  "       coalesce (f.topic_id, r.topic_id), coalesce (f.body, r.why)," \
  "       h.submission_id IS NOT NULL" \
  "  FROM submissions s" \
  "  LEFT JOIN feedback f ON f.submission_id = s.id" \
  "  LEFT JOIN recommendations r ON r.submission_id = s.id" \
  "  LEFT JOIN feedback_hidden h ON h.submission_id = s.id" \
  " WHERE s.audience = ?1 AND (?2 IS NULL OR s.unit = ?2)" \
  "   AND (f.submission_id IS NOT NULL OR (r.why IS NOT NULL AND trim (r.why) != ''))" \
  " ORDER BY s.created_at DESC, s.id DESC" \
  " LIMIT ?3"

void
kuu_feedback_item_free (KuuFeedbackItem *item)
{
  if (item == NULL)
    return;

  g_free (item->uuid);
  g_free (item->unit);
  g_free (item->topic_kind);
  g_free (item->topic_id);
  g_free (item->text);
  g_free (item);
}

/**
 * kuu_feedback_list:
 * @unit: (nullable): only this unit's; %NULL: every unit's
 * @limit: at most this many; 0: all
 *
 * The feedback texts of @audience, newest first, each saying whether
 * staff have hidden it. Blocks on the database: call it from a worker
 * thread in the UI (kuu_feedback_list_async()).
 *
 * Returns: (transfer full) (element-type KuuFeedbackItem): the texts, or
 *   %NULL with @error set
 */
GPtrArray *
kuu_feedback_list (KuuStore     *store,
                   KuuAudience   audience,
                   const char   *unit,
                   guint         limit,
                   GError      **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);

  items = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_feedback_item_free);
  db = _kuu_store_lock (store);
  rc = sqlite3_prepare_v2 (db, LIST_SQL, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  sqlite3_bind_text (stmt, 1, kuu_audience_to_string (audience), -1, SQLITE_STATIC);
  if (unit != NULL)
    sqlite3_bind_text (stmt, 2, unit, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64)limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KuuFeedbackItem *item = g_new0 (KuuFeedbackItem, 1);

      item->uuid = kuu_sqlite_column_dup (stmt, 0);
      if (!kuu_submission_kind_from_string ((const char *)sqlite3_column_text (stmt, 1), &item->kind))
        item->kind = KUU_SUBMISSION_FEEDBACK;
      item->audience = audience;
      item->created_at = sqlite3_column_int64 (stmt, 2);
      item->unit = kuu_sqlite_column_dup (stmt, 3);
      item->topic_kind = kuu_sqlite_column_dup (stmt, 4);
      item->topic_id = kuu_sqlite_column_dup (stmt, 5);
      item->text = kuu_sqlite_column_dup (stmt, 6);
      item->hidden = sqlite3_column_int (stmt, 7) != 0;
      g_ptr_array_add (items, item);
    }
  if (rc != SQLITE_DONE)
    goto failed;

  _kuu_store_unlock (store);
  return g_steal_pointer (&items);

failed:
  _kuu_store_fail (store, db, rc, "list the feedback", error);
  _kuu_store_unlock (store);
  return NULL;
}

/**
 * kuu_feedback_set_hidden:
 * @uuid: the answer the text belongs to
 * @hidden: %TRUE to hide it from any public display, %FALSE to show it again
 *
 * Marks a feedback text hidden or shown. Doing it twice is harmless.
 * Blocks like kuu_feedback_list().
 *
 * Returns: %TRUE, or %FALSE with @error set (%KUU_STORE_ERROR_NOT_FOUND
 *   when no feedback text has @uuid)
 */
gboolean
kuu_feedback_set_hidden (KuuStore    *store,
                         const char  *uuid,
                         gboolean     hidden,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) change = NULL;
  sqlite3 *db;
  gint64 id;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  db = _kuu_store_lock (store);
  rc = sqlite3_prepare_v2 (db,
                           "SELECT s.id FROM submissions s"
                           " WHERE s.uuid = ?1"
                           "   AND (EXISTS (SELECT 1 FROM feedback f WHERE f.submission_id = s.id)"
                           "        OR EXISTS (SELECT 1 FROM recommendations r"
                           "                    WHERE r.submission_id = s.id AND r.why IS NOT NULL))",
                           -1, &find, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  sqlite3_bind_text (find, 1, uuid, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (find);
  if (rc == SQLITE_DONE)
    {
      _kuu_store_unlock (store);
      g_set_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_NOT_FOUND, _("No record %s in the database."), uuid);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    goto failed;
  id = sqlite3_column_int64 (find, 0);

  rc = sqlite3_prepare_v2 (db,
                           hidden
                           ? "INSERT OR IGNORE INTO feedback_hidden (submission_id, hidden_at) VALUES (?1, ?2)"
                           : "DELETE FROM feedback_hidden WHERE submission_id = ?1",
                           -1, &change, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (change, 1, id);
  if (hidden)
    sqlite3_bind_int64 (change, 2, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (change);
  if (rc != SQLITE_DONE)
    goto failed;

  _kuu_store_unlock (store);
  return TRUE;

failed:
  _kuu_store_fail (store, db, rc, hidden ? "hide a feedback text" : "show a feedback text", error);
  _kuu_store_unlock (store);
  return FALSE;
}

/* --- in a worker thread ---------------------------------------------------- */

typedef struct
{
  KuuAudience  audience;
  char        *unit;
  guint        limit;
  char        *uuid;
  gboolean     hidden;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->unit);
  g_free (data->uuid);
  g_free (data);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  GPtrArray *items = kuu_feedback_list (KUU_STORE (source_object), data->audience,
                                        data->unit, data->limit, &error);

  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify)g_ptr_array_unref);
}

/**
 * kuu_feedback_list_async:
 *
 * Runs kuu_feedback_list() in a worker thread.
 */
void
kuu_feedback_list_async (KuuStore            *store,
                         KuuAudience          audience,
                         const char          *unit,
                         guint                limit,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (KUU_IS_STORE (store));

  data = g_new0 (TaskData, 1);
  data->audience = audience;
  data->unit = g_strdup (unit);
  data->limit = limit;
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_feedback_list_async);
  g_task_set_task_data (task, data, (GDestroyNotify)task_data_free);
  g_task_run_in_thread (task, list_thread);
}

/**
 * kuu_feedback_list_finish:
 *
 * Returns: (transfer full) (element-type KuuFeedbackItem): the texts, or
 *   %NULL with @error set
 */
GPtrArray *
kuu_feedback_list_finish (KuuStore      *store,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kuu_feedback_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_hidden_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  if (kuu_feedback_set_hidden (KUU_STORE (source_object), data->uuid, data->hidden, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * kuu_feedback_set_hidden_async:
 *
 * Runs kuu_feedback_set_hidden() in a worker thread.
 */
void
kuu_feedback_set_hidden_async (KuuStore            *store,
                               const char          *uuid,
                               gboolean             hidden,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (KUU_IS_STORE (store));
  g_return_if_fail (uuid != NULL);

  data = g_new0 (TaskData, 1);
  data->uuid = g_strdup (uuid);
  data->hidden = hidden;
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_feedback_set_hidden_async);
  g_task_set_task_data (task, data, (GDestroyNotify)task_data_free);
  g_task_run_in_thread (task, set_hidden_thread);
}

gboolean
kuu_feedback_set_hidden_finish (KuuStore      *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kuu_feedback_set_hidden_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
