/* kuu-json.c
 *
 * Reads JSON that came over the network (request bodies on the server, the
 * server's answers and a pulled region file on the kiosk) as RFC 8259 says
 * and nothing more, into a json-glib tree, so that callers keep using
 * json-glib's API. Written by hand because nothing at hand is strict and
 * bounded at once: json-glib 1.6 (Debian 12) recurses once per level
 * (100 000 nested arrays in a 200 KB body overflowed the server's stack),
 * keeps the last of two members of the same name, cuts a string at
 * \u0000 and takes comments, single quotes, 01, .5 and 1e400 (infinity);
 * jansson and json-c export symbols that clash with json-glib's (json_object_*
 * and others), and cJSON takes +1 and 01. The depth is checked before every
 * step down, so the recursion is at most KUU_JSON_MAX_DEPTH levels deep
 * whatever the input. The protocol's rules: docs/protocol.md, § 2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "kuu-json.h"

/* Longer numbers are refused: no number of the protocol needs more, and
 * strtod's time grows with the digits (RFC 8259 § 9 allows such limits). */
#define MAX_NUMBER_LENGTH 64

typedef struct
{
  const char  *start;
  const char  *p;
  const char  *end;
  int          depth;
  GString     *text;    /* the string being read, reused */
  GError     **error;
} Parser;

static JsonNode *read_value (Parser *parser);

G_DEFINE_QUARK (kuu-json-error-quark, kuu_json_error)

static gboolean
fail (Parser       *parser,
      KuuJsonError  code,
      const char   *reason)
{
  g_set_error (parser->error, KUU_JSON_ERROR, code, "offset %" G_GSIZE_FORMAT ": %s",
               (gsize)(parser->p - parser->start), reason);
  return FALSE;
}

static gpointer
fail_null (Parser       *parser,
           KuuJsonError  code,
           const char   *reason)
{
  fail (parser, code, reason);
  return NULL;
}

/* Only JSON's four: no form feed, no vertical tab, no NBSP. */
static void
skip_space (Parser *parser)
{
  while (parser->p < parser->end &&
         (*parser->p == ' ' || *parser->p == '\n' || *parser->p == '\r' || *parser->p == '\t'))
    parser->p++;
}

static gboolean
at (Parser *parser,
    char    c)
{
  return parser->p < parser->end && *parser->p == c;
}

static gboolean
read_digits (Parser *parser)
{
  const char *first = parser->p;

  while (parser->p < parser->end && g_ascii_isdigit (*parser->p))
    parser->p++;
  return parser->p > first;
}

static JsonNode *
read_literal (Parser     *parser,
              const char *word,
              JsonNode   *node)
{
  gsize length = strlen (word);

  if ((gsize)(parser->end - parser->p) < length || memcmp (parser->p, word, length) != 0)
    {
      json_node_unref (node);
      return fail_null (parser, KUU_JSON_ERROR_SYNTAX, "expected a value");
    }
  parser->p += length;
  return node;
}

/* Integral and within gint64: an int node (json-glib's own choice);
 * anything else a double, which must be finite (1e400 is not a number
 * anyone sent on purpose). */
static JsonNode *
number_node (Parser     *parser,
             const char *text,
             gboolean    integral)
{
  JsonNode *node = json_node_alloc ();
  double value;

  if (integral)
    {
      gint64 whole;

      errno = 0;
      whole = g_ascii_strtoll (text, NULL, 10);
      if (errno != ERANGE)
        return json_node_init_int (node, whole);
    }
  value = g_ascii_strtod (text, NULL);
  if (!isfinite (value))
    {
      json_node_unref (node);
      return fail_null (parser, KUU_JSON_ERROR_NUMBER, "a number too large for a double");
    }
  return json_node_init_double (node, value);
}

/* RFC 8259 § 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static JsonNode *
read_number (Parser *parser)
{
  const char *first = parser->p;
  gboolean integral = TRUE;
  char text[MAX_NUMBER_LENGTH + 1];

  if (at (parser, '-'))
    parser->p++;
  if (at (parser, '0'))
    {
      parser->p++;
      if (parser->p < parser->end && g_ascii_isdigit (*parser->p))
        return fail_null (parser, KUU_JSON_ERROR_SYNTAX, "a number with a leading zero");
    }
  else if (!read_digits (parser))
    return fail_null (parser, KUU_JSON_ERROR_SYNTAX, "expected a value");
  if (at (parser, '.'))
    {
      parser->p++;
      integral = FALSE;
      if (!read_digits (parser))
        return fail_null (parser, KUU_JSON_ERROR_SYNTAX, "no digits after a decimal point");
    }
  if (at (parser, 'e') || at (parser, 'E'))
    {
      parser->p++;
      integral = FALSE;
      if (at (parser, '+') || at (parser, '-'))
        parser->p++;
      if (!read_digits (parser))
        return fail_null (parser, KUU_JSON_ERROR_SYNTAX, "no digits in an exponent");
    }
  if (parser->p - first > MAX_NUMBER_LENGTH)
    return fail_null (parser, KUU_JSON_ERROR_NUMBER, "a number longer than 64 characters");
  memcpy (text, first, parser->p - first);
  text[parser->p - first] = '\0';
  return number_node (parser, text, integral);
}

/* Four hex digits, or -1. */
static int
read_hex4 (Parser *parser)
{
  int value = 0;

  if (parser->end - parser->p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (parser->p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  parser->p += 4;
  return value;
}

/* After "\u": one character, a surrogate pair taken together. \u0000
 * is refused: C strings (json-glib's, SQLite's text) end there, so
 * "a\u0000b" would be stored as "a" and its resend called a duplicate. */
static gboolean
read_unicode_escape (Parser  *parser,
                     GString *out)
{
  int unit = read_hex4 (parser), low;

  if (unit < 0)
    return fail (parser, KUU_JSON_ERROR_SYNTAX, "a \\u escape without four hex digits");
  if (unit == 0)
    return fail (parser, KUU_JSON_ERROR_STRING, "\\u0000 in a string");
  if (unit >= 0xDC00 && unit <= 0xDFFF)
    return fail (parser, KUU_JSON_ERROR_STRING, "a \\u escape of half a character");
  if (unit >= 0xD800 && unit <= 0xDBFF)
    {
      if (parser->end - parser->p < 2 || parser->p[0] != '\\' || parser->p[1] != 'u')
        return fail (parser, KUU_JSON_ERROR_STRING, "a \\u escape of half a character");
      parser->p += 2;
      low = read_hex4 (parser);
      if (low < 0xDC00 || low > 0xDFFF)
        return fail (parser, KUU_JSON_ERROR_STRING, "a \\u escape of half a character");
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
  g_string_append_unichar (out, unit);
  return TRUE;
}

/* After the backslash. */
static gboolean
read_escape (Parser  *parser,
             GString *out)
{
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  const char *which;

  if (parser->p == parser->end)
    return fail (parser, KUU_JSON_ERROR_SYNTAX, "a string that never ends");
  if (*parser->p == 'u')
    {
      parser->p++;
      return read_unicode_escape (parser, out);
    }
  which = *parser->p != '\0' ? strchr (from, *parser->p) : NULL;
  if (which == NULL)
    return fail (parser, KUU_JSON_ERROR_SYNTAX, "an escape JSON does not have");
  g_string_append_c (out, to[which - from]);
  parser->p++;
  return TRUE;
}

/* At the opening quote, into parser->text. The text is UTF-8 already
 * (checked whole, first); runs without escapes are copied in one go. */
static gboolean
read_string (Parser *parser)
{
  const char *run = ++parser->p;

  g_string_truncate (parser->text, 0);
  for (;;)
    {
      while (parser->p < parser->end && *parser->p != '"' && *parser->p != '\\' &&
             (guchar)*parser->p >= 0x20)
        parser->p++;
      if (parser->p == parser->end)
        return fail (parser, KUU_JSON_ERROR_SYNTAX, "a string that never ends");
      if ((guchar)*parser->p < 0x20)
        return fail (parser, KUU_JSON_ERROR_SYNTAX, "a control character in a string");
      g_string_append_len (parser->text, run, parser->p - run);
      if (*parser->p++ == '"')
        return TRUE;
      if (!read_escape (parser, parser->text))
        return FALSE;
      run = parser->p;
    }
}

static JsonNode *
string_node (Parser *parser)
{
  if (!read_string (parser))
    return NULL;
  return json_node_init_string (json_node_alloc (), parser->text->str);
}

/* After a value in a container: TRUE and *done at its close, TRUE past a
 * comma, FALSE for anything else. */
static gboolean
read_separator (Parser     *parser,
                char        close,
                gboolean   *done,
                const char *reason)
{
  skip_space (parser);
  *done = at (parser, close);
  if (*done || at (parser, ','))
    {
      parser->p++;
      return TRUE;
    }
  return fail (parser, KUU_JSON_ERROR_SYNTAX, reason);
}

static JsonNode *
read_array (Parser *parser)
{
  g_autoptr(JsonArray) array = json_array_new ();
  gboolean done = FALSE;

  parser->p++;
  skip_space (parser);
  if (at (parser, ']'))
    {
      parser->p++;
      done = TRUE;
    }
  while (!done)
    {
      JsonNode *element = read_value (parser);

      if (element == NULL)
        return NULL;
      json_array_add_element (array, element);
      if (!read_separator (parser, ']', &done, "expected , or ] in an array"))
        return NULL;
    }
  return json_node_init_array (json_node_alloc (), array);
}

/* One "name": value; a name already in @object is refused, not replaced:
 * with the last one winning, "score": 10, "score": 0 would be a 0 that
 * a reader of the body sees as 10. */
static gboolean
read_member (Parser     *parser,
             JsonObject *object)
{
  g_autofree char *name = NULL;
  JsonNode *value;

  skip_space (parser);
  if (!at (parser, '"'))
    return fail (parser, KUU_JSON_ERROR_SYNTAX, "expected a member name in double quotes");
  if (!read_string (parser))
    return FALSE;
  if (json_object_has_member (object, parser->text->str))
    return fail (parser, KUU_JSON_ERROR_DUPLICATE, "a member name twice in one object");
  name = g_strndup (parser->text->str, parser->text->len);
  skip_space (parser);
  if (!at (parser, ':'))
    return fail (parser, KUU_JSON_ERROR_SYNTAX, "expected : after a member name");
  parser->p++;
  if (!(value = read_value (parser)))
    return FALSE;
  json_object_set_member (object, name, value);
  return TRUE;
}

static JsonNode *
read_object (Parser *parser)
{
  g_autoptr(JsonObject) object = json_object_new ();
  gboolean done = FALSE;

  parser->p++;
  skip_space (parser);
  if (at (parser, '}'))
    {
      parser->p++;
      done = TRUE;
    }
  while (!done)
    {
      if (!read_member (parser, object) ||
          !read_separator (parser, '}', &done, "expected , or } in an object"))
        return NULL;
    }
  return json_node_init_object (json_node_alloc (), object);
}

/* The one place that steps down, and it counts first. */
static JsonNode *
read_container (Parser *parser)
{
  JsonNode *node;

  if (parser->depth >= KUU_JSON_MAX_DEPTH)
    return fail_null (parser, KUU_JSON_ERROR_DEPTH, "nested deeper than 64 arrays and objects");
  parser->depth++;
  node = *parser->p == '[' ? read_array (parser) : read_object (parser);
  parser->depth--;
  return node;
}

static JsonNode *
read_value (Parser *parser)
{
  skip_space (parser);
  if (parser->p == parser->end)
    return fail_null (parser, KUU_JSON_ERROR_SYNTAX, "expected a value, found the end");
  switch (*parser->p)
    {
    case '[':
    case '{':
      return read_container (parser);
    case '"':
      return string_node (parser);
    case 't':
      return read_literal (parser, "true", json_node_init_boolean (json_node_alloc (), TRUE));
    case 'f':
      return read_literal (parser, "false", json_node_init_boolean (json_node_alloc (), FALSE));
    case 'n':
      return read_literal (parser, "null", json_node_init_null (json_node_alloc ()));
    default:
      return read_number (parser);
    }
}

/**
 * kuu_json_parse:
 * @data: (array length=size): the bytes as they came, not necessarily
 *   nul-terminated
 * @size: their length
 * @error: where to say why not: %KUU_JSON_ERROR, the message with the
 *   byte offset and the reason in English (for a log or a protocol error)
 *
 * Reads one JSON value, RFC 8259 and nothing more: UTF-8 text; one value
 * with only whitespace around it; no comments, single quotes, leading
 * zeros, `.5`, `1.`, `+1`, NaN or Infinity; no member name twice in an
 * object; no `\u0000` or lone surrogate escape; at most
 * %KUU_JSON_MAX_DEPTH arrays and objects inside each other; a number no
 * longer than 64 characters and finite as a double. An integer that fits
 * gint64 is an int node, any other number a double node.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL with @error set
 */
JsonNode *
kuu_json_parse (const char  *data,
                gsize        size,
                GError     **error)
{
  g_autoptr(GString) text = g_string_sized_new (64);
  Parser parser = { NULL, NULL, NULL, 0, text, error };
  g_autoptr(JsonNode) root = NULL;
  const char *bad;

  g_return_val_if_fail (data != NULL || size == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* NULL + 0 is undefined behaviour (UBSan, found by fuzz-response:
   * an empty answer's GBytes has no data). */
  parser.start = parser.p = data != NULL ? data : "";
  parser.end = parser.start + size;
  /* Once for the whole text; the nul byte refused too. */
  if (!g_utf8_validate_len (parser.start, size, &bad))
    {
      parser.p = bad;
      fail (&parser, KUU_JSON_ERROR_STRING, "not UTF-8 text");
      return NULL;
    }
  if (!(root = read_value (&parser)))
    return NULL;
  skip_space (&parser);
  if (parser.p != parser.end)
    {
      fail (&parser, KUU_JSON_ERROR_SYNTAX, "more after the value");
      return NULL;
    }
  return g_steal_pointer (&root);
}
