/* kuu-initiatives.c
 *
 * Only initiatives the region has taken up are listed: one received at
 * this kiosk a minute ago is the last person's words, not yet public.
 * Sync fills in the statuses and answers from the region's server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-initiatives.h"
#include "kuu-store-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static const char * const status_names[] = {
  [KUU_INITIATIVE_RECEIVED] = "received",
  [KUU_INITIATIVE_IN_PROGRESS] = "in_progress",
  [KUU_INITIATIVE_ANSWERED] = "answered",
};

gboolean
kuu_initiative_status_from_string (const char          *name,
                                   KuuInitiativeStatus *out_status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    {
      if (g_strcmp0 (name, status_names[i]) == 0)
        {
          *out_status = i;
          return TRUE;
        }
    }
  return FALSE;
}

void
kuu_initiative_free (KuuInitiative *initiative)
{
  if (initiative == NULL)
    return;

  g_free (initiative->uuid);
  g_free (initiative->title);
  g_free (initiative->body);
  g_free (initiative->municipality);
  g_free (initiative->received_on);
  g_free (initiative->answer);
  g_free (initiative);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

/**
 * kuu_initiatives_list_published:
 *
 * The initiatives in progress or answered, newest first. Blocks on the
 * database: call it from a worker thread in the UI.
 *
 * Returns: (transfer full) (element-type KuuInitiative): the list, or
 *   %NULL with @error set
 */
GPtrArray *
kuu_initiatives_list_published (KuuStore  *store,
                                GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_initiative_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);

  db = _kuu_store_lock (store);
  rc = sqlite3_prepare_v2 (db,
                           "SELECT s.uuid, i.title, i.body, i.municipality, i.received_on, i.status, i.answer"
                           "  FROM initiatives i JOIN submissions s ON s.id = i.submission_id"
                           " WHERE i.status IN ('in_progress', 'answered')"
                           " ORDER BY i.received_on DESC, s.id DESC",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KuuInitiative *initiative = g_new0 (KuuInitiative, 1);

      initiative->uuid = column_text (stmt, 0);
      initiative->title = column_text (stmt, 1);
      initiative->body = column_text (stmt, 2);
      initiative->municipality = column_text (stmt, 3);
      initiative->received_on = column_text (stmt, 4);
      kuu_initiative_status_from_string ((const char *)sqlite3_column_text (stmt, 5), &initiative->status);
      initiative->answer = column_text (stmt, 6);
      g_ptr_array_add (list, initiative);
    }
  if (rc != SQLITE_DONE)
    goto failed;

  _kuu_store_unlock (store);
  return g_steal_pointer (&list);

failed:
  _kuu_store_fail (store, db, rc, "list initiatives", error);
  _kuu_store_unlock (store);
  return NULL;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *list = kuu_initiatives_list_published (KUU_STORE (source_object), &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify)g_ptr_array_unref);
}

void
kuu_initiatives_list_published_async (KuuStore            *store,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KUU_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_initiatives_list_published_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
kuu_initiatives_list_published_finish (KuuStore      *store,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
