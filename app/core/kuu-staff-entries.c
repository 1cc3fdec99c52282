/* kuu-staff-entries.c
 *
 * Initiatives that came on paper or by e-mail are typed in by staff. Until
 * the server has one, it is this device's to correct: it is changed in
 * place, keeping its uuid (the server never saw it, so it is still the one
 * initiative), or deleted. Never while the sync is sending it
 * (kuu_outbox_is_in_flight(): checked under the store's lock, under which
 * a batch is handed out), and never once it is sent: then the region's
 * server is where it changes. Each change is one transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-i18n-private.h"
#include "kuu-outbox.h"
#include "kuu-staff-entries.h"
#include "kuu-store-private.h"

G_DEFINE_QUARK (kuu-staff-entries-error-quark, kuu_staff_entries_error)
G_DEFINE_BOXED_TYPE (KuuStaffEntry, kuu_staff_entry, kuu_staff_entry_copy, kuu_staff_entry_free)
KuuStaffEntry *
kuu_staff_entry_copy (const KuuStaffEntry *entry)
{
  KuuStaffEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_new0 (KuuStaffEntry, 1);
  copy->submission = kuu_submission_copy (entry->submission);
  copy->state = entry->state;
  copy->synced_at = entry->synced_at;
  copy->rejected_reason = g_strdup (entry->rejected_reason);
  return copy;
}

void
kuu_staff_entry_free (KuuStaffEntry *entry)
{
  if (entry == NULL)
    return;

  g_clear_pointer (&entry->submission, kuu_submission_free);
  g_free (entry->rejected_reason);
  g_free (entry);
}

/* Only these are entered by staff: the kiosk's own are the residents'. */
gboolean
kuu_staff_entries_is_staff_channel (KuuChannel channel)
{
  return channel == KUU_CHANNEL_PAPER || channel == KUU_CHANNEL_EMAIL;
}

/* --- listing -------------------------------------------------------------- */

#define SELECT_ENTRIES \
  "SELECT s.uuid, s.created_at, s.region, s.unit, s.language, s.synced_at, s.rejected_reason," \
  "       i.title, i.body, i.municipality, i.channel, i.received_on, i.signatories," \
  "       c.name, c.email, c.phone" \
  "  FROM submissions s" \
  "  JOIN initiatives i ON i.submission_id = s.id" \
  "  LEFT JOIN contacts c ON c.submission_id = s.id" \
  " WHERE i.channel IN ('paper', 'email')" \
  " ORDER BY s.id DESC"

static const char *
column (sqlite3_stmt *stmt,
        int           index)
{
  return (const char *)sqlite3_column_text (stmt, index);
}

static KuuStaffEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  KuuStaffEntry *entry = g_new0 (KuuStaffEntry, 1);
  KuuSubmission *submission;

  submission = kuu_submission_new_initiative (column (stmt, 7), column (stmt, 8), column (stmt, 9),
                                              KUU_CHANNEL_PAPER);
  g_free (submission->uuid);
  submission->uuid = g_strdup (column (stmt, 0));
  submission->created_at = sqlite3_column_int64 (stmt, 1);
  submission->region = g_strdup (column (stmt, 2));
  submission->unit = g_strdup (column (stmt, 3));
  kuu_language_from_code (column (stmt, 4), &submission->language);
  kuu_channel_from_string (column (stmt, 10), &submission->channel);
  g_free (submission->received_on);
  submission->received_on = g_strdup (column (stmt, 11));
  submission->signatories = sqlite3_column_int (stmt, 12);
  kuu_submission_set_contact (submission, column (stmt, 13), column (stmt, 14), column (stmt, 15));

  entry->submission = submission;
  if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
    {
      entry->state = KUU_STAFF_ENTRY_REJECTED;
      entry->rejected_reason = g_strdup (column (stmt, 6));
    }
  else if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
    {
      entry->state = KUU_STAFF_ENTRY_SENT;
      entry->synced_at = sqlite3_column_int64 (stmt, 5);
    }
  else
    entry->state = KUU_STAFF_ENTRY_WAITING;

  return entry;
}

/**
 * kuu_staff_entries_list:
 *
 * The initiatives entered by staff on this device (paper and e-mail),
 * the most recently entered first, each with its state. A sent one has
 * no contact any more: the server holds it. Blocks on the database.
 *
 * Returns: (transfer full) (element-type KuuStaffEntry): the list, or
 *   %NULL with @error set
 */
GPtrArray *
kuu_staff_entries_list (KuuStore  *store,
                        GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_staff_entry_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);

  db = _kuu_store_lock (store);
  rc = sqlite3_prepare_v2 (db, SELECT_ENTRIES, -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (list, entry_from_row (stmt));
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE)
    {
      _kuu_store_fail (store, db, rc, "list the initiatives entered by staff", error);
      g_clear_pointer (&list, g_ptr_array_unref);
    }
  _kuu_store_unlock (store);

  return g_steal_pointer (&list);
}

/* --- changing ------------------------------------------------------------- */

/* Call with the store locked and a transaction open. Returns: the
 * record's row id, or 0 with @error set when it may not be changed. */
static gint64
changeable_id (KuuStore    *store,
               sqlite3     *db,
               const char  *uuid,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  KuuChannel channel = KUU_CHANNEL_KIOSK;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT s.id, s.synced_at, s.rejected_reason, i.channel FROM submissions s"
                           "  LEFT JOIN initiatives i ON i.submission_id = s.id WHERE s.uuid = ?",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_NOT_FOUND,
                   _("This initiative is no longer on this device."));
      return 0;
    }
  if (rc != SQLITE_ROW)
    {
      _kuu_store_fail (store, db, rc, "read the initiative", error);
      return 0;
    }

  if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
    kuu_channel_from_string (column (stmt, 3), &channel);
  if (!kuu_staff_entries_is_staff_channel (channel))
    g_set_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_NOT_STAFF,
                 _("Only initiatives entered by staff from paper or e-mail can be changed here."));
  else if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    g_set_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_SENT,
                 _("This initiative has already been sent to the region’s server. "
                   "Changes are made on the server."));
  else if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
    g_set_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_REJECTED,
                 _("The region’s server refused this initiative. It is kept as it was, "
                   "for the region’s IT to see."));
  else if (kuu_outbox_is_in_flight (store, uuid))
    g_set_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_IN_FLIGHT,
                 _("This initiative is being sent to the server right now. Try again in a moment."));
  else
    return sqlite3_column_int64 (stmt, 0);
  return 0;
}

static int
update_initiative (sqlite3             *db,
                   const KuuSubmission *submission,
                   gint64               id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "UPDATE initiatives SET title = ?, body = ?, municipality = ?, channel = ?,"
                           " received_on = ?, signatories = ? WHERE submission_id = ?",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_text (stmt, 1, submission->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, submission->text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, submission->municipality, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, kuu_channel_to_string (submission->channel), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, submission->received_on, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, submission->signatories);
  sqlite3_bind_int64 (stmt, 7, id);
  rc = sqlite3_step (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void
bind_or_null (sqlite3_stmt *stmt,
              int           index,
              const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static int
replace_contact (sqlite3             *db,
                 const KuuSubmission *submission,
                 gint64               id)
{
  g_autoptr(sqlite3_stmt) erase = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "DELETE FROM contacts WHERE submission_id = ?", -1, &erase, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_int64 (erase, 1, id);
  if ((rc = sqlite3_step (erase)) != SQLITE_DONE)
    return rc;
  if (!kuu_submission_has_contact (submission))
    return SQLITE_OK;

  rc = sqlite3_prepare_v2 (db, "INSERT INTO contacts (submission_id, name, email, phone) VALUES (?, ?, ?, ?)",
                           -1, &insert, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_int64 (insert, 1, id);
  bind_or_null (insert, 2, submission->contact_name);
  bind_or_null (insert, 3, submission->contact_email);
  bind_or_null (insert, 4, submission->contact_phone);
  rc = sqlite3_step (insert);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int
delete_record (sqlite3 *db,
               gint64   id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  /* The initiative and its contact go with it (ON DELETE CASCADE). */
  rc = sqlite3_prepare_v2 (db, "DELETE FROM submissions WHERE id = ?", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

typedef enum
{
  CHANGE_REPLACE,
  CHANGE_DELETE,
} Change;

/* One transaction: the check that the record may change, and the change. */
static gboolean
change (KuuStore             *store,
        Change                what,
        const char           *uuid,
        const KuuSubmission  *submission,
        GError              **error)
{
  sqlite3 *db = _kuu_store_lock (store);
  gint64 id = 0;
  int rc;

  rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc == SQLITE_OK && (id = changeable_id (store, db, uuid, error)) == 0)
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      _kuu_store_unlock (store);
      return FALSE;
    }
  if (rc == SQLITE_OK && what == CHANGE_REPLACE)
    rc = update_initiative (db, submission, id);
  if (rc == SQLITE_OK && what == CHANGE_REPLACE)
    rc = replace_contact (db, submission, id);
  if (rc == SQLITE_OK && what == CHANGE_DELETE)
    rc = delete_record (db, id);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _kuu_store_fail (store, db, rc, what == CHANGE_DELETE ? "delete the initiative" : "change the initiative",
                       error);
      if (!sqlite3_get_autocommit (db))
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }
  _kuu_store_unlock (store);

  return rc == SQLITE_OK;
}

/**
 * kuu_staff_entries_replace:
 * @submission: the corrected initiative, with the uuid of the one it
 *   replaces
 *
 * Puts the corrected text, municipality, channel, date received,
 * signatories and contact in place of what was stored, keeping the uuid
 * and the time it was entered. Refused (%KUU_STAFF_ENTRIES_ERROR) for a
 * record being sent, sent, refused by the server, or not entered by
 * staff. Blocks on the disk.
 */
gboolean
kuu_staff_entries_replace (KuuStore             *store,
                           const KuuSubmission  *submission,
                           GError              **error)
{
  g_autoptr(GError) invalid = NULL;

  g_return_val_if_fail (KUU_IS_STORE (store), FALSE);
  g_return_val_if_fail (submission != NULL && submission->uuid != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (submission->kind != KUU_SUBMISSION_INITIATIVE || !kuu_staff_entries_is_staff_channel (submission->channel))
    {
      g_set_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_NOT_STAFF,
                   _("Only initiatives entered by staff from paper or e-mail can be changed here."));
      return FALSE;
    }
  if (!kuu_submission_validate (submission, &invalid))
    {
      g_set_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID, "%s", invalid->message);
      return FALSE;
    }
  return change (store, CHANGE_REPLACE, submission->uuid, submission, error);
}

/**
 * kuu_staff_entries_delete:
 *
 * Deletes an initiative entered by staff that is still waiting to be
 * sent, with its contact; refused as kuu_staff_entries_replace() is.
 * Blocks on the disk.
 */
gboolean
kuu_staff_entries_delete (KuuStore    *store,
                          const char  *uuid,
                          GError     **error)
{
  g_return_val_if_fail (KUU_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return change (store, CHANGE_DELETE, uuid, NULL, error);
}

/* --- in a worker thread --------------------------------------------------- */

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *list = kuu_staff_entries_list (source_object, &error);

  if (list != NULL)
    g_task_return_pointer (task, list, (GDestroyNotify)g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
kuu_staff_entries_list_async (KuuStore            *store,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KUU_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_staff_entries_list_async);
  g_task_run_in_thread (task, list_thread);
}

/**
 * kuu_staff_entries_list_finish:
 *
 * Returns: (transfer full) (element-type KuuStaffEntry): the list, or
 *   %NULL with @error set
 */
GPtrArray *
kuu_staff_entries_list_finish (KuuStore      *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kuu_staff_entries_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
replace_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (kuu_staff_entries_replace (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Once started, the change is made even if the caller gives up. */
void
kuu_staff_entries_replace_async (KuuStore            *store,
                                 const KuuSubmission *submission,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KUU_IS_STORE (store));
  g_return_if_fail (submission != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_staff_entries_replace_async);
  g_task_set_task_data (task, kuu_submission_copy (submission), (GDestroyNotify)kuu_submission_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, replace_thread);
}

gboolean
kuu_staff_entries_replace_finish (KuuStore      *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kuu_staff_entries_replace_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (kuu_staff_entries_delete (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
kuu_staff_entries_delete_async (KuuStore            *store,
                                const char          *uuid,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KUU_IS_STORE (store));
  g_return_if_fail (uuid != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_staff_entries_delete_async);
  g_task_set_task_data (task, g_strdup (uuid), g_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, delete_thread);
}

gboolean
kuu_staff_entries_delete_finish (KuuStore      *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kuu_staff_entries_delete_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
