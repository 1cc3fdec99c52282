/* kuu-server-store.c
 *
 * Tokens and enrolment codes are stored only as BLAKE2b hashes: a copy of
 * the database gives nobody a way in. Every query is parameterised.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>

#include "kuu-server-store-private.h"
#include "kuu-wire.h"

static void kuu_server_store_storage_init (KuuServerStorageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KuuServerStore, kuu_server_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KUU_TYPE_SERVER_STORAGE, kuu_server_store_storage_init))
G_DEFINE_QUARK (kuu-server-store-error-quark, kuu_server_store_error)

#define CODE_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  /* no 0/O, 1/I */
#define TOKEN_BYTES 32                                     /* 256 bits */

/* One migration per user_version. The first one is idempotent: it also
 * takes over a database made before there were versions. */
static const char schema_1[] =
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

/* Reports group and filter by these, so they are columns with an index
 * rather than JSON to be read row by row. */
static const char schema_2[] =
  "ALTER TABLE records ADD COLUMN created_at INTEGER;"
  "ALTER TABLE records ADD COLUMN audience TEXT;"
  "ALTER TABLE records ADD COLUMN unit TEXT;"
  "ALTER TABLE records ADD COLUMN topic_kind TEXT;"
  "ALTER TABLE records ADD COLUMN topic_id TEXT;"
  "ALTER TABLE records ADD COLUMN score INTEGER;"
  "UPDATE records SET"
  "  created_at = CAST(strftime('%s', json_extract(record, '$.created_at')) AS INTEGER),"
  "  audience = json_extract(record, '$.audience'),"
  "  unit = json_extract(record, '$.unit'),"
  "  topic_kind = json_extract(record, '$.topic.kind'),"
  "  topic_id = json_extract(record, '$.topic.id'),"
  "  score = json_extract(record, '$.score');"
  "CREATE INDEX records_report ON records (kind, audience, created_at);"
  "CREATE INDEX records_created ON records (created_at);"
  "CREATE TABLE admin_tokens ("
  "  id TEXT PRIMARY KEY,"
  "  token_hash TEXT NOT NULL UNIQUE,"
  "  role TEXT NOT NULL CHECK (role IN ('reader', 'admin')),"
  "  name TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  revoked_at INTEGER"
  ");"
  "CREATE TABLE initiatives ("
  "  uuid TEXT PRIMARY KEY REFERENCES records (uuid),"
  "  region TEXT NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('in_progress', 'answered')),"
  "  answer TEXT,"
  "  updated_at INTEGER NOT NULL,"
  "  seq INTEGER NOT NULL UNIQUE"
  ");"
  "CREATE INDEX initiatives_region_seq ON initiatives (region, seq);";

/* Issue 14. A contact is kept apart from its record, so that it can be
 * erased alone (kuu-server-store-admin.c); the records of older servers
 * give theirs up here. An erased contact leaves its row, emptied, with
 * erased_at: a resend of the record is then still the same content.
 * The unit column holds the unit the device was enrolled for, whatever
 * the record said: reports and exports read it. Purged initiatives leave
 * their change number behind, so that the sequence never goes back. */
static const char schema_3[] =
  "CREATE TABLE contacts ("
  "  uuid TEXT PRIMARY KEY REFERENCES records (uuid),"
  "  name TEXT,"
  "  email TEXT,"
  "  phone TEXT,"
  "  erased_at INTEGER"
  ");"
  "INSERT INTO contacts (uuid, name, email, phone)"
  "  SELECT uuid, json_extract(record, '$.contact.name'), json_extract(record, '$.contact.email'),"
  "         json_extract(record, '$.contact.phone')"
  "  FROM records WHERE json_type(record, '$.contact') = 'object';"
  "UPDATE records SET record = json_remove(record, '$.contact')"
  "  WHERE json_type(record, '$.contact') IS NOT NULL;"
  "UPDATE records SET unit = (SELECT d.unit FROM devices d WHERE d.id = records.device_id);"
  "CREATE INDEX records_device ON records (device_id, received_at);"
  "CREATE TABLE purged_initiatives ("
  "  uuid TEXT PRIMARY KEY,"
  "  region TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  purged_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  action TEXT NOT NULL,"
  "  subject TEXT NOT NULL,"
  "  detail TEXT"
  ");";

/* Issue 16. Staff accounts, one a person, scoped to a region; their
 * one-time sign-in codes (a table of their own, so that IT can give a
 * person a new code one day) and their tokens, one a signed-in desktop,
 * all kept as hashes. The audit log says who did an action and from
 * which address. */
static const char schema_4[] =
  "CREATE TABLE staff ("
  "  id TEXT PRIMARY KEY,"
  "  region TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  role TEXT NOT NULL CHECK (role IN ('viewer', 'handler', 'admin')),"
  "  created_at INTEGER NOT NULL,"
  "  last_sign_in_at INTEGER,"
  "  revoked_at INTEGER"
  ");"
  "CREATE TABLE staff_codes ("
  "  code_hash TEXT PRIMARY KEY,"
  "  staff_id TEXT NOT NULL REFERENCES staff (id),"
  "  expires_at INTEGER NOT NULL,"
  "  used_at INTEGER"
  ");"
  "CREATE TABLE staff_tokens ("
  "  token_hash TEXT PRIMARY KEY,"
  "  staff_id TEXT NOT NULL REFERENCES staff (id),"
  "  created_at INTEGER NOT NULL,"
  "  revoked_at INTEGER"
  ");"
  "CREATE INDEX staff_tokens_staff ON staff_tokens (staff_id);"
  "ALTER TABLE audit ADD COLUMN staff_id TEXT;"
  "ALTER TABLE audit ADD COLUMN staff_name TEXT;"
  "ALTER TABLE audit ADD COLUMN address TEXT;"
  "CREATE INDEX audit_at ON audit (at);"
  /* The results read their scores from this index alone, a region's
   * answers of an audience in a period without a look at the table
   * (bench/bench-results.c, docs/performance.md). */
  "CREATE INDEX records_results ON records (region, audience, kind, created_at, topic_kind, topic_id, unit, score);"
  /* The recommendations counted per calendar month (UTC), kept by
   * triggers in the record's own transaction: the results read a whole
   * month from here, a few hundred rows, and only the days of a month
   * cut by since or until from the records (kuu-server-store-reports.c,
   * docs/performance.md, figure 8). statement '' is the 0–10 score. */
  "CREATE TABLE result_months ("
  "  region TEXT NOT NULL, audience TEXT NOT NULL, month TEXT NOT NULL,"
  "  topic_kind TEXT NOT NULL, topic_id TEXT NOT NULL, unit TEXT NOT NULL,"
  "  statement TEXT NOT NULL, value INTEGER NOT NULL, count INTEGER NOT NULL,"
  "  PRIMARY KEY (region, audience, month, topic_kind, topic_id, unit, statement, value)"
  ") WITHOUT ROWID;"
  "INSERT INTO result_months"
  "  SELECT region, audience, strftime('%Y-%m', created_at, 'unixepoch'), coalesce(topic_kind, ''),"
  "         coalesce(topic_id, ''), coalesce(unit, ''), '', coalesce(score, -1),"
  "         count(*) FROM records WHERE kind = 'recommendation' AND created_at IS NOT NULL AND audience IS NOT NULL"
  "  GROUP BY 1, 2, 3, 4, 5, 6, 8;"
  "INSERT INTO result_months"
  "  SELECT region, audience, strftime('%Y-%m', created_at, 'unixepoch'), coalesce(topic_kind, ''),"
  "         coalesce(topic_id, ''), coalesce(unit, ''), a.value ->> 'statement', a.value ->> 'answer', count(*)"
  "  FROM records, json_each(records.record, '$.answers') a WHERE kind = 'recommendation'"
  "    AND created_at IS NOT NULL AND audience IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;"
  "CREATE TRIGGER result_months_add AFTER INSERT ON records WHEN NEW.kind = 'recommendation' BEGIN"
  "  INSERT INTO result_months VALUES (NEW.region, NEW.audience, strftime('%Y-%m', NEW.created_at, 'unixepoch'),"
  "    coalesce(NEW.topic_kind, ''), coalesce(NEW.topic_id, ''), coalesce(NEW.unit, ''), '',"
  "    coalesce(NEW.score, -1), 1)"
  "    ON CONFLICT DO UPDATE SET count = count + 1;"
  "  INSERT INTO result_months SELECT NEW.region, NEW.audience, strftime('%Y-%m', NEW.created_at, 'unixepoch'),"
  "    coalesce(NEW.topic_kind, ''), coalesce(NEW.topic_id, ''), coalesce(NEW.unit, ''),"
  "    a.value ->> 'statement', a.value ->> 'answer', 1"
  "    FROM json_each(NEW.record, '$.answers') a WHERE true"
  "    ON CONFLICT DO UPDATE SET count = count + 1;"
  "END;"
  /* A purged record (admin device purge) takes its counts back out. */
  "CREATE TRIGGER result_months_remove AFTER DELETE ON records WHEN OLD.kind = 'recommendation' BEGIN"
  "  UPDATE result_months SET count = count - 1"
  "    WHERE region = OLD.region AND audience = OLD.audience"
  "      AND month = strftime('%Y-%m', OLD.created_at, 'unixepoch') AND topic_kind = coalesce(OLD.topic_kind, '')"
  "      AND topic_id = coalesce(OLD.topic_id, '') AND unit = coalesce(OLD.unit, '')"
  "      AND ((statement = '' AND value = coalesce(OLD.score, -1)) OR (statement, value) IN"
  "        (SELECT a.value ->> 'statement', a.value ->> 'answer' FROM json_each(OLD.record, '$.answers') a));"
  "  DELETE FROM result_months WHERE count <= 0 AND region = OLD.region AND audience = OLD.audience"
  "    AND month = strftime('%Y-%m', OLD.created_at, 'unixepoch');"
  "END;";

static const char * const migrations[] = { schema_1, schema_2, schema_3, schema_4 };

gboolean
_kuu_server_store_fail (KuuServerStore  *self,
                        const char      *doing,
                        GError         **error)
{
  return kuu_sqlite_fail (self->db, sqlite3_extended_errcode (self->db), self->path, doing, error);
}

gboolean
_kuu_server_store_exec (KuuServerStore  *self,
                        const char      *sql,
                        GError         **error)
{
  return kuu_sqlite_exec (self->db, self->path, sql, "update the database", error);
}

/* Hex of BLAKE2b-256: the only form in which a secret is kept. */
char *
_kuu_server_store_hash_secret (const char *secret)
{
  guchar digest[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  crypto_generichash (digest, sizeof digest, (const guchar *)secret, strlen (secret), NULL, 0);
  return g_strdup (sodium_bin2hex (hex, sizeof hex, digest, sizeof digest));
}

char *
_kuu_server_store_new_token (void)
{
  guchar bytes[TOKEN_BYTES];
  char text[sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  return g_strdup (sodium_bin2base64 (text, sizeof text, bytes, sizeof bytes,
                                      sodium_base64_VARIANT_URLSAFE_NO_PADDING));
}

/* Twelve letters and digits, easy to read out and type: K7QF-2M9X-PL4D */
char *
_kuu_server_store_new_code (void)
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
char *
_kuu_server_store_normalize_code (const char *code)
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

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->record_text != NULL)
    g_string_free (self->record_text, TRUE);
  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->mutex);
  g_free (self->path);

  G_OBJECT_CLASS (kuu_server_store_parent_class)->finalize (object);
}

/* The methods take a KuuServerStore where the interface says
 * KuuServerStorage: the same pointer, so the casts are safe. */
static void
kuu_server_store_storage_init (KuuServerStorageInterface *iface)
{
  iface->open_reader = (gpointer)kuu_server_store_open_reader;
  iface->open_writer = (gpointer)kuu_server_store_open_writer;
  iface->add_enrolment_code = (gpointer)kuu_server_store_add_enrolment_code;
  iface->enrol = (gpointer)kuu_server_store_enrol;
  iface->authenticate = (gpointer)kuu_server_store_authenticate;
  iface->add_admin_token = (gpointer)kuu_server_store_add_admin_token;
  iface->revoke = (gpointer)kuu_server_store_revoke;
  iface->begin_batch = (gpointer)kuu_server_store_begin_batch;
  iface->end_batch = (gpointer)kuu_server_store_end_batch;
  iface->add_record = (gpointer)kuu_server_store_add_record;
  iface->list_device_records = (gpointer)kuu_server_store_list_device_records;
  iface->purge_device = (gpointer)kuu_server_store_purge_device;
  iface->erase_contact = (gpointer)kuu_server_store_erase_contact;
  iface->audit = (gpointer)kuu_server_store_audit;
  iface->set_initiative = (gpointer)kuu_server_store_set_initiative;
  iface->list_initiatives = (gpointer)kuu_server_store_list_initiatives;
  iface->last_initiative_change = (gpointer)kuu_server_store_last_initiative_change;
  iface->nps_report = (gpointer)kuu_server_store_nps_report;
  iface->foreach_record = (gpointer)kuu_server_store_foreach_record;
  iface->result_rows = (gpointer)kuu_server_store_result_rows;
  _kuu_server_store_staff_init (iface);
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
  self->statements = kuu_sqlite_cache_new ();
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

  self->path = g_strdup (path);
  if (!(self->db = kuu_sqlite_open (path, KUU_SQLITE_OPEN_DURABLE, error)))
    return NULL;
  /* A page cache of 32 MiB rather than SQLite's 2: a record's uuid lands
   * on a random page of the index, and with 100 000 records stored the
   * writer read most of those pages back from the kernel (perf of
   * bench-ingest, docs/performance.md). */
  /* secure_delete: an erased contact is overwritten with zeros, not
   * left in a free page of the file. */
  if (!_kuu_server_store_exec (self, "PRAGMA cache_size = -32768; PRAGMA secure_delete = ON;", error) ||
      !kuu_sqlite_migrate (self->db, path, migrations, G_N_ELEMENTS (migrations), error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * kuu_server_store_open_reader:
 *
 * Opens the same database again, read-only, for one long read (a report)
 * in a worker thread: in WAL mode it sees a consistent snapshot and holds
 * up neither the server's writes nor its main loop. May be called from
 * any thread.
 *
 * Returns: (transfer full): a store to read from, or %NULL with @error set
 */
KuuServerStore *
kuu_server_store_open_reader (KuuServerStore  *self,
                              GError         **error)
{
  g_autoptr(KuuServerStore) reader = g_object_new (KUU_TYPE_SERVER_STORE, NULL);

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), NULL);

  reader->path = g_strdup (self->path);
  if (!(reader->db = kuu_sqlite_open (self->path, KUU_SQLITE_OPEN_READ_ONLY, error)))
    return NULL;
  return g_steal_pointer (&reader);
}

/**
 * kuu_server_store_open_writer:
 *
 * Opens the same database again, to write, with the same pragmas: for a
 * thread that stores records (kuu-server-writer) while the main loop
 * goes on using @self. SQLite serialises the two connections' writes
 * (the busy timeout covers the wait).
 *
 * Returns: (transfer full): a store of its own, or %NULL with @error set
 */
KuuServerStore *
kuu_server_store_open_writer (KuuServerStore  *self,
                              GError         **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), NULL);

  return kuu_server_store_open (self->path, error);
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
  g_autofree char *code = _kuu_server_store_new_code ();
  g_autofree char *normal = _kuu_server_store_normalize_code (code);
  g_autofree char *hash = _kuu_server_store_hash_secret (normal);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), NULL);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO enrolment_codes (code_hash, region, unit, expires_at) VALUES (?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _kuu_server_store_fail (self, "add an enrolment code", error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, region, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, unit, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC + valid_for / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _kuu_server_store_fail (self, "add an enrolment code", error);
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
  g_autofree char *normal = _kuu_server_store_normalize_code (code);
  g_autofree char *code_hash = _kuu_server_store_hash_secret (normal);
  g_autofree char *device_id = g_uuid_string_random ();
  g_autofree char *token = _kuu_server_store_new_token ();
  g_autofree char *token_hash = _kuu_server_store_hash_secret (token);
  g_autoptr(sqlite3_stmt) claim = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *region = NULL;
  g_autofree char *unit = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  if (!_kuu_server_store_exec (self, "BEGIN IMMEDIATE", error))
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
      _kuu_server_store_exec (self, "ROLLBACK", NULL);
      g_set_error_literal (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_CODE_USED,
                           "The enrolment code is unknown, used or expired");
      return FALSE;
    }
  region = kuu_sqlite_column_dup (claim, 0);
  unit = kuu_sqlite_column_dup (claim, 1);
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
  if (sqlite3_step (insert) != SQLITE_DONE || !_kuu_server_store_exec (self, "COMMIT", error))
    goto failed;

  *out_device_id = g_steal_pointer (&device_id);
  *out_token = g_steal_pointer (&token);
  *out_region = g_steal_pointer (&region);
  return TRUE;

failed:
  _kuu_server_store_fail (self, "enrol the device", error);
  _kuu_server_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

/* A device first: kiosks call far more often than administrators. */
static KuuPrincipal *
find_device (KuuServerStore *self,
             const char     *hash)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  KuuPrincipal *principal;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, region FROM devices WHERE token_hash = ? AND revoked_at IS NULL",
                          -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  principal = g_new0 (KuuPrincipal, 1);
  principal->role = KUU_ROLE_DEVICE;
  principal->id = kuu_sqlite_column_dup (stmt, 0);
  principal->region = kuu_sqlite_column_dup (stmt, 1);
  return principal;
}

static KuuPrincipal *
find_admin_token (KuuServerStore *self,
                  const char     *hash)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  KuuRole role;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, role FROM admin_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                          -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW ||
      !kuu_role_from_string ((const char *)sqlite3_column_text (stmt, 1), &role))
    return NULL;

  return g_memdup2 (&(KuuPrincipal) {
                      .role = role,
                      .id = kuu_sqlite_column_dup (stmt, 0),
                    }, sizeof (KuuPrincipal));
}

/**
 * kuu_server_store_authenticate:
 *
 * Returns: (transfer full) (nullable): whom @token belongs to, or %NULL
 *   when it is unknown or revoked
 */
KuuPrincipal *
kuu_server_store_authenticate (KuuServerStore *self,
                               const char     *token)
{
  g_autofree char *hash = NULL;
  KuuPrincipal *principal;

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);

  hash = _kuu_server_store_hash_secret (token);
  if ((principal = find_device (self, hash)) || (principal = find_admin_token (self, hash)))
    return principal;
  return _kuu_server_store_find_staff_token (self, hash);
}

/**
 * kuu_server_store_add_admin_token:
 * @name: (nullable): whose it is, for the administrators' own records
 * @out_id: (out): the token's id, for revoking it
 *
 * Returns: (transfer full): the token, shown once; only its hash is kept
 */
char *
kuu_server_store_add_admin_token (KuuServerStore  *self,
                                  KuuRole          role,
                                  const char      *name,
                                  char           **out_id,
                                  GError         **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *token = _kuu_server_store_new_token ();
  g_autofree char *hash = _kuu_server_store_hash_secret (token);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (KUU_IS_SERVER_STORE (self), NULL);
  g_return_val_if_fail (role != KUU_ROLE_DEVICE, NULL);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO admin_tokens (id, token_hash, role, name, created_at) VALUES (?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _kuu_server_store_fail (self, "add a token", error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, kuu_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _kuu_server_store_fail (self, "add a token", error);
      return NULL;
    }

  if (out_id != NULL)
    *out_id = g_steal_pointer (&id);
  return g_steal_pointer (&token);
}

static gboolean
revoke_in (KuuServerStore  *self,
           const char      *sql,
           const char      *id,
           gboolean        *out_found,
           GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return _kuu_server_store_fail (self, "revoke", error);
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _kuu_server_store_fail (self, "revoke", error);
  *out_found = sqlite3_changes (self->db) > 0;
  return TRUE;
}

/**
 * kuu_server_store_revoke:
 * @id: a device's id, or an admin token's
 */
gboolean
kuu_server_store_revoke (KuuServerStore  *self,
                         const char      *id,
                         GError         **error)
{
  gboolean found = FALSE;

  if (!revoke_in (self, "UPDATE devices SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
                  id, &found, error))
    return FALSE;
  if (!found &&
      !revoke_in (self, "UPDATE admin_tokens SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
                  id, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_NOT_FOUND,
                   "No device or token “%s” that is not revoked already", id);
      return FALSE;
    }
  return TRUE;
}

/**
 * _kuu_server_store_parse_record:
 * @text: a record as stored: without its contact
 *
 * Reads a stored record with the kiosks' own reader. That reader wants
 * an initiative's contact (every initiative comes with one), which is in
 * its own table here: a stand-in goes in for the reading, and out again.
 *
 * Returns: (transfer full) (nullable): the record, without a contact
 */
KuuSubmission *
_kuu_server_store_parse_record (const char *text)
{
  g_autoptr(JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;
  KuuSubmission *record;
  JsonObject *object, *stand_in;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  if (!json_object_has_member (object, "contact"))
    {
      stand_in = json_object_new ();
      json_object_set_string_member (stand_in, "name", "-");
      json_object_set_string_member (stand_in, "email", "-@-");
      json_object_set_object_member (object, "contact", stand_in);
    }
  if ((record = kuu_wire_submission_from_json (node, NULL)))
    kuu_submission_set_contact (record, NULL, NULL, NULL);
  return record;
}

/* Same UUID: the same content is a duplicate, other content a conflict.
 * The stored record has no contact; its contact, if it had one, is in
 * columns 1–4. Once erased, a contact is no longer compared: a resend
 * is the same content, and brings nothing back. */
static gboolean
compare_stored (KuuServerStore      *self,
                sqlite3_stmt        *stmt,
                const KuuSubmission *record,
                KuuRecordOutcome    *out_outcome)
{
  g_autoptr(KuuSubmission) stored = _kuu_server_store_parse_record ((const char *)sqlite3_column_text (stmt, 0));

  if (stored != NULL && sqlite3_column_int (stmt, 4))
    kuu_submission_set_contact (stored, record->contact_name, record->contact_email, record->contact_phone);
  else if (stored != NULL && sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    kuu_submission_set_contact (stored, (const char *)sqlite3_column_text (stmt, 1),
                                (const char *)sqlite3_column_text (stmt, 2),
                                (const char *)sqlite3_column_text (stmt, 3));
  *out_outcome = stored != NULL && kuu_submission_equal (stored, record)
                 ? KUU_RECORD_DUPLICATE : KUU_RECORD_CONFLICT;
  return TRUE;
}

/**
 * kuu_server_store_begin_batch:
 *
 * Starts the transaction a batch of records is stored in: one commit, one
 * fsync for the whole batch instead of one a record. End it with
 * kuu_server_store_end_batch().
 */
gboolean
kuu_server_store_begin_batch (KuuServerStore  *self,
                              GError         **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  return _kuu_server_store_exec (self, "BEGIN IMMEDIATE", error);
}

/**
 * kuu_server_store_end_batch:
 * @commit: %FALSE to roll the batch back
 *
 * Commits what kuu_server_store_add_record() stored since
 * kuu_server_store_begin_batch(), or rolls it back. Only after this has
 * returned %TRUE may the records be acknowledged.
 */
gboolean
kuu_server_store_end_batch (KuuServerStore  *self,
                            gboolean         commit,
                            GError         **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  if (commit && _kuu_server_store_exec (self, "COMMIT", error))
    return TRUE;
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Call with the mutex held. */
static KuuSqliteBorrowed *
prepare_cached (KuuServerStore *self,
                const char     *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (!kuu_sqlite_cached (self->statements, self->db, self->path, sql, &stmt, NULL))
    return NULL;
  return stmt;
}

/* Call with the mutex held, in the record's transaction. */
static gboolean
add_contact (KuuServerStore      *self,
             const KuuSubmission *record,
             GError             **error)
{
  g_autoptr(KuuSqliteBorrowed) insert = NULL;

  if (!(insert = prepare_cached (self, "INSERT INTO contacts (uuid, name, email, phone) VALUES (?, ?, ?, ?)")))
    return _kuu_server_store_fail (self, "store a contact", error);
  sqlite3_bind_text (insert, 1, record->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, record->contact_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, record->contact_email, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, record->contact_phone, -1, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return _kuu_server_store_fail (self, "store a contact", error);
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
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(KuuSqliteBorrowed) find = NULL;
  g_autoptr(KuuSqliteBorrowed) insert = NULL;
  int rc;

  if (!(find = prepare_cached (self, "SELECT r.record, c.name, c.email, c.phone, c.erased_at IS NOT NULL"
                              " FROM records r LEFT JOIN contacts c ON c.uuid = r.uuid WHERE r.uuid = ?")))
    return _kuu_server_store_fail (self, "look up a record", error);
  sqlite3_bind_text (find, 1, record->uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (find);
  if (rc == SQLITE_ROW)
    return compare_stored (self, find, record, out_outcome);
  if (rc != SQLITE_DONE)
    return _kuu_server_store_fail (self, "look up a record", error);

  /* Written straight to text (kuu-wire), into one buffer kept for the
   * next record: no json-glib tree a record. The record as sent (its
   * unit too), without its contact. */
  if (self->record_text == NULL)
    self->record_text = g_string_sized_new (1024);
  g_string_truncate (self->record_text, 0);
  if (!kuu_wire_append_submission (self->record_text, record, FALSE, error))
    return FALSE;

  /* The unit column is the device's, from its enrolment: a token cannot
   * file under another unit (docs/protocol.md § 4). */
  if (!(insert = prepare_cached (self, "INSERT INTO records (uuid, device_id, received_at, kind, region, record,"
                                 "  created_at, audience, unit, topic_kind, topic_id, score)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                                 "  (SELECT unit FROM devices WHERE id = ?2), ?9, ?10, ?11)")))
    return _kuu_server_store_fail (self, "store a record", error);
  sqlite3_bind_text (insert, 1, record->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 3, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (insert, 4, kuu_submission_kind_to_string (record->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, record->region, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, self->record_text->str, self->record_text->len, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 7, record->created_at);
  sqlite3_bind_text (insert, 8, kuu_audience_to_string (record->audience), -1, SQLITE_STATIC);
  if (record->has_topic)
    {
      sqlite3_bind_text (insert, 9, kuu_topic_kind_to_string (record->topic_kind), -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 10, record->topic_id, -1, SQLITE_STATIC);
    }
  if (record->kind == KUU_SUBMISSION_RECOMMENDATION)
    sqlite3_bind_int (insert, 11, record->score);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return _kuu_server_store_fail (self, "store a record", error);
  if (kuu_submission_has_contact (record) && !add_contact (self, record, error))
    return FALSE;

  *out_outcome = KUU_RECORD_ACCEPTED;
  return TRUE;
}

/* A staff admin is "admin" too, in the staff table and on the wire:
 * kuu_role_from_string() reads only the tokens' roles, and
 * kuu_staff_role_from_string() only the staff's. */
static const char * const role_names[] = { "device", "reader", "admin", "viewer", "handler", "admin" };

const char *
kuu_role_to_string (KuuRole role)
{
  g_return_val_if_fail (role < G_N_ELEMENTS (role_names), NULL);

  return role_names[role];
}

static gboolean
role_from_string (const char *name,
                  KuuRole     first,
                  KuuRole     last,
                  KuuRole    *out_role)
{
  for (guint i = first; i <= last; i++)
    {
      if (g_strcmp0 (name, role_names[i]) == 0)
        {
          *out_role = i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
kuu_role_from_string (const char *name,
                      KuuRole    *out_role)
{
  return role_from_string (name, KUU_ROLE_DEVICE, KUU_ROLE_ADMIN, out_role);
}

gboolean
kuu_staff_role_from_string (const char *name,
                            KuuRole    *out_role)
{
  return role_from_string (name, KUU_ROLE_VIEWER, KUU_ROLE_STAFF_ADMIN, out_role);
}

gboolean
kuu_role_is_staff (KuuRole role)
{
  return role >= KUU_ROLE_VIEWER && role <= KUU_ROLE_STAFF_ADMIN;
}

void
kuu_principal_free (KuuPrincipal *principal)
{
  if (principal == NULL)
    return;
  g_free (principal->id);
  g_free (principal->region);
  g_free (principal->name);
  g_free (principal);
}
