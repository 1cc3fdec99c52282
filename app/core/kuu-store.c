/* kuu-store.c
 *
 * One connection, guarded by a mutex so that a submission's transaction is
 * never interleaved with another thread's statements. Writes are made in a
 * worker thread (kuu_store_add_async) so the kiosk's main loop never waits
 * for the disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-i18n-private.h"

#include "kuu-store-private.h"
#include "kuu-store-schema.h"

G_STATIC_ASSERT (G_N_ELEMENTS (kuu_store_migrations) == KUU_STORE_SCHEMA_VERSION);

struct _KuuStore
{
  GObject   parent_instance;

  char           *path;
  sqlite3        *db;
  GMutex          mutex;
  KuuSqliteCache *inserts;  /* a submission's INSERTs, prepared once */

  /* The outbox's records in flight (uuid set); see kuu-outbox.c. Its own
   * lock: it guards a few hash operations, never the disk, so the main
   * loop may take it. Order: the store's lock, then this one. */
  GMutex          in_flight_mutex;
  GHashTable     *in_flight;
};

G_DEFINE_FINAL_TYPE (KuuStore, kuu_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (kuu-store-error-quark, kuu_store_error)

gboolean
_kuu_store_fail (KuuStore    *self,
                 sqlite3     *db,
                 int          rc,
                 const char  *doing,
                 GError     **error)
{
  return kuu_sqlite_fail (db, rc, self->path, doing, error);
}

sqlite3 *
_kuu_store_lock (KuuStore *self)
{
  g_mutex_lock (&self->mutex);
  return self->db;
}

void
_kuu_store_unlock (KuuStore *self)
{
  g_mutex_unlock (&self->mutex);
}

static gboolean
exec (KuuStore    *self,
      const char  *sql,
      const char  *doing,
      GError     **error)
{
  return kuu_sqlite_exec (self->db, self->path, sql, doing, error);
}

static gboolean
prepare (KuuStore      *self,
         const char    *sql,
         sqlite3_stmt **out_stmt,
         GError       **error)
{
  return kuu_sqlite_prepare (self->db, self->path, sql, out_stmt, error);
}

/* The statements of a submission's transaction, kept prepared: inserting
 * a recommendation or a statement answer compiled the count triggers of
 * migration 5 with it (until migration 7), which at every save cost more
 * CPU than the insert itself (bench/bench-save). @sql is a literal; the statement stays the
 * store's, reset and cleared for reuse. Called with the mutex held. */
static gboolean
prepare_insert (KuuStore      *self,
                const char    *sql,
                sqlite3_stmt **out_stmt,
                GError       **error)
{
  return kuu_sqlite_cached (self->inserts, self->db, self->path, sql, out_stmt, error);
}

static void
kuu_store_finalize (GObject *object)
{
  KuuStore *self = (KuuStore *)object;

  g_clear_pointer (&self->inserts, g_hash_table_unref);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->mutex);
  g_mutex_clear (&self->in_flight_mutex);

  G_OBJECT_CLASS (kuu_store_parent_class)->finalize (object);
}

static void
kuu_store_class_init (KuuStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kuu_store_finalize;
}

static void
kuu_store_init (KuuStore *self)
{
  g_mutex_init (&self->mutex);
  g_mutex_init (&self->in_flight_mutex);
  self->inserts = kuu_sqlite_cache_new ();
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Whether submissions after the counts' mark exist (migration 7): a
 * read, so that a store whose counts are up to date writes nothing. */
static gboolean
counts_behind (KuuStore  *self,
               gboolean  *out_behind,
               GError   **error)
{
  g_autofree char *behind = NULL;

  behind = kuu_sqlite_query_text (self->db, self->path,
                                  "SELECT EXISTS (SELECT 1 FROM submissions"
                                  "  WHERE id > (SELECT through_id FROM counted WHERE id = 1))",
                                  error);
  if (behind == NULL)
    return FALSE;
  *out_behind = g_strcmp0 (behind, "1") == 0;
  return TRUE;
}

/**
 * _kuu_store_count_up:
 *
 * Brings the dashboard's counts (migration 5) up to date with the
 * answers saved since they were last counted, and moves their mark, in
 * one transaction; nothing is written when they are up to date. Saves
 * leave the counts alone, so that a save writes only the answer's own
 * pages (docs/performance.md, "Save path"); whoever reads the counts
 * calls this first, with the lock held, and so never sees them behind
 * the answers, also after a crash between a save and its counting.
 */
gboolean
_kuu_store_count_up (KuuStore  *self,
                     GError   **error)
{
  gboolean behind = FALSE;
  gboolean ok;

  if (!counts_behind (self, &behind, error))
    return FALSE;
  if (!behind)
    return TRUE;

  ok = exec (self, "BEGIN IMMEDIATE", "begin", error) &&
       exec (self, kuu_store_count_up_sql, "count the new answers", error) &&
       exec (self, "COMMIT", "commit", error);
  if (!ok && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return ok;
}

/**
 * kuu_store_open:
 * @path: the database file; created with its folder when missing
 *
 * Opens the database, checks it, and brings its schema up to date.
 *
 * Returns: (transfer full): the store, or %NULL with @error set to a
 *   message a staff member can act on
 */
KuuStore *
kuu_store_open (const char  *path,
                GError     **error)
{
  g_autoptr(KuuStore) self = NULL;
  g_autoptr(GError) count_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (KUU_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  self->db = kuu_sqlite_open (path,
                              KUU_SQLITE_OPEN_CREATE_FOLDER | KUU_SQLITE_OPEN_QUICK_CHECK | KUU_SQLITE_OPEN_DURABLE,
                              error);
  if (self->db == NULL ||
      !kuu_sqlite_migrate (self->db, path, kuu_store_migrations, G_N_ELEMENTS (kuu_store_migrations), error))
    return NULL;
  /* Answers a crash left uncounted are counted now, rather than at the
   * first look at the Results tab; if that fails (a full disk), the
   * kiosk still takes answers, and the Results tab tries again. */
  if (!_kuu_store_count_up (self, &count_error))
    g_message ("The results' counts are behind the answers: %s", count_error->message);

  return g_steal_pointer (&self);
}

const char *
kuu_store_get_path (KuuStore *self)
{
  g_return_val_if_fail (KUU_IS_STORE (self), NULL);

  return self->path;
}

#define bind_text kuu_sqlite_bind_text

static gboolean
step_done (KuuStore      *self,
           sqlite3_stmt  *stmt,
           const char    *doing,
           GError       **error)
{
  return kuu_sqlite_step_done (self->db, self->path, stmt, doing, error);
}

static gboolean
insert_submission (KuuStore             *self,
                   const KuuSubmission  *submission,
                   gint64               *out_id,
                   GError              **error)
{
  sqlite3_stmt *stmt;

  if (!prepare_insert (self,
                       "INSERT INTO submissions (uuid, kind, audience, created_at, region, unit, language)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)", &stmt, error))
    return FALSE;

  bind_text (stmt, 1, submission->uuid);
  bind_text (stmt, 2, kuu_submission_kind_to_string (submission->kind));
  bind_text (stmt, 3, kuu_audience_to_string (submission->audience));
  sqlite3_bind_int64 (stmt, 4, submission->created_at);
  bind_text (stmt, 5, submission->region);
  bind_text (stmt, 6, submission->unit);
  bind_text (stmt, 7, kuu_language_to_code (submission->language));
  if (!step_done (self, stmt, "insert submission", error))
    return FALSE;

  *out_id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

static gboolean
insert_recommendation (KuuStore             *self,
                       const KuuSubmission  *submission,
                       gint64                id,
                       GError              **error)
{
  sqlite3_stmt *stmt;
  sqlite3_stmt *answer_stmt;

  if (!prepare_insert (self,
                       "INSERT INTO recommendations (submission_id, topic_kind, topic_id, score, why)"
                       " VALUES (?, ?, ?, ?, ?)", &stmt, error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  bind_text (stmt, 2, kuu_topic_kind_to_string (submission->topic_kind));
  bind_text (stmt, 3, submission->topic_id);
  sqlite3_bind_int (stmt, 4, submission->score);
  bind_text (stmt, 5, submission->text);
  if (!step_done (self, stmt, "insert recommendation", error))
    return FALSE;

  if (!prepare_insert (self,
                       "INSERT INTO statement_answers (submission_id, statement_id, answer) VALUES (?, ?, ?)",
                       &answer_stmt, error))
    return FALSE;

  for (guint i = 0; i < submission->answers->len; i++)
    {
      const KuuStatementAnswer *answer = &g_array_index (submission->answers, KuuStatementAnswer, i);

      sqlite3_reset (answer_stmt);
      sqlite3_bind_int64 (answer_stmt, 1, id);
      bind_text (answer_stmt, 2, answer->statement_id);
      sqlite3_bind_int (answer_stmt, 3, answer->answer);
      if (!step_done (self, answer_stmt, "insert statement answer", error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
insert_feedback (KuuStore             *self,
                 const KuuSubmission  *submission,
                 gint64                id,
                 GError              **error)
{
  sqlite3_stmt *stmt;

  if (!prepare_insert (self,
                       "INSERT INTO feedback (submission_id, topic_kind, topic_id, body) VALUES (?, ?, ?, ?)",
                       &stmt, error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  bind_text (stmt, 2, submission->has_topic ? kuu_topic_kind_to_string (submission->topic_kind) : NULL);
  bind_text (stmt, 3, submission->has_topic ? submission->topic_id : NULL);
  bind_text (stmt, 4, submission->text);
  return step_done (self, stmt, "insert feedback", error);
}

static gboolean
insert_initiative (KuuStore             *self,
                   const KuuSubmission  *submission,
                   gint64                id,
                   GError              **error)
{
  sqlite3_stmt *stmt;

  if (!prepare_insert (self,
                       "INSERT INTO initiatives (submission_id, title, body, municipality, channel,"
                       " received_on, signatories) VALUES (?, ?, ?, ?, ?, ?, ?)", &stmt, error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  bind_text (stmt, 2, submission->title);
  bind_text (stmt, 3, submission->text);
  bind_text (stmt, 4, submission->municipality);
  bind_text (stmt, 5, kuu_channel_to_string (submission->channel));
  bind_text (stmt, 6, submission->received_on);
  sqlite3_bind_int (stmt, 7, submission->signatories);
  return step_done (self, stmt, "insert initiative", error);
}

static gboolean
insert_contact (KuuStore             *self,
                const KuuSubmission  *submission,
                gint64                id,
                GError              **error)
{
  sqlite3_stmt *stmt;

  if (!kuu_submission_has_contact (submission))
    return TRUE;

  if (!prepare_insert (self,
                       "INSERT INTO contacts (submission_id, name, email, phone) VALUES (?, ?, ?, ?)",
                       &stmt, error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  bind_text (stmt, 2, submission->contact_name);
  bind_text (stmt, 3, submission->contact_email);
  bind_text (stmt, 4, submission->contact_phone);
  return step_done (self, stmt, "insert contact", error);
}

static gboolean
insert_all (KuuStore             *self,
            const KuuSubmission  *submission,
            GError              **error)
{
  gint64 id = 0;

  if (!insert_submission (self, submission, &id, error))
    return FALSE;

  switch (submission->kind)
    {
    case KUU_SUBMISSION_RECOMMENDATION:
      if (!insert_recommendation (self, submission, id, error))
        return FALSE;
      break;
    case KUU_SUBMISSION_FEEDBACK:
      if (!insert_feedback (self, submission, id, error))
        return FALSE;
      break;
    case KUU_SUBMISSION_INITIATIVE:
      if (!insert_initiative (self, submission, id, error))
        return FALSE;
      break;
    default:
      g_assert_not_reached ();
    }

  return insert_contact (self, submission, id, error);
}

/* One transaction for @n records; rolled back whole on any error. Called
 * with the lock held. */
static gboolean
write_locked (KuuStore                    *self,
              const KuuSubmission * const *submissions,
              guint                        n,
              GError                     **error)
{
  gboolean ok = exec (self, "BEGIN IMMEDIATE", "begin", error);

  for (guint i = 0; ok && i < n; i++)
    ok = insert_all (self, submissions[i], error);
  ok = ok && exec (self, "COMMIT", "commit", error);
  if (!ok && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return ok;
}

/* The WAL grows to a thousand pages (4 MiB) before it is moved into the
 * database, and its file keeps that size. On a full disk that space is
 * the resident's answer: move the WAL in now and truncate it, which needs
 * room only for the pages the database itself gains. If even that does
 * not fit, the WAL stays as it was: a failed checkpoint loses nothing. */
static gboolean
reclaim_wal (KuuStore *self)
{
  int rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);

  g_debug ("store: disk full, checkpoint to truncate the WAL: %s", sqlite3_errstr (rc));
  return rc == SQLITE_OK;
}

/* Writes @n records in one transaction; on a full disk, once more after
 * giving back the WAL's space. */
static gboolean
write_all (KuuStore                    *self,
           const KuuSubmission * const *submissions,
           guint                        n,
           GError                     **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  _kuu_store_lock (self);
  ok = write_locked (self, submissions, n, &local_error);
  if (!ok && g_error_matches (local_error, KUU_STORE_ERROR, KUU_STORE_ERROR_FULL) && reclaim_wal (self))
    {
      g_clear_error (&local_error);
      ok = write_locked (self, submissions, n, &local_error);
    }
  _kuu_store_unlock (self);

  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

/**
 * kuu_store_add:
 *
 * Writes @submission in one transaction. When this returns %TRUE the
 * record is on disk (synchronous=FULL); when it returns %FALSE nothing of
 * it was written and the caller still holds everything the person typed.
 * Blocks on the disk: call it from a worker thread, or use
 * kuu_store_add_async().
 */
gboolean
kuu_store_add (KuuStore             *self,
               const KuuSubmission  *submission,
               GError              **error)
{
  g_autoptr(GError) invalid = NULL;

  g_return_val_if_fail (KUU_IS_STORE (self), FALSE);
  g_return_val_if_fail (submission != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kuu_submission_validate (submission, &invalid))
    {
      g_set_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID, "%s", invalid->message);
      return FALSE;
    }

  return write_all (self, &submission, 1, error);
}

/**
 * _kuu_store_add_all:
 * @submissions: (element-type KuuSubmission): the records, oldest first
 *
 * Writes every record in one transaction, or none of them: for tests and
 * benchmarks that need thousands of records, where one fsync per record
 * would take minutes. Blocks on the disk like kuu_store_add().
 */
gboolean
_kuu_store_add_all (KuuStore   *self,
                    GPtrArray  *submissions,
                    GError    **error)
{
  g_return_val_if_fail (KUU_IS_STORE (self), FALSE);
  g_return_val_if_fail (submissions != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < submissions->len; i++)
    {
      g_autoptr(GError) invalid = NULL;

      if (!kuu_submission_validate (g_ptr_array_index (submissions, i), &invalid))
        {
          g_set_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID,
                       "%s (record %u)", invalid->message, i + 1);
          return FALSE;
        }
    }

  return write_all (self, (const KuuSubmission * const *)submissions->pdata, submissions->len, error);
}

static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  if (kuu_store_add (source_object, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * kuu_store_add_async:
 *
 * Writes a copy of @submission in a worker thread. The callback runs in
 * the caller's main context once the transaction has committed or failed.
 */
void
kuu_store_add_async (KuuStore             *self,
                     const KuuSubmission  *submission,
                     GCancellable         *cancellable,
                     GAsyncReadyCallback   callback,
                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KUU_IS_STORE (self));
  g_return_if_fail (submission != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_store_add_async);
  g_task_set_task_data (task, kuu_submission_copy (submission), (GDestroyNotify)kuu_submission_free);
  /* Once started, a submission is written even if the caller gives up. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, add_thread);
}

gboolean
kuu_store_add_finish (KuuStore      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (KUU_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kuu_store_add_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

#define SELECT_ANSWERS \
  "SELECT statement_id, answer FROM statement_answers WHERE submission_id = ? ORDER BY rowid"

/* @stmt: SELECT_ANSWERS, prepared; left reset */
static gboolean
read_answers_with (KuuStore       *self,
                   sqlite3_stmt   *stmt,
                   KuuSubmission  *submission,
                   gint64          id,
                   GError        **error)
{
  int rc;

  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    kuu_submission_add_answer (submission, (const char *)sqlite3_column_text (stmt, 0),
                               sqlite3_column_int (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _kuu_store_fail (self, self->db, rc, "read answers", error);
  return TRUE;
}

static gboolean
read_answers (KuuStore       *self,
              KuuSubmission  *submission,
              gint64          id,
              GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  return prepare (self, SELECT_ANSWERS, &stmt, error) &&
         read_answers_with (self, stmt, submission, id, error);
}

/* A record with its kind's row and its contact, as one row; the uuid is
 * column 19. */
#define SELECT_RECORDS \
  "SELECT s.id, s.kind, s.audience, s.created_at, s.region, s.unit, s.language," \
  "       coalesce (r.topic_kind, f.topic_kind), coalesce (r.topic_id, f.topic_id), r.score," \
  "       coalesce (r.why, f.body, i.body), i.title, i.municipality, i.channel, i.received_on," \
  "       i.signatories, c.name, c.email, c.phone, s.uuid" \
  "  FROM submissions s" \
  "  LEFT JOIN recommendations r ON r.submission_id = s.id" \
  "  LEFT JOIN feedback f ON f.submission_id = s.id" \
  "  LEFT JOIN initiatives i ON i.submission_id = s.id" \
  "  LEFT JOIN contacts c ON c.submission_id = s.id"

#define SELECT_SUBMISSION SELECT_RECORDS " WHERE s.uuid = ?"

static KuuSubmission *
submission_from_row (sqlite3_stmt *stmt)
{
  KuuSubmission *submission = kuu_submission_new_to_read (KUU_SUBMISSION_FEEDBACK);
  KuuTopicKind topic_kind = KUU_TOPIC_GOAL;
  g_autofree char *name = kuu_sqlite_column_dup (stmt, 16);
  g_autofree char *email = kuu_sqlite_column_dup (stmt, 17);
  g_autofree char *phone = kuu_sqlite_column_dup (stmt, 18);

  submission->uuid = kuu_sqlite_column_dup (stmt, 19);
  kuu_submission_kind_from_string ((const char *)sqlite3_column_text (stmt, 1), &submission->kind);
  kuu_audience_from_string ((const char *)sqlite3_column_text (stmt, 2), &submission->audience);
  submission->created_at = sqlite3_column_int64 (stmt, 3);
  submission->region = kuu_sqlite_column_dup (stmt, 4);
  submission->unit = kuu_sqlite_column_dup (stmt, 5);
  kuu_language_from_code ((const char *)sqlite3_column_text (stmt, 6), &submission->language);
  if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
    {
      kuu_topic_kind_from_string ((const char *)sqlite3_column_text (stmt, 7), &topic_kind);
      kuu_submission_set_topic (submission, topic_kind, (const char *)sqlite3_column_text (stmt, 8));
    }
  submission->score = sqlite3_column_int (stmt, 9);
  submission->text = kuu_sqlite_column_dup (stmt, 10);
  submission->title = kuu_sqlite_column_dup (stmt, 11);
  submission->municipality = kuu_sqlite_column_dup (stmt, 12);
  if (sqlite3_column_type (stmt, 13) != SQLITE_NULL)
    kuu_channel_from_string ((const char *)sqlite3_column_text (stmt, 13), &submission->channel);
  g_clear_pointer (&submission->received_on, g_free);
  submission->received_on = kuu_sqlite_column_dup (stmt, 14);
  submission->signatories = sqlite3_column_type (stmt, 15) != SQLITE_NULL ? sqlite3_column_int (stmt, 15) : 1;
  kuu_submission_set_contact (submission, name, email, phone);

  return submission;
}

/**
 * kuu_store_get:
 *
 * Returns: (transfer full): the record with @uuid as stored, or %NULL with
 *   %KUU_STORE_ERROR_NOT_FOUND
 */
KuuSubmission *
kuu_store_get (KuuStore    *self,
               const char  *uuid,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(KuuSubmission) submission = NULL;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  _kuu_store_lock (self);
  if (!prepare (self, SELECT_SUBMISSION, &stmt, error))
    goto out;

  bind_text (stmt, 1, uuid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_NOT_FOUND,
                 _("No record %s in the database."), uuid);
  else if (rc != SQLITE_ROW)
    _kuu_store_fail (self, self->db, rc, "read record", error);
  else
    {
      submission = submission_from_row (stmt);
      if (!read_answers (self, submission, sqlite3_column_int64 (stmt, 0), error))
        g_clear_pointer (&submission, kuu_submission_free);
    }

out:
  _kuu_store_unlock (self);
  return g_steal_pointer (&submission);
}

/* The outbox's waiting records in one query, oldest first, rather than
 * their uuids first and then each by its uuid (two index lookups and a
 * statement a record). */
#define SELECT_WAITING \
  SELECT_RECORDS \
  " WHERE s.synced_at IS NULL AND s.rejected_reason IS NULL" \
  " ORDER BY s.id LIMIT ?"

/**
 * _kuu_store_read_waiting:
 *
 * Call with the store's lock held (kuu-outbox marks the records in flight
 * under the same lock).
 *
 * Returns: (transfer full) (element-type KuuSubmission): up to @limit
 *   records waiting to be delivered, oldest first, or %NULL with @error set
 */
GPtrArray *
_kuu_store_read_waiting (KuuStore  *self,
                         guint      limit,
                         GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) answers = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_full (MIN (limit, 1024), (GDestroyNotify)kuu_submission_free);
  int rc;

  if (!prepare (self, SELECT_WAITING, &stmt, error) || !prepare (self, SELECT_ANSWERS, &answers, error))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KuuSubmission *submission = submission_from_row (stmt);

      g_ptr_array_add (records, submission);
      if (submission->kind == KUU_SUBMISSION_RECOMMENDATION &&
          !read_answers_with (self, answers, submission, sqlite3_column_int64 (stmt, 0), error))
        return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      _kuu_store_fail (self, self->db, rc, "read the outbox", error);
      return NULL;
    }
  return g_steal_pointer (&records);
}

/**
 * kuu_store_count:
 * @kind: a #KuuSubmissionKind, or -1 for every kind
 *
 * Returns: the number of records, or -1 with @error set
 */
gint64
kuu_store_count (KuuStore  *self,
                 int        kind,
                 GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (self), -1);

  _kuu_store_lock (self);
  if (!prepare (self, "SELECT count(*) FROM submissions WHERE ?1 IS NULL OR kind = ?1", &stmt, error))
    goto out;

  bind_text (stmt, 1, kind >= 0 ? kuu_submission_kind_to_string (kind) : NULL);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    _kuu_store_fail (self, self->db, rc, "count", error);

out:
  _kuu_store_unlock (self);
  return count;
}

/**
 * kuu_store_check_integrity:
 *
 * The full integrity_check: slow on a large database, so not at start-up.
 */
gboolean
kuu_store_check_integrity (KuuStore  *self,
                           GError   **error)
{
  g_autofree char *result = NULL;

  g_return_val_if_fail (KUU_IS_STORE (self), FALSE);

  _kuu_store_lock (self);
  result = kuu_sqlite_query_text (self->db, self->path, "PRAGMA integrity_check", error);
  _kuu_store_unlock (self);

  if (result == NULL)
    return FALSE;
  if (g_strcmp0 (result, "ok") != 0)
    {
      kuu_sqlite_set_corrupt (self->path, result, error);
      return FALSE;
    }
  return TRUE;
}

/* For diagnostics and tests: a pragma as this connection sees it. */
char *
_kuu_store_query_pragma (KuuStore    *self,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *sql = NULL;
  char *value;

  g_return_val_if_fail (KUU_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  sql = g_strdup_printf ("PRAGMA %s", name);
  _kuu_store_lock (self);
  value = kuu_sqlite_query_text (self->db, self->path, sql, error);
  _kuu_store_unlock (self);

  return value;
}

/* The outbox's in-flight set, in memory: after a restart nothing is in
 * flight. kuu-outbox.c says what it means. */
void
_kuu_store_in_flight_add (KuuStore  *self,
                          GPtrArray *uuids)
{
  g_mutex_lock (&self->in_flight_mutex);
  for (guint i = 0; i < uuids->len; i++)
    g_hash_table_add (self->in_flight, g_strdup (g_ptr_array_index (uuids, i)));
  g_mutex_unlock (&self->in_flight_mutex);
}

void
_kuu_store_in_flight_remove (KuuStore   *self,
                             const char *uuid)
{
  g_mutex_lock (&self->in_flight_mutex);
  g_hash_table_remove (self->in_flight, uuid);
  g_mutex_unlock (&self->in_flight_mutex);
}

gboolean
_kuu_store_is_in_flight (KuuStore   *self,
                         const char *uuid)
{
  gboolean found;

  g_mutex_lock (&self->in_flight_mutex);
  found = g_hash_table_contains (self->in_flight, uuid);
  g_mutex_unlock (&self->in_flight_mutex);
  return found;
}
