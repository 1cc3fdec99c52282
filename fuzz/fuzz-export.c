/* fuzz-export.c: the CSV export (kuu_export_csv)
 *
 * The input is a batch of records in the wire format ({"records": [...]},
 * docs/protocol.md), so that the fuzzer reaches every kind of record and
 * every field. The valid ones are stored as the kiosk stores them, both
 * audiences are exported, with and without contacts, and each file is read
 * back with a strict RFC 4180 reader of this file's own. The target aborts
 * when the file is not UTF-8 with a byte order mark, a record does not end
 * in CRLF, a row has another number of fields than the header, a field
 * does not come back as stored, or a cell that a spreadsheet program would
 * run as a formula (= + - @, tab, CR first) was not neutralised.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kuu-export.h"
#include "kuu-fuzz.h"
#include "kuu-json.h"
#include "kuu-privacy.h"
#include "kuu-store-private.h"
#include "kuu-wire.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define MAX_RECORDS 50

/* --- a strict RFC 4180 reader ------------------------------------------- */

/* The rows of @text (without its BOM): each a GPtrArray of fields. NULL
 * when it breaks RFC 4180 or the export's own rules (CRLF after every
 * record, the last one included). */
static GPtrArray *
read_csv (const char *text,
          gsize       length)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  const char *p = text, *end = text + length;

  while (p < end)
    {
      g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);

      for (;;)
        {
          g_autoptr(GString) field = g_string_new (NULL);

          if (p < end && *p == '"')
            {
              for (p++;; p++)
                {
                  if (p >= end)
                    return NULL;  /* an unclosed quote */
                  if (*p == '"')
                    {
                      if (p + 1 < end && p[1] == '"')
                        {
                          g_string_append_c (field, '"');
                          p++;
                        }
                      else
                        break;
                    }
                  else
                    g_string_append_c (field, *p);
                }
              p++;
            }
          else
            {
              /* A field without quotes holds no quote and no line break. */
              for (; p < end && *p != ',' && *p != '\r'; p++)
                {
                  if (*p == '"' || *p == '\n')
                    return NULL;
                  g_string_append_c (field, *p);
                }
            }
          g_ptr_array_add (row, g_string_free (g_steal_pointer (&field), FALSE));

          if (p < end && *p == ',')
            {
              p++;
              continue;
            }
          if (p + 1 < end && p[0] == '\r' && p[1] == '\n')
            {
              p += 2;
              break;
            }
          return NULL;  /* anything but a comma or CRLF after a field */
        }
      g_ptr_array_add (rows, g_steal_pointer (&row));
    }
  return g_steal_pointer (&rows);
}

/* --- what each cell should be -------------------------------------------- */

static char *
neutralised (const char *value)
{
  if (value == NULL)
    return g_strdup ("");
  if (value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL)
    return g_strconcat ("'", value, NULL);
  return g_strdup (value);
}

static int
compare_parts (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static char *
statements_cell (const KuuSubmission *record)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (record->kind != KUU_SUBMISSION_RECOMMENDATION || record->answers->len == 0)
    return NULL;
  for (guint i = 0; i < record->answers->len; i++)
    {
      const KuuStatementAnswer *answer = &g_array_index (record->answers, KuuStatementAnswer, i);

      g_ptr_array_add (parts, g_strdup_printf ("%s=%d", answer->statement_id, answer->answer));
    }
  g_ptr_array_sort (parts, compare_parts);
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (";", (char **)parts->pdata);
}

static void
check_cell (GPtrArray  *header,
            GPtrArray  *row,
            const char *column,
            const char *value)
{
  g_autofree char *expected = neutralised (value);
  guint index;

  kuu_fuzz_assert (g_ptr_array_find_with_equal_func (header, column, g_str_equal, &index));
  if (strcmp (g_ptr_array_index (row, index), expected) != 0)
    {
      fprintf (stderr, "column %s: expected \"%s\", the file has \"%s\"\n", column, expected,
               (const char *)g_ptr_array_index (row, index));
      abort ();
    }
}

static void
check_row (GPtrArray           *header,
           GPtrArray           *row,
           const KuuSubmission *record,
           gboolean             contacts)
{
  g_autofree char *statements_text = statements_cell (record);
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (record->created_at);
  const char *created_at = g_ptr_array_index (row, 2);

  check_cell (header, row, "kind", kuu_submission_kind_to_string (record->kind));
  check_cell (header, row, "unit", record->unit);
  if (record->has_topic)
    check_cell (header, row, "topic_id", record->topic_id);
  check_cell (header, row, "statements", statements_text);
  check_cell (header, row, "text", record->text);
  check_cell (header, row, "title", record->title);
  check_cell (header, row, "municipality", record->municipality);
  check_cell (header, row, "received_on", record->received_on);
  if (contacts)
    {
      check_cell (header, row, "name", record->contact_name);
      check_cell (header, row, "email", record->contact_email);
      check_cell (header, row, "phone", record->contact_phone);
    }

  /* The time, in local time with its offset, is the same instant. */
  if (local == NULL)
    kuu_fuzz_assert (*created_at == '\0');
  else
    {
      g_autoptr(GDateTime) read = g_date_time_new_from_iso8601 (created_at, NULL);

      kuu_fuzz_assert (read != NULL && g_date_time_to_unix (read) == record->created_at);
    }
}

/* --- the target ---------------------------------------------------------- */

static KuuStore *
get_store (void)
{
  static KuuStore *store;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  if (store == NULL)
    {
      g_autofree char *path = kuu_fuzz_temp_path ("export.db");

      if (!(store = kuu_store_open (path, &error)))
        {
          fprintf (stderr, "fuzz-export: %s\n", error->message);
          abort ();
        }
    }
  /* Empty for each input: the rest goes with the submissions. */
  db = _kuu_store_lock (store);
  if (sqlite3_exec (db, "DELETE FROM submissions; DELETE FROM published_initiatives", NULL, NULL, NULL) != SQLITE_OK)
    abort ();
  _kuu_store_unlock (store);
  return store;
}

/* How many rows the export should hold: every record of the audience,
 * less, for personnel, the units with fewer than KUU_PRIVACY_MIN_PERSONNEL
 * recommendations, which the small-group rule leaves out whole. */
static guint
expected_rows (GHashTable  *records,
               KuuAudience  audience)
{
  g_autoptr(GHashTable) recommendations = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer value;
  guint expected = 0;

  g_hash_table_iter_init (&iter, records);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const KuuSubmission *record = value;

      if (record->audience == audience && record->kind == KUU_SUBMISSION_RECOMMENDATION)
        g_hash_table_insert (recommendations, record->unit,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (recommendations, record->unit)) + 1));
    }

  g_hash_table_iter_init (&iter, records);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const KuuSubmission *record = value;

      if (record->audience != audience)
        continue;
      if (audience == KUU_AUDIENCE_PERSONNEL &&
          GPOINTER_TO_UINT (g_hash_table_lookup (recommendations, record->unit)) < KUU_PRIVACY_MIN_PERSONNEL)
        continue;
      expected++;
    }
  return expected;
}

static void
export_and_check (KuuStore    *store,
                  KuuAudience  audience,
                  gboolean     contacts,
                  GHashTable  *records)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  KuuExportQuery query;
  GPtrArray *header;
  guint64 count = 0;
  guint expected = 0;
  gsize length;
  const char *text;

  kuu_export_query_init (&query, audience);
  query.flags = contacts ? KUU_EXPORT_CONTACTS : KUU_EXPORT_NONE;
  kuu_fuzz_assert (kuu_export_csv (store, &query, stream, &count, NULL, &error));
  kuu_fuzz_assert (g_output_stream_close (stream, NULL, NULL));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  text = g_bytes_get_data (bytes, &length);

  kuu_fuzz_assert (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0);
  kuu_fuzz_assert (g_utf8_validate (text, length, NULL));
  rows = read_csv (text + 3, length - 3);
  kuu_fuzz_assert (rows != NULL);
  kuu_fuzz_assert (rows->len >= 1);
  header = g_ptr_array_index (rows, 0);
  kuu_fuzz_assert (header->len == (contacts ? 20u : 17u));

  expected = expected_rows (records, audience);
  kuu_fuzz_assert (count == expected && rows->len == expected + 1);

  for (guint i = 1; i < rows->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (rows, i);
      const KuuSubmission *record;

      kuu_fuzz_assert (row->len == header->len);
      record = g_hash_table_lookup (records, g_ptr_array_index (row, 0));
      kuu_fuzz_assert (record != NULL && record->audience == audience);
      check_row (header, row, record, contacts);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify)kuu_submission_free);
  JsonNode *list;
  JsonArray *array;
  KuuStore *store;

  kuu_fuzz_init ();
  /* As the server reads a batch (kuu-json.c). */
  if (!(root = kuu_json_parse ((const char *)data, size, NULL)) || !JSON_NODE_HOLDS_OBJECT (root) ||
      !(list = json_object_get_member (json_node_get_object (root), "records")) ||
      !JSON_NODE_HOLDS_ARRAY (list))
    return 0;

  store = get_store ();
  array = json_node_get_array (list);
  for (guint i = 0; i < MIN (json_array_get_length (array), MAX_RECORDS); i++)
    {
      g_autoptr(KuuSubmission) record = kuu_wire_submission_from_json (json_array_get_element (array, i), NULL);

      /* A UUID the store has already is refused there: skipped here. */
      if (record == NULL || g_hash_table_contains (records, record->uuid) || !kuu_store_add (store, record, NULL))
        continue;
      g_hash_table_insert (records, record->uuid, g_steal_pointer (&record));
    }

  for (KuuAudience audience = 0; audience <= KUU_AUDIENCE_PERSONNEL; audience++)
    for (int contacts = 0; contacts <= 1; contacts++)
      export_and_check (store, audience, contacts, records);
  return 0;
}
