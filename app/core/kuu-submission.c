/* kuu-submission.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-i18n-private.h"
#include <string.h>

#include "kuu-submission.h"

G_DEFINE_BOXED_TYPE (KuuSubmission, kuu_submission, kuu_submission_copy, kuu_submission_free)

G_DEFINE_QUARK (kuu-submission-error-quark, kuu_submission_error)

static const char * const kind_names[] = {
  [KUU_SUBMISSION_RECOMMENDATION] = "recommendation",
  [KUU_SUBMISSION_FEEDBACK] = "feedback",
  [KUU_SUBMISSION_INITIATIVE] = "initiative",
};

static const char * const channel_names[] = {
  [KUU_CHANNEL_KIOSK] = "kiosk",
  [KUU_CHANNEL_PAPER] = "paper",
  [KUU_CHANNEL_EMAIL] = "email",
  [KUU_CHANNEL_WEB] = "web",
};

static void
clear_answer (KuuStatementAnswer *answer)
{
  g_free (answer->statement_id);
}

/* Without a UUID: kuu_submission_new_to_read()'s. */
static KuuSubmission *
submission_new_blank (KuuSubmissionKind kind)
{
  KuuSubmission *self = g_new0 (KuuSubmission, 1);

  self->kind = kind;
  self->created_at = g_get_real_time () / G_USEC_PER_SEC;
  self->language = KUU_LANGUAGE_FI;
  self->audience = KUU_AUDIENCE_RESIDENTS;
  self->channel = KUU_CHANNEL_KIOSK;
  self->signatories = 1;
  self->answers = g_array_new (FALSE, TRUE, sizeof (KuuStatementAnswer));
  g_array_set_clear_func (self->answers, (GDestroyNotify)clear_answer);

  return self;
}

static KuuSubmission *
submission_new (KuuSubmissionKind kind)
{
  KuuSubmission *self = submission_new_blank (kind);

  self->uuid = g_uuid_string_random ();
  return self;
}

/**
 * kuu_submission_new_to_read:
 *
 * An empty record of @kind for a reader (the store, the wire) to fill in,
 * its UUID included: %NULL until then. Making a random UUID only to
 * replace it cost a reader of 500 records a batch more than the rest of
 * the record (callgrind).
 *
 * Returns: (transfer full): the record, without UUID, topic or texts
 */
KuuSubmission *
kuu_submission_new_to_read (KuuSubmissionKind kind)
{
  return submission_new_blank (kind);
}

KuuSubmission *
kuu_submission_new_recommendation (KuuTopicKind  topic_kind,
                                   const char   *topic_id,
                                   int           score)
{
  KuuSubmission *self = submission_new (KUU_SUBMISSION_RECOMMENDATION);

  kuu_submission_set_topic (self, topic_kind, topic_id);
  self->score = score;

  return self;
}

KuuSubmission *
kuu_submission_new_feedback (const char *text)
{
  KuuSubmission *self = submission_new (KUU_SUBMISSION_FEEDBACK);

  self->text = g_strdup (text);

  return self;
}

KuuSubmission *
kuu_submission_new_initiative (const char *title,
                               const char *text,
                               const char *municipality,
                               KuuChannel  channel)
{
  KuuSubmission *self = submission_new (KUU_SUBMISSION_INITIATIVE);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  self->title = g_strdup (title);
  self->text = g_strdup (text);
  self->municipality = g_strdup (municipality);
  self->channel = channel;
  self->received_on = g_date_time_format (now, "%Y-%m-%d");

  return self;
}

KuuSubmission *
kuu_submission_copy (const KuuSubmission *self)
{
  KuuSubmission *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = submission_new (self->kind);
  g_free (copy->uuid);
  copy->uuid = g_strdup (self->uuid);
  copy->created_at = self->created_at;
  copy->region = g_strdup (self->region);
  copy->unit = g_strdup (self->unit);
  copy->language = self->language;
  copy->audience = self->audience;
  copy->has_topic = self->has_topic;
  copy->topic_kind = self->topic_kind;
  copy->topic_id = g_strdup (self->topic_id);
  copy->score = self->score;
  for (guint i = 0; i < self->answers->len; i++)
    {
      const KuuStatementAnswer *answer = &g_array_index (self->answers, KuuStatementAnswer, i);

      kuu_submission_add_answer (copy, answer->statement_id, answer->answer);
    }
  copy->text = g_strdup (self->text);
  copy->title = g_strdup (self->title);
  copy->municipality = g_strdup (self->municipality);
  copy->channel = self->channel;
  copy->received_on = g_strdup (self->received_on);
  copy->signatories = self->signatories;
  kuu_submission_set_contact (copy, self->contact_name, self->contact_email, self->contact_phone);

  return copy;
}

void
kuu_submission_free (KuuSubmission *self)
{
  if (self == NULL)
    return;

  g_free (self->uuid);
  g_free (self->region);
  g_free (self->unit);
  g_free (self->topic_id);
  g_clear_pointer (&self->answers, g_array_unref);
  g_free (self->text);
  g_free (self->title);
  g_free (self->municipality);
  g_free (self->received_on);
  g_free (self->contact_name);
  g_free (self->contact_email);
  g_free (self->contact_phone);
  g_free (self);
}

void
kuu_submission_set_place (KuuSubmission *self,
                          const char    *region,
                          const char    *unit,
                          KuuLanguage    language)
{
  g_return_if_fail (self != NULL);

  g_free (self->region);
  self->region = g_strdup (region);
  g_free (self->unit);
  self->unit = g_strdup (unit);
  self->language = language;
}

void
kuu_submission_add_answer (KuuSubmission *self,
                           const char    *statement_id,
                           int            answer)
{
  KuuStatementAnswer item = { g_strdup (statement_id), answer };

  g_return_if_fail (self != NULL);
  g_return_if_fail (statement_id != NULL);

  g_array_append_val (self->answers, item);
}

void
kuu_submission_set_topic (KuuSubmission *self,
                          KuuTopicKind   topic_kind,
                          const char    *topic_id)
{
  g_return_if_fail (self != NULL);

  g_free (self->topic_id);
  self->topic_id = g_strdup (topic_id);
  self->topic_kind = topic_kind;
  self->has_topic = topic_id != NULL;
}

/* Empty strings count as not given, so a blank form field stores NULL. */
static char *
nonempty (const char *text)
{
  return text != NULL && text[0] != '\0' ? g_strdup (text) : NULL;
}

void
kuu_submission_set_contact (KuuSubmission *self,
                            const char    *name,
                            const char    *email,
                            const char    *phone)
{
  g_return_if_fail (self != NULL);

  g_free (self->contact_name);
  g_free (self->contact_email);
  g_free (self->contact_phone);
  self->contact_name = nonempty (name);
  self->contact_email = nonempty (email);
  self->contact_phone = nonempty (phone);
}

gboolean
kuu_submission_has_contact (const KuuSubmission *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->contact_name != NULL || self->contact_email != NULL || self->contact_phone != NULL;
}

static gboolean
invalid (GError     **error,
         const char  *field,
         const char  *message)
{
  g_set_error (error, KUU_SUBMISSION_ERROR, KUU_SUBMISSION_ERROR_INVALID,
               "%s: %s", field, message);
  return FALSE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    {
      if (!g_ascii_isspace (*text))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_length (const char  *text,
              const char  *field,
              glong        max_chars,
              gboolean     required,
              GError     **error)
{
  if (is_blank (text))
    return !required || invalid (error, field, _("This is required."));
  if (!g_utf8_validate (text, -1, NULL))
    return invalid (error, field, _("The text is not valid UTF-8."));
  if (g_utf8_strlen (text, -1) > max_chars)
    {
      g_autofree char *message =
        g_strdup_printf (_("The text is longer than %ld characters."), max_chars);

      return invalid (error, field, message);
    }
  return TRUE;
}

static gboolean
validate_recommendation (const KuuSubmission  *self,
                         GError              **error)
{
  if (!self->has_topic || self->topic_id == NULL)
    return invalid (error, "topic", _("Choose what the score is about."));
  if (self->score < 0 || self->score > 10)
    return invalid (error, "score", _("The score must be from 0 to 10."));

  for (guint i = 0; i < self->answers->len; i++)
    {
      const KuuStatementAnswer *answer = &g_array_index (self->answers, KuuStatementAnswer, i);

      if (answer->answer < 1 || answer->answer > 5)
        return invalid (error, "answers", _("Each statement is answered from 1 to 5."));
      for (guint j = 0; j < i; j++)
        {
          if (g_strcmp0 (g_array_index (self->answers, KuuStatementAnswer, j).statement_id,
                         answer->statement_id) == 0)
            return invalid (error, "answers", _("A statement is answered twice."));
        }
    }

  return check_length (self->text, "text", KUU_MAX_WHY_LENGTH, FALSE, error);
}

static gboolean
validate_initiative (const KuuSubmission  *self,
                     GError              **error)
{
  if (!check_length (self->title, "title", KUU_MAX_TITLE_LENGTH, TRUE, error) ||
      !check_length (self->text, "text", KUU_MAX_INITIATIVE_LENGTH, TRUE, error) ||
      !check_length (self->municipality, "municipality", KUU_MAX_NAME_LENGTH, TRUE, error) ||
      !check_length (self->contact_name, "contact_name", KUU_MAX_NAME_LENGTH, TRUE, error))
    return FALSE;
  if (self->contact_email == NULL && self->contact_phone == NULL)
    return invalid (error, "contact", _("Give an e-mail address or a phone number for the reply."));
  if (self->signatories < 1)
    return invalid (error, "signatories", _("An initiative has at least one signatory."));
  if (self->received_on == NULL || strlen (self->received_on) != 10)
    return invalid (error, "received_on", _("The date received is missing."));
  return TRUE;
}

static gboolean
validate_contact (const KuuSubmission  *self,
                  GError              **error)
{
  if (!kuu_submission_has_contact (self))
    return TRUE;

  if (!check_length (self->contact_name, "contact_name", KUU_MAX_NAME_LENGTH, TRUE, error) ||
      !check_length (self->contact_email, "contact_email", KUU_MAX_EMAIL_LENGTH, FALSE, error) ||
      !check_length (self->contact_phone, "contact_phone", KUU_MAX_PHONE_LENGTH, FALSE, error))
    return FALSE;
  if (self->contact_email == NULL && self->contact_phone == NULL)
    return invalid (error, "contact", _("Give an e-mail address or a phone number for the reply."));
  if (self->contact_email != NULL && strchr (self->contact_email, '@') == NULL)
    return invalid (error, "contact_email", _("An e-mail address has an “@” in it."));
  return TRUE;
}

/**
 * kuu_submission_validate:
 *
 * Checks what the store's constraints would refuse, with a message that
 * names the field, so a form can point at it.
 */
gboolean
kuu_submission_validate (const KuuSubmission  *self,
                         GError              **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->uuid == NULL || !g_uuid_string_is_valid (self->uuid))
    return invalid (error, "uuid", _("The record has no valid id."));
  if (!check_length (self->region, "region", KUU_MAX_UNIT_LENGTH, TRUE, error) ||
      !check_length (self->unit, "unit", KUU_MAX_UNIT_LENGTH, TRUE, error))
    return FALSE;

  switch (self->kind)
    {
    case KUU_SUBMISSION_RECOMMENDATION:
      if (!validate_recommendation (self, error))
        return FALSE;
      break;
    case KUU_SUBMISSION_FEEDBACK:
      if (!check_length (self->text, "text", KUU_MAX_FEEDBACK_LENGTH, TRUE, error))
        return FALSE;
      break;
    case KUU_SUBMISSION_INITIATIVE:
      if (!validate_initiative (self, error))
        return FALSE;
      break;
    default:
      return invalid (error, "kind", _("Unknown kind of record."));
    }

  return validate_contact (self, error);
}

static gboolean
answers_equal (GArray *a,
               GArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      const KuuStatementAnswer *x = &g_array_index (a, KuuStatementAnswer, i);
      gboolean found = FALSE;

      for (guint j = 0; j < b->len && !found; j++)
        {
          const KuuStatementAnswer *y = &g_array_index (b, KuuStatementAnswer, j);

          found = g_strcmp0 (x->statement_id, y->statement_id) == 0 && x->answer == y->answer;
        }
      if (!found)
        return FALSE;
    }

  return TRUE;
}

/* Field-for-field equality, the test the server makes for a repeated UUID. */
gboolean
kuu_submission_equal (const KuuSubmission *a,
                      const KuuSubmission *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->kind == b->kind &&
         g_strcmp0 (a->uuid, b->uuid) == 0 &&
         a->created_at == b->created_at &&
         g_strcmp0 (a->region, b->region) == 0 &&
         g_strcmp0 (a->unit, b->unit) == 0 &&
         a->language == b->language &&
         a->audience == b->audience &&
         a->has_topic == b->has_topic &&
         (!a->has_topic || (a->topic_kind == b->topic_kind && g_strcmp0 (a->topic_id, b->topic_id) == 0)) &&
         a->score == b->score &&
         answers_equal (a->answers, b->answers) &&
         g_strcmp0 (a->text, b->text) == 0 &&
         g_strcmp0 (a->title, b->title) == 0 &&
         g_strcmp0 (a->municipality, b->municipality) == 0 &&
         a->channel == b->channel &&
         g_strcmp0 (a->received_on, b->received_on) == 0 &&
         a->signatories == b->signatories &&
         g_strcmp0 (a->contact_name, b->contact_name) == 0 &&
         g_strcmp0 (a->contact_email, b->contact_email) == 0 &&
         g_strcmp0 (a->contact_phone, b->contact_phone) == 0;
}

const char *
kuu_submission_kind_to_string (KuuSubmissionKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
kuu_submission_kind_from_string (const char        *name,
                                 KuuSubmissionKind *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (name, kind_names[i]) == 0)
        {
          *out_kind = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
kuu_channel_to_string (KuuChannel channel)
{
  g_return_val_if_fail (channel < G_N_ELEMENTS (channel_names), NULL);
  return channel_names[channel];
}

gboolean
kuu_channel_from_string (const char *name,
                         KuuChannel *out_channel)
{
  for (guint i = 0; i < G_N_ELEMENTS (channel_names); i++)
    {
      if (g_strcmp0 (name, channel_names[i]) == 0)
        {
          *out_channel = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * kuu_submission_get_reference:
 *
 * A short code a person can read out on the phone, taken from the UUID so
 * the server and staff can find the record by it: “3F9A-2C11”.
 *
 * Returns: (transfer full): the code
 */
char *
kuu_submission_get_reference (const KuuSubmission *self)
{
  g_autofree char *upper = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->uuid != NULL && strlen (self->uuid) >= 8, NULL);

  upper = g_ascii_strup (self->uuid, 8);
  return g_strdup_printf ("%.4s-%.4s", upper, upper + 4);
}
