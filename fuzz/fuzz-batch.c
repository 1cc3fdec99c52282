/* fuzz-batch.c: what the server does with the body of a submission batch
 * (POST /api/v1/submissions from an enrolled device): the JSON, the batch,
 * each record's checks against the wire format and the device's region,
 * and storing it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kuu-fuzz.h"
#include "kuu-fuzz-server.h"
#include "kuu-json.h"
#include "kuu-wire.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The server starts here, not in the first input: its database and its
 * tokens take a while, which is no input's fault (libFuzzer's -timeout). */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  kuu_fuzz_server_get_device_token ();
  return 0;
}

/* The records in the batch, as the protocol's JSON reader sees them; -1
 * when it is not a batch at all. */
static int
count_records (const uint8_t *data,
               size_t         size)
{
  g_autoptr(JsonNode) root = kuu_json_parse ((const char *)data, size, NULL);
  JsonNode *records;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !(records = json_object_get_member (json_node_get_object (root), "records")) ||
      !JSON_NODE_HOLDS_ARRAY (records))
    return -1;
  return json_array_get_length (json_node_get_array (records));
}

/* A 200's body: one result per record, in order, each with a known status,
 * and a reason for every rejection. */
static void
check_results (const char *body,
               gsize       size,
               int         records)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root, *results;
  JsonArray *array;

  kuu_fuzz_assert (json_parser_load_from_data (parser, body, size, NULL));
  kuu_fuzz_assert ((root = json_parser_get_root (parser)) && JSON_NODE_HOLDS_OBJECT (root));
  results = json_object_get_member (json_node_get_object (root), "results");
  kuu_fuzz_assert (results != NULL && JSON_NODE_HOLDS_ARRAY (results));
  array = json_node_get_array (results);
  kuu_fuzz_assert ((int)json_array_get_length (array) == records);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *result = json_array_get_object_element (array, i);
      const char *status = json_object_get_string_member_with_default (result, "status", NULL);

      kuu_fuzz_assert (status != NULL);
      if (strcmp (status, "rejected") == 0)
        kuu_fuzz_assert (json_object_get_string_member_with_default (result, "reason", NULL) != NULL);
      else
        kuu_fuzz_assert (strcmp (status, "accepted") == 0 || strcmp (status, "duplicate") == 0);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GByteArray) request = g_byte_array_new ();
  g_autofree char *head = g_strdup_printf ("POST /api/v1/submissions HTTP/1.1\r\n"
                                           "Host: fuzz\r\n"
                                           "Authorization: Bearer %s\r\n"
                                           "Content-Type: application/json\r\n"
                                           "Content-Length: %zu\r\n\r\n",
                                           kuu_fuzz_server_get_device_token (), size);
  g_autoptr(GBytes) answer = NULL;
  gsize length;
  const char *text, *body;
  int records = count_records (data, size);

  g_byte_array_append (request, (const guint8 *)head, strlen (head));
  g_byte_array_append (request, data, size);
  answer = kuu_fuzz_server_exchange (request->data, request->len, FALSE);
  text = g_bytes_get_data (answer, &length);

  kuu_fuzz_assert (length >= 12 && memcmp (text, "HTTP/1.1 ", 9) == 0);
  body = g_strstr_len (text, length, "\r\n\r\n");
  kuu_fuzz_assert (body != NULL);
  body += 4;
  /* A batch of up to 500 records is answered record by record; anything
   * else is refused whole, and never with a 500. */
  if (records >= 0 && records <= 500 && size <= 1024 * 1024)
    {
      if (memcmp (text + 9, "200", 3) != 0)
        {
          fprintf (stderr, "a batch of %d records was answered:\n%.*s\n", records, (int)length, text);
          abort ();
        }
      check_results (body, length - (body - text), records);
    }
  else
    kuu_fuzz_assert (text[9] == '4');
  return 0;
}
