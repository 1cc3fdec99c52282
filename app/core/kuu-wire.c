/* kuu-wire.c
 *
 * The reader trusts nothing: every member is checked for its type, every
 * text for its length (kuu_submission_validate()), and unknown members are
 * refused, so a client and a server that disagree find out at once. Its
 * messages are the protocol's reasons, in English, not a resident's text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kuu-wire.h"

G_DEFINE_QUARK (kuu-wire-error-quark, kuu_wire_error)

static char *
format_time (gint64 seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/* A string member, or null for NULL. */
void
kuu_wire_add_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_answers (JsonBuilder         *builder,
             const KuuSubmission *submission)
{
  json_builder_set_member_name (builder, "answers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < submission->answers->len; i++)
    {
      const KuuStatementAnswer *answer = &g_array_index (submission->answers, KuuStatementAnswer, i);

      json_builder_begin_object (builder);
      kuu_wire_add_string (builder, "statement", answer->statement_id);
      json_builder_set_member_name (builder, "answer");
      json_builder_add_int_value (builder, answer->answer);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_initiative (JsonBuilder         *builder,
                const KuuSubmission *submission)
{
  json_builder_set_member_name (builder, "initiative");
  json_builder_begin_object (builder);
  kuu_wire_add_string (builder, "title", submission->title);
  kuu_wire_add_string (builder, "municipality", submission->municipality);
  kuu_wire_add_string (builder, "channel", kuu_channel_to_string (submission->channel));
  kuu_wire_add_string (builder, "received_on", submission->received_on);
  json_builder_set_member_name (builder, "signatories");
  json_builder_add_int_value (builder, submission->signatories);
  json_builder_end_object (builder);
}

/**
 * kuu_wire_submission_to_json:
 * @with_contact: whether the contact goes along; only to the region's server
 *
 * Returns: (transfer full): the record as a JSON object
 */
JsonNode *
kuu_wire_submission_to_json (const KuuSubmission *submission,
                             gboolean             with_contact)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created_at = NULL;

  g_return_val_if_fail (submission != NULL, NULL);

  created_at = format_time (submission->created_at);
  json_builder_begin_object (builder);
  kuu_wire_add_string (builder, "uuid", submission->uuid);
  kuu_wire_add_string (builder, "kind", kuu_submission_kind_to_string (submission->kind));
  kuu_wire_add_string (builder, "created_at", created_at);
  kuu_wire_add_string (builder, "region", submission->region);
  kuu_wire_add_string (builder, "unit", submission->unit);
  kuu_wire_add_string (builder, "language", kuu_language_to_code (submission->language));
  kuu_wire_add_string (builder, "audience", kuu_audience_to_string (submission->audience));

  json_builder_set_member_name (builder, "topic");
  if (submission->has_topic)
    {
      json_builder_begin_object (builder);
      kuu_wire_add_string (builder, "kind", kuu_topic_kind_to_string (submission->topic_kind));
      kuu_wire_add_string (builder, "id", submission->topic_id);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  if (submission->kind == KUU_SUBMISSION_RECOMMENDATION)
    {
      json_builder_set_member_name (builder, "score");
      json_builder_add_int_value (builder, submission->score);
      add_answers (builder, submission);
    }
  kuu_wire_add_string (builder, "text", submission->text);
  if (submission->kind == KUU_SUBMISSION_INITIATIVE)
    add_initiative (builder, submission);

  if (with_contact && kuu_submission_has_contact (submission))
    {
      json_builder_set_member_name (builder, "contact");
      json_builder_begin_object (builder);
      kuu_wire_add_string (builder, "name", submission->contact_name);
      kuu_wire_add_string (builder, "email", submission->contact_email);
      kuu_wire_add_string (builder, "phone", submission->contact_phone);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* --- writing straight to text ----------------------------------------- */

/* A batch used to be a json-glib tree per record, then generated: most of
 * the sync's CPU on both ends went into building, generating and freeing
 * those trees (docs/performance.md, "Sync"). These write the same compact
 * text the generator did, member for member, straight into a GString. */

static const char hex_digits[] = "0123456789abcdef";

/**
 * kuu_wire_append_string:
 * @out: where the JSON string goes
 * @value: (nullable): UTF-8 text, or %NULL for JSON's null
 *
 * Appends @value as a JSON string: `"` and `\` escaped, the control
 * characters as \b \f \n \r \t or \u00XX, and U+007F as \u007f (as
 * json-glib does); everything else as it is, UTF-8. json-glib 1.6 leaves
 * U+001F raw, which is not JSON: here it is \u001f.
 *
 * Returns: %FALSE, with @out as it was, when @value is not UTF-8
 */
gboolean
kuu_wire_append_string (GString    *out,
                        const char *value)
{
  const char *end = NULL;
  const char *run, *p;

  if (value == NULL)
    {
      g_string_append_len (out, "null", 4);
      return TRUE;
    }
  if (!g_utf8_validate (value, -1, &end))
    return FALSE;

  g_string_append_c (out, '"');
  /* Runs of bytes that need no escape go in one copy. */
  for (run = p = value; p < end; p++)
    {
      guchar c = (guchar)*p;
      char escape;

      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':  escape = '"';  break;
        case '\\': escape = '\\'; break;
        case '\b': escape = 'b';  break;
        case '\f': escape = 'f';  break;
        case '\n': escape = 'n';  break;
        case '\r': escape = 'r';  break;
        case '\t': escape = 't';  break;
        default:   escape = 0;    break;
        }
      if (escape != 0)
        {
          char two[2] = { '\\', escape };

          g_string_append_len (out, two, 2);
        }
      else
        {
          char six[6] = { '\\', 'u', '0', '0', hex_digits[c >> 4], hex_digits[c & 0xf] };

          g_string_append_len (out, six, 6);
        }
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
  return TRUE;
}

static void
append_int (GString *out,
            gint64   value)
{
  char digits[24];
  int i = sizeof digits;
  guint64 magnitude = value < 0 ? -(guint64)value : (guint64)value;

  do
    {
      digits[--i] = '0' + magnitude % 10;
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    digits[--i] = '-';
  g_string_append_len (out, digits + i, sizeof digits - i);
}

static void
append_digits (char  *to,
               guint  value,
               int    width)
{
  for (int i = width - 1; i >= 0; i--, value /= 10)
    to[i] = '0' + value % 10;
}

/* "%Y-%m-%dT%H:%M:%SZ" in UTC, or null where GDateTime has no such time
 * (as format_time()): per record, GDateTime and its formatter cost more
 * than the rest of the record. Days to a date: H. Hinnant's
 * civil_from_days, in the proleptic Gregorian calendar as GDateTime. */
static void
append_time (GString *out,
             gint64   seconds)
{
  /* 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z */
  static const gint64 first = G_GINT64_CONSTANT (-62135596800), last = G_GINT64_CONSTANT (253402300799);
  char text[22] = "\"0000-00-00T00:00:00Z\"";
  gint64 days, era, second_of_day;
  guint day_of_era, year_of_era, day_of_year, mp, day, month;
  gint64 year;

  if (seconds < first || seconds > last)
    {
      g_string_append_len (out, "null", 4);
      return;
    }
  days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  second_of_day = seconds - days * 86400;
  days += 719468;
  era = (days >= 0 ? days : days - 146096) / 146097;
  day_of_era = (guint)(days - era * 146097);
  year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  year = (gint64)year_of_era + era * 400;
  day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  mp = (5 * day_of_year + 2) / 153;
  day = day_of_year - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year += month <= 2;

  append_digits (text + 1, (guint)year, 4);
  append_digits (text + 6, month, 2);
  append_digits (text + 9, day, 2);
  append_digits (text + 12, (guint)(second_of_day / 3600), 2);
  append_digits (text + 15, (guint)(second_of_day / 60 % 60), 2);
  append_digits (text + 18, (guint)(second_of_day % 60), 2);
  g_string_append_len (out, text, sizeof text);
}

/* `,"name":` then the string; @name is one of ours, never escaped. */
static gboolean
append_member (GString    *out,
               const char *name,
               const char *value,
               GError    **error)
{
  gsize before = out->len;

  g_string_append_len (out, ",\"", 2);
  g_string_append (out, name);
  g_string_append_len (out, "\":", 2);
  if (kuu_wire_append_string (out, value))
    return TRUE;
  g_string_truncate (out, before);
  g_set_error (error, KUU_WIRE_ERROR, KUU_WIRE_ERROR_INVALID, "%s: not UTF-8", name);
  return FALSE;
}

/**
 * kuu_wire_append_submission:
 * @out: where the record goes
 * @with_contact: whether the contact goes along; only to the region's server
 *
 * Appends the record as one compact JSON object, the same text
 * json_to_string (kuu_wire_submission_to_json (@submission, @with_contact),
 * FALSE) gives (but for U+001F, see kuu_wire_append_string()).
 *
 * Returns: %FALSE, with @out as it was and @error set, when a text is
 *   not UTF-8
 */
gboolean
kuu_wire_append_submission (GString              *out,
                            const KuuSubmission  *submission,
                            gboolean              with_contact,
                            GError              **error)
{
  gsize before = out->len;

  g_return_val_if_fail (out != NULL && submission != NULL, FALSE);

  /* The first member without its comma: "{" stands where "," would. */
  if (!append_member (out, "uuid", submission->uuid, error))
    goto failed;
  out->str[before] = '{';
  if (!append_member (out, "kind", kuu_submission_kind_to_string (submission->kind), error))
    goto failed;
  g_string_append_len (out, ",\"created_at\":", 14);
  append_time (out, submission->created_at);
  if (!append_member (out, "region", submission->region, error) ||
      !append_member (out, "unit", submission->unit, error) ||
      !append_member (out, "language", kuu_language_to_code (submission->language), error) ||
      !append_member (out, "audience", kuu_audience_to_string (submission->audience), error))
    goto failed;

  if (submission->has_topic)
    {
      g_string_append_len (out, ",\"topic\":{\"kind\":", 17);
      kuu_wire_append_string (out, kuu_topic_kind_to_string (submission->topic_kind));
      if (!append_member (out, "id", submission->topic_id, error))
        goto failed;
      g_string_append_c (out, '}');
    }
  else
    g_string_append_len (out, ",\"topic\":null", 13);

  if (submission->kind == KUU_SUBMISSION_RECOMMENDATION)
    {
      g_string_append_len (out, ",\"score\":", 9);
      append_int (out, submission->score);
      g_string_append_len (out, ",\"answers\":[", 12);
      for (guint i = 0; i < submission->answers->len; i++)
        {
          const KuuStatementAnswer *answer = &g_array_index (submission->answers, KuuStatementAnswer, i);

          if (i > 0)
            g_string_append_c (out, ',');
          g_string_append_len (out, "{\"statement\":", 13);
          if (!kuu_wire_append_string (out, answer->statement_id))
            {
              g_set_error_literal (error, KUU_WIRE_ERROR, KUU_WIRE_ERROR_INVALID, "answers: not UTF-8");
              goto failed;
            }
          g_string_append_len (out, ",\"answer\":", 10);
          append_int (out, answer->answer);
          g_string_append_c (out, '}');
        }
      g_string_append_c (out, ']');
    }
  if (!append_member (out, "text", submission->text, error))
    goto failed;

  if (submission->kind == KUU_SUBMISSION_INITIATIVE)
    {
      g_string_append_len (out, ",\"initiative\":{\"title\":", 23);
      if (!kuu_wire_append_string (out, submission->title))
        {
          g_set_error_literal (error, KUU_WIRE_ERROR, KUU_WIRE_ERROR_INVALID, "title: not UTF-8");
          goto failed;
        }
      if (!append_member (out, "municipality", submission->municipality, error) ||
          !append_member (out, "channel", kuu_channel_to_string (submission->channel), error) ||
          !append_member (out, "received_on", submission->received_on, error))
        goto failed;
      g_string_append_len (out, ",\"signatories\":", 15);
      append_int (out, submission->signatories);
      g_string_append_c (out, '}');
    }

  if (with_contact && kuu_submission_has_contact (submission))
    {
      g_string_append_len (out, ",\"contact\":{\"name\":", 19);
      if (!kuu_wire_append_string (out, submission->contact_name))
        {
          g_set_error_literal (error, KUU_WIRE_ERROR, KUU_WIRE_ERROR_INVALID, "contact: not UTF-8");
          goto failed;
        }
      if (!append_member (out, "email", submission->contact_email, error) ||
          !append_member (out, "phone", submission->contact_phone, error))
        goto failed;
      g_string_append_c (out, '}');
    }

  g_string_append_c (out, '}');
  return TRUE;

failed:
  g_string_truncate (out, before);
  return FALSE;
}

/**
 * kuu_wire_submission_to_text:
 *
 * Returns: (transfer full) (nullable): kuu_wire_append_submission()'s
 *   text alone, or %NULL with @error set
 */
char *
kuu_wire_submission_to_text (const KuuSubmission  *submission,
                             gboolean              with_contact,
                             GError              **error)
{
  g_autoptr(GString) out = g_string_sized_new (512);

  if (!kuu_wire_append_submission (out, submission, with_contact, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* --- reading ----------------------------------------------------------- */

typedef struct
{
  JsonObject *object;
  const char *path;
  int         index;  /* path[index], or -1: made into text only for an error */
  GError    **error;
} Reader;

static gboolean
refuse (Reader     *reader,
        const char *member,
        const char *message)
{
  g_autofree char *path = reader->index >= 0 ? g_strdup_printf ("%s[%d]", reader->path, reader->index)
                                             : g_strdup (reader->path);

  g_set_error (reader->error, KUU_WIRE_ERROR, KUU_WIRE_ERROR_INVALID,
               "%s%s%s: %s", path, path[0] ? "." : "", member, message);
  return FALSE;
}

/* In the record's order, without copying the member list: that copy
 * (json_object_get_members) was a fifth of the reader's time. */
static gboolean
only_members (Reader             *reader,
              const char * const *allowed)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init_ordered (&iter, reader->object);
  while (json_object_iter_next_ordered (&iter, &name, NULL))
    if (!g_strv_contains (allowed, name))
      return refuse (reader, name, "unknown member");
  return TRUE;
}

/* A string member; NULL in *out when it is null or absent and optional. */
static gboolean
read_string (Reader      *reader,
             const char  *member,
             gboolean     required,
             const char **out)
{
  JsonNode *node = json_object_get_member (reader->object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return !required || refuse (reader, member, "missing");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return refuse (reader, member, "expected a string");
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_int (Reader     *reader,
          const char *member,
          gint64      min,
          gint64      max,
          gint64     *out)
{
  JsonNode *node = json_object_get_member (reader->object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return refuse (reader, member, "missing");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return refuse (reader, member, "expected a whole number");
  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    return refuse (reader, member, "out of range");
  return TRUE;
}

static JsonObject *
read_object (Reader     *reader,
             const char *member,
             gboolean    required,
             gboolean   *ok)
{
  JsonNode *node = json_object_get_member (reader->object, member);

  *ok = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *ok = !required || refuse (reader, member, "missing");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *ok = refuse (reader, member, "expected an object");
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
read_time (Reader     *reader,
           const char *member,
           gint64     *out)
{
  const char *text;
  g_autoptr(GDateTime) time = NULL;

  if (!read_string (reader, member, TRUE, &text))
    return FALSE;
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    return refuse (reader, member, "not an RFC 3339 time with a zone");
  *out = g_date_time_to_unix (time);
  return TRUE;
}

/* YYYY-MM-DD, a day that exists. */
static gboolean
is_date (const char *text)
{
  static const char shape[] = "dddd-dd-dd";

  if (strlen (text) != 10)
    return FALSE;
  for (int i = 0; i < 10; i++)
    {
      if (shape[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != '-')
        return FALSE;
    }
  return g_date_valid_dmy (atoi (text + 8), atoi (text + 5), atoi (text));
}

static gboolean
read_topic (Reader        *reader,
            KuuSubmission *submission)
{
  static const char * const allowed[] = { "kind", "id", NULL };
  gboolean ok;
  JsonObject *object = read_object (reader, "topic", submission->kind == KUU_SUBMISSION_RECOMMENDATION, &ok);
  Reader topic = { object, "topic", -1, reader->error };
  const char *kind, *id;
  KuuTopicKind topic_kind;

  if (object == NULL)
    return ok;
  if (!only_members (&topic, allowed) ||
      !read_string (&topic, "kind", TRUE, &kind) ||
      !read_string (&topic, "id", TRUE, &id))
    return FALSE;
  if (!kuu_topic_kind_from_string (kind, &topic_kind))
    return refuse (&topic, "kind", "not goal or service_area");
  kuu_submission_set_topic (submission, topic_kind, id);
  return TRUE;
}

static gboolean
read_answers (Reader        *reader,
              KuuSubmission *submission)
{
  static const char * const allowed[] = { "statement", "answer", NULL };
  JsonNode *node = json_object_get_member (reader->object, "answers");
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return refuse (reader, "answers", "expected an array");
  array = json_node_get_array (node);
  if (json_array_get_length (array) > 64)
    return refuse (reader, "answers", "too many");

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      Reader answer = { NULL, "answers", (int)i, reader->error };
      const char *statement;
      gint64 value;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          g_autofree char *path = g_strdup_printf ("answers[%u]", i);

          return refuse (reader, path, "expected an object");
        }
      answer.object = json_node_get_object (item);
      if (!only_members (&answer, allowed) ||
          !read_string (&answer, "statement", TRUE, &statement) ||
          !read_int (&answer, "answer", 1, 5, &value))
        return FALSE;
      kuu_submission_add_answer (submission, statement, (int)value);
    }
  return TRUE;
}

static gboolean
read_initiative (Reader        *reader,
                 KuuSubmission *submission)
{
  static const char * const allowed[] = { "title", "municipality", "channel", "received_on", "signatories", NULL };
  gboolean ok;
  JsonObject *object = read_object (reader, "initiative", TRUE, &ok);
  Reader initiative = { object, "initiative", -1, reader->error };
  const char *title, *municipality, *channel, *received_on;
  gint64 signatories;

  if (object == NULL)
    return ok;
  if (!only_members (&initiative, allowed) ||
      !read_string (&initiative, "title", TRUE, &title) ||
      !read_string (&initiative, "municipality", TRUE, &municipality) ||
      !read_string (&initiative, "channel", TRUE, &channel) ||
      !read_string (&initiative, "received_on", TRUE, &received_on) ||
      !read_int (&initiative, "signatories", 1, 1000000, &signatories))
    return FALSE;
  if (!kuu_channel_from_string (channel, &submission->channel))
    return refuse (&initiative, "channel", "not kiosk, paper, email or web");
  if (!is_date (received_on))
    return refuse (&initiative, "received_on", "not a date YYYY-MM-DD");

  g_free (submission->title);
  submission->title = g_strdup (title);
  g_free (submission->municipality);
  submission->municipality = g_strdup (municipality);
  g_free (submission->received_on);
  submission->received_on = g_strdup (received_on);
  submission->signatories = (int)signatories;
  return TRUE;
}

static gboolean
read_contact (Reader        *reader,
              KuuSubmission *submission)
{
  static const char * const allowed[] = { "name", "email", "phone", NULL };
  gboolean ok;
  /* An initiative's initiator must be told what was done (docs/protocol.md). */
  JsonObject *object = read_object (reader, "contact", submission->kind == KUU_SUBMISSION_INITIATIVE, &ok);
  Reader contact = { object, "contact", -1, reader->error };
  const char *name, *email, *phone;

  if (object == NULL)
    return ok;
  if (!only_members (&contact, allowed) ||
      !read_string (&contact, "name", TRUE, &name) ||
      !read_string (&contact, "email", FALSE, &email) ||
      !read_string (&contact, "phone", FALSE, &phone))
    return FALSE;
  kuu_submission_set_contact (submission, name, email, phone);
  return TRUE;
}

/* kuu_submission_validate() names the store's fields; a reason on the
 * wire names the member by its path in the record, so that "contact_email"
 * is not looked for at the top of it. */
static const char *
wire_path (const char *field)
{
  static const char * const paths[][2] = {
    { "contact_name", "contact.name" }, { "contact_email", "contact.email" },
    { "contact_phone", "contact.phone" }, { "title", "initiative.title" },
    { "municipality", "initiative.municipality" }, { "received_on", "initiative.received_on" },
    { "signatories", "initiative.signatories" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      if (g_str_equal (field, paths[i][0]))
        return paths[i][1];
    }
  return field;
}

static gboolean
validate (const KuuSubmission  *submission,
          GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *field = NULL;
  const char *colon;

  if (kuu_submission_validate (submission, &local_error))
    return TRUE;
  colon = strchr (local_error->message, ':');
  if (colon == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  field = g_strndup (local_error->message, colon - local_error->message);
  g_set_error (error, local_error->domain, local_error->code, "%s%s", wire_path (field), colon);
  return FALSE;
}

static KuuSubmission *
new_of_kind (Reader     *reader,
             const char *kind)
{
  KuuSubmissionKind submission_kind;

  if (!kuu_submission_kind_from_string (kind, &submission_kind))
    {
      refuse (reader, "kind", "not recommendation, feedback or initiative");
      return NULL;
    }

  /* The reader sets every member it reads, the UUID included. */
  return kuu_submission_new_to_read (submission_kind);
}

/**
 * kuu_wire_submission_from_json:
 *
 * Reads and validates one record. The error names the member that is
 * wrong, e.g. `initiative.channel: not kiosk, paper, email or web`.
 *
 * Returns: (transfer full) (nullable): the record, or %NULL with @error set
 */
KuuSubmission *
kuu_wire_submission_from_json (JsonNode  *node,
                               GError   **error)
{
  static const char * const allowed[] = {
    "uuid", "kind", "created_at", "region", "unit", "language", "audience",
    "topic", "score", "answers", "text", "initiative", "contact", NULL
  };
  Reader reader = { NULL, "", -1, error };
  g_autoptr(KuuSubmission) submission = NULL;
  const char *uuid, *kind, *region, *unit, *language, *audience, *text;
  KuuLanguage submission_language;
  gint64 score;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, KUU_WIRE_ERROR, KUU_WIRE_ERROR_INVALID, "a record is a JSON object");
      return NULL;
    }
  reader.object = json_node_get_object (node);

  if (!only_members (&reader, allowed) ||
      !read_string (&reader, "uuid", TRUE, &uuid) ||
      !read_string (&reader, "kind", TRUE, &kind) ||
      !(submission = new_of_kind (&reader, kind)) ||
      !read_time (&reader, "created_at", &submission->created_at) ||
      !read_string (&reader, "region", TRUE, &region) ||
      !read_string (&reader, "unit", TRUE, &unit) ||
      !read_string (&reader, "language", TRUE, &language) ||
      !read_string (&reader, "audience", TRUE, &audience) ||
      !read_string (&reader, "text", FALSE, &text) ||
      !read_topic (&reader, submission))
    return NULL;

  if (!g_uuid_string_is_valid (uuid))
    {
      refuse (&reader, "uuid", "not a UUID");
      return NULL;
    }
  if (!kuu_language_from_code (language, &submission_language))
    {
      refuse (&reader, "language", "not fi, sv or en");
      return NULL;
    }
  if (!kuu_audience_from_string (audience, &submission->audience))
    {
      refuse (&reader, "audience", "not residents or personnel");
      return NULL;
    }

  g_free (submission->uuid);
  submission->uuid = g_ascii_strdown (uuid, -1);
  kuu_submission_set_place (submission, region, unit, submission_language);
  g_free (submission->text);
  submission->text = g_strdup (text);

  if (submission->kind == KUU_SUBMISSION_RECOMMENDATION)
    {
      if (!read_int (&reader, "score", 0, 10, &score) || !read_answers (&reader, submission))
        return NULL;
      submission->score = (int)score;
    }
  else if (json_object_has_member (reader.object, "score") || json_object_has_member (reader.object, "answers"))
    {
      refuse (&reader, "score", "only a recommendation has a score");
      return NULL;
    }

  if (submission->kind == KUU_SUBMISSION_INITIATIVE)
    {
      if (!read_initiative (&reader, submission))
        return NULL;
    }
  else if (json_object_has_member (reader.object, "initiative"))
    {
      refuse (&reader, "initiative", "only an initiative has these");
      return NULL;
    }

  if (!read_contact (&reader, submission))
    return NULL;

  /* Lengths, ranges and what each kind needs: the store's own rules. */
  if (!validate (submission, error))
    return NULL;

  return g_steal_pointer (&submission);
}

/**
 * kuu_wire_get_string:
 *
 * A string member of JSON from the other side, or %NULL when it is absent
 * or not a string. Not json_object_get_string_member_with_default(): that
 * one asserts when the member is an object or an array, and the other side
 * sends what it likes.
 */
const char *
kuu_wire_get_string (JsonObject *object,
                     const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

