/* test-export.c: the CSV export, read back with a strict RFC 4180 reader —
 * BOM, CRLF, quoting, formula neutralising, contacts only when asked, the
 * period and the audience
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "kuu-export.h"
#include "kuu-store-private.h"
#include "kuu-test-tree.h"

/* 2026-01-15 at noon UTC, 14:00 in Helsinki; a day later; February. */
#define JANUARY  G_GINT64_CONSTANT (1768478400)
#define NEXT_DAY (JANUARY + 86400)
#define FEBRUARY G_GINT64_CONSTANT (1771156800)

#define WHY "He said \"hi\", then\nleft <b>bold</b>\r\nå ä ö Å Ä Ö 😀"
#define HYPERLINK "=HYPERLINK(\"http://example.com/x\",\"Click\")"

typedef struct
{
  char     *dir;
  KuuStore *store;
  char     *recommendation;
  char     *feedback;
  char     *initiative;
  char     *later;
  char     *personnel;
} Fixture;

static char *
add (Fixture       *fixture,
     KuuSubmission *submission,
     gint64         when)
{
  g_autoptr(GError) error = NULL;

  if (submission->unit == NULL)
    kuu_submission_set_place (submission, "keski-uusimaa", "Hyvinkää", KUU_LANGUAGE_FI);
  submission->created_at = when;
  g_assert_true (kuu_store_add (fixture->store, submission, &error));
  g_assert_no_error (error);
  return g_strdup (submission->uuid);
}

static void
seed (Fixture *fixture)
{
  g_autoptr(KuuSubmission) recommendation = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "goal-a", 9);
  g_autoptr(KuuSubmission) feedback = kuu_submission_new_feedback (HYPERLINK);
  g_autoptr(KuuSubmission) initiative = kuu_submission_new_initiative ("-minus", "@at", "Järvenpää", KUU_CHANNEL_PAPER);
  g_autoptr(KuuSubmission) later = kuu_submission_new_feedback ("February, plain");
  g_autoptr(KuuSubmission) personnel = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "goal-a", 3);

  recommendation->text = g_strdup (WHY);
  kuu_submission_add_answer (recommendation, "got_service", 5);
  kuu_submission_add_answer (recommendation, "clear", 3);
  fixture->recommendation = add (fixture, recommendation, JANUARY);

  kuu_submission_set_contact (feedback, "Matti Meikäläinen", "matti@example.com", "+358 40 123 4567");
  fixture->feedback = add (fixture, feedback, JANUARY);

  g_free (initiative->received_on);
  initiative->received_on = g_strdup ("2026-01-10");
  initiative->signatories = 12;
  kuu_submission_set_contact (initiative, "Liisa Virtanen", NULL, "040 765 4321");
  fixture->initiative = add (fixture, initiative, NEXT_DAY);

  fixture->later = add (fixture, later, FEBRUARY);

  personnel->audience = KUU_AUDIENCE_PERSONNEL;
  kuu_submission_add_answer (personnel, KUU_STATEMENT_FUNCTIONING, 4);
  fixture->personnel = add (fixture, personnel, JANUARY);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("kuulolla-export-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "kiosk.db", NULL);
  fixture->store = kuu_store_open (path, &error);
  g_assert_no_error (error);
  seed (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  kuu_test_assert_finalized (fixture->store);
  kuu_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->recommendation);
  g_free (fixture->feedback);
  g_free (fixture->initiative);
  g_free (fixture->later);
  g_free (fixture->personnel);
}

/* A strict reader: BOM first, every record ends in CRLF, quotes only
 * around whole fields. Returns the records as NULL-terminated arrays. */
static GPtrArray *
parse_csv_separated (const char *text,
                     gsize       length,
                     char        separator)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = text + 3;
  const char *end = text + length;

  g_assert_cmpuint (length, >=, 3);
  g_assert_cmpmem (text, 3, "\xEF\xBB\xBF", 3);
  g_assert_true (g_utf8_validate (text, length, NULL));

  while (p < end)
    {
      if (*p == '"')
        {
          for (p++; ; p++)
            {
              g_assert_true (p < end);
              if (*p == '"' && p + 1 < end && p[1] == '"')
                p++;
              else if (*p == '"')
                break;
              g_string_append_c (field, *p);
            }
          p++;
        }
      else
        {
          for (; p < end && *p != separator && *p != '\r'; p++)
            {
              g_assert_cmpint (*p, !=, '"');
              g_assert_cmpint (*p, !=, '\n');
              g_string_append_c (field, *p);
            }
        }

      g_assert_true (p < end);
      g_ptr_array_add (fields, g_strdup (field->str));
      g_string_truncate (field, 0);
      if (*p == separator)
        {
          p++;
          continue;
        }
      g_assert_cmpmem (p, 2, "\r\n", 2);
      p += 2;
      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (records, g_ptr_array_steal (fields, NULL));
    }

  return g_steal_pointer (&records);
}

static GPtrArray *
parse_csv (const char *text,
           gsize       length)
{
  return parse_csv_separated (text, length, ',');
}

static GBytes *
export_bytes (Fixture              *fixture,
              const KuuExportQuery *query,
              guint64               expected_records)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  guint64 records = G_MAXUINT64;

  g_assert_true (kuu_export_csv (fixture->store, query, stream, &records, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (records, ==, expected_records);
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

static GPtrArray *
export (Fixture              *fixture,
        const KuuExportQuery *query,
        guint64               expected_records)
{
  g_autoptr(GBytes) bytes = export_bytes (fixture, query, expected_records);
  gsize length;
  const char *text = g_bytes_get_data (bytes, &length);
  GPtrArray *records = parse_csv (text, length);

  /* The header and one line per record. */
  g_assert_cmpuint (records->len, ==, expected_records + 1);
  return records;
}

static int
column (GPtrArray  *records,
        const char *name)
{
  char **header = g_ptr_array_index (records, 0);

  for (int i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], name))
      return i;
  return -1;
}

static char **
find (GPtrArray  *records,
      const char *uuid)
{
  for (guint i = 1; i < records->len; i++)
    {
      char **record = g_ptr_array_index (records, i);

      g_assert_cmpuint (g_strv_length (record), ==, g_strv_length (g_ptr_array_index (records, 0)));
      if (g_str_equal (record[0], uuid))
        return record;
    }
  return NULL;
}

static const char *
field (GPtrArray  *records,
       const char *uuid,
       const char *name)
{
  char **record = find (records, uuid);
  int index = column (records, name);

  g_assert_nonnull (record);
  g_assert_cmpint (index, >=, 0);
  return record[index];
}

static void
january (KuuExportQuery *query,
         KuuAudience     audience)
{
  kuu_export_query_init (query, audience);
  g_date_set_dmy (&query->since, 1, G_DATE_JANUARY, 2026);
  g_date_set_dmy (&query->until, 1, G_DATE_FEBRUARY, 2026);
}

static void
test_export_fields (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *expected_header[] = {
    "uuid", "kind", "created_at", "unit", "language", "audience", "topic_kind", "topic_id",
    "score", "statements", "text", "title", "municipality", "channel", "received_on",
    "signatories", "status", NULL,
  };
  g_autoptr(GPtrArray) records = NULL;
  KuuExportQuery query;
  const char *r = fixture->recommendation;
  const char *f = fixture->feedback;
  const char *i = fixture->initiative;

  january (&query, KUU_AUDIENCE_RESIDENTS);
  records = export (fixture, &query, 3);
  g_assert_cmpstrv (g_ptr_array_index (records, 0), expected_header);

  g_assert_cmpstr (field (records, r, "kind"), ==, "recommendation");
  g_assert_cmpstr (field (records, r, "created_at"), ==, "2026-01-15T14:00:00+02:00");
  g_assert_cmpstr (field (records, r, "unit"), ==, "Hyvinkää");
  g_assert_cmpstr (field (records, r, "language"), ==, "fi");
  g_assert_cmpstr (field (records, r, "audience"), ==, "residents");
  g_assert_cmpstr (field (records, r, "topic_kind"), ==, "goal");
  g_assert_cmpstr (field (records, r, "topic_id"), ==, "goal-a");
  g_assert_cmpstr (field (records, r, "score"), ==, "9");
  g_assert_cmpstr (field (records, r, "statements"), ==, "clear=3;got_service=5");
  g_assert_cmpstr (field (records, r, "text"), ==, WHY);
  g_assert_cmpstr (field (records, r, "title"), ==, "");
  g_assert_cmpstr (field (records, r, "status"), ==, "");

  /* Formulas are neutralised, everything else is kept as typed. */
  g_assert_cmpstr (field (records, f, "text"), ==, "'" HYPERLINK);
  g_assert_cmpstr (field (records, f, "score"), ==, "");

  g_assert_cmpstr (field (records, i, "kind"), ==, "initiative");
  g_assert_cmpstr (field (records, i, "title"), ==, "'-minus");
  g_assert_cmpstr (field (records, i, "text"), ==, "'@at");
  g_assert_cmpstr (field (records, i, "municipality"), ==, "Järvenpää");
  g_assert_cmpstr (field (records, i, "channel"), ==, "paper");
  g_assert_cmpstr (field (records, i, "received_on"), ==, "2026-01-10");
  g_assert_cmpstr (field (records, i, "signatories"), ==, "12");
  g_assert_cmpstr (field (records, i, "status"), ==, "received");
}

/* The bytes themselves: quotes doubled, the text's own line breaks kept. */
static void
test_export_bytes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  KuuExportQuery query;
  gsize length;

  january (&query, KUU_AUDIENCE_RESIDENTS);
  bytes = export_bytes (fixture, &query, 3);
  text = g_strndup (g_bytes_get_data (bytes, &length), g_bytes_get_size (bytes));
  g_assert_cmpuint (strlen (text), ==, length);

  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBFuuid,kind,created_at,unit,"));
  g_assert_nonnull (strstr (text, ",signatories,status\r\n"));
  g_assert_nonnull (strstr (text, ",\"He said \"\"hi\"\", then\nleft <b>bold</b>\r\nå ä ö Å Ä Ö 😀\","));
  g_assert_nonnull (strstr (text, ",\"'=HYPERLINK(\"\"http://example.com/x\"\",\"\"Click\"\")\","));
  g_assert_true (g_str_has_suffix (text, "\r\n"));
}

static void
test_export_contacts (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  KuuExportQuery query;

  /* Without the flag, not a trace of them. */
  january (&query, KUU_AUDIENCE_RESIDENTS);
  bytes = export_bytes (fixture, &query, 3);
  g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "Matti"));
  g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "matti@"));
  g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "765 4321"));
  g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "email"));

  query.flags = KUU_EXPORT_CONTACTS;
  records = export (fixture, &query, 3);
  g_assert_cmpint (column (records, "name"), ==, 17);
  g_assert_cmpint (column (records, "email"), ==, 18);
  g_assert_cmpint (column (records, "phone"), ==, 19);
  g_assert_cmpstr (field (records, fixture->feedback, "name"), ==, "Matti Meikäläinen");
  g_assert_cmpstr (field (records, fixture->feedback, "email"), ==, "matti@example.com");
  g_assert_cmpstr (field (records, fixture->feedback, "phone"), ==, "'+358 40 123 4567");
  g_assert_cmpstr (field (records, fixture->initiative, "email"), ==, "");
  g_assert_cmpstr (field (records, fixture->initiative, "phone"), ==, "040 765 4321");
  g_assert_cmpstr (field (records, fixture->recommendation, "name"), ==, "");
}

/* For Excel with Nordic settings: the same fields, semicolons between
 * them, and a field with a semicolon quoted; commas are then plain text. */
static void
test_export_semicolons (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) commas = NULL;
  g_autofree char *text = NULL;
  KuuExportQuery query;
  gsize length;

  january (&query, KUU_AUDIENCE_RESIDENTS);
  query.flags = KUU_EXPORT_SEMICOLONS | KUU_EXPORT_CONTACTS;
  bytes = export_bytes (fixture, &query, 3);
  text = g_strndup (g_bytes_get_data (bytes, &length), g_bytes_get_size (bytes));

  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBFuuid;kind;created_at;unit;"));
  g_assert_nonnull (strstr (text, ";status;name;email;phone\r\n"));
  g_assert_nonnull (strstr (text, ";\"clear=3;got_service=5\";"));
  g_assert_nonnull (strstr (text, ";\"He said \"\"hi\"\", then\nleft <b>bold</b>\r\nå ä ö Å Ä Ö 😀\";"));

  records = parse_csv_separated (text, length, ';');
  g_assert_cmpuint (records->len, ==, 4);
  g_assert_cmpstr (field (records, fixture->recommendation, "statements"), ==, "clear=3;got_service=5");
  g_assert_cmpstr (field (records, fixture->feedback, "phone"), ==, "'+358 40 123 4567");
  g_assert_cmpstr (field (records, fixture->initiative, "municipality"), ==, "Järvenpää");

  /* Without the flag the same records, separated by commas. */
  query.flags = KUU_EXPORT_CONTACTS;
  commas = export (fixture, &query, 3);
  for (guint i = 0; i < records->len; i++)
    g_assert_cmpstrv (g_ptr_array_index (records, i), g_ptr_array_index (commas, i));
}

/* @n more personnel answers in @unit, in January. */
static void
add_personnel (Fixture    *fixture,
               const char *unit,
               guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KuuSubmission) submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "goal-a", 7);
      g_autofree char *uuid = NULL;

      kuu_submission_set_place (submission, "keski-uusimaa", unit, KUU_LANGUAGE_FI);
      submission->audience = KUU_AUDIENCE_PERSONNEL;
      uuid = add (fixture, submission, JANUARY);
    }
}

static void
test_export_audience (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) residents = NULL;
  g_autoptr(GPtrArray) personnel = NULL;
  KuuExportQuery query;

  kuu_export_query_init (&query, KUU_AUDIENCE_RESIDENTS);
  residents = export (fixture, &query, 4);
  g_assert_null (find (residents, fixture->personnel));

  /* The small-group rule: one personnel answer in its unit is not in
   * the file, nor are four; from the fifth the unit's answers are. */
  kuu_export_query_init (&query, KUU_AUDIENCE_PERSONNEL);
  g_clear_pointer (&personnel, g_ptr_array_unref);
  personnel = export (fixture, &query, 0);
  add_personnel (fixture, "Hyvinkää", 3);
  add_personnel (fixture, "Kerava", 4);
  g_clear_pointer (&personnel, g_ptr_array_unref);
  personnel = export (fixture, &query, 0);
  add_personnel (fixture, "Hyvinkää", 1);
  g_clear_pointer (&personnel, g_ptr_array_unref);
  personnel = export (fixture, &query, 5);
  for (guint i = 1; i < personnel->len; i++)
    g_assert_cmpstr (((char **)personnel->pdata[i])[column (personnel, "unit")], ==, "Hyvinkää");
  g_assert_cmpstr (field (personnel, fixture->personnel, "audience"), ==, "personnel");
  g_assert_cmpstr (field (personnel, fixture->personnel, "score"), ==, "3");
  g_assert_cmpstr (field (personnel, fixture->personnel, "statements"), ==, "functioning=4");
}

static void
test_export_period (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) from_february = NULL;
  g_autoptr(GPtrArray) before_16th = NULL;
  g_autoptr(GPtrArray) only_16th = NULL;
  KuuExportQuery query;

  kuu_export_query_init (&query, KUU_AUDIENCE_RESIDENTS);
  g_date_set_dmy (&query.since, 1, G_DATE_FEBRUARY, 2026);
  from_february = export (fixture, &query, 1);
  g_assert_nonnull (find (from_february, fixture->later));

  /* until is exclusive, in local days */
  kuu_export_query_init (&query, KUU_AUDIENCE_RESIDENTS);
  g_date_set_dmy (&query.until, 16, G_DATE_JANUARY, 2026);
  before_16th = export (fixture, &query, 2);
  g_assert_nonnull (find (before_16th, fixture->recommendation));
  g_assert_nonnull (find (before_16th, fixture->feedback));

  g_date_set_dmy (&query.since, 16, G_DATE_JANUARY, 2026);
  g_date_set_dmy (&query.until, 17, G_DATE_JANUARY, 2026);
  only_16th = export (fixture, &query, 1);
  g_assert_nonnull (find (only_16th, fixture->initiative));
}

/* More records than one batch: every one once, in order. */
static void
test_export_many (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_submission_free);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  KuuExportQuery query;

  for (int i = 0; i < 1234; i++)
    {
      KuuSubmission *submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "goal-b", i % 11);

      kuu_submission_set_place (submission, "keski-uusimaa", "Kerava", KUU_LANGUAGE_SV);
      submission->audience = KUU_AUDIENCE_PERSONNEL;
      g_ptr_array_add (many, submission);
    }
  g_assert_true (_kuu_store_add_all (fixture->store, many, &error));
  g_assert_no_error (error);

  /* the seeded personnel answer, alone in its unit, is left out */
  kuu_export_query_init (&query, KUU_AUDIENCE_PERSONNEL);
  records = export (fixture, &query, 1234);
  for (guint i = 0; i < many->len; i++)
    {
      char **record = g_ptr_array_index (records, i + 1);

      g_assert_cmpstr (record[0], ==, ((KuuSubmission *)g_ptr_array_index (many, i))->uuid);
    }
}

static void
on_exported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out_result = user_data;

  *out_result = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static void
test_export_to_file (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "answers.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *contents = NULL;
  KuuExportQuery query;
  GStatBuf info;
  guint64 count = 0;
  gsize length;

  january (&query, KUU_AUDIENCE_RESIDENTS);
  query.flags = KUU_EXPORT_CONTACTS;
  kuu_export_csv_to_file_async (fixture->store, &query, file, NULL, on_exported_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (kuu_export_csv_finish (fixture->store, result, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 3);

  /* It may hold contact details: readable by its owner only. */
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0077, ==, 0);

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  records = parse_csv (contents, length);
  g_assert_cmpuint (records->len, ==, 4);
  g_assert_cmpstr (field (records, fixture->feedback, "name"), ==, "Matti Meikäläinen");
}

static void
test_export_cancelled (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KuuExportQuery query;

  kuu_export_query_init (&query, KUU_AUDIENCE_RESIDENTS);
  g_cancellable_cancel (cancellable);
  kuu_export_csv_async (fixture->store, &query, stream, cancellable, on_exported_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (kuu_export_csv_finish (fixture->store, result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  /* Days and times are local; pin the zone so the expectations hold. */
  g_setenv ("TZ", "Europe/Helsinki", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/export/fields", test_export_fields);
  ADD ("/export/bytes", test_export_bytes);
  ADD ("/export/contacts", test_export_contacts);
  ADD ("/export/semicolons", test_export_semicolons);
  ADD ("/export/audience", test_export_audience);
  ADD ("/export/period", test_export_period);
  ADD ("/export/many", test_export_many);
  ADD ("/export/to-file", test_export_to_file);
  ADD ("/export/cancelled", test_export_cancelled);

#undef ADD

  return g_test_run ();
}
