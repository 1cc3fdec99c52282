/* kuu-outbox.c
 *
 * A record leaves the outbox only when the server has answered for it:
 * accepted or duplicate marks it synced (and erases its contact, which the
 * server now holds); rejected keeps it, with the reason, for staff to see,
 * and it is not sent again. Oldest first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-outbox.h"
#include "kuu-store-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

void
kuu_delivery_result_free (KuuDeliveryResult *result)
{
  if (result == NULL)
    return;

  g_free (result->uuid);
  g_free (result->reason);
  g_free (result);
}

static GPtrArray *
pending_uuids (KuuStore  *store,
               guint      limit,
               GError   **error)
{
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = _kuu_store_lock (store);
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT uuid FROM submissions"
                           " WHERE synced_at IS NULL AND rejected_reason IS NULL"
                           " ORDER BY id LIMIT ?",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, limit);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (uuids, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
    }
  if (rc != SQLITE_DONE)
    {
      _kuu_store_fail (store, db, rc, "read the outbox", error);
      g_clear_pointer (&uuids, g_ptr_array_unref);
    }
  _kuu_store_unlock (store);

  return g_steal_pointer (&uuids);
}

/**
 * kuu_outbox_next_batch:
 *
 * Blocks on the database: call it from a worker thread in the UI.
 *
 * Returns: (transfer full) (element-type KuuSubmission): up to @limit
 *   records to deliver, oldest first, contacts included
 */
GPtrArray *
kuu_outbox_next_batch (KuuStore  *store,
                       guint      limit,
                       GError   **error)
{
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_submission_free);

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);

  if (!(uuids = pending_uuids (store, limit, error)))
    return NULL;

  for (guint i = 0; i < uuids->len; i++)
    {
      KuuSubmission *submission = kuu_store_get (store, g_ptr_array_index (uuids, i), error);

      if (submission == NULL)
        return NULL;
      g_ptr_array_add (batch, submission);
    }
  return g_steal_pointer (&batch);
}

static int
settle_one (sqlite3                 *db,
            const KuuDeliveryResult *result,
            gint64                   now)
{
  g_autoptr(sqlite3_stmt) mark = NULL;
  g_autoptr(sqlite3_stmt) erase = NULL;
  int rc;

  if (result->delivery == KUU_DELIVERY_REJECTED)
    {
      rc = sqlite3_prepare_v2 (db, "UPDATE submissions SET rejected_reason = ? WHERE uuid = ?", -1, &mark, NULL);
      if (rc != SQLITE_OK)
        return rc;
      sqlite3_bind_text (mark, 1, result->reason != NULL ? result->reason : "rejected", -1, SQLITE_STATIC);
      sqlite3_bind_text (mark, 2, result->uuid, -1, SQLITE_STATIC);
      rc = sqlite3_step (mark);
      return rc == SQLITE_DONE ? SQLITE_OK : rc;
    }

  rc = sqlite3_prepare_v2 (db, "UPDATE submissions SET synced_at = ? WHERE uuid = ?", -1, &mark, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_int64 (mark, 1, now);
  sqlite3_bind_text (mark, 2, result->uuid, -1, SQLITE_STATIC);
  if ((rc = sqlite3_step (mark)) != SQLITE_DONE)
    return rc;

  /* The server has the contact now: the kiosk keeps none of it. */
  rc = sqlite3_prepare_v2 (db,
                           "DELETE FROM contacts WHERE submission_id = (SELECT id FROM submissions WHERE uuid = ?)",
                           -1, &erase, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_text (erase, 1, result->uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (erase);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/**
 * kuu_outbox_settle:
 * @results: (element-type KuuDeliveryResult): the server's answers
 *
 * Records what the server said, all in one transaction.
 */
gboolean
kuu_outbox_settle (KuuStore   *store,
                   GPtrArray  *results,
                   GError    **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), FALSE);

  db = _kuu_store_lock (store);
  rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < results->len; i++)
    rc = settle_one (db, g_ptr_array_index (results, i), now);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _kuu_store_fail (store, db, rc, "record what the server said", error);
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }
  _kuu_store_unlock (store);

  return rc == SQLITE_OK;
}

static gint64
count_where (KuuStore    *store,
             const char  *sql,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = _kuu_store_lock (store);
  gint64 count = -1;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    _kuu_store_fail (store, db, rc, "count the outbox", error);
  _kuu_store_unlock (store);

  return count;
}

/* Returns: the records waiting to be delivered, or -1 with @error set */
gint64
kuu_outbox_count_pending (KuuStore  *store,
                          GError   **error)
{
  return count_where (store,
                      "SELECT count(*) FROM submissions WHERE synced_at IS NULL AND rejected_reason IS NULL",
                      error);
}

/* Returns: the records the server refused, kept for staff; -1 on error */
gint64
kuu_outbox_count_rejected (KuuStore  *store,
                           GError   **error)
{
  return count_where (store, "SELECT count(*) FROM submissions WHERE rejected_reason IS NOT NULL", error);
}
