/* test-json.c: the strict JSON reader (app/core/kuu-json.c) takes RFC 8259
 * JSON, into the same tree json-glib makes, and refuses everything else
 * with the reason and where: what json-glib lets through, nesting beyond
 * 64, a member name twice, \u0000, numbers a double cannot hold
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "kuu-initiatives.h"
#include "kuu-json.h"
#include "kuu-strategy-loader.h"
#include "kuu-sync-private.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = kuu_json_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
assert_refused (const char   *text,
                gsize         size,
                int           code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = kuu_json_parse (text, size, &error);
  g_autofree char *start = g_strndup (text, MIN (size, 80));
  g_autofree char *shown = g_strescape (start, NULL);

  g_test_message ("%s: %s", shown, error ? error->message : "accepted");
  g_assert_null (node);
  g_assert_error (error, KUU_JSON_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, "offset "));
}

/* The same text, read by json-glib: the strict reader makes the same tree. */
static void
test_accepted_as_json_glib (void)
{
  static const char * const texts[] = {
    "{}", "[]", " \t\r\n{ \"a\" : [ 1 , 2.5 , -3e2 , true , false , null ] } \n",
    "{\"text\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"}", "\"åäö 👍\"", "\"\\u00e4\\ud83d\\udc4d\"",
    "0", "-0", "1E+2", "1e-2", "9223372036854775807", "-9223372036854775808",
    "{\"\":1,\"a\":{\"a\":{}}}", "[[[[[]]]]]", "\"\"", "1.5e300",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(JsonNode) strict = parse (texts[i]);
      g_autoptr(JsonNode) loose = json_from_string (texts[i], NULL);

      g_test_message ("%s", texts[i]);
      g_assert_nonnull (loose);
      g_assert_true (json_node_equal (strict, loose));
    }
}

static void
test_values (void)
{
  g_autoptr(JsonNode) pair = parse ("\"\\ud83d\\udc4d\"");
  g_autoptr(JsonNode) escaped = parse ("\"\\u00E4\\u20ac\\u0041\"");
  g_autoptr(JsonNode) big = parse ("9223372036854775807");
  g_autoptr(JsonNode) bigger = parse ("9223372036854775808");
  g_autoptr(JsonNode) negative_zero = parse ("-0");
  g_autoptr(JsonNode) exponent = parse ("25e-1");
  g_autoptr(JsonNode) tiny = parse ("1e-400");
  g_autoptr(JsonNode) whole_double = parse ("10.0");

  g_assert_cmpstr (json_node_get_string (pair), ==, "👍");
  g_assert_cmpstr (json_node_get_string (escaped), ==, "ä€A");
  g_assert_cmpint (json_node_get_value_type (big), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (big), ==, G_MAXINT64);
  /* Beyond gint64: a double, not a wrapped or saturated int. */
  g_assert_cmpint (json_node_get_value_type (bigger), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (bigger), ==, 9223372036854775808.0);
  g_assert_cmpint (json_node_get_value_type (negative_zero), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (negative_zero), ==, 0);
  g_assert_cmpfloat (json_node_get_double (exponent), ==, 2.5);
  g_assert_cmpfloat (json_node_get_double (tiny), ==, 0.0);
  /* A fraction makes a double, so "score": 10.0 is not a whole number. */
  g_assert_cmpint (json_node_get_value_type (whole_double), ==, G_TYPE_DOUBLE);
}

static void
test_syntax_refused (void)
{
  static const char * const texts[] = {
    "", " ", "{", "}", "[1,]", "{\"a\":1,}", "[,1]", "{\"a\" 1}", "{a:1}", "{'a':1}", "['a']",
    "{} /* comment */", "// comment\n{}", "{}#", "01", "-01", "00", ".5", "1.", "+1", "-", "1e", "1e+",
    "NaN", "Infinity", "-Infinity", "nan", "tru", "nul", "True", "0x1F", "{}{}", "{} x", "1 2",
    "\"a", "\"\\x41\"", "\"\\266\"", "\"\\u12\"", "\"\\u12G4\"", "\"tab\there\"", "\"line\nbreak\"",
    "\xef\xbb\xbf{}", "\f{}", "{\"a\":1\f}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    assert_refused (texts[i], strlen (texts[i]), KUU_JSON_ERROR_SYNTAX);
}

static void
test_strings_refused (void)
{
  static const char * const texts[] = {
    "\"a\\u0000b\"", "{\"a\\u0000\":1}", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800x\"",
    "\"\\ud800\\u0041\"", "\"\\ud800\\ud800\"", "\"\xff\"", "\"\xc3\"", "\"\xed\xa0\x80\"",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    assert_refused (texts[i], strlen (texts[i]), KUU_JSON_ERROR_STRING);
  /* A raw nul byte, inside a string and outside. */
  assert_refused ("\"a\0b\"", 5, KUU_JSON_ERROR_STRING);
  assert_refused ("{}\0", 3, KUU_JSON_ERROR_STRING);
}

static void
test_numbers_refused (void)
{
  g_autofree char *long_number = g_strnfill (65, '1');

  g_autoptr(JsonNode) node = NULL;

  assert_refused ("1e400", 5, KUU_JSON_ERROR_NUMBER);
  assert_refused ("-1e400", 6, KUU_JSON_ERROR_NUMBER);
  assert_refused ("[1.5e308,1.8e308]", 17, KUU_JSON_ERROR_NUMBER);
  assert_refused (long_number, 65, KUU_JSON_ERROR_NUMBER);
  node = kuu_json_parse (long_number, 64, NULL);
  g_assert_nonnull (node);
}

/* The last one does not win: the whole text is refused. */
static void
test_duplicates_refused (void)
{
  g_autoptr(JsonNode) nested = parse ("{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  assert_refused ("{\"score\":10,\"score\":0}", 22, KUU_JSON_ERROR_DUPLICATE);
  assert_refused ("{\"records\":[{}],\"records\":[]}", 29, KUU_JSON_ERROR_DUPLICATE);
  /* The same name written two ways is the same name. */
  assert_refused ("{\"a\":1,\"\\u0061\":2}", 18, KUU_JSON_ERROR_DUPLICATE);
  node = kuu_json_parse ("{\"x\":{\"a\":1,\"a\":2}}", 19, &error);
  g_assert_error (error, KUU_JSON_ERROR, KUU_JSON_ERROR_DUPLICATE);
  g_assert_cmpstr (error->message, ==, "offset 15: a member name twice in one object");
}

static char *
nested (gsize       levels,
        const char *open,
        const char *inner,
        const char *close)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < levels; i++)
    g_string_append (text, open);
  g_string_append (text, inner);
  for (gsize i = 0; i < levels; i++)
    g_string_append (text, close);
  return g_string_free (text, FALSE);
}

static void
test_depth (void)
{
  g_autofree char *arrays64 = nested (64, "[", "1", "]");
  g_autofree char *arrays65 = nested (65, "[", "1", "]");
  g_autofree char *objects64 = nested (63, "{\"a\":", "[]", "}");
  g_autofree char *objects65 = nested (64, "{\"a\":", "{}", "}");
  g_autofree char *mixed65 = nested (32, "{\"k\":[", "{}", "]}");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = parse (arrays64);
  g_clear_pointer (&node, json_node_unref);
  node = parse (objects64);
  assert_refused (arrays65, strlen (arrays65), KUU_JSON_ERROR_DEPTH);
  assert_refused (objects65, strlen (objects65), KUU_JSON_ERROR_DEPTH);
  assert_refused (mixed65, strlen (mixed65), KUU_JSON_ERROR_DEPTH);

  /* Refused where the 65th opens: nothing after it is read. */
  g_clear_pointer (&node, json_node_unref);
  node = kuu_json_parse (arrays65, strlen (arrays65), &error);
  g_assert_cmpstr (error->message, ==, "offset 64: nested deeper than 64 arrays and objects");
}

/* What killed the server (issue 14): 100 000 levels, closed or not. */
static void
test_deep_nesting (void)
{
  g_autofree char *arrays = nested (100000, "[", "", "]");
  g_autofree char *objects = nested (100000, "{\"code\":", "1", "}");
  g_autofree char *open = g_strnfill (1000000, '[');

  assert_refused (arrays, strlen (arrays), KUU_JSON_ERROR_DEPTH);
  assert_refused (objects, strlen (objects), KUU_JSON_ERROR_DEPTH);
  assert_refused (open, strlen (open), KUU_JSON_ERROR_DEPTH);
}

/* What json-glib 1.6 got wrong, found by the fuzz targets (fuzz/) when
 * kuu_wire_json_can_parse() stood in front of it: a second value after
 * the first, which it leaked; a lone surrogate escape and escapes JSON
 * has not ("\\666"), which it turned into bytes that are not UTF-8; a \\u
 * escape without four digits, which it leaked. */
static void
test_fuzz_findings (void)
{
  static const char * const refused[] = {
    "{}{}", "{} {\"a\": 1}", "1{\"a\": 1}", "\"en\"{}", "[1] x", "{}}", "this is not JSON",
    "{\"a\": \"\\ud800\"}", "{\"a\": \"\\udc00x\"}", "{\"a\": \"\\ud83d\\u0041\"}", "{\"\\uDBFF\": 1}",
    "[\"\\ud83d", "{\"0\\udd{\"0", "{\"a\": \"\\u12\"}", "{\"uuid\": \"\\666\"}", "{\"a\": \"\\x41\"}",
    "{\"a\": \"\\a\"}", "{\"a\": \"\\", "{\"unclosed\": [",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = kuu_json_parse (refused[i], strlen (refused[i]), &error);

      g_test_message ("%s: %s", refused[i], error ? error->message : "accepted");
      g_assert_null (node);
      g_assert_error (error, KUU_JSON_ERROR, error->code);
    }
}

static GBytes *
answer (const char * const *texts,
        int                 which,
        const char         *deep)
{
  const char *text = which < 2 ? texts[which] : deep;

  return g_bytes_new_static (text, strlen (text));
}

/* The kiosk reads the server's answers and a pulled region file with the
 * same reader: a member twice, or nesting a server could use to crash
 * every kiosk, and the answer is no answer. Each good answer is read, so
 * the refusals are the reader's. */
static void
test_kiosk_readers (void)
{
  static const char * const results[] = {
    "{\"results\": [{\"uuid\": \"00000000-0000-4000-8000-000000000000\", \"status\": \"accepted\"}]}",
    "{\"results\": [{\"uuid\": \"00000000-0000-4000-8000-000000000000\", \"status\": \"accepted\", \"status\": \"rejected\"}]}",
  };
  static const char * const enrolments[] = {
    "{\"device_id\": \"d\", \"token\": \"t\", \"region\": \"kainuu\"}",
    "{\"device_id\": \"d\", \"token\": \"t\", \"region\": \"kainuu\", \"region\": \"kymenlaakso\"}",
  };
  static const char * const pages[] = {
    "{\"initiatives\": [], \"cursor\": \"0\", \"more\": false}",
    "{\"initiatives\": [], \"cursor\": \"0\", \"more\": false, \"more\": true}",
  };
  g_autofree char *deep = nested (100000, "{\"results\":", "[]", "}");
  g_autoptr(GPtrArray) uuids = g_ptr_array_new ();

  g_ptr_array_add (uuids, (gpointer)"00000000-0000-4000-8000-000000000000");
  /* 0: good, 1: a member twice, 2: 100 000 deep */
  for (int which = 0; which < 3; which++)
    {
      g_autoptr(GBytes) result = answer (results, which, deep);
      g_autoptr(GBytes) enrolment = answer (enrolments, which, deep);
      g_autoptr(GBytes) page = answer (pages, which, deep);
      g_autoptr(GPtrArray) read_results = _kuu_sync_parse_results (result, uuids, NULL);
      g_autoptr(KuuInitiativesPage) read_page = kuu_initiatives_parse_page (page, NULL);
      g_autoptr(KuuEnrolment) read_enrolment = _kuu_sync_parse_enrolment (enrolment, NULL);

      g_assert_true ((read_results != NULL) == (which == 0));
      g_assert_true ((read_page != NULL) == (which == 0));
      g_assert_true ((read_enrolment != NULL) == (which == 0));
    }
}

/* A region file, from the server or bundled: the strict reader first. */
static void
test_region_file (void)
{
  static const char text[] = "{\"id\": \"a\", \"id\": \"b\"}";
  g_autoptr(GBytes) twice = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_bytes (twice, "region.json", &error);

  g_assert_null (strategy);
  g_assert_error (error, KUU_STRATEGY_ERROR, KUU_STRATEGY_ERROR_INVALID_JSON);
  g_assert_nonnull (strstr (error->message, "a member name twice"));
}

/* Not nul-terminated: the reader stops at @size. */
static void
test_size (void)
{
  g_autoptr(JsonNode) node = kuu_json_parse ("{\"a\":1}garbage", 7, NULL);
  g_autoptr(JsonNode) empty = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (node);
  assert_refused ("\"abc\"", 4, KUU_JSON_ERROR_SYNTAX);
  assert_refused ("12345", 0, KUU_JSON_ERROR_SYNTAX);
  empty = kuu_json_parse (NULL, 0, &error);
  g_assert_error (error, KUU_JSON_ERROR, KUU_JSON_ERROR_SYNTAX);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/accepted-as-json-glib", test_accepted_as_json_glib);
  g_test_add_func ("/json/values", test_values);
  g_test_add_func ("/json/refused/syntax", test_syntax_refused);
  g_test_add_func ("/json/refused/strings", test_strings_refused);
  g_test_add_func ("/json/refused/numbers", test_numbers_refused);
  g_test_add_func ("/json/refused/duplicates", test_duplicates_refused);
  g_test_add_func ("/json/depth", test_depth);
  g_test_add_func ("/json/deep-nesting", test_deep_nesting);
  g_test_add_func ("/json/refused/fuzz-findings", test_fuzz_findings);
  g_test_add_func ("/json/size", test_size);
  g_test_add_func ("/json/kiosk-readers", test_kiosk_readers);
  g_test_add_func ("/json/region-file", test_region_file);
  return g_test_run ();
}
