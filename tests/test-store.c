/* test-store.c: the SQLite store — schema, pragmas, round trips, errors,
 * and a writer killed mid-stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kuu-outbox.h"
#include "kuu-stats.h"
#include "kuu-store-private.h"
#include "kuu-store-schema.h"
#include "kuu-test-sqlite.h"
#include "kuu-test-tree.h"

typedef KuuTestDir Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  kuu_test_dir_set_up (fixture, "store", "kiosk.db");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  kuu_test_dir_tear_down (fixture);
}

static char *
pragma (sqlite3    *db,
        const char *name)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s", name);
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static KuuSubmission *
make_recommendation (void)
{
  KuuSubmission *submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "saavutettavat-palvelut", 9);

  kuu_submission_set_place (submission, "kymenlaakso", "Kotka, Kymenlaakson keskussairaala", KUU_LANGUAGE_SV);
  kuu_submission_add_answer (submission, "felt-safe", 5);
  kuu_submission_add_answer (submission, "got-needed-service", 4);
  submission->text = g_strdup ("Hyvä palvelu – åäö 😊 <b>bold</b> & \"quotes\"");
  return submission;
}

/* An empty file migrates to the current schema with every table. */
static void
test_store_migrates_empty (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (fixture->path, &error);
  sqlite3 *db = NULL;
  g_autofree char *version = NULL;
  const char *tables[] = { "submissions", "recommendations", "statement_answers",
                           "feedback", "initiatives", "contacts",
                           "published_initiatives", "sync_state" };

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (kuu_store_count (store, -1, &error), ==, 0);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  version = pragma (db, "user_version");
  g_assert_cmpint (atoi (version), ==, KUU_STORE_SCHEMA_VERSION);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  sqlite3_close (db);

  /* Opening again does not migrate again. */
  g_clear_object (&store);
  store = kuu_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

/* Read back through the store's own connection: synchronous and
 * foreign_keys are per connection. */
static void
test_store_pragmas (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (fixture->path, &error);
  const char *expected[][2] = {
    { "journal_mode", "wal" },
    { "synchronous", "2" },
    { "foreign_keys", "1" },
    { "busy_timeout", "5000" },
  };
  sqlite3 *db = NULL;
  g_autofree char *journal = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *value = _kuu_store_query_pragma (store, expected[i][0], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (value, ==, expected[i][1]);
    }

  /* journal_mode is stored in the file: a fresh connection sees WAL too. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  journal = pragma (db, "journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
  sqlite3_close (db);
}

static void
test_store_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (fixture->path, &error);
  g_autoptr(KuuSubmission) recommendation = make_recommendation ();
  g_autoptr(KuuSubmission) feedback = kuu_submission_new_feedback ("Odotusaika oli pitkä.\nToinen rivi.");
  g_autoptr(KuuSubmission) initiative =
    kuu_submission_new_initiative ("Lisää penkkejä terveysaseman aulaan",
                                   "Aulassa on liian vähän istumapaikkoja <script>.",
                                   "kotka", KUU_CHANNEL_PAPER);
  KuuSubmission *items[] = { recommendation, feedback, initiative };

  g_assert_no_error (error);
  kuu_submission_set_place (feedback, "kymenlaakso", "Kouvola", KUU_LANGUAGE_FI);
  kuu_submission_set_topic (feedback, KUU_TOPIC_SERVICE_AREA, "pelastustoimi");
  kuu_submission_set_contact (feedback, "Maija Meikäläinen", "maija@example.fi", NULL);
  kuu_submission_set_place (initiative, "kymenlaakso", "Kotka", KUU_LANGUAGE_EN);
  kuu_submission_set_contact (initiative, "Matti Virtanen", NULL, "+358 40 123 4567");
  initiative->signatories = 42;
  g_free (initiative->received_on);
  initiative->received_on = g_strdup ("2026-10-31");

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(KuuSubmission) back = NULL;

      g_assert_true (kuu_store_add (store, items[i], &error));
      g_assert_no_error (error);
      back = kuu_store_get (store, items[i]->uuid, &error);
      g_assert_no_error (error);
      g_assert_true (kuu_submission_equal (items[i], back));
      g_assert_cmpstr (back->text, ==, items[i]->text);
    }

  g_assert_cmpint (kuu_store_count (store, -1, NULL), ==, 3);
  g_assert_cmpint (kuu_store_count (store, KUU_SUBMISSION_INITIATIVE, NULL), ==, 1);
}

static void
test_store_duplicate_uuid (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (fixture->path, &error);
  g_autoptr(KuuSubmission) submission = make_recommendation ();

  g_assert_true (kuu_store_add (store, submission, &error));
  g_assert_false (kuu_store_add (store, submission, &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID);
  /* The failed second write left nothing half-written behind. */
  g_assert_cmpint (kuu_store_count (store, -1, NULL), ==, 1);
}

/* Invalid records are refused whole, with the field named. */
static void
test_store_refuses_invalid (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (fixture->path, &error);
  g_autoptr(KuuSubmission) score = make_recommendation ();
  g_autoptr(KuuSubmission) answer = make_recommendation ();
  g_autoptr(KuuSubmission) initiative = kuu_submission_new_initiative ("Otsikko", "Teksti", "kotka", KUU_CHANNEL_KIOSK);
  g_autoptr(KuuSubmission) long_feedback = NULL;
  g_autofree char *long_text = g_strnfill (KUU_MAX_FEEDBACK_LENGTH + 1, 'a');

  score->score = 11;
  g_assert_false (kuu_store_add (store, score, &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "score:"));
  g_clear_error (&error);

  kuu_submission_add_answer (answer, "treated-with-respect", 6);
  g_assert_false (kuu_store_add (store, answer, &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* An initiative needs its initiator's contact. */
  kuu_submission_set_place (initiative, "kymenlaakso", "Kotka", KUU_LANGUAGE_FI);
  g_assert_false (kuu_store_add (store, initiative, &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "contact_name:"));
  g_clear_error (&error);

  long_feedback = kuu_submission_new_feedback (long_text);
  kuu_submission_set_place (long_feedback, "kymenlaakso", "Kotka", KUU_LANGUAGE_FI);
  g_assert_false (kuu_store_add (store, long_feedback, &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (kuu_store_count (store, -1, NULL), ==, 0);
}

/* As the sync does once the server holds the record. */
static void
settle_accepted (KuuStore   *store,
                 const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = kuu_outbox_next_batch (store, 10, &error);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_delivery_result_free);
  KuuDeliveryResult *result = g_new0 (KuuDeliveryResult, 1);

  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 1);
  result->uuid = g_strdup (uuid);
  result->delivery = KUU_DELIVERY_ACCEPTED;
  g_ptr_array_add (results, result);
  g_assert_true (kuu_outbox_settle (store, results, &error));
  g_assert_no_error (error);
}

static void
test_store_erase_contact (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (fixture->path, &error);
  g_autoptr(KuuSubmission) feedback = kuu_submission_new_feedback ("Kiitos!");
  g_autoptr(KuuSubmission) back = NULL;

  kuu_submission_set_place (feedback, "kainuu", "Kajaani", KUU_LANGUAGE_FI);
  kuu_submission_set_contact (feedback, "Liisa", "liisa@example.fi", NULL);
  g_assert_true (kuu_store_add (store, feedback, &error));
  settle_accepted (store, feedback->uuid);

  back = kuu_store_get (store, feedback->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->text, ==, "Kiitos!");
  g_assert_false (kuu_submission_has_contact (back));
}

static void
on_added_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = kuu_store_add_finish (KUU_STORE (object), result, error);

  g_assert_true (ok == (*error == NULL));
  /* Mark done with a sentinel the loop below waits for. */
  g_object_set_data (object, "done", GINT_TO_POINTER (1));
}

static void
test_store_add_async (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (fixture->path, &error);
  g_autoptr(KuuSubmission) submission = make_recommendation ();
  g_autoptr(KuuSubmission) back = NULL;

  kuu_store_add_async (store, submission, NULL, on_added_cb, &error);
  while (g_object_get_data (G_OBJECT (store), "done") == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (error);
  back = kuu_store_get (store, submission->uuid, &error);
  g_assert_true (kuu_submission_equal (submission, back));
}

static void
test_store_not_a_database (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;

  g_assert_true (g_file_set_contents (fixture->path, "this is not an SQLite database, just text\n"
                                      "long enough to have a header to read ..........", -1, NULL));
  store = kuu_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, fixture->path));
}

/* A page of the table overwritten with noise: quick_check notices. */
static void
test_store_damaged (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (fixture->path, &error);
  g_autofree char *contents = NULL;
  gsize length;

  for (int i = 0; i < 200; i++)
    {
      g_autoptr(KuuSubmission) submission = make_recommendation ();

      g_assert_true (kuu_store_add (store, submission, NULL));
    }
  g_clear_object (&store);  /* checkpoints the WAL into the main file */

  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 3 * 4096);
  for (gsize i = 2 * 4096 + 100; i < 3 * 4096; i++)
    contents[i] = (char)(i * 31);
  g_assert_true (g_file_set_contents (fixture->path, contents, length, NULL));

  store = kuu_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_CORRUPT);
}

/* Root ignores permission bits, so as root use sysfs, which refuses
 * new folders to everyone. */
static void
test_store_read_only_folder (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;
  g_autofree char *locked = g_build_filename (fixture->dir, "locked", NULL);
  g_autofree char *path = NULL;

  if (geteuid () == 0)
    path = g_strdup ("/sys/kuulolla-test/kiosk.db");
  else
    {
      g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
      path = g_build_filename (locked, "sub", "kiosk.db", NULL);
    }

  store = kuu_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_READ_ONLY);
}

/* The folder is a file: it can be neither created nor opened. */
static void
test_store_unopenable (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;
  g_autofree char *blocker = g_build_filename (fixture->dir, "blocker", NULL);
  g_autofree char *path = g_build_filename (blocker, "kiosk.db", NULL);

  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  store = kuu_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "blocker"));
}

static void
test_store_too_new (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = kuu_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_TOO_NEW);
}

/* Kill the writer mid-stream, several times over the same file: every
 * UUID it printed (after its commit returned) must be there, and the
 * database must pass the full integrity check. */
static void
test_store_survives_sigkill (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) committed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;
  const char *writer = g_getenv ("KUULOLLA_STORE_WRITER");
  guint rounds = g_test_slow () ? 10 : 4;

  g_assert_nonnull (writer);

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      guint kill_after = g_test_rand_int_range (100, 1500);
      char *line;
      guint seen = 0;

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                writer, fixture->path, "5000", NULL);
      g_assert_no_error (error);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

      while (seen < kill_after &&
             (line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)))
        {
          g_ptr_array_add (committed, line);
          seen++;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (seen, ==, kill_after);

      g_subprocess_force_exit (child);
      /* Lines already in the pipe were committed before the kill too. */
      while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL)))
        g_ptr_array_add (committed, line);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_false (g_subprocess_get_if_exited (child));
    }

  store = kuu_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (kuu_store_check_integrity (store, &error));
  g_assert_no_error (error);

  g_test_message ("%u commits reported before the kills", committed->len);
  for (guint i = 0; i < committed->len; i++)
    {
      g_autoptr(KuuSubmission) back = kuu_store_get (store, g_ptr_array_index (committed, i), &error);

      g_assert_no_error (error);
      g_assert_nonnull (back);
    }
  /* Nothing more than the commits can be there, save the one in flight
   * at each kill whose UUID had not been printed yet. */
  g_assert_cmpint (kuu_store_count (store, -1, NULL), >=, committed->len);
  g_assert_cmpint (kuu_store_count (store, -1, NULL), <=, committed->len + rounds);
}

/* A kiosk's database from the first release moves to the current schema
 * with its records, waiting or refused, as they were. */
static void
test_store_migrates_version_1 (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(KuuSubmission) waiting = make_recommendation ();
  g_autoptr(KuuSubmission) refused = make_recommendation ();
  g_autoptr(KuuSubmission) read = NULL;
  g_autofree char *version = NULL;
  sqlite3 *db = NULL;

  /* Migration 1 only, as that release wrote it. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, kuu_store_migrations[0], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 1", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = kuu_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (kuu_store_add (store, waiting, NULL));
  g_assert_true (kuu_store_add (store, refused, NULL));
  g_clear_object (&store);

  /* Back to version 1 with one record refused, then opened again. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE published_initiatives; DROP TABLE sync_state;"
                                 " DROP INDEX submissions_outbox; DROP INDEX submissions_rejected;"
                                 " UPDATE submissions SET rejected_reason = 'topic.id: no goal' WHERE id = 2;"
                                 " PRAGMA user_version = 1", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = kuu_store_open (fixture->path, &error);
  g_assert_no_error (error);

  g_assert_cmpint (kuu_outbox_count_pending (store, NULL), ==, 1);
  rejected = kuu_outbox_list_rejected (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_cmpstr (((KuuDeliveryResult *)g_ptr_array_index (rejected, 0))->uuid, ==, refused->uuid);
  g_assert_cmpstr (((KuuDeliveryResult *)g_ptr_array_index (rejected, 0))->reason, ==, "topic.id: no goal");
  read = kuu_store_get (store, waiting->uuid, &error);
  g_assert_no_error (error);
  g_assert_true (kuu_submission_equal (read, waiting));

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  version = pragma (db, "user_version");
  g_assert_cmpint (atoi (version), ==, KUU_STORE_SCHEMA_VERSION);
  sqlite3_close (db);
}

/* EXPLAIN QUERY PLAN's steps (its fourth column), one a line. */
static char *
query_plan (sqlite3    *db,
            const char *sql)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  GString *plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *)sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  return g_string_free (plan, FALSE);
}

/* Workplace functioning from the counts equals that from the answers. */
static void
check_scale_migrated (KuuStore      *store,
                      KuuStatsQuery *query)
{
  g_autoptr(GPtrArray) counted = NULL;
  g_autoptr(GPtrArray) answers = NULL;

  query->since = 0;
  counted = kuu_stats_scale (store, query, KUU_STATEMENT_FUNCTIONING, NULL);
  query->since = 1;
  answers = kuu_stats_scale (store, query, KUU_STATEMENT_FUNCTIONING, NULL);
  g_assert_cmpuint (counted->len, >, 6);
  g_assert_cmpuint (counted->len, ==, answers->len);
  for (guint i = 0; i < counted->len; i++)
    {
      KuuStatsScaleRow *a = counted->pdata[i], *b = answers->pdata[i];

      g_assert_cmpstr (a->period, ==, b->period);
      g_assert_cmpuint (a->count, ==, b->count);
      g_assert_cmpuint (a->agree, ==, b->agree);
      g_assert_cmpfloat_with_epsilon (a->mean, b->mean, 1e-9);
    }
}

/* A kiosk's database of schema 4 with its answers moves to schema 5 with
 * them, and the counts migration 5 makes hold them all: the figures from
 * the counts are those from the answers. */
static void
test_store_migrates_version_4 (Fixture       *fixture,
                               gconstpointer  data)
{
  const char * const units[] = { "Kotka", "Kouvola", "Hamina" };
  const KuuStatsGroup groups[] = {
    KUU_STATS_GROUP_TOPIC | KUU_STATS_GROUP_UNIT | KUU_STATS_GROUP_MONTH,
    KUU_STATS_GROUP_TOPIC | KUU_STATS_GROUP_UNIT | KUU_STATS_GROUP_WEEK,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;
  g_auto(GStrv) found_units = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (sqlite3_exec (db, kuu_store_migrations[i], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 4; BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  /* 600 answers, one every 7 hours from 2025-12-01: three months, any hour */
  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("INSERT INTO submissions (uuid, kind, audience, created_at, region, unit, language)"
                         " VALUES ('%08u-0000-4000-8000-000000000000', 'recommendation', '%s', %" G_GINT64_FORMAT ","
                         " 'kymenlaakso', '%s', 'fi');"
                         "INSERT INTO recommendations (submission_id, topic_kind, topic_id, score)"
                         " VALUES (last_insert_rowid (), 'goal', '%s', %u);"
                         "INSERT INTO statement_answers (submission_id, statement_id, answer)"
                         " VALUES (last_insert_rowid (), '" KUU_STATEMENT_FUNCTIONING "', %u)",
                         i, i % 4 == 0 ? "personnel" : "residents",
                         G_GINT64_CONSTANT (1764547200) + i * 7 * 3600,
                         units[i % G_N_ELEMENTS (units)], i % 2 ? "goal-a" : "goal-b", i * 7 % 11, 1 + i % 5);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = kuu_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kuu_store_count (store, -1, NULL), ==, 600);

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (kuu_test_query_int (db, "PRAGMA user_version"), ==, KUU_STORE_SCHEMA_VERSION);
  g_assert_cmpint (kuu_test_query_int (db, "SELECT sum (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10)"
                                  " FROM recommendation_months"), ==, 600);
  g_assert_cmpint (kuu_test_query_int (db, "SELECT sum (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10)"
                                  " FROM recommendation_weeks"), ==, 600);
  /* Migration 6: the index nothing reads is gone, and the outbox is
   * still found by its own. */
  g_assert_cmpint (kuu_test_query_int (db, "SELECT count (*) FROM sqlite_master WHERE name = 'submissions_unsynced'"), ==, 0);
  {
    g_autofree char *plan = query_plan (db, "SELECT id FROM submissions"
                                            " WHERE synced_at IS NULL AND rejected_reason IS NULL ORDER BY id LIMIT 500");

    g_assert_nonnull (strstr (plan, "submissions_outbox"));
  }
  sqlite3_close (db);

  /* From the counts (no limit), and from every answer (a limit one second
   * after the epoch is no period's start, so kuu-stats reads the answers). */
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    for (KuuAudience audience = KUU_AUDIENCE_RESIDENTS; audience <= KUU_AUDIENCE_PERSONNEL; audience++)
      {
        g_autoptr(GPtrArray) counted = NULL;
        g_autoptr(GPtrArray) answers = NULL;
        KuuStatsQuery query;

        kuu_stats_query_init_for (&query, audience);
        query.group = groups[g];
        counted = kuu_stats_nps (store, &query, &error);
        g_assert_no_error (error);
        query.since = 1;
        answers = kuu_stats_nps (store, &query, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (counted->len, >, 6);
        g_assert_cmpuint (counted->len, ==, answers->len);
        for (guint i = 0; i < counted->len; i++)
          {
            KuuStatsRow *a = counted->pdata[i], *b = answers->pdata[i];

            g_assert_cmpstr (a->topic_id, ==, b->topic_id);
            g_assert_cmpstr (a->unit, ==, b->unit);
            g_assert_cmpstr (a->period, ==, b->period);
            g_assert_cmpmem (a->scores, sizeof a->scores, b->scores, sizeof b->scores);
          }
        check_scale_migrated (store, &query);
      }

  found_units = kuu_stats_units (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (found_units), ==, 3);
  g_assert_cmpstr (found_units[0], ==, "Hamina");
}

/* Many records in one transaction, or none of them. */
static void
test_store_add_all (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (fixture->path, &error);
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_submission_free);
  g_autoptr(KuuSubmission) read = NULL;
  KuuSubmission *broken;

  g_assert_no_error (error);
  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (many, make_recommendation ());
  g_assert_true (_kuu_store_add_all (store, many, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kuu_store_count (store, -1, NULL), ==, 1000);
  read = kuu_store_get (store, ((KuuSubmission *)g_ptr_array_index (many, 999))->uuid, &error);
  g_assert_no_error (error);
  g_assert_true (kuu_submission_equal (read, g_ptr_array_index (many, 999)));

  /* Read back in any order; an unknown one is not found. */
  for (guint i = 1000; i > 0; i -= 100)
    {
      const KuuSubmission *stored = g_ptr_array_index (many, i - 1);
      g_autoptr(KuuSubmission) back = kuu_store_get (store, stored->uuid, &error);

      g_assert_no_error (error);
      g_assert_true (kuu_submission_equal (back, stored));
    }
  g_assert_null (kuu_store_get (store, "00000000-0000-4000-8000-000000000000", &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A valid batch whose last record repeats a stored UUID: all refused. */
  g_ptr_array_set_size (many, 0);
  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (many, make_recommendation ());
  g_ptr_array_add (many, kuu_submission_copy (read));
  g_assert_false (_kuu_store_add_all (store, many, &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kuu_store_count (store, -1, NULL), ==, 1000);

  /* An invalid one is named before anything is written. */
  broken = make_recommendation ();
  broken->score = 11;
  g_ptr_array_add (many, broken);
  g_assert_false (_kuu_store_add_all (store, many, &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "record 12"));
  g_assert_cmpint (kuu_store_count (store, -1, NULL), ==, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/migrates-empty", test_store_migrates_empty);
  ADD ("/store/pragmas", test_store_pragmas);
  ADD ("/store/round-trip", test_store_round_trip);
  ADD ("/store/duplicate-uuid", test_store_duplicate_uuid);
  ADD ("/store/refuses-invalid", test_store_refuses_invalid);
  ADD ("/store/erase-contact", test_store_erase_contact);
  ADD ("/store/add-async", test_store_add_async);
  ADD ("/store/not-a-database", test_store_not_a_database);
  ADD ("/store/damaged", test_store_damaged);
  ADD ("/store/read-only-folder", test_store_read_only_folder);
  ADD ("/store/unopenable", test_store_unopenable);
  ADD ("/store/too-new", test_store_too_new);
  ADD ("/store/survives-sigkill", test_store_survives_sigkill);
  ADD ("/store/migrates-version-1", test_store_migrates_version_1);
  ADD ("/store/migrates-version-4", test_store_migrates_version_4);
  ADD ("/store/add-all", test_store_add_all);

#undef ADD

  return g_test_run ();
}
