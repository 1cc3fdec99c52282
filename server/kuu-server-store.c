/* kuu-server-store.c
 *
 * Tokens and enrolment codes are stored only as BLAKE2b hashes: a copy of
 * the database gives nobody a way in. Every query is parameterised.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <sqlite3.h>

#include "kuu-server-store.h"
#include "kuu-wire.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _KuuServerStore
{
  GObject  parent_instance;

  sqlite3 *db;
  GMutex   mutex;
};

G_DEFINE_FINAL_TYPE (KuuServerStore, kuu_server_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (kuu-server-store-error-quark, kuu_server_store_error)

#define CODE_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  /* no 0/O, 1/I */
#define TOKEN_BYTES 32                                     /* 256 bits */

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS enrolment_codes ("
  "  code_hash TEXT PRIMARY KEY,"
  "  region TEXT NOT NULL,"
  "  unit TEXT NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  used_at INTEGER"
  ");"
  "CREATE TABLE IF NOT EXISTS devices ("
  "  id TEXT PRIMARY KEY,"
  "  token_hash TEXT NOT NULL UNIQUE,"
  "  region TEXT NOT NULL,"
  "  unit TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  revoked_at INTEGER"
  ");"
  "CREATE TABLE IF NOT EXISTS records ("
  "  uuid TEXT PRIMARY KEY,"
  "  device_id TEXT NOT NULL REFERENCES devices (id),"
  "  received_at INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  region TEXT NOT NULL,"
  "  record TEXT NOT NULL"
  ");";

static gboolean
fail (KuuServerStore  *self,
      const char      *doing,
      GError         **error)
{
  g_set_error (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_FAILED,
               "Could not %s: %s", doing, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec (KuuServerStore  *self,
      const char      *sql,
      GError         **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return fail (self, "update the database", error);
  return TRUE;
}

/* Hex of BLAKE2b-256: the only form in which a secret is kept. */
static char *
hash_secret (const char *secret)
{
  guchar digest[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  crypto_generichash (digest, sizeof digest, (const guchar *)secret, strlen (secret), NULL, 0);
  return g_strdup (sodium_bin2hex (hex, sizeof hex, digest, sizeof digest));
}

static char *
new_token (void)
{
  guchar bytes[TOKEN_BYTES];
  char text[sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  return g_strdup (sodium_bin2base64 (text, sizeof text, bytes, sizeof bytes,
                                      sodium_base64_VARIANT_URLSAFE_NO_PADDING));
}

/* Twelve letters and digits, easy to read out and type: K7QF-2M9X-PL4D */
static char *
new_code (void)
{
  GString *code = g_string_new (NULL);

  for (guint i = 0; i < 12; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (code, '-');
      g_string_append_c (code, CODE_ALPHABET[randombytes_uniform (sizeof CODE_ALPHABET - 1)]);
    }
  return g_string_free (code, FALSE);
}

/* Typed by a person: case and dashes do not matter. */
static char *
normalize_code (const char *code)
{
  GString *out = g_string_new (NULL);

  for (const char *p = code; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

static void
kuu_server_store_finalize (GObject *object)
{
  KuuServerStore *self = (KuuServerStore *)object;

  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (kuu_server_store_parent_class)->finalize (object);
}

static void
kuu_server_store_class_init (KuuServerStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kuu_server_store_finalize;
}

static void
kuu_server_store_init (KuuServerStore *self)
{
  g_mutex_init (&self->mutex);
}

KuuServerStore *
kuu_server_store_open (const char  *path,
                       GError     **error)
{
  g_autoptr(KuuServerStore) self = g_object_new (KUU_TYPE_SERVER_STORE, NULL);

  g_return_val_if_fail (path != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_FAILED,
                           "libsodium could not be initialised");
      return NULL;
    }

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_FAILED,
                   "Could not open the database “%s”: %s", path, sqlite3_errmsg (self->db));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  if (!exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", error) ||
      !exec (self, schema, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * kuu_server_store_add_enrolment_code:
 *
 * Returns: (transfer full): the code to give to the kiosk's staff, once
 */
char *
kuu_server_store_add_enrolment_code (KuuServerStore  *self,
                                     const char      *region,
                                     const char      *unit,
                                     GTimeSpan        valid_for,
                                     GError         **error)
{
  g_autofree char *code = new_code ();
  g_autofree char *normal = normalize_code (code);
  g_autofree char *hash = hash_secret (normal);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), NULL);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO enrolment_codes (code_hash, region, unit, expires_at) VALUES (?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      fail (self, "add an enrolment code", error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, region, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, unit, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC + valid_for / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      fail (self, "add an enrolment code", error);
      return NULL;
    }

  return g_steal_pointer (&code);
}

/**
 * kuu_server_store_enrol:
 *
 * Uses up @code and makes a device with a new token. Only the token's hash
 * is stored; the token itself goes to the device once, in @out_token.
 */
gboolean
kuu_server_store_enrol (KuuServerStore  *self,
                        const char      *code,
                        char           **out_device_id,
                        char           **out_token,
                        char           **out_region,
                        GError         **error)
{
  g_autofree char *normal = normalize_code (code);
  g_autofree char *code_hash = hash_secret (normal);
  g_autofree char *device_id = g_uuid_string_random ();
  g_autofree char *token = new_token ();
  g_autofree char *token_hash = hash_secret (token);
  g_autoptr(sqlite3_stmt) claim = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *region = NULL;
  g_autofree char *unit = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* Claiming the code and reading it is one step: two kiosks with the same
   * code cannot both win. */
  if (sqlite3_prepare_v2 (self->db,
                          "UPDATE enrolment_codes SET used_at = ?1"
                          " WHERE code_hash = ?2 AND used_at IS NULL AND expires_at > ?1"
                          " RETURNING region, unit",
                          -1, &claim, NULL) != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (claim, 1, now);
  sqlite3_bind_text (claim, 2, code_hash, -1, SQLITE_STATIC);
  if (sqlite3_step (claim) != SQLITE_ROW)
    {
      exec (self, "ROLLBACK", NULL);
      g_set_error_literal (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_CODE_USED,
                           "The enrolment code is unknown, used or expired");
      return FALSE;
    }
  region = g_strdup ((const char *)sqlite3_column_text (claim, 0));
  unit = g_strdup ((const char *)sqlite3_column_text (claim, 1));
  g_clear_pointer (&claim, sqlite3_finalize);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO devices (id, token_hash, region, unit, created_at) VALUES (?, ?, ?, ?, ?)",
                          -1, &insert, NULL) != SQLITE_OK)
    goto failed;
  sqlite3_bind_text (insert, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, region, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, unit, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 5, now);
  if (sqlite3_step (insert) != SQLITE_DONE || !exec (self, "COMMIT", error))
    goto failed;

  *out_device_id = g_steal_pointer (&device_id);
  *out_token = g_steal_pointer (&token);
  *out_region = g_steal_pointer (&region);
  return TRUE;

failed:
  fail (self, "enrol the device", error);
  exec (self, "ROLLBACK", NULL);
  return FALSE;
}

/**
 * kuu_server_store_find_device:
 *
 * Returns: (transfer full) (nullable): the id of the device @token belongs
 *   to, or %NULL when the token is unknown or revoked
 */
char *
kuu_server_store_find_device (KuuServerStore  *self,
                              const char      *token,
                              char           **out_region)
{
  g_autofree char *hash = hash_secret (token);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, region FROM devices WHERE token_hash = ? AND revoked_at IS NULL",
                          -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  if (out_region != NULL)
    *out_region = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

gboolean
kuu_server_store_revoke (KuuServerStore  *self,
                         const char      *device_id,
                         GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                          -1, &stmt, NULL) != SQLITE_OK)
    return fail (self, "revoke the device", error);
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (stmt, 2, device_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return fail (self, "revoke the device", error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_NOT_FOUND,
                   "No device “%s” that is not revoked already", device_id);
      return FALSE;
    }
  return TRUE;
}

/* Same UUID: the same content is a duplicate, other content a conflict. */
static gboolean
compare_stored (KuuServerStore      *self,
                sqlite3_stmt        *stmt,
                const KuuSubmission *record,
                KuuRecordOutcome    *out_outcome)
{
  g_autoptr(JsonNode) node = json_from_string ((const char *)sqlite3_column_text (stmt, 0), NULL);
  g_autoptr(KuuSubmission) stored = node != NULL ? kuu_wire_submission_from_json (node, NULL) : NULL;

  *out_outcome = stored != NULL && kuu_submission_equal (stored, record)
                 ? KUU_RECORD_DUPLICATE : KUU_RECORD_CONFLICT;
  return TRUE;
}

/**
 * kuu_server_store_add_record:
 *
 * Stores @record once: a record with its UUID already stored is not
 * written again, and @out_outcome says whether it was the same content.
 */
gboolean
kuu_server_store_add_record (KuuServerStore      *self,
                             const char          *device_id,
                             const KuuSubmission *record,
                             KuuRecordOutcome    *out_outcome,
                             GError             **error)
{
  g_autoptr(JsonNode) node = kuu_wire_submission_to_json (record, TRUE);
  g_autofree char *json = json_to_string (node, FALSE);
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT record FROM records WHERE uuid = ?", -1, &find, NULL) != SQLITE_OK)
    return fail (self, "look up a record", error);
  sqlite3_bind_text (find, 1, record->uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (find);
  if (rc == SQLITE_ROW)
    return compare_stored (self, find, record, out_outcome);
  if (rc != SQLITE_DONE)
    return fail (self, "look up a record", error);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO records (uuid, device_id, received_at, kind, region, record)"
                          " VALUES (?, ?, ?, ?, ?, ?)",
                          -1, &insert, NULL) != SQLITE_OK)
    return fail (self, "store a record", error);
  sqlite3_bind_text (insert, 1, record->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 3, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (insert, 4, kuu_submission_kind_to_string (record->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, record->region, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, json, -1, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return fail (self, "store a record", error);

  *out_outcome = KUU_RECORD_ACCEPTED;
  return TRUE;
}
