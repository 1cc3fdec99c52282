/* test-strategy.c: every bundled region loads complete in fi, sv and en;
 * every kind of broken file is refused with the file, field and reason
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "kuu-strategy-loader.h"

static const char * const regions[] = { "kainuu", "keski-suomi", "keski-uusimaa", "kymenlaakso" };

static char *
region_path (const char *id)
{
  g_autofree char *name = g_strconcat (id, ".json", NULL);

  return g_build_filename (g_getenv ("KUULOLLA_SOURCE_DIR"), "data", "regions", name, NULL);
}

static void
assert_text (const KuuText *text,
             const char    *what)
{
  if (text == NULL || !kuu_text_is_complete (text))
    g_error ("%s is not complete in fi, sv and en", what);

  /* The three languages are really translations, not one text thrice;
   * a proper name may be the same in all of them, so only long texts. */
  if (strlen (kuu_text_get (text, KUU_LANGUAGE_FI)) > 40)
    {
      g_assert_cmpstr (kuu_text_get (text, KUU_LANGUAGE_FI), !=, kuu_text_get (text, KUU_LANGUAGE_SV));
      g_assert_cmpstr (kuu_text_get (text, KUU_LANGUAGE_FI), !=, kuu_text_get (text, KUU_LANGUAGE_EN));
    }
}

static void
assert_entries (GPtrArray  *entries,
                const char *what)
{
  g_assert_cmpuint (entries->len, >, 0);
  for (guint i = 0; i < entries->len; i++)
    {
      const KuuEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *where = g_strdup_printf ("%s[%u]", what, i);

      g_assert_nonnull (entry->id);
      assert_text (entry->name, where);
      if (entry->description != NULL)
        assert_text (entry->description, where);
    }
}

static void
assert_topics (GListModel *topics,
               const char *what)
{
  g_assert_cmpuint (g_list_model_get_n_items (topics), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (topics); i++)
    {
      g_autoptr(KuuTopic) topic = g_list_model_get_item (topics, i);
      g_autofree char *where = g_strdup_printf ("%s[%u] (%s)", what, i, kuu_topic_get_id (topic));
      GPtrArray *key_results = kuu_topic_get_key_results (topic);

      assert_text (kuu_topic_get_title (topic), where);
      assert_text (kuu_topic_get_summary (topic), where);
      if (kuu_topic_get_kind (topic) == KUU_TOPIC_GOAL)
        assert_text (kuu_topic_get_description (topic), where);
      for (guint j = 0; j < key_results->len; j++)
        assert_text (((KuuEntry *)g_ptr_array_index (key_results, j))->name, where);
    }
}

static void
assert_complete (KuuStrategy *strategy)
{
  GPtrArray *targets = kuu_strategy_get_targets (strategy);
  GPtrArray *promise = kuu_strategy_get_service_promise (strategy);

  assert_text (kuu_strategy_get_name (strategy), "name");
  assert_text (kuu_strategy_get_short_name (strategy), "short_name");
  assert_text (kuu_strategy_get_title (strategy), "strategy.title");
  assert_text (kuu_strategy_get_vision (strategy), "vision");
  assert_text (kuu_strategy_get_mission (strategy), "mission");
  g_assert_nonnull (kuu_strategy_get_period (strategy));
  g_assert_nonnull (kuu_strategy_get_source (strategy));
  assert_entries (kuu_strategy_get_municipalities (strategy), "municipalities");
  assert_entries (kuu_strategy_get_values (strategy), "values");
  for (guint i = 0; i < promise->len; i++)
    assert_text (g_ptr_array_index (promise, i), "service_promise");
  assert_topics (kuu_strategy_get_goals (strategy), "goals");
  assert_topics (kuu_strategy_get_service_areas (strategy), "service_areas");
  for (guint i = 0; i < targets->len; i++)
    assert_text (((KuuTarget *)g_ptr_array_index (targets, i))->label, "targets");

  assert_text (kuu_strategy_get_recommend_question (strategy), "survey.recommend_question");
  assert_text (kuu_strategy_get_scale_low (strategy), "survey.scale_low");
  assert_text (kuu_strategy_get_scale_high (strategy), "survey.scale_high");
  for (guint answer = 1; answer <= KUU_AGREEMENT_SCALE_SIZE; answer++)
    assert_text (kuu_strategy_get_agreement_label (strategy, answer), "survey.agreement_scale");
  assert_entries (kuu_strategy_get_statements (strategy), "survey.statements");
  assert_text (kuu_strategy_get_why_prompt (strategy), "survey.why_prompt");
  assert_text (kuu_strategy_get_personnel_recommend_question (strategy), "personnel_survey");
  assert_text (kuu_strategy_get_personnel_functioning_question (strategy), "personnel_survey");
}

/* From the source tree, as a region's IT would give a file. */
static void
test_region_file_loads (gconstpointer data)
{
  const char *id = data;
  g_autofree char *path = region_path (id);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_file (file, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (kuu_strategy_get_id (strategy), ==, id);
  assert_complete (strategy);
  g_assert_finalize_object (g_steal_pointer (&strategy));
}

/* Built in, by id, as the app finds it with no data dir installed. */
static void
test_region_bundled (void)
{
  g_auto(GStrv) bundled = kuu_strategy_list_bundled ();

  g_assert_cmpuint (g_strv_length (bundled), ==, G_N_ELEMENTS (regions));
  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KuuStrategy) strategy = NULL;

      g_assert_cmpstr (bundled[i], ==, regions[i]);
      strategy = kuu_strategy_load_region (regions[i], &error);
      g_assert_no_error (error);
      g_assert_cmpstr (kuu_strategy_get_id (strategy), ==, regions[i]);
    }
}

static KuuTarget *
find_target (KuuStrategy *strategy,
             KuuMetric    metric)
{
  GPtrArray *targets = kuu_strategy_get_targets (strategy);

  for (guint i = 0; i < targets->len; i++)
    {
      KuuTarget *target = g_ptr_array_index (targets, i);

      if (target->metric == metric)
        return target;
    }
  return NULL;
}

/* The facts the seeds state, as the app will measure them. */
static void
test_region_facts (void)
{
  g_autoptr(KuuStrategy) kymenlaakso = kuu_strategy_load_region ("kymenlaakso", NULL);
  g_autoptr(KuuStrategy) keski_uusimaa = kuu_strategy_load_region ("keski-uusimaa", NULL);
  g_autoptr(KuuStrategy) kainuu = kuu_strategy_load_region ("kainuu", NULL);
  g_autoptr(KuuStrategy) keski_suomi = kuu_strategy_load_region ("keski-suomi", NULL);
  KuuTarget *target;

  g_assert_true (kuu_strategy_get_bilingual (kymenlaakso));
  g_assert_false (kuu_strategy_get_bilingual (kainuu));
  g_assert_cmpuint (kuu_strategy_get_municipalities (kymenlaakso)->len, ==, 6);
  g_assert_cmpuint (kuu_strategy_get_municipalities (keski_uusimaa)->len, ==, 6);
  g_assert_cmpuint (kuu_strategy_get_municipalities (kainuu)->len, ==, 8);
  g_assert_cmpuint (kuu_strategy_get_municipalities (keski_suomi)->len, ==, 22);
  g_assert_cmpuint (g_list_model_get_n_items (kuu_strategy_get_goals (kymenlaakso)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (kuu_strategy_get_goals (kainuu)), ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (kuu_strategy_get_goals (keski_suomi)), ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (kuu_strategy_get_service_areas (keski_suomi)), ==, 5);

  target = find_target (kymenlaakso, KUU_METRIC_ENPS);
  g_assert_nonnull (target);
  g_assert_cmpint (target->audience, ==, KUU_AUDIENCE_PERSONNEL);
  g_assert_cmpfloat (target->value, ==, 45);
  g_assert_true (kuu_target_is_met (target, 45));
  g_assert_false (kuu_target_is_met (target, 44));

  target = find_target (kymenlaakso, KUU_METRIC_MEAN);
  g_assert_nonnull (target);
  g_assert_cmpfloat (target->value, ==, 4);

  target = find_target (keski_uusimaa, KUU_METRIC_NPS);
  g_assert_nonnull (target);
  g_assert_cmpfloat (target->value, ==, 60);
  /* "above 60": 60 itself does not meet it */
  g_assert_false (kuu_target_is_met (target, 60));
  g_assert_true (kuu_target_is_met (target, 61));

  target = find_target (keski_uusimaa, KUU_METRIC_SHARE_AGREE);
  g_assert_nonnull (target);
  g_assert_cmpfloat (target->value, ==, 80);
  g_assert_cmpstr (target->statement, ==, "got-needed-service");
}

/* --- easy language ----------------------------------------------------- */

static void
assert_easy (const KuuText *text,
             const char    *what)
{
  for (KuuLanguage language = KUU_LANGUAGE_FI; language <= KUU_LANGUAGE_SV; language++)
    {
      const char *easy = kuu_text_get_easy (text, language);

      if (easy == NULL || easy[0] == '\0')
        g_error ("%s has no easy %s text", what, kuu_language_to_code (language));
      if (g_str_equal (easy, kuu_text_get (text, language)))
        g_test_message ("%s: the easy %s text is the plain one", what, kuu_language_to_code (language));
    }
}

static void
assert_easy_topics (GListModel *topics,
                    const char *region)
{
  for (guint i = 0; i < g_list_model_get_n_items (topics); i++)
    {
      g_autoptr(KuuTopic) topic = g_list_model_get_item (topics, i);
      g_autofree char *what = g_strdup_printf ("%s: %s", region, kuu_topic_get_id (topic));

      assert_easy (kuu_topic_get_title (topic), what);
      assert_easy (kuu_topic_get_summary (topic), what);
    }
}

/* Every bundled region has easy Finnish and Swedish for what a resident
 * reads in a flow: goals, service areas, the survey's texts. */
static void
test_easy_bundled (gconstpointer data)
{
  const char *id = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_region (id, &error);
  GPtrArray *statements;

  g_assert_no_error (error);
  assert_easy_topics (kuu_strategy_get_goals (strategy), id);
  assert_easy_topics (kuu_strategy_get_service_areas (strategy), id);
  assert_easy (kuu_strategy_get_recommend_question (strategy), "recommend_question");
  assert_easy (kuu_strategy_get_why_prompt (strategy), "why_prompt");
  statements = kuu_strategy_get_statements (strategy);
  for (guint i = 0; i < statements->len; i++)
    assert_easy (((KuuEntry *) g_ptr_array_index (statements, i))->name, "a statement");
}

/* An easy text is kept beside the plain one; a text without one has none. */
static void
test_easy_loaded (void)
{
  g_autofree char *path = region_path ("kainuu");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_file (file, &error);
  g_autoptr(KuuTopic) goal = NULL;
  g_autoptr(KuuText) copy = NULL;

  g_assert_no_error (error);
  goal = g_list_model_get_item (kuu_strategy_get_goals (strategy), 0);
  g_assert_cmpstr (kuu_text_get (kuu_topic_get_title (goal), KUU_LANGUAGE_FI), ==, "Teemme yhdessä ihmiseltä ihmiselle");
  g_assert_nonnull (kuu_text_get_easy (kuu_topic_get_title (goal), KUU_LANGUAGE_FI));
  g_assert_cmpstr (kuu_text_get_easy (kuu_topic_get_title (goal), KUU_LANGUAGE_FI), !=,
                   kuu_text_get (kuu_topic_get_title (goal), KUU_LANGUAGE_FI));
  copy = kuu_text_copy (kuu_topic_get_title (goal));
  g_assert_cmpstr (kuu_text_get_easy (copy, KUU_LANGUAGE_SV), ==,
                   kuu_text_get_easy (kuu_topic_get_title (goal), KUU_LANGUAGE_SV));
  g_assert_null (kuu_text_get_easy (kuu_strategy_get_vision (strategy), KUU_LANGUAGE_FI));
}

/* --- broken files ------------------------------------------------------ */

typedef struct
{
  const char       *name;
  const char       *parent;   /* slash-separated path to the object or array */
  const char       *member;   /* member to set, or array index */
  const char       *json;     /* new value; NULL removes the member */
  KuuStrategyError  code;
  const char       *field;    /* the path the message must name */
} Breakage;

static const Breakage breakages[] = {
  { "missing-goal-id", "goals/0", "id", NULL, KUU_STRATEGY_ERROR_MISSING_FIELD, "goals[0].id: missing" },
  { "duplicate-goal-id", "goals/1", "id", "\"@goals/0/id\"", KUU_STRATEGY_ERROR_DUPLICATE_ID, "goals[1].id" },
  { "unknown-language", "vision", "de", "\"Unsere Vision\"", KUU_STRATEGY_ERROR_UNKNOWN_LANGUAGE, "vision.de" },
  { "missing-swedish", "goals/0/title", "sv", NULL, KUU_STRATEGY_ERROR_MISSING_TRANSLATION, "goals[0].title: missing the Swedish" },
  { "empty-english", "mission", "en", "\"  \"", KUU_STRATEGY_ERROR_MISSING_TRANSLATION, "mission.en" },
  { "target-out-of-scale", "", "targets",
    "[{\"id\":\"t\",\"metric\":\"nps\",\"audience\":\"residents\",\"comparison\":\"gt\",\"value\":120,"
    "\"label\":{\"fi\":\"a\",\"sv\":\"b\",\"en\":\"c\"}}]",
    KUU_STRATEGY_ERROR_OUT_OF_SCALE, "targets[0].value: 120 is outside the scale of nps" },
  { "mean-out-of-scale", "", "targets",
    "[{\"id\":\"t\",\"metric\":\"mean\",\"audience\":\"personnel\",\"question\":\"functioning\","
    "\"comparison\":\"ge\",\"value\":6,\"label\":{\"fi\":\"a\",\"sv\":\"b\",\"en\":\"c\"}}]",
    KUU_STRATEGY_ERROR_OUT_OF_SCALE, "targets[0].value" },
  { "unknown-statement", "", "targets",
    "[{\"id\":\"t\",\"metric\":\"share_agree\",\"audience\":\"residents\",\"comparison\":\"ge\","
    "\"value\":80,\"statement\":\"nope\",\"label\":{\"fi\":\"a\",\"sv\":\"b\",\"en\":\"c\"}}]",
    KUU_STRATEGY_ERROR_UNKNOWN_REFERENCE, "targets[0].statement" },
  { "unknown-metric", "", "targets",
    "[{\"id\":\"t\",\"metric\":\"csat\",\"audience\":\"residents\",\"comparison\":\"ge\","
    "\"value\":80,\"label\":{\"fi\":\"a\",\"sv\":\"b\",\"en\":\"c\"}}]",
    KUU_STRATEGY_ERROR_INVALID_VALUE, "targets[0].metric" },
  { "bad-id", "service_areas/0", "id", "\"Health Services\"", KUU_STRATEGY_ERROR_INVALID_VALUE, "service_areas[0].id" },
  { "wrong-type", "", "bilingual", "\"yes\"", KUU_STRATEGY_ERROR_WRONG_TYPE, "bilingual: expected boolean, found string" },
  { "text-not-object", "", "vision", "\"just a string\"", KUU_STRATEGY_ERROR_WRONG_TYPE, "vision: expected object" },
  { "four-point-scale", "survey/agreement_scale", "4", NULL, KUU_STRATEGY_ERROR_INVALID_VALUE, "survey.agreement_scale" },
  { "no-goals", "", "goals", "[]", KUU_STRATEGY_ERROR_INVALID_VALUE, "goals: needs at least 1 item" },
  { "unsupported-format", "", "format", "2", KUU_STRATEGY_ERROR_UNSUPPORTED_FORMAT, "format" },
  { "id-not-file-name", "", "id", "\"lappi\"", KUU_STRATEGY_ERROR_INVALID_VALUE, "id: “lappi” does not match" },
  { "summary-too-long", "goals/0/summary", "fi", "\"@long\"", KUU_STRATEGY_ERROR_INVALID_VALUE, "goals[0].summary.fi: longer than 140" },
  { "default-language", "", "default_language", "\"de\"", KUU_STRATEGY_ERROR_INVALID_VALUE, "default_language" },
  { "missing-survey", "", "survey", NULL, KUU_STRATEGY_ERROR_MISSING_FIELD, "survey: missing" },
  { "municipality-no-name", "municipalities/2", "name", NULL, KUU_STRATEGY_ERROR_MISSING_FIELD, "municipalities[2].name" },
  /* Easy-language texts are held to the same rules as the others. */
  { "easy-unknown-language", "goals/0/title", "de-easy", "\"Einfach\"", KUU_STRATEGY_ERROR_UNKNOWN_LANGUAGE, "goals[0].title.de-easy" },
  { "easy-bad-suffix", "goals/0/title", "fi-selko", "\"Helppo\"", KUU_STRATEGY_ERROR_UNKNOWN_LANGUAGE, "goals[0].title.fi-selko" },
  { "easy-empty", "survey/why_prompt", "sv-easy", "\" \"", KUU_STRATEGY_ERROR_MISSING_TRANSLATION, "survey.why_prompt.sv-easy: empty" },
  { "easy-not-string", "service_areas/1/name", "fi-easy", "[\"a\"]", KUU_STRATEGY_ERROR_WRONG_TYPE, "service_areas[1].name.fi-easy: expected string" },
  { "easy-summary-too-long", "goals/0/summary", "fi-easy", "\"@long\"", KUU_STRATEGY_ERROR_INVALID_VALUE, "goals[0].summary.fi-easy: longer than 140" },
};

static JsonNode *
find_node (JsonNode   *root,
           const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      if (JSON_NODE_HOLDS_ARRAY (node))
        node = json_array_get_element (json_node_get_array (node), atoi (parts[i]));
      else
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      g_assert_nonnull (node);
    }

  return node;
}

static JsonNode *
value_node (JsonNode   *root,
            const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  /* "@path" copies a value from elsewhere in the file; "@long" is a
   * summary over the limit. */
  if (g_str_equal (json, "\"@long\""))
    {
      g_autofree char *text = g_strnfill (141, 'x');
      JsonNode *node = json_node_new (JSON_NODE_VALUE);

      json_node_set_string (node, text);
      return node;
    }
  if (g_str_has_prefix (json, "\"@"))
    {
      g_autofree char *path = g_strndup (json + 2, strlen (json) - 3);

      return json_node_copy (find_node (root, path));
    }

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return json_node_copy (json_parser_get_root (parser));
}

static GBytes *
broken_kainuu (const Breakage *breakage)
{
  g_autofree char *path = region_path ("kainuu");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonNode *root;
  JsonNode *parent;
  gsize length;
  char *data;

  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  root = json_parser_get_root (parser);
  parent = find_node (root, breakage->parent);

  if (JSON_NODE_HOLDS_ARRAY (parent))
    json_array_remove_element (json_node_get_array (parent), atoi (breakage->member));
  else if (breakage->json == NULL)
    json_object_remove_member (json_node_get_object (parent), breakage->member);
  else
    json_object_set_member (json_node_get_object (parent), breakage->member,
                            value_node (root, breakage->json));

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

static void
test_broken_file (gconstpointer data)
{
  const Breakage *breakage = data;
  g_autoptr(GBytes) bytes = broken_kainuu (breakage);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_bytes (bytes, "kainuu.json", &error);

  g_assert_null (strategy);
  g_assert_error (error, KUU_STRATEGY_ERROR, (int)breakage->code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "kainuu.json: "));
  if (strstr (error->message, breakage->field) == NULL)
    g_error ("“%s” does not name “%s”", error->message, breakage->field);
}

static void
assert_refused (const char       *contents,
                gssize            length,
                KuuStrategyError  code)
{
  g_autoptr(GBytes) bytes = g_bytes_new (contents, length < 0 ? strlen (contents) : (gsize)length);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_bytes (bytes, "region.json", &error);

  g_assert_null (strategy);
  g_assert_error (error, KUU_STRATEGY_ERROR, (int)code);
  g_assert_true (g_str_has_prefix (error->message, "region.json: "));
}

static void
test_not_json (void)
{
  assert_refused ("this is not JSON", -1, KUU_STRATEGY_ERROR_INVALID_JSON);
  assert_refused ("{\"format\": 1,", -1, KUU_STRATEGY_ERROR_INVALID_JSON);
  assert_refused ("", 0, KUU_STRATEGY_ERROR_WRONG_TYPE);
  assert_refused ("[1, 2, 3]", -1, KUU_STRATEGY_ERROR_WRONG_TYPE);
}

static void
test_invalid_utf8 (void)
{
  const char latin1[] = "{\"format\": 1, \"id\": \"k\xe4rs\xe4m\xe4ki\"}";

  assert_refused (latin1, sizeof latin1 - 1, KUU_STRATEGY_ERROR_INVALID_UTF8);
}

/* Every cut of a good file is refused cleanly, never half-loaded. */
static void
test_truncated (void)
{
  g_autofree char *path = region_path ("kymenlaakso");
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (gsize cut = 0; cut < length - 2; cut += 1 + length / 97)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (contents, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(KuuStrategy) strategy = kuu_strategy_load_bytes (bytes, "kymenlaakso.json", &error);

      g_assert_null (strategy);
      g_assert_nonnull (error);
    }
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_region ("/nonexistent/lappi.json", &error);

  g_assert_null (strategy);
  g_assert_error (error, KUU_STRATEGY_ERROR, KUU_STRATEGY_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/lappi.json"));

  g_clear_error (&error);
  strategy = kuu_strategy_load_region ("lappi", &error);
  g_assert_error (error, KUU_STRATEGY_ERROR, KUU_STRATEGY_ERROR_NOT_FOUND);
  /* The message lists what is there. */
  g_assert_nonnull (strstr (error->message, "kainuu"));
}

/* A staff desktop starts in the desktop's language where it is one of
 * ours; anything else leaves the choice to the region. */
static void
test_language_from_locale (void)
{
  const struct { const char *language; gboolean found; KuuLanguage expected; } cases[] = {
    { "sv_FI.UTF-8", TRUE, KUU_LANGUAGE_SV },
    { "fi_FI", TRUE, KUU_LANGUAGE_FI },
    { "de_DE:en_GB", TRUE, KUU_LANGUAGE_EN },
    { "de_DE", FALSE, 0 },
    { "C", FALSE, 0 },
  };
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KuuLanguage language = KUU_N_LANGUAGES;

      g_setenv ("LANGUAGE", cases[i].language, TRUE);
      g_assert_cmpint (kuu_language_from_locale (&language), ==, cases[i].found);
      if (cases[i].found)
        g_assert_cmpint (language, ==, cases[i].expected);
    }

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      g_autofree char *name = g_strdup_printf ("/strategy/region/%s", regions[i]);

      g_test_add_data_func (name, regions[i], test_region_file_loads);
    }
  g_test_add_func ("/strategy/bundled", test_region_bundled);
  g_test_add_func ("/strategy/easy/loaded", test_easy_loaded);
  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      g_autofree char *name = g_strdup_printf ("/strategy/easy/bundled/%s", regions[i]);

      g_test_add_data_func (name, regions[i], test_easy_bundled);
    }
  g_test_add_func ("/strategy/facts", test_region_facts);

  for (guint i = 0; i < G_N_ELEMENTS (breakages); i++)
    {
      g_autofree char *name = g_strdup_printf ("/strategy/broken/%s", breakages[i].name);

      g_test_add_data_func (name, &breakages[i], test_broken_file);
    }
  g_test_add_func ("/strategy/broken/not-json", test_not_json);
  g_test_add_func ("/strategy/broken/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/strategy/broken/truncated", test_truncated);
  g_test_add_func ("/strategy/broken/missing-file", test_missing_file);
  g_test_add_func ("/strategy/language-from-locale", test_language_from_locale);

  return g_test_run ();
}
