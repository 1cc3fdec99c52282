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
#include "kuu-wire.h"

/* The uuids handed out by kuu_outbox_next_batch and not yet settled or
 * released, kept by the store (_kuu_store_in_flight_add()). Staff may
 * edit or delete a record that is waiting, but never one the sync is
 * sending. */
static void
in_flight_remove_results (KuuStore  *store,
                          GPtrArray *results)
{
  for (guint i = 0; i < results->len; i++)
    _kuu_store_in_flight_remove (store, ((KuuDeliveryResult *)g_ptr_array_index (results, i))->uuid);
}

void
kuu_delivery_result_free (KuuDeliveryResult *result)
{
  if (result == NULL)
    return;

  g_free (result->uuid);
  g_free (result->reason);
  g_free (result);
}

/**
 * kuu_outbox_next_batch:
 *
 * Blocks on the database: call it from a worker thread in the UI.
 *
 * The records handed out are in flight (kuu_outbox_is_in_flight()) until
 * kuu_outbox_settle() records the server's answer for them, or
 * kuu_outbox_release() gives them back after a failed send: staff cannot
 * edit or delete them meanwhile.
 *
 * Returns: (transfer full) (element-type KuuSubmission): up to @limit
 *   records to deliver, oldest first, contacts included
 */
GPtrArray *
kuu_outbox_next_batch (KuuStore  *store,
                       guint      limit,
                       GError   **error)
{
  GPtrArray *records;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);

  _kuu_store_lock (store);
  records = _kuu_store_read_waiting (store, limit, error);
  /* Still under the store's lock: no edit can slip in between reading
   * a record as waiting and marking it as being sent. */
  if (records != NULL)
    {
      g_autoptr(GPtrArray) uuids = g_ptr_array_sized_new (records->len);

      for (guint i = 0; i < records->len; i++)
        g_ptr_array_add (uuids, ((KuuSubmission *)g_ptr_array_index (records, i))->uuid);
      _kuu_store_in_flight_add (store, uuids);
    }
  _kuu_store_unlock (store);

  return records;
}

/**
 * kuu_outbox_release:
 * @uuids: (element-type utf8): the records of a batch whose send failed
 *
 * The records are no longer in flight: staff may edit or delete them
 * again, and the next batch sends them (or their edited version). Does
 * not touch the disk.
 */
void
kuu_outbox_release (KuuStore  *store,
                    GPtrArray *uuids)
{
  g_return_if_fail (KUU_IS_STORE (store));
  g_return_if_fail (uuids != NULL);

  for (guint i = 0; i < uuids->len; i++)
    _kuu_store_in_flight_remove (store, g_ptr_array_index (uuids, i));
}

/**
 * kuu_outbox_is_in_flight:
 *
 * Whether the record @uuid is in a batch being sent. The answer holds for
 * as long as the caller holds the store's lock (_kuu_store_lock()): a
 * batch is only handed out under it.
 */
gboolean
kuu_outbox_is_in_flight (KuuStore   *store,
                         const char *uuid)
{
  g_return_val_if_fail (KUU_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  return _kuu_store_is_in_flight (store, uuid);
}

/* Statement by statement, a batch of 500 was 1 000 statements (one to
 * mark each record, one to erase each one's contact, each finding the
 * record by its uuid again): the delivered ones now go in one UPDATE
 * and one DELETE over the batch's uuids, passed as a JSON array
 * (SQLite's json_each). Only a record still waiting is marked, and only
 * the contacts of those just marked are erased: an answer for one
 * settled before (a repeated or confused answer) changes nothing. */
#define MARK_SYNCED \
  "UPDATE submissions SET synced_at = ?1" \
  " WHERE uuid IN (SELECT value FROM json_each (?2)) AND synced_at IS NULL AND rejected_reason IS NULL"
#define ERASE_CONTACTS \
  "DELETE FROM contacts WHERE submission_id IN" \
  " (SELECT id FROM submissions WHERE synced_at = ?1 AND uuid IN (SELECT value FROM json_each (?2)))"
#define MARK_REJECTED \
  "UPDATE submissions SET rejected_reason = ?1" \
  " WHERE uuid = ?2 AND synced_at IS NULL AND rejected_reason IS NULL"

/* @stmt's SQL with @now and @uuids (a JSON array) bound, run once. */
static int
run_over_uuids (sqlite3    *db,
                const char *sql,
                gint64      now,
                GString    *uuids)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, uuids->str, uuids->len, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int
mark_rejected (sqlite3   *db,
               GPtrArray *results)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = SQLITE_OK;

  for (guint i = 0; rc == SQLITE_OK && i < results->len; i++)
    {
      const KuuDeliveryResult *result = g_ptr_array_index (results, i);

      if (result->delivery != KUU_DELIVERY_REJECTED)
        continue;
      if (stmt == NULL && (rc = sqlite3_prepare_v2 (db, MARK_REJECTED, -1, &stmt, NULL)) != SQLITE_OK)
        break;
      sqlite3_bind_text (stmt, 1, result->reason != NULL ? result->reason : "rejected", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, result->uuid, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  return rc;
}

/**
 * kuu_outbox_settle:
 * @results: (element-type KuuDeliveryResult): the server's answers
 *
 * Records what the server said, all in one transaction. The records
 * answered for are no longer in flight, whether or not the transaction
 * commits (when it fails, they are waiting again).
 */
gboolean
kuu_outbox_settle (KuuStore   *store,
                   GPtrArray  *results,
                   GError    **error)
{
  g_autoptr(GString) delivered = g_string_sized_new (40 * results->len + 2);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), FALSE);

  g_string_append_c (delivered, '[');
  for (guint i = 0; i < results->len; i++)
    {
      const KuuDeliveryResult *result = g_ptr_array_index (results, i);

      if (result->delivery == KUU_DELIVERY_REJECTED)
        continue;
      if (delivered->len > 1)
        g_string_append_c (delivered, ',');
      /* The uuids are the batch's own (kuu-sync checks them): UTF-8. */
      kuu_wire_append_string (delivered, result->uuid);
    }
  g_string_append_c (delivered, ']');

  db = _kuu_store_lock (store);
  rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = mark_rejected (db, results);
  if (rc == SQLITE_OK && delivered->len > 2)
    rc = run_over_uuids (db, MARK_SYNCED, now, delivered);
  /* The server has the contacts now: the kiosk keeps none of them. */
  if (rc == SQLITE_OK && delivered->len > 2)
    rc = run_over_uuids (db, ERASE_CONTACTS, now, delivered);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _kuu_store_fail (store, db, rc, "record what the server said", error);
      if (!sqlite3_get_autocommit (db))
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }
  in_flight_remove_results (store, results);
  _kuu_store_unlock (store);

  return rc == SQLITE_OK;
}

/**
 * kuu_outbox_list_rejected:
 *
 * The records the server refused, oldest first, with its reason, for
 * staff to see. Blocks on the database.
 *
 * Returns: (transfer full) (element-type KuuDeliveryResult): the list, or
 *   %NULL with @error set
 */
GPtrArray *
kuu_outbox_list_rejected (KuuStore  *store,
                          GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_delivery_result_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);

  db = _kuu_store_lock (store);
  rc = sqlite3_prepare_v2 (db,
                           "SELECT uuid, rejected_reason FROM submissions"
                           " WHERE rejected_reason IS NOT NULL ORDER BY id",
                           -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KuuDeliveryResult *result = g_new0 (KuuDeliveryResult, 1);

      result->uuid = kuu_sqlite_column_dup (stmt, 0);
      result->delivery = KUU_DELIVERY_REJECTED;
      result->reason = kuu_sqlite_column_dup (stmt, 1);
      g_ptr_array_add (list, result);
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE)
    {
      _kuu_store_fail (store, db, rc, "list the refused records", error);
      g_clear_pointer (&list, g_ptr_array_unref);
    }
  _kuu_store_unlock (store);

  return g_steal_pointer (&list);
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
