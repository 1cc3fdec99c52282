/* kuu-server-store-admin.c: what an administrator does to stored data —
 * lists and purges what one device delivered (a stolen kiosk's token),
 * erases one contact, and writes each such action to the audit table
 *
 * A purge and an erasure are one transaction each, their audit row
 * included: the action and its record stand or fall together. An erased
 * contact's row stays, emptied, so that a resend of its record is still
 * the same content (kuu-server-store.c); with secure_delete the old
 * values are overwritten in the file, and a checkpoint afterwards takes
 * them out of the write-ahead log too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-server-store-private.h"

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Call with the mutex held, inside the action's transaction. */
static gboolean
write_audit (KuuServerStore  *self,
             const char      *action,
             const char      *subject,
             const char      *detail,
             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "INSERT INTO audit (at, action, subject, detail) VALUES (?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "write the audit line", error);
  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  sqlite3_bind_text (stmt, 2, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, subject, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, detail, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _kuu_server_store_fail (self, "write the audit line", error);
  return TRUE;
}

/**
 * kuu_server_store_audit:
 * @subject: what the action was about (a device id, a record's UUID)
 * @detail: (nullable): what came of it
 *
 * Adds a line to the audit table, for an action that has no transaction
 * of its own here (enrolment codes, tokens, revocations).
 */
gboolean
kuu_server_store_audit (KuuServerStore  *self,
                        const char      *action,
                        const char      *subject,
                        const char      *detail,
                        GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL && subject != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  return write_audit (self, action, subject, detail, error);
}

static gboolean
device_exists (KuuServerStore  *self,
               const char      *device_id,
               GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT 1 FROM devices WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "look up the device", error);
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return TRUE;
    case SQLITE_DONE:
      g_set_error (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_NOT_FOUND,
                   "No device “%s” was ever enrolled on this server", device_id);
      return FALSE;
    default:
      return _kuu_server_store_fail (self, "look up the device", error);
    }
}

static KuuDeviceRecord *
device_record_from_row (sqlite3_stmt *stmt)
{
  KuuDeviceRecord *record = g_new0 (KuuDeviceRecord, 1);

  record->uuid = kuu_sqlite_column_dup (stmt, 0);
  record->kind = kuu_sqlite_column_dup (stmt, 1);
  record->unit = kuu_sqlite_column_dup (stmt, 2);
  record->created_at = sqlite3_column_int64 (stmt, 3);
  record->received_at = sqlite3_column_int64 (stmt, 4);
  record->status = kuu_sqlite_column_dup (stmt, 5);
  return record;
}

/**
 * kuu_server_store_list_device_records:
 * @since: only records received at or after this, in seconds (0: all)
 *
 * Returns: (transfer full) (element-type KuuDeviceRecord): the records
 *   @device_id delivered, in the order they arrived, or %NULL with
 *   @error set (%KUU_SERVER_STORE_ERROR_NOT_FOUND: no such device)
 */
GPtrArray *
kuu_server_store_list_device_records (KuuServerStore  *self,
                                      const char      *device_id,
                                      gint64           since,
                                      GError         **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_device_record_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), NULL);
  g_return_val_if_fail (device_id != NULL, NULL);

  if (!device_exists (self, device_id, error))
    return NULL;
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT r.uuid, r.kind, r.unit, r.created_at, r.received_at, i.status"
                          " FROM records r LEFT JOIN initiatives i ON i.uuid = r.uuid"
                          " WHERE r.device_id = ? AND r.received_at >= ? ORDER BY r.received_at, r.uuid",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _kuu_server_store_fail (self, "list the device's records", error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, device_record_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _kuu_server_store_fail (self, "list the device's records", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Runs @sql with ?1 the device and ?2 the time; returns how many rows
 * it changed, or -1. */
static int
purge_step (KuuServerStore *self,
            const char     *sql,
            const char     *device_id,
            gint64          since)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return -1;
  return sqlite3_changes (self->db);
}

#define PURGED "(SELECT uuid FROM records WHERE device_id = ?1 AND received_at >= ?2)"

/* An initiative the region took up leaves its change number behind
 * (purged_initiatives): the next change takes a higher one, so that no
 * kiosk's cursor is ever ahead of the sequence. */
static const char * const purge_sql[] = {
  "INSERT INTO purged_initiatives (uuid, region, seq, purged_at)"
  "  SELECT uuid, region, seq, ?3 FROM initiatives WHERE uuid IN " PURGED,
  "DELETE FROM initiatives WHERE uuid IN " PURGED,
  "DELETE FROM contacts WHERE uuid IN " PURGED,
  "DELETE FROM records WHERE device_id = ?1 AND received_at >= ?2",
};

/**
 * kuu_server_store_purge_device:
 * @since: records received at or after this, in seconds
 * @out_records: (out): how many records were removed
 * @out_initiatives: (out): how many of them the region had taken up
 *
 * Removes what @device_id delivered since @since: the records, their
 * contacts, and their initiatives' statuses and answers, and writes an
 * audit line, in one transaction.
 */
gboolean
kuu_server_store_purge_device (KuuServerStore  *self,
                               const char      *device_id,
                               gint64           since,
                               guint           *out_records,
                               guint           *out_initiatives,
                               GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GDateTime) since_time = g_date_time_new_from_unix_utc (since);
  g_autofree char *since_text = since_time ? g_date_time_format_iso8601 (since_time) : g_strdup ("?");
  g_autofree char *detail = NULL;
  int changed[G_N_ELEMENTS (purge_sql)];

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (!_kuu_server_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!device_exists (self, device_id, error))
    goto failed;
  for (guint i = 0; i < G_N_ELEMENTS (purge_sql); i++)
    if ((changed[i] = purge_step (self, purge_sql[i], device_id, since)) < 0)
      {
        _kuu_server_store_fail (self, "purge the device's records", error);
        goto failed;
      }

  detail = g_strdup_printf ("since %s: %d records, %d initiatives taken up",
                            since_text, changed[3], changed[0]);
  if (!write_audit (self, "device purge", device_id, detail, error) ||
      !_kuu_server_store_exec (self, "COMMIT", error))
    goto failed;
  *out_records = changed[3];
  *out_initiatives = changed[0];
  return TRUE;

failed:
  _kuu_server_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

/* Why nothing was erased: no such record, no contact, or erased before. */
static gboolean
explain_no_contact (KuuServerStore  *self,
                    const char      *uuid,
                    GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT c.uuid IS NOT NULL FROM records r LEFT JOIN contacts c ON c.uuid = r.uuid"
                          " WHERE r.uuid = ?", -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "look up the record", error);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_set_error (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_NOT_FOUND,
                 "No record “%s” has been delivered to this server", uuid);
  else if (sqlite3_column_int (stmt, 0))
    g_set_error (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_NOT_FOUND,
                 "The contact of record “%s” was erased already", uuid);
  else
    g_set_error (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_NOT_FOUND,
                 "Record “%s” came without a contact: there is nothing to erase", uuid);
  return FALSE;
}

static gboolean
empty_contact (KuuServerStore  *self,
               const char      *uuid,
               GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "UPDATE contacts SET name = NULL, email = NULL, phone = NULL, erased_at = ?"
                          " WHERE uuid = ? AND erased_at IS NULL", -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "erase the contact", error);
  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _kuu_server_store_fail (self, "erase the contact", error);
  if (sqlite3_changes (self->db) == 0)
    return explain_no_contact (self, uuid, error);
  return TRUE;
}

/* Copies the write-ahead log into the file and empties it: until then
 * the log still holds the page with the contact in it. FALSE when a
 * reader (the running server's report) kept it from finishing. */
static gboolean
checkpoint (KuuServerStore *self)
{
  int log_frames = -1, done_frames = -1;

  return sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                    &log_frames, &done_frames) == SQLITE_OK;
}

/**
 * kuu_server_store_erase_contact:
 * @out_checkpointed: (out): whether the write-ahead log was emptied too
 *
 * Erases the contact that came with record @uuid, keeping the record,
 * and writes an audit line.
 */
gboolean
kuu_server_store_erase_contact (KuuServerStore  *self,
                                const char      *uuid,
                                gboolean        *out_checkpointed,
                                GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (!_kuu_server_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!empty_contact (self, uuid, error) ||
      !write_audit (self, "erase-contact", uuid, NULL, error) ||
      !_kuu_server_store_exec (self, "COMMIT", error))
    {
      _kuu_server_store_exec (self, "ROLLBACK", NULL);
      return FALSE;
    }
  *out_checkpointed = checkpoint (self);
  return TRUE;
}

void
kuu_device_record_free (KuuDeviceRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->uuid);
  g_free (record->kind);
  g_free (record->unit);
  g_free (record->status);
  g_free (record);
}
