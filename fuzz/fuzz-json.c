/* fuzz-json.c: the strict JSON reader (app/core/kuu-json.c) against
 * json-glib and against RFC 8259's grammar. Every input goes to the strict
 * reader, which must not crash at any depth or size. What it accepts is
 * checked twice: by a scan of the text of its own (no comment, single
 * quote, bare word, \u0000 or lone surrogate; every number as RFC 8259
 * § 6 writes it, by GRegex; at most 64 levels deep), and by json-glib,
 * whose tree must be the same. json-glib sees only what the strict reader
 * accepted: that is the depth guard (json-glib recurses once a level and
 * overflows the stack at 100 000), and it keeps out the inputs json-glib
 * 1.6 is known to leak on (docs/fuzzing.md, findings 1 and 6).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "kuu-fuzz.h"
#include "kuu-json.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct
{
  const char *p;
  const char *end;
} Scan;

static GRegex *
number_regex (void)
{
  static GRegex *regex;

  if (regex == NULL)
    regex = g_regex_new ("^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$", G_REGEX_OPTIMIZE, 0, NULL);
  return regex;
}

static int
hex4 (const char *p,
      const char *end)
{
  g_autofree char *digits = NULL;

  kuu_fuzz_assert (end - p >= 4);
  for (int i = 0; i < 4; i++)
    kuu_fuzz_assert (g_ascii_isxdigit (p[i]));
  digits = g_strndup (p, 4);
  return (int)g_ascii_strtoll (digits, NULL, 16);
}

/* After the opening quote, to after the closing one. */
static void
scan_string (Scan *scan)
{
  for (; scan->p < scan->end && *scan->p != '"'; scan->p++)
    {
      kuu_fuzz_assert ((guchar)*scan->p >= 0x20);
      if (*scan->p != '\\')
        continue;
      kuu_fuzz_assert (++scan->p < scan->end && strchr ("\"\\/bfnrtu", *scan->p) != NULL && *scan->p != '\0');
      if (*scan->p == 'u')
        {
          int unit = hex4 (scan->p + 1, scan->end);

          kuu_fuzz_assert (unit != 0 && (unit < 0xDC00 || unit > 0xDFFF));
          scan->p += 4;
          if (unit >= 0xD800 && unit <= 0xDBFF)
            {
              kuu_fuzz_assert (scan->end - scan->p >= 7 && scan->p[1] == '\\' && scan->p[2] == 'u');
              unit = hex4 (scan->p + 3, scan->end);
              kuu_fuzz_assert (unit >= 0xDC00 && unit <= 0xDFFF);
              scan->p += 6;
            }
        }
    }
  kuu_fuzz_assert (scan->p < scan->end);
  scan->p++;
}

/* A bare word: true, false, null or a number by RFC 8259's grammar. */
static void
scan_word (Scan *scan)
{
  const char *first = scan->p;
  g_autofree char *word = NULL;

  while (scan->p < scan->end && strchr ("-+.eE0123456789truefalsnl", *scan->p) != NULL && *scan->p != '\0')
    scan->p++;
  kuu_fuzz_assert (scan->p > first);
  word = g_strndup (first, scan->p - first);
  kuu_fuzz_assert (g_str_equal (word, "true") || g_str_equal (word, "false") || g_str_equal (word, "null") ||
                   g_regex_match (number_regex (), word, 0, NULL));
}

/* A string just scanned is a member name when a colon follows: in its
 * object, no other name may be spelt the same. (The same name escaped
 * another way is left to the comparison with json-glib's tree, which
 * keeps one member of the two.) */
static void
check_name (Scan       *scan,
            const char *first,
            GPtrArray  *open)
{
  const char *p = scan->p;
  GHashTable *names;

  while (p < scan->end && strchr (" \t\r\n", *p) != NULL && *p != '\0')
    p++;
  if (p == scan->end || *p != ':')
    return;
  kuu_fuzz_assert (open->len > 0 && (names = g_ptr_array_index (open, open->len - 1)) != NULL);
  kuu_fuzz_assert (g_hash_table_add (names, g_strndup (first, scan->p - first)));
}

static void
free_names (gpointer names)
{
  if (names != NULL)
    g_hash_table_unref (names);
}

/* What the strict reader accepted, read again without it. @open holds
 * a table of member names for each object open, NULL for each array. */
static void
check_text (const char *data,
            size_t      size)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (free_names);
  Scan scan = { data, data + size };

  kuu_fuzz_assert (g_utf8_validate_len (data, size, NULL));
  while (scan.p < scan.end)
    {
      const char *first = scan.p;
      char c = *scan.p;

      if (c == '"')
        {
          scan.p++;
          scan_string (&scan);
          check_name (&scan, first, open);
          continue;
        }
      if (c == '\0' || strchr ("[{]} \t\r\n,:", c) == NULL)
        {
          scan_word (&scan);
          continue;
        }
      if (c == '[' || c == '{')
        {
          g_ptr_array_add (open, c == '{' ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) : NULL);
          kuu_fuzz_assert (open->len <= KUU_JSON_MAX_DEPTH);
        }
      else if (c == ']' || c == '}')
        {
          kuu_fuzz_assert (open->len > 0);
          g_ptr_array_remove_index (open, open->len - 1);
        }
      scan.p++;
    }
  kuu_fuzz_assert (open->len == 0);
}

static void check_same (JsonNode *strict, JsonNode *loose);

static void
check_same_object (JsonObject *strict,
                   JsonObject *loose)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  kuu_fuzz_assert (json_object_get_size (strict) == json_object_get_size (loose));
  json_object_iter_init (&iter, strict);
  while (json_object_iter_next (&iter, &name, &node))
    {
      kuu_fuzz_assert (json_object_has_member (loose, name));
      check_same (node, json_object_get_member (loose, name));
    }
}

static void
check_same_value (JsonNode *strict,
                  JsonNode *loose)
{
  GType type = json_node_get_value_type (strict);

  /* Beyond gint64 json-glib 1.6 wraps an integer; the strict reader
   * makes it a double. Known, and not worth an input. */
  if (type == G_TYPE_DOUBLE && json_node_get_value_type (loose) == G_TYPE_INT64)
    return;
  kuu_fuzz_assert (type == json_node_get_value_type (loose));
  if (type == G_TYPE_STRING)
    {
      kuu_fuzz_assert (g_str_equal (json_node_get_string (strict), json_node_get_string (loose)));
      kuu_fuzz_assert (g_utf8_validate (json_node_get_string (strict), -1, NULL));
    }
  else if (type == G_TYPE_INT64)
    kuu_fuzz_assert (json_node_get_int (strict) == json_node_get_int (loose));
  else if (type == G_TYPE_DOUBLE)
    kuu_fuzz_assert (isfinite (json_node_get_double (strict)) &&
                     json_node_get_double (strict) == json_node_get_double (loose));
  else
    kuu_fuzz_assert (json_node_get_boolean (strict) == json_node_get_boolean (loose));
}

/* At most 64 levels: the strict reader accepted it. */
static void
check_same (JsonNode *strict,
            JsonNode *loose)
{
  kuu_fuzz_assert (loose != NULL && JSON_NODE_TYPE (strict) == JSON_NODE_TYPE (loose));
  switch (JSON_NODE_TYPE (strict))
    {
    case JSON_NODE_OBJECT:
      check_same_object (json_node_get_object (strict), json_node_get_object (loose));
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (strict), *b = json_node_get_array (loose);

        kuu_fuzz_assert (json_array_get_length (a) == json_array_get_length (b));
        for (guint i = 0; i < json_array_get_length (a); i++)
          check_same (json_array_get_element (a, i), json_array_get_element (b, i));
      }
      break;
    case JSON_NODE_VALUE:
      check_same_value (strict, loose);
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) strict = kuu_json_parse ((const char *)data, size, &error);
  g_autoptr(JsonParser) parser = NULL;

  kuu_fuzz_init ();
  kuu_fuzz_assert ((strict == NULL) == (error != NULL));
  if (strict == NULL)
    {
      kuu_fuzz_assert (error->domain == KUU_JSON_ERROR && g_str_has_prefix (error->message, "offset "));
      return 0;
    }

  check_text ((const char *)data, size);
  parser = json_parser_new ();
  kuu_fuzz_assert (json_parser_load_from_data (parser, (const char *)data, size, NULL));
  check_same (strict, json_parser_get_root (parser));
  return 0;
}
