/* kuu-strategy-loader.c
 *
 * The whole file is validated while it is read; the strategy is handed out
 * only when every field passed, so a bad file never half-loads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-i18n-private.h"
#include <json-glib/json-glib.h>
#include <string.h>

#include "kuu-strategy-loader.h"
#include "kuu-strategy-private.h"
#include "kuu-json.h"

#define MAX_ID_LENGTH 64
#define MAX_TEXT_LENGTH 4000
/* A text member with this after its language code is its easy-language version. */
#define EASY_SUFFIX "-easy"
#define MAX_SUMMARY_LENGTH 140

typedef struct
{
  const char  *file_name;
  GError     **error;
} Loader;

G_DEFINE_QUARK (kuu-strategy-error-quark, kuu_strategy_error)

static const char * const language_names[KUU_N_LANGUAGES] = {
  N_("Finnish"), N_("Swedish"), N_("English"),
};

static gboolean fail (Loader           *loader,
                      KuuStrategyError  code,
                      const char       *path,
                      const char       *format,
                      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (Loader           *loader,
      KuuStrategyError  code,
      const char       *path,
      const char       *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (loader->error, KUU_STRATEGY_ERROR, code,
               "%s: %s: %s", loader->file_name, path, message);
  return FALSE;
}

static char *
child_path (const char *path,
            const char *member)
{
  if (path == NULL || path[0] == '\0')
    return g_strdup (member);
  return g_strdup_printf ("%s.%s", path, member);
}

static char *
index_path (const char *path,
            guint       index)
{
  return g_strdup_printf ("%s[%u]", path, index);
}

static const char *
node_type_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "array";
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "string";
    case G_TYPE_BOOLEAN:
      return "boolean";
    default:
      return "number";
    }
}

/* Returns the member, or NULL: then *ok says whether that is an error. */
static JsonNode *
get_member (Loader     *loader,
            JsonObject *object,
            const char *path,
            const char *name,
            gboolean    required,
            gboolean   *ok)
{
  JsonNode *node = json_object_get_member (object, name);

  *ok = TRUE;
  if (node == NULL && required)
    {
      g_autofree char *member_path = child_path (path, name);

      *ok = fail (loader, KUU_STRATEGY_ERROR_MISSING_FIELD, member_path, _("missing"));
    }

  return node;
}

static gboolean
expect_type (Loader     *loader,
             JsonNode   *node,
             const char *path,
             const char *expected)
{
  if (g_strcmp0 (node_type_name (node), expected) == 0)
    return TRUE;

  return fail (loader, KUU_STRATEGY_ERROR_WRONG_TYPE, path,
               _("expected %s, found %s"), expected, node_type_name (node));
}

/* The member @name if it is a JSON @type, or NULL: then *ok says
 * whether that is an error (missing though required, or another type). */
static JsonNode *
get_typed_member (Loader     *loader,
                  JsonObject *object,
                  const char *path,
                  const char *name,
                  gboolean    required,
                  const char *type,
                  gboolean   *ok)
{
  g_autofree char *member_path = NULL;
  JsonNode *node = get_member (loader, object, path, name, required, ok);

  if (node == NULL)
    return NULL;
  member_path = child_path (path, name);
  *ok = expect_type (loader, node, member_path, type);
  return *ok ? node : NULL;
}

static gboolean
check_id (Loader     *loader,
          const char *id,
          const char *path)
{
  gsize length = strlen (id);

  if (length == 0 || length > MAX_ID_LENGTH || !g_ascii_islower (id[0]))
    goto invalid;

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_islower (id[i]) && !g_ascii_isdigit (id[i]) && id[i] != '-')
        goto invalid;
    }

  return TRUE;

invalid:
  return fail (loader, KUU_STRATEGY_ERROR_INVALID_VALUE, path,
               _("“%s” is not a valid id (1–%d characters a–z, 0–9 and “-”, starting with a letter)"),
               id, MAX_ID_LENGTH);
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    {
      if (!g_ascii_isspace (*text))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_string (Loader      *loader,
             JsonObject  *object,
             const char  *path,
             const char  *name,
             gboolean     required,
             char       **out_string)
{
  g_autofree char *member_path = child_path (path, name);
  JsonNode *node;
  const char *value;
  gboolean ok;

  if (!(node = get_typed_member (loader, object, path, name, required, "string", &ok)))
    return ok;

  value = json_node_get_string (node);
  if (is_blank (value))
    return fail (loader, KUU_STRATEGY_ERROR_INVALID_VALUE, member_path, _("empty"));
  if (strlen (value) > MAX_TEXT_LENGTH)
    return fail (loader, KUU_STRATEGY_ERROR_INVALID_VALUE, member_path,
                 _("longer than %d bytes"), MAX_TEXT_LENGTH);

  *out_string = g_strdup (value);
  return TRUE;
}

static gboolean
read_id (Loader      *loader,
         JsonObject  *object,
         const char  *path,
         char       **out_id)
{
  g_autofree char *id_path = child_path (path, "id");
  g_autofree char *id = NULL;

  if (!read_string (loader, object, path, "id", TRUE, &id))
    return FALSE;
  if (!check_id (loader, id, id_path))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

/* A required boolean or number: G_TYPE_BOOLEAN into a gboolean,
 * G_TYPE_DOUBLE into a double. */
static gboolean
read_scalar (Loader     *loader,
             JsonObject *object,
             const char *path,
             const char *name,
             GType       type,
             gpointer    out_value)
{
  gboolean is_boolean = type == G_TYPE_BOOLEAN;
  JsonNode *node;
  gboolean ok;

  if (!(node = get_typed_member (loader, object, path, name, TRUE, is_boolean ? "boolean" : "number", &ok)))
    return ok;

  if (is_boolean)
    *(gboolean *)out_value = json_node_get_boolean (node);
  else
    *(double *)out_value = json_node_get_double (node);
  return TRUE;
}

/* "fi-easy" is the easy-language Finnish of the text beside "fi". */
static gboolean
split_member (const char  *member,
              KuuLanguage *out_language,
              gboolean    *out_easy)
{
  g_autofree char *code = NULL;

  *out_easy = g_str_has_suffix (member, EASY_SUFFIX);
  code = *out_easy ? g_strndup (member, strlen (member) - strlen (EASY_SUFFIX)) : g_strdup (member);
  return kuu_language_from_code (code, out_language);
}

/* A localized object: exactly fi, sv and en, each a non-blank string;
 * and optionally fi-easy, sv-easy, en-easy, held to the same rules. */
static gboolean
parse_text (Loader      *loader,
            JsonNode    *node,
            const char  *path,
            gsize        max_chars,
            KuuText    **out_text)
{
  g_autoptr(KuuText) text = kuu_text_new (NULL, NULL, NULL);
  JsonObject *object;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  if (!expect_type (loader, node, path, "object"))
    return FALSE;

  object = json_node_get_object (node);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &value))
    {
      g_autofree char *member_path = child_path (path, member);
      KuuLanguage language;
      gboolean easy;

      if (!split_member (member, &language, &easy))
        return fail (loader, KUU_STRATEGY_ERROR_UNKNOWN_LANGUAGE, member_path,
                     _("unknown language “%s” (expected fi, sv or en, or fi-easy, sv-easy or en-easy)"), member);
      if (!expect_type (loader, value, member_path, "string"))
        return FALSE;
      if (is_blank (json_node_get_string (value)))
        return fail (loader, KUU_STRATEGY_ERROR_MISSING_TRANSLATION, member_path, _("empty"));
      if (g_utf8_strlen (json_node_get_string (value), -1) > (glong)max_chars)
        return fail (loader, KUU_STRATEGY_ERROR_INVALID_VALUE, member_path,
                     _("longer than %lu characters"), (unsigned long)max_chars);

      if (easy)
        kuu_text_set_easy (text, language, json_node_get_string (value));
      else
        kuu_text_set (text, language, json_node_get_string (value));
    }

  for (guint i = 0; i < KUU_N_LANGUAGES; i++)
    {
      if (kuu_text_get (text, i) == NULL || !json_object_has_member (object, kuu_language_to_code (i)))
        return fail (loader, KUU_STRATEGY_ERROR_MISSING_TRANSLATION, path,
                     _("missing the %s (%s) text"),
                     _(language_names[i]), kuu_language_to_code (i));
    }

  *out_text = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
read_text_limited (Loader      *loader,
                   JsonObject  *object,
                   const char  *path,
                   const char  *name,
                   gboolean     required,
                   gsize        max_chars,
                   KuuText    **out_text)
{
  g_autofree char *member_path = child_path (path, name);
  JsonNode *node;
  gboolean ok;

  if (!(node = get_member (loader, object, path, name, required, &ok)))
    return ok;

  return parse_text (loader, node, member_path, max_chars, out_text);
}

static gboolean
read_text (Loader      *loader,
           JsonObject  *object,
           const char  *path,
           const char  *name,
           gboolean     required,
           KuuText    **out_text)
{
  return read_text_limited (loader, object, path, name, required, MAX_TEXT_LENGTH, out_text);
}

/* Returns the array (or NULL when it is optional and absent). */
static gboolean
read_array (Loader      *loader,
            JsonObject  *object,
            const char  *path,
            const char  *name,
            gboolean     required,
            guint        min_length,
            JsonArray  **out_array)
{
  g_autofree char *member_path = child_path (path, name);
  JsonNode *node;
  gboolean ok;

  *out_array = NULL;
  if (!(node = get_typed_member (loader, object, path, name, required, "array", &ok)))
    return ok;

  *out_array = json_node_get_array (node);
  if (json_array_get_length (*out_array) < min_length)
    return fail (loader, KUU_STRATEGY_ERROR_INVALID_VALUE, member_path,
                 dngettext (GETTEXT_PACKAGE, "needs at least %u item", "needs at least %u items", min_length),
                 min_length);

  return TRUE;
}

static JsonObject *
element_object (Loader     *loader,
                JsonArray  *array,
                guint       index,
                const char *path)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!expect_type (loader, node, path, "object"))
    return NULL;
  return json_node_get_object (node);
}

static gboolean
check_unique (Loader     *loader,
              GHashTable *seen,
              const char *id,
              const char *path)
{
  g_autofree char *id_path = child_path (path, "id");

  if (!g_hash_table_add (seen, g_strdup (id)))
    return fail (loader, KUU_STRATEGY_ERROR_DUPLICATE_ID, id_path,
                 _("“%s” is used twice"), id);
  return TRUE;
}

/* A list of { id, <name_field>: text, description?: text }. */
static gboolean
read_entries (Loader     *loader,
              JsonObject *object,
              const char *path,
              const char *name,
              const char *name_field,
              gboolean    required,
              GPtrArray  *entries)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *array_path = child_path (path, name);
  JsonArray *array;

  if (!read_array (loader, object, path, name, required, required ? 1 : 0, &array))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = index_path (array_path, i);
      g_autofree char *id = NULL;
      g_autoptr(KuuText) item_name = NULL;
      g_autoptr(KuuText) description = NULL;
      JsonObject *item;

      if (!(item = element_object (loader, array, i, item_path)) ||
          !read_id (loader, item, item_path, &id) ||
          !check_unique (loader, seen, id, item_path) ||
          !read_text (loader, item, item_path, name_field, TRUE, &item_name) ||
          !read_text (loader, item, item_path, "description", FALSE, &description))
        return FALSE;

      g_ptr_array_add (entries, kuu_entry_new (id, g_steal_pointer (&item_name),
                                               g_steal_pointer (&description)));
    }

  return TRUE;
}

static gboolean
read_topics (Loader       *loader,
             JsonObject   *root,
             const char   *name,
             KuuTopicKind  kind,
             GListStore   *topics)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *title_field = kind == KUU_TOPIC_GOAL ? "title" : "name";
  JsonArray *array;

  if (!read_array (loader, root, "", name, TRUE, 1, &array))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = index_path (name, i);
      g_autofree char *id = NULL;
      g_autoptr(KuuText) title = NULL;
      g_autoptr(KuuText) summary = NULL;
      g_autoptr(KuuText) description = NULL;
      g_autoptr(KuuTopic) topic = NULL;
      g_autoptr(GPtrArray) key_results = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_entry_free);
      JsonObject *item;

      if (!(item = element_object (loader, array, i, item_path)) ||
          !read_id (loader, item, item_path, &id) ||
          !check_unique (loader, seen, id, item_path) ||
          !read_text (loader, item, item_path, title_field, TRUE, &title) ||
          !read_text_limited (loader, item, item_path, "summary", TRUE, MAX_SUMMARY_LENGTH, &summary) ||
          !read_text (loader, item, item_path, "description", kind == KUU_TOPIC_GOAL, &description) ||
          !read_entries (loader, item, item_path, "key_results", "text", FALSE, key_results))
        return FALSE;

      topic = kuu_topic_new (kind, id, g_steal_pointer (&title),
                             g_steal_pointer (&summary), g_steal_pointer (&description));
      for (guint j = 0; j < key_results->len; j++)
        kuu_topic_add_key_result (topic, kuu_entry_copy (g_ptr_array_index (key_results, j)));
      g_list_store_append (topics, topic);
    }

  return TRUE;
}

static gboolean
has_entry (GPtrArray  *entries,
           const char *id)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const KuuEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->id, id) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
read_enum (Loader      *loader,
           JsonObject  *object,
           const char  *path,
           const char  *name,
           gboolean   (*from_string) (const char *, gpointer),
           const char  *allowed,
           gpointer     out_value)
{
  g_autofree char *member_path = child_path (path, name);
  g_autofree char *value = NULL;

  if (!read_string (loader, object, path, name, TRUE, &value))
    return FALSE;
  if (!from_string (value, out_value))
    return fail (loader, KUU_STRATEGY_ERROR_INVALID_VALUE, member_path,
                 _("“%s” is not one of %s"), value, allowed);
  return TRUE;
}

static gboolean
comparison_from_string (const char *name,
                        gpointer    out_value)
{
  KuuComparison *comparison = out_value;

  if (g_strcmp0 (name, "gt") == 0)
    *comparison = KUU_COMPARISON_GT;
  else if (g_strcmp0 (name, "ge") == 0)
    *comparison = KUU_COMPARISON_GE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
check_target_references (Loader      *loader,
                         KuuStrategy *strategy,
                         KuuTarget   *target,
                         const char  *path)
{
  g_autofree char *statement_path = child_path (path, "statement");
  g_autofree char *question_path = child_path (path, "question");
  g_autofree char *goal_path = child_path (path, "goal");

  if (target->metric == KUU_METRIC_SHARE_AGREE &&
      (target->statement == NULL || !has_entry (strategy->statements, target->statement)))
    return fail (loader, KUU_STRATEGY_ERROR_UNKNOWN_REFERENCE, statement_path,
                 _("no statement “%s” in survey.statements"),
                 target->statement ? target->statement : "");

  if (target->metric == KUU_METRIC_MEAN && g_strcmp0 (target->question, "functioning") != 0)
    return fail (loader, KUU_STRATEGY_ERROR_UNKNOWN_REFERENCE, question_path,
                 _("a mean target needs the question “functioning”"));

  if (target->goal != NULL &&
      kuu_strategy_find_topic (strategy, KUU_TOPIC_GOAL, target->goal) == NULL)
    return fail (loader, KUU_STRATEGY_ERROR_UNKNOWN_REFERENCE, goal_path,
                 _("no goal “%s” in goals"), target->goal);

  return TRUE;
}

static gboolean
read_target (Loader       *loader,
             KuuStrategy  *strategy,
             JsonObject   *item,
             const char   *path,
             KuuTarget   **out_target)
{
  g_autoptr(KuuTarget) target = g_new0 (KuuTarget, 1);
  g_autofree char *value_path = child_path (path, "value");
  double min, max;

  if (!read_id (loader, item, path, &target->id) ||
      !read_enum (loader, item, path, "metric", (gpointer)kuu_metric_from_string,
                  "nps, enps, share_agree, mean", &target->metric) ||
      !read_enum (loader, item, path, "audience", (gpointer)kuu_audience_from_string,
                  "residents, personnel", &target->audience) ||
      !read_enum (loader, item, path, "comparison", comparison_from_string,
                  "gt, ge", &target->comparison) ||
      !read_scalar (loader, item, path, "value", G_TYPE_DOUBLE, &target->value) ||
      !read_string (loader, item, path, "statement", FALSE, &target->statement) ||
      !read_string (loader, item, path, "question", FALSE, &target->question) ||
      !read_string (loader, item, path, "goal", FALSE, &target->goal) ||
      !read_text (loader, item, path, "label", TRUE, &target->label))
    return FALSE;

  kuu_metric_get_scale (target->metric, &min, &max);
  if (target->value < min || target->value > max)
    return fail (loader, KUU_STRATEGY_ERROR_OUT_OF_SCALE, value_path,
                 _("%g is outside the scale of %s (%g…%g)"),
                 target->value, kuu_metric_to_string (target->metric), min, max);

  if (!check_target_references (loader, strategy, target, path))
    return FALSE;

  *out_target = g_steal_pointer (&target);
  return TRUE;
}

static gboolean
read_targets (Loader      *loader,
              JsonObject  *root,
              KuuStrategy *strategy)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;

  if (!read_array (loader, root, "", "targets", FALSE, 0, &array))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = index_path ("targets", i);
      KuuTarget *target = NULL;
      JsonObject *item;

      if (!(item = element_object (loader, array, i, item_path)) ||
          !read_target (loader, strategy, item, item_path, &target))
        return FALSE;

      g_ptr_array_add (strategy->targets, target);
      if (!check_unique (loader, seen, target->id, item_path))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_text_list (Loader     *loader,
                JsonObject *object,
                const char *path,
                const char *name,
                gboolean    required,
                GPtrArray  *texts)
{
  g_autofree char *array_path = child_path (path, name);
  JsonArray *array;

  if (!read_array (loader, object, path, name, required, required ? 1 : 0, &array))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = index_path (array_path, i);
      KuuText *text = NULL;

      if (!parse_text (loader, json_array_get_element (array, i), item_path, MAX_TEXT_LENGTH, &text))
        return FALSE;
      g_ptr_array_add (texts, text);
    }

  return TRUE;
}

static gboolean
read_object (Loader      *loader,
             JsonObject  *object,
             const char  *path,
             const char  *name,
             JsonObject **out_object)
{
  JsonNode *node;
  gboolean ok;

  if (!(node = get_typed_member (loader, object, path, name, TRUE, "object", &ok)))
    return ok;

  *out_object = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_survey (Loader      *loader,
             JsonObject  *root,
             KuuStrategy *strategy)
{
  g_autoptr(GPtrArray) scale = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_text_free);
  JsonObject *survey = NULL;
  JsonObject *personnel = NULL;

  if (!read_object (loader, root, "", "survey", &survey) ||
      !read_text (loader, survey, "survey", "recommend_question", TRUE, &strategy->recommend_question) ||
      !read_text (loader, survey, "survey", "scale_low", TRUE, &strategy->scale_low) ||
      !read_text (loader, survey, "survey", "scale_high", TRUE, &strategy->scale_high) ||
      !read_text_list (loader, survey, "survey", "agreement_scale", TRUE, scale) ||
      !read_entries (loader, survey, "survey", "statements", "text", TRUE, strategy->statements) ||
      !read_text (loader, survey, "survey", "why_prompt", TRUE, &strategy->why_prompt))
    return FALSE;

  if (scale->len != KUU_AGREEMENT_SCALE_SIZE)
    return fail (loader, KUU_STRATEGY_ERROR_INVALID_VALUE, "survey.agreement_scale",
                 _("needs exactly %d labels, found %u"), KUU_AGREEMENT_SCALE_SIZE, scale->len);
  for (guint i = 0; i < KUU_AGREEMENT_SCALE_SIZE; i++)
    strategy->agreement_scale[i] = kuu_text_copy (g_ptr_array_index (scale, i));

  return read_object (loader, root, "", "personnel_survey", &personnel) &&
         read_text (loader, personnel, "personnel_survey", "recommend_question", TRUE,
                    &strategy->personnel_recommend_question) &&
         read_text (loader, personnel, "personnel_survey", "functioning_question", TRUE,
                    &strategy->personnel_functioning_question);
}

static gboolean
read_header (Loader      *loader,
             JsonObject  *root,
             KuuStrategy *strategy)
{
  JsonObject *info = NULL;
  double format = 0;

  if (!read_scalar (loader, root, "", "format", G_TYPE_DOUBLE, &format))
    return FALSE;
  if (format != 1)
    return fail (loader, KUU_STRATEGY_ERROR_UNSUPPORTED_FORMAT, "format",
                 _("version %g is not supported (this version of Kuulolla reads version 1)"), format);

  if (!read_id (loader, root, "", &strategy->id) ||
      !read_text (loader, root, "", "name", TRUE, &strategy->name) ||
      !read_text (loader, root, "", "short_name", TRUE, &strategy->short_name) ||
      !read_scalar (loader, root, "", "bilingual", G_TYPE_BOOLEAN, &strategy->bilingual) ||
      !read_enum (loader, root, "", "default_language", (gpointer)kuu_language_from_code,
                  "fi, sv, en", &strategy->default_language) ||
      !read_object (loader, root, "", "strategy", &info) ||
      !read_text (loader, info, "strategy", "title", TRUE, &strategy->title) ||
      !read_string (loader, info, "strategy", "period", TRUE, &strategy->period) ||
      !read_string (loader, info, "strategy", "source", TRUE, &strategy->source))
    return FALSE;

  return TRUE;
}

static gboolean
check_file_name (Loader      *loader,
                 KuuStrategy *strategy)
{
  g_autofree char *expected = g_strconcat (strategy->id, ".json", NULL);

  if (!g_str_has_suffix (loader->file_name, ".json") ||
      g_strcmp0 (loader->file_name, expected) == 0)
    return TRUE;

  return fail (loader, KUU_STRATEGY_ERROR_INVALID_VALUE, "id",
               _("“%s” does not match the file name (expected “%s”)"),
               strategy->id, expected);
}

static KuuStrategy *
read_strategy (Loader     *loader,
               JsonObject *root)
{
  g_autoptr(KuuStrategy) strategy = _kuu_strategy_new ();

  if (!read_header (loader, root, strategy) ||
      !check_file_name (loader, strategy) ||
      !read_entries (loader, root, "", "municipalities", "name", TRUE, strategy->municipalities) ||
      !read_text (loader, root, "", "vision", TRUE, &strategy->vision) ||
      !read_text (loader, root, "", "mission", TRUE, &strategy->mission) ||
      !read_entries (loader, root, "", "values", "name", TRUE, strategy->values) ||
      !read_text_list (loader, root, "", "service_promise", FALSE, strategy->service_promise) ||
      !read_topics (loader, root, "goals", KUU_TOPIC_GOAL, strategy->goals) ||
      !read_topics (loader, root, "service_areas", KUU_TOPIC_SERVICE_AREA, strategy->service_areas) ||
      !read_survey (loader, root, strategy) ||
      !read_targets (loader, root, strategy) ||
      !read_scalar (loader, root, "", "show_results", G_TYPE_BOOLEAN, &strategy->show_results))
    return NULL;

  return g_steal_pointer (&strategy);
}

/**
 * kuu_strategy_load_bytes:
 * @bytes: the file's contents
 * @file_name: the name errors mention; when it ends in “.json”, the
 *   region's id must match it
 *
 * Returns: (transfer full): the strategy, or %NULL with @error set to a
 *   message naming the file, the field and what is wrong
 */
KuuStrategy *
kuu_strategy_load_bytes (GBytes      *bytes,
                         const char  *file_name,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  Loader loader = { file_name, error };
  const char *data;
  gsize size;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (file_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      fail (&loader, KUU_STRATEGY_ERROR_WRONG_TYPE, "/", _("the file is empty"));
      return NULL;
    }
  if (size > KUU_STRATEGY_MAX_FILE_SIZE)
    {
      fail (&loader, KUU_STRATEGY_ERROR_TOO_LARGE, "/",
            _("larger than %d bytes"), KUU_STRATEGY_MAX_FILE_SIZE);
      return NULL;
    }
  if (!g_utf8_validate_len (data, size, NULL))
    {
      fail (&loader, KUU_STRATEGY_ERROR_INVALID_UTF8, "/", _("not valid UTF-8"));
      return NULL;
    }
  /* The strict reader for every file, bundled or pulled from the server:
   * a pulled file is network bytes, and a file that json-glib would read
   * as something else (a member twice, a comment) is better refused
   * at the desk that wrote it than read one way here and another there. */
  if (!(root = kuu_json_parse (data, size, &local_error)))
    {
      fail (&loader, KUU_STRATEGY_ERROR_INVALID_JSON, "/",
            _("not valid JSON: %s"), local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (&loader, KUU_STRATEGY_ERROR_WRONG_TYPE, "/", _("expected an object at the top"));
      return NULL;
    }

  return read_strategy (&loader, json_node_get_object (root));
}

/**
 * kuu_strategy_load_file:
 *
 * Reads a small file synchronously: a region file is a few tens of
 * kilobytes and is read once at start-up.
 *
 * Returns: (transfer full): the strategy, or %NULL with @error set
 */
KuuStrategy *
kuu_strategy_load_file (GFile   *file,
                        GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_basename (file);
  if (!(bytes = g_file_load_bytes (file, NULL, NULL, &local_error)))
    {
      g_autofree char *parse_name = g_file_get_parse_name (file);
      int code = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                 ? KUU_STRATEGY_ERROR_NOT_FOUND : KUU_STRATEGY_ERROR_INVALID_VALUE;

      g_set_error (error, KUU_STRATEGY_ERROR, code,
                   _("Cannot read the region file “%s”: %s"), parse_name, local_error->message);
      return NULL;
    }

  return kuu_strategy_load_bytes (bytes, name, error);
}
