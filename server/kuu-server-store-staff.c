/* kuu-server-store-staff.c: staff accounts, their sign-in codes and
 * tokens, and the audit log, in SQLite
 *
 * A staff member is one person scoped to one region. IT makes the
 * account and gets a one-time code (as strong as a device's enrolment
 * code, and as short-lived); the code becomes a token at sign-in. Codes
 * and tokens are kept only as BLAKE2b hashes. A token signed out, or of
 * a revoked account, stays in its table with revoked_at set, so that the
 * server can tell the desk "revoked" rather than "unknown": the desk
 * then says to ask IT for a new code instead of to check the address.
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

static gint64
column_time (sqlite3_stmt *stmt,
             int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, column);
}

/* Call with the mutex held. */
static gboolean
add_code (KuuServerStore  *self,
          const char      *staff_id,
          const char      *code,
          GTimeSpan        valid_for,
          GError         **error)
{
  g_autofree char *normal = _kuu_server_store_normalize_code (code);
  g_autofree char *hash = _kuu_server_store_hash_secret (normal);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "INSERT INTO staff_codes (code_hash, staff_id, expires_at) VALUES (?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "add a sign-in code", error);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, staff_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_seconds () + valid_for / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _kuu_server_store_fail (self, "add a sign-in code", error);
  return TRUE;
}

static gboolean
insert_staff (KuuServerStore  *self,
              const char      *id,
              const char      *region,
              const char      *name,
              KuuRole          role,
              GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO staff (id, region, name, role, created_at) VALUES (?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "add a staff member", error);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, region, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, kuu_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now_seconds ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _kuu_server_store_fail (self, "add a staff member", error);
  return TRUE;
}

/**
 * kuu_server_store_add_staff:
 * @out_id: (out): the staff member's id, for revoking the account
 *
 * Returns: (transfer full): the one-time sign-in code, shown once
 */
static char *
kuu_server_store_add_staff (KuuServerStore  *self,
                            const char      *region,
                            const char      *name,
                            KuuRole          role,
                            GTimeSpan        valid_for,
                            char           **out_id,
                            GError         **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *code = _kuu_server_store_new_code ();
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  if (!_kuu_server_store_exec (self, "BEGIN IMMEDIATE", error))
    return NULL;
  if (!insert_staff (self, id, region, name, role, error) ||
      !add_code (self, id, code, valid_for, error) ||
      !_kuu_server_store_exec (self, "COMMIT", error))
    {
      _kuu_server_store_exec (self, "ROLLBACK", NULL);
      return NULL;
    }
  *out_id = g_steal_pointer (&id);
  return g_steal_pointer (&code);
}

static KuuStaff *
staff_from_row (sqlite3_stmt *stmt)
{
  KuuStaff *staff = g_new0 (KuuStaff, 1);

  staff->id = kuu_sqlite_column_dup (stmt, 0);
  staff->name = kuu_sqlite_column_dup (stmt, 1);
  if (!kuu_staff_role_from_string ((const char *)sqlite3_column_text (stmt, 2), &staff->role))
    staff->role = KUU_ROLE_VIEWER;
  staff->region = kuu_sqlite_column_dup (stmt, 3);
  staff->created_at = column_time (stmt, 4);
  staff->last_sign_in_at = column_time (stmt, 5);
  staff->revoked_at = column_time (stmt, 6);
  return staff;
}

#define STAFF_COLUMNS "s.id, s.name, s.role, s.region, s.created_at, s.last_sign_in_at, s.revoked_at"

static GPtrArray *
kuu_server_store_list_staff (KuuServerStore  *self,
                             const char      *region,
                             GError         **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_staff_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT " STAFF_COLUMNS " FROM staff s WHERE ?1 IS NULL OR s.region = ?1"
                          " ORDER BY s.region, s.name, s.created_at",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _kuu_server_store_fail (self, "list the staff", error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, region, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, staff_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _kuu_server_store_fail (self, "list the staff", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gboolean
run_with_id (KuuServerStore  *self,
             const char      *sql,
             const char      *id,
             gint64           now,
             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "revoke", error);
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _kuu_server_store_fail (self, "revoke", error);
  return TRUE;
}

/* The account, its tokens and its unused codes, in one transaction: a
 * revoked person is signed out everywhere at once. */
static gboolean
kuu_server_store_revoke_staff (KuuServerStore  *self,
                               const char      *id,
                               GError         **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  gint64 now = now_seconds ();

  if (!_kuu_server_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!run_with_id (self, "UPDATE staff SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL", id, now, error))
    goto failed;
  if (sqlite3_changes (self->db) == 0)
    {
      _kuu_server_store_exec (self, "ROLLBACK", NULL);
      g_set_error (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_NOT_FOUND,
                   "No staff member “%s” that is not revoked already", id);
      return FALSE;
    }
  if (!run_with_id (self, "UPDATE staff_tokens SET revoked_at = ?1 WHERE staff_id = ?2 AND revoked_at IS NULL",
                    id, now, error) ||
      !run_with_id (self, "UPDATE staff_codes SET used_at = ?1 WHERE staff_id = ?2 AND used_at IS NULL",
                    id, now, error) ||
      !_kuu_server_store_exec (self, "COMMIT", error))
    goto failed;
  return TRUE;

failed:
  _kuu_server_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

/* Claiming the code and reading whose it is is one step: two desks with
 * the same code cannot both sign in. A revoked account's code is dead. */
static char *
claim_code (KuuServerStore *self,
            const char     *code,
            gint64          now)
{
  g_autofree char *normal = _kuu_server_store_normalize_code (code);
  g_autofree char *hash = _kuu_server_store_hash_secret (normal);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "UPDATE staff_codes SET used_at = ?1"
                          " WHERE code_hash = ?2 AND used_at IS NULL AND expires_at > ?1"
                          "   AND staff_id IN (SELECT id FROM staff WHERE revoked_at IS NULL)"
                          " RETURNING staff_id",
                          -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return kuu_sqlite_column_dup (stmt, 0);
}

static gboolean
add_token (KuuServerStore  *self,
           const char      *staff_id,
           const char      *token,
           gint64           now,
           GError         **error)
{
  g_autofree char *hash = _kuu_server_store_hash_secret (token);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "INSERT INTO staff_tokens (token_hash, staff_id, created_at) VALUES (?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "sign in", error);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, staff_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _kuu_server_store_fail (self, "sign in", error);
  return run_with_id (self, "UPDATE staff SET last_sign_in_at = ?1 WHERE id = ?2", staff_id, now, error);
}

static KuuStaff *
find_staff (KuuServerStore *self,
            const char     *id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT " STAFF_COLUMNS " FROM staff s WHERE s.id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return staff_from_row (stmt);
}

/**
 * kuu_server_store_sign_in_staff:
 *
 * Uses up @code and gives its staff member a new token. A wrong, used
 * or expired code are one error, KUU_SERVER_STORE_ERROR_CODE_USED: the
 * answer tells a guesser nothing.
 */
static KuuStaff *
kuu_server_store_sign_in_staff (KuuServerStore  *self,
                                const char      *code,
                                char           **out_token,
                                GError         **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autofree char *token = _kuu_server_store_new_token ();
  g_autofree char *staff_id = NULL;
  g_autoptr(KuuStaff) staff = NULL;
  gint64 now = now_seconds ();

  if (!_kuu_server_store_exec (self, "BEGIN IMMEDIATE", error))
    return NULL;
  if (!(staff_id = claim_code (self, code, now)))
    {
      _kuu_server_store_exec (self, "ROLLBACK", NULL);
      g_set_error_literal (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_CODE_USED,
                           "The sign-in code is wrong, used or expired");
      return NULL;
    }
  if (!add_token (self, staff_id, token, now, error) ||
      !(staff = find_staff (self, staff_id)) ||
      !_kuu_server_store_exec (self, "COMMIT", error))
    {
      if (error != NULL && *error == NULL)
        _kuu_server_store_fail (self, "sign in", error);
      _kuu_server_store_exec (self, "ROLLBACK", NULL);
      return NULL;
    }
  *out_token = g_steal_pointer (&token);
  return g_steal_pointer (&staff);
}

static gboolean
kuu_server_store_sign_out_staff (KuuServerStore  *self,
                                 const char      *token,
                                 GError         **error)
{
  g_autofree char *hash = _kuu_server_store_hash_secret (token);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  return run_with_id (self, "UPDATE staff_tokens SET revoked_at = ?1 WHERE token_hash = ?2 AND revoked_at IS NULL",
                      hash, now_seconds (), error);
}

/* A staff token known but no longer valid: signed out, or its account
 * revoked. */
static gboolean
kuu_server_store_token_is_revoked (KuuServerStore *self,
                                   const char     *token)
{
  g_autofree char *hash = _kuu_server_store_hash_secret (token);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT 1 FROM staff_tokens t JOIN staff s ON s.id = t.staff_id"
                          " WHERE t.token_hash = ? AND (t.revoked_at IS NOT NULL OR s.revoked_at IS NOT NULL)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

KuuPrincipal *
_kuu_server_store_find_staff_token (KuuServerStore *self,
                                    const char     *hash)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  KuuRole role;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT s.id, s.role, s.region, s.name FROM staff_tokens t JOIN staff s ON s.id = t.staff_id"
                          " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND s.revoked_at IS NULL",
                          -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW ||
      !kuu_staff_role_from_string ((const char *)sqlite3_column_text (stmt, 1), &role))
    return NULL;

  return g_memdup2 (&(KuuPrincipal) {
                      .role = role,
                      .id = kuu_sqlite_column_dup (stmt, 0),
                      .region = kuu_sqlite_column_dup (stmt, 2),
                      .name = kuu_sqlite_column_dup (stmt, 3),
                    }, sizeof (KuuPrincipal));
}

static gboolean
kuu_server_store_add_audit (KuuServerStore       *self,
                            const KuuAuditEntry  *entry,
                            GError              **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO audit (at, action, subject, detail, staff_id, staff_name, address)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "write the audit line", error);
  sqlite3_bind_int64 (stmt, 1, entry->at > 0 ? entry->at : now_seconds ());
  sqlite3_bind_text (stmt, 2, entry->action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, entry->subject != NULL ? entry->subject : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, entry->detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entry->staff_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, entry->staff_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, entry->address, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _kuu_server_store_fail (self, "write the audit line", error);
  return TRUE;
}

static KuuAuditEntry *
audit_entry_from_row (sqlite3_stmt *stmt)
{
  KuuAuditEntry *entry = g_new0 (KuuAuditEntry, 1);

  entry->at = sqlite3_column_int64 (stmt, 0);
  entry->action = kuu_sqlite_column_dup (stmt, 1);
  entry->subject = kuu_sqlite_column_dup (stmt, 2);
  entry->detail = kuu_sqlite_column_dup (stmt, 3);
  entry->staff_id = kuu_sqlite_column_dup (stmt, 4);
  entry->staff_name = kuu_sqlite_column_dup (stmt, 5);
  entry->address = kuu_sqlite_column_dup (stmt, 6);
  return entry;
}

/**
 * kuu_server_store_list_audit:
 * @since: the first second to list
 * @staff_id: (nullable): only what this staff member did, or was done to
 *   them (their account added or revoked)
 */
static GPtrArray *
kuu_server_store_list_audit (KuuServerStore  *self,
                             gint64           since,
                             const char      *staff_id,
                             GError         **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_audit_entry_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT at, action, subject, detail, staff_id, staff_name, address FROM audit"
                          " WHERE at >= ?1 AND (?2 IS NULL OR staff_id = ?2 OR subject = ?2) ORDER BY at, id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _kuu_server_store_fail (self, "read the audit log", error);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_text (stmt, 2, staff_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, audit_entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _kuu_server_store_fail (self, "read the audit log", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

void
_kuu_server_store_staff_init (KuuServerStorageInterface *iface)
{
  iface->add_staff = (gpointer)kuu_server_store_add_staff;
  iface->list_staff = (gpointer)kuu_server_store_list_staff;
  iface->revoke_staff = (gpointer)kuu_server_store_revoke_staff;
  iface->sign_in_staff = (gpointer)kuu_server_store_sign_in_staff;
  iface->sign_out_staff = (gpointer)kuu_server_store_sign_out_staff;
  iface->token_is_revoked = (gpointer)kuu_server_store_token_is_revoked;
  iface->add_audit = (gpointer)kuu_server_store_add_audit;
  iface->list_audit = (gpointer)kuu_server_store_list_audit;
}

void
kuu_staff_free (KuuStaff *staff)
{
  if (staff == NULL)
    return;
  g_free (staff->id);
  g_free (staff->name);
  g_free (staff->region);
  g_free (staff);
}

void
kuu_audit_entry_free (KuuAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->action);
  g_free (entry->subject);
  g_free (entry->detail);
  g_free (entry->staff_id);
  g_free (entry->staff_name);
  g_free (entry->address);
  g_free (entry);
}
