/* test-wire.c: a record survives JSON both ways, field for field, and a
 * record that is wrong in any way is refused with the member named
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kuu-json.h"
#include "kuu-wire.h"

static const char *markup = "<b>Hyvä</b> & 'palvelu'; DROP TABLE submissions; -- 👍 åäö";

static KuuSubmission *
parse (const char  *json,
       GError     **error)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return kuu_wire_submission_from_json (node, error);
}

static void
assert_round_trip (const KuuSubmission *submission)
{
  g_autoptr(JsonNode) node = kuu_wire_submission_to_json (submission, TRUE);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuSubmission) back = parse (text, &error);
  g_autofree char *written = kuu_wire_submission_to_text (submission, TRUE, &error);
  g_autofree char *anonymous = kuu_wire_submission_to_text (submission, FALSE, &error);
  g_autoptr(JsonNode) anonymous_node = kuu_wire_submission_to_json (submission, FALSE);
  g_autofree char *anonymous_text = json_to_string (anonymous_node, FALSE);

  g_test_message ("%s", text);
  g_assert_no_error (error);
  g_assert_true (kuu_submission_equal (submission, back));
  g_assert_cmpstr (back->uuid, ==, submission->uuid);
  g_assert_cmpint (back->created_at, ==, submission->created_at);

  /* The writer gives the generator's very text, with and without the
   * contact. */
  g_assert_cmpstr (written, ==, text);
  g_assert_cmpstr (anonymous, ==, anonymous_text);
}

static void
test_recommendation (void)
{
  g_autoptr(KuuSubmission) s = kuu_submission_new_recommendation (KUU_TOPIC_SERVICE_AREA, "health", 9);

  kuu_submission_set_place (s, "kymenlaakso", "Kotka, Kyminlinnan palvelukeskus", KUU_LANGUAGE_SV);
  kuu_submission_add_answer (s, "easy-to-deal", 4);
  kuu_submission_add_answer (s, "felt-safe", 5);
  s->text = g_strdup (markup);
  assert_round_trip (s);
}

static void
test_feedback_with_contact (void)
{
  g_autoptr(KuuSubmission) s = kuu_submission_new_feedback (markup);
  g_autoptr(JsonNode) anonymous = NULL;

  kuu_submission_set_place (s, "kainuu", "Kajaani", KUU_LANGUAGE_FI);
  kuu_submission_set_topic (s, KUU_TOPIC_GOAL, "together");
  kuu_submission_set_contact (s, "Åsa Öhman", "asa@example.fi", NULL);
  assert_round_trip (s);

  /* Without the contact, nothing of it goes */
  anonymous = kuu_wire_submission_to_json (s, FALSE);
  g_assert_false (json_object_has_member (json_node_get_object (anonymous), "contact"));
}

static void
test_initiative (void)
{
  g_autoptr(KuuSubmission) s = kuu_submission_new_initiative ("Iltavastaanotto <i>nyt</i>", markup,
                                                              "kuhmo", KUU_CHANNEL_PAPER);

  kuu_submission_set_place (s, "kainuu", "Kuhmo", KUU_LANGUAGE_FI);
  kuu_submission_set_contact (s, "Matti Virtanen", NULL, "+358 40 123 4567");
  s->signatories = 12;
  assert_round_trip (s);
}

#define GOOD_HEAD "\"uuid\": \"0b7d3c8e-6f1a-4d2b-9c3e-1a2b3c4d5e6f\", \"created_at\": \"2026-11-24T10:00:00Z\", " \
                  "\"region\": \"kainuu\", \"unit\": \"Kajaani\", \"language\": \"fi\", \"audience\": \"residents\""
#define RECOMMEND(extra) "{" GOOD_HEAD ", \"kind\": \"recommendation\", " \
                         "\"topic\": {\"kind\": \"goal\", \"id\": \"together\"}, \"score\": 9" extra "}"

typedef struct
{
  const char *name;
  const char *json;
  const char *field;  /* what the message must name */
} Bad;

static const Bad bad[] = {
  { "good", RECOMMEND (""), NULL },
  { "array", "[1, 2]", "object" },
  { "unknown-member", RECOMMEND (", \"admin\": true"), "admin: unknown member" },
  { "score-11", "{" GOOD_HEAD ", \"kind\": \"recommendation\", \"topic\": {\"kind\": \"goal\", \"id\": \"x\"}, \"score\": 11}", "score: out of range" },
  { "score-string", "{" GOOD_HEAD ", \"kind\": \"recommendation\", \"topic\": {\"kind\": \"goal\", \"id\": \"x\"}, \"score\": \"9\"}", "score: expected a whole number" },
  { "score-fraction", "{" GOOD_HEAD ", \"kind\": \"recommendation\", \"topic\": {\"kind\": \"goal\", \"id\": \"x\"}, \"score\": 9.5}", "score: expected a whole number" },
  { "no-topic", "{" GOOD_HEAD ", \"kind\": \"recommendation\", \"score\": 9}", "topic: missing" },
  { "topic-kind", "{" GOOD_HEAD ", \"kind\": \"recommendation\", \"topic\": {\"kind\": \"vote\", \"id\": \"x\"}, \"score\": 9}", "topic.kind" },
  { "answer-6", RECOMMEND (", \"answers\": [{\"statement\": \"felt-safe\", \"answer\": 6}]"), "answers[0].answer: out of range" },
  { "answer-twice", RECOMMEND (", \"answers\": [{\"statement\": \"a\", \"answer\": 1}, {\"statement\": \"a\", \"answer\": 2}]"), "answers" },
  { "bad-kind", "{" GOOD_HEAD ", \"kind\": \"vote\"}", "kind: not recommendation" },
  { "bad-language", "{\"uuid\": \"0b7d3c8e-6f1a-4d2b-9c3e-1a2b3c4d5e6f\", \"kind\": \"feedback\", \"created_at\": \"2026-11-24T10:00:00Z\", "
                    "\"region\": \"kainuu\", \"unit\": \"K\", \"language\": \"de\", \"audience\": \"residents\", \"text\": \"x\"}", "language" },
  { "bad-uuid", "{\"uuid\": \"1; DROP TABLE x\", \"kind\": \"feedback\", \"created_at\": \"2026-11-24T10:00:00Z\", "
                "\"region\": \"kainuu\", \"unit\": \"K\", \"language\": \"fi\", \"audience\": \"residents\", \"text\": \"x\"}", "uuid: not a UUID" },
  { "bad-time", "{\"uuid\": \"0b7d3c8e-6f1a-4d2b-9c3e-1a2b3c4d5e6f\", \"kind\": \"feedback\", \"created_at\": \"yesterday\", "
                "\"region\": \"kainuu\", \"unit\": \"K\", \"language\": \"fi\", \"audience\": \"residents\", \"text\": \"x\"}", "created_at" },
  { "feedback-score", "{" GOOD_HEAD ", \"kind\": \"feedback\", \"text\": \"x\", \"score\": 3}", "score: only a recommendation" },
  { "feedback-empty", "{" GOOD_HEAD ", \"kind\": \"feedback\", \"text\": \"   \"}", "text" },
  { "initiative-missing", "{" GOOD_HEAD ", \"kind\": \"initiative\", \"text\": \"x\"}", "initiative: missing" },
  { "initiative-channel", "{" GOOD_HEAD ", \"kind\": \"initiative\", \"text\": \"x\", \"initiative\": {\"title\": \"t\", "
                          "\"municipality\": \"kuhmo\", \"channel\": \"fax\", \"received_on\": \"2026-11-24\", \"signatories\": 1}, "
                          "\"contact\": {\"name\": \"M\", \"phone\": \"1\"}}", "initiative.channel" },
  { "initiative-no-contact", "{" GOOD_HEAD ", \"kind\": \"initiative\", \"text\": \"x\", \"initiative\": {\"title\": \"t\", "
                             "\"municipality\": \"kuhmo\", \"channel\": \"kiosk\", \"received_on\": \"2026-11-24\", \"signatories\": 1}}", "contact: missing" },
  { "contact-no-name", "{" GOOD_HEAD ", \"kind\": \"feedback\", \"text\": \"x\", \"contact\": {\"email\": \"a@b.fi\"}}", "contact.name: missing" },
  /* Reasons name the member by its path (issue 14, item 10), and say
   * "missing" only when it is absent (or null). */
  { "contact-email", "{" GOOD_HEAD ", \"kind\": \"feedback\", \"text\": \"x\", \"contact\": {\"name\": \"A\", \"email\": \"not-an-address\"}}", "contact.email: An e-mail" },
  { "contact-name-blank", "{" GOOD_HEAD ", \"kind\": \"feedback\", \"text\": \"x\", \"contact\": {\"name\": \"  \", \"phone\": \"1\"}}", "contact.name: " },
  { "initiative-received-on", "{" GOOD_HEAD ", \"kind\": \"initiative\", \"text\": \"x\", \"initiative\": {\"title\": \"t\", "
                              "\"municipality\": \"kuhmo\", \"channel\": \"kiosk\", \"received_on\": \"2026-02-30\", \"signatories\": 1}, "
                              "\"contact\": {\"name\": \"M\", \"phone\": \"1\"}}", "initiative.received_on: not a date YYYY-MM-DD" },
  { "initiative-received-on-text", "{" GOOD_HEAD ", \"kind\": \"initiative\", \"text\": \"x\", \"initiative\": {\"title\": \"t\", "
                                   "\"municipality\": \"kuhmo\", \"channel\": \"kiosk\", \"received_on\": \"yesterday!\", \"signatories\": 1}, "
                                   "\"contact\": {\"name\": \"M\", \"phone\": \"1\"}}", "initiative.received_on: not a date" },
  { "initiative-received-on-absent", "{" GOOD_HEAD ", \"kind\": \"initiative\", \"text\": \"x\", \"initiative\": {\"title\": \"t\", "
                                     "\"municipality\": \"kuhmo\", \"channel\": \"kiosk\", \"signatories\": 1}, "
                                     "\"contact\": {\"name\": \"M\", \"phone\": \"1\"}}", "initiative.received_on: missing" },
  { "initiative-title-blank", "{" GOOD_HEAD ", \"kind\": \"initiative\", \"text\": \"x\", \"initiative\": {\"title\": \" \", "
                              "\"municipality\": \"kuhmo\", \"channel\": \"kiosk\", \"received_on\": \"2026-11-24\", \"signatories\": 1}, "
                              "\"contact\": {\"name\": \"M\", \"phone\": \"1\"}}", "initiative.title: " },
  { "contact-extra", "{" GOOD_HEAD ", \"kind\": \"feedback\", \"text\": \"x\", \"contact\": {\"name\": \"A\", \"email\": \"a@b.fi\", \"ssn\": \"010101-123A\"}}", "contact.ssn" },
};

static void
test_bad (gconstpointer data)
{
  const Bad *b = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuSubmission) s = parse (b->json, &error);

  if (b->field == NULL)
    {
      g_assert_no_error (error);
      g_assert_nonnull (s);
      return;
    }

  g_assert_null (s);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  if (strstr (error->message, b->field) == NULL)
    g_error ("“%s” does not name “%s”", error->message, b->field);
}

static void
test_too_long (void)
{
  g_autofree char *long_text = g_strnfill (KUU_MAX_FEEDBACK_LENGTH + 1, 'a');
  g_autofree char *json = g_strdup_printf ("{" GOOD_HEAD ", \"kind\": \"feedback\", \"text\": \"%s\"}", long_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuSubmission) s = parse (json, &error);

  g_assert_null (s);
  g_assert_nonnull (strstr (error->message, "text"));
}

/* Whatever the other side sends in place of a string, the answer is NULL,
 * not an assertion. */
static void
test_get_string (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"s\": \"x\", \"o\": {}, \"a\": [1], \"n\": 5, \"z\": null}", NULL);
  JsonObject *object = json_node_get_object (node);

  g_assert_cmpstr (kuu_wire_get_string (object, "s"), ==, "x");
  g_assert_null (kuu_wire_get_string (object, "o"));
  g_assert_null (kuu_wire_get_string (object, "a"));
  g_assert_null (kuu_wire_get_string (object, "n"));
  g_assert_null (kuu_wire_get_string (object, "z"));
  g_assert_null (kuu_wire_get_string (object, "missing"));
}

/* A JSON string of @value as the other side reads it back. */
static char *
read_back (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = kuu_json_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  return g_strdup (json_node_get_string (json_array_get_element (json_node_get_array (root), 0)));
}

/* Every ASCII character, alone and among others, goes there and back;
 * the escapes are JSON's own, as json-glib writes them. */
static void
test_text_escapes (void)
{
  static const struct { const char *value, *json; } expected[] = {
    { "\"", "\"\\\"\"" }, { "\\", "\"\\\\\"" }, { "/", "\"/\"" }, { "\b", "\"\\b\"" }, { "\f", "\"\\f\"" },
    { "\n", "\"\\n\"" }, { "\r", "\"\\r\"" }, { "\t", "\"\\t\"" }, { "\x01", "\"\\u0001\"" },
    { "\x1f", "\"\\u001f\"" }, { "\x7f", "\"\\u007f\"" }, { "", "\"\"" },
    { "åäö € 👍 \xe2\x80\xa8", "\"åäö € 👍 \xe2\x80\xa8\"" },
    { "a\"b\\c\nd", "\"a\\\"b\\\\c\\nd\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      g_assert_true (kuu_wire_append_string (out, expected[i].value));
      g_assert_cmpstr (out->str, ==, expected[i].json);
    }

  for (int c = 1; c < 0x80; c++)
    {
      g_autofree char *value = g_strdup_printf ("x%cy%c", c, c);
      g_autoptr(GString) out = g_string_new ("[");
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
      g_autofree char *generated = NULL;
      g_autofree char *back = NULL;

      g_assert_true (kuu_wire_append_string (out, value));
      g_string_append_c (out, ']');
      back = read_back (out->str);
      g_assert_cmpstr (back, ==, value);

      /* json-glib 1.6 leaves U+001F raw, which is not JSON. */
      json_node_set_string (node, value);
      generated = json_to_string (node, FALSE);
      if (c != 0x1f)
        {
          g_string_truncate (out, out->len - 1);
          g_assert_cmpstr (out->str + 1, ==, generated);
        }
    }

  /* null for NULL */
  {
    g_autoptr(GString) out = g_string_new (NULL);

    g_assert_true (kuu_wire_append_string (out, NULL));
    g_assert_cmpstr (out->str, ==, "null");
  }
}

/* Bytes that are not UTF-8 are refused, not written: the other side
 * would refuse the whole batch. */
static void
test_text_not_utf8 (void)
{
  const char *bad_texts[] = { "\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "ok \xe2\x82", NULL };

  for (guint i = 0; bad_texts[i] != NULL; i++)
    {
      g_autoptr(GString) out = g_string_new ("[1,");
      g_autoptr(KuuSubmission) s = kuu_submission_new_feedback ("x");
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      g_assert_false (kuu_wire_append_string (out, bad_texts[i]));
      g_assert_cmpstr (out->str, ==, "[1,");

      kuu_submission_set_place (s, "kainuu", "Kajaani", KUU_LANGUAGE_FI);
      g_free (s->text);
      s->text = g_strdup (bad_texts[i]);
      g_assert_false (kuu_wire_append_submission (out, s, TRUE, &error));
      g_assert_error (error, KUU_WIRE_ERROR, KUU_WIRE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "text"));
      g_assert_cmpstr (out->str, ==, "[1,");
      g_clear_error (&error);

      g_free (s->text);
      s->text = g_strdup ("x");
      kuu_submission_set_contact (s, bad_texts[i], NULL, "1");
      g_assert_null ((text = kuu_wire_submission_to_text (s, TRUE, &error)));
      g_assert_nonnull (strstr (error->message, "contact"));
      g_clear_error (&error);
      /* Without the contact it is written. */
      g_assert_nonnull ((text = kuu_wire_submission_to_text (s, FALSE, &error)));
      g_assert_no_error (error);
    }
}

/* created_at as GDateTime formats it, across leap days and the ends of
 * its range; null beyond them. Before the year 1000 GDateTime's %Y has
 * fewer than four digits, which is no RFC 3339: the writer pads them. */
static void
test_text_times (void)
{
  const gint64 edges[] = { 0, -1, 1, 86399, 86400, -86400, -86401, 951782400 /* 2000-02-29 */,
                           -2203891200 /* 1900-03-01 */, 1795000000, G_GINT64_CONSTANT (253402300799),
                           G_GINT64_CONSTANT (-62135596800), G_GINT64_CONSTANT (4107542400) /* 2100-03-01 */ };
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);

  for (guint i = 0; i < G_N_ELEMENTS (edges) + 2000; i++)
    {
      gint64 seconds = i < G_N_ELEMENTS (edges) ? edges[i]
                       : (gint64)(g_rand_double_range (rand, -62135596800.0, 253402300799.0));
      g_autoptr(KuuSubmission) s = kuu_submission_new_feedback ("x");
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *generated = NULL;
      g_autofree char *written = NULL;

      s->created_at = seconds;
      node = kuu_wire_submission_to_json (s, TRUE);
      generated = json_to_string (node, FALSE);
      written = kuu_wire_submission_to_text (s, TRUE, NULL);
      if (seconds >= G_GINT64_CONSTANT (-30610224000))  /* 1000-01-01 */
        g_assert_cmpstr (written, ==, generated);
      else
        g_assert_true (g_str_has_prefix (strstr (written, "\"created_at\":\"") + 14, "0"));
    }

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(KuuSubmission) s = kuu_submission_new_feedback ("x");
      g_autofree char *written = NULL;

      s->created_at = i == 0 ? G_GINT64_CONSTANT (253402300800) : G_GINT64_CONSTANT (-62135596801);
      written = kuu_wire_submission_to_text (s, TRUE, NULL);
      g_assert_nonnull (strstr (written, "\"created_at\":null"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wire/recommendation", test_recommendation);
  g_test_add_func ("/wire/feedback-with-contact", test_feedback_with_contact);
  g_test_add_func ("/wire/initiative", test_initiative);
  g_test_add_func ("/wire/too-long", test_too_long);
  g_test_add_func ("/wire/get-string", test_get_string);
  g_test_add_func ("/wire/text/escapes", test_text_escapes);
  g_test_add_func ("/wire/text/not-utf8", test_text_not_utf8);
  g_test_add_func ("/wire/text/times", test_text_times);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *name = g_strdup_printf ("/wire/refused/%s", bad[i].name);

      g_test_add_data_func (name, &bad[i], test_bad);
    }

  return g_test_run ();
}
