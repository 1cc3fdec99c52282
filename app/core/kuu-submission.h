/* kuu-submission.h: what one person gave in one go — a recommendation,
 * a piece of feedback or an initiative
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "kuu-language.h"
#include "kuu-target.h"
#include "kuu-topic.h"

G_BEGIN_DECLS

typedef enum
{
  KUU_SUBMISSION_RECOMMENDATION,
  KUU_SUBMISSION_FEEDBACK,
  KUU_SUBMISSION_INITIATIVE,
} KuuSubmissionKind;

typedef enum
{
  KUU_CHANNEL_KIOSK,
  KUU_CHANNEL_PAPER,
  KUU_CHANNEL_EMAIL,
  KUU_CHANNEL_WEB,
} KuuChannel;

/* Limits in characters; the kiosk shows a counter against them. */
#define KUU_MAX_UNIT_LENGTH         100
#define KUU_MAX_WHY_LENGTH         2000
#define KUU_MAX_FEEDBACK_LENGTH    4000
#define KUU_MAX_TITLE_LENGTH        200
#define KUU_MAX_INITIATIVE_LENGTH 10000
#define KUU_MAX_NAME_LENGTH         200
#define KUU_MAX_EMAIL_LENGTH        254
#define KUU_MAX_PHONE_LENGTH         40

/* The personnel survey's 1–5 question is stored as this statement. */
#define KUU_STATEMENT_FUNCTIONING "functioning"

#define KUU_TYPE_SUBMISSION (kuu_submission_get_type ())
#define KUU_SUBMISSION_ERROR (kuu_submission_error_quark ())

typedef enum
{
  KUU_SUBMISSION_ERROR_INVALID,
} KuuSubmissionError;

typedef struct
{
  char *statement_id;
  int   answer;  /* 1–5 */
} KuuStatementAnswer;

typedef struct _KuuSubmission
{
  KuuSubmissionKind  kind;
  char              *uuid;        /* the idempotency key, made at creation */
  gint64             created_at;  /* seconds since the epoch, UTC */
  char              *region;
  char              *unit;
  KuuLanguage        language;
  KuuAudience        audience;

  /* recommendation; feedback may name a topic too */
  gboolean           has_topic;
  KuuTopicKind       topic_kind;
  char              *topic_id;
  int                score;       /* 0–10 */
  GArray            *answers;     /* KuuStatementAnswer */

  /* why, feedback text, initiative text */
  char              *text;

  /* initiative */
  char              *title;
  char              *municipality;
  KuuChannel         channel;
  char              *received_on; /* YYYY-MM-DD */
  int                signatories;

  /* the contact, kept apart from the answer in the store */
  char              *contact_name;
  char              *contact_email;
  char              *contact_phone;
} KuuSubmission;

GQuark         kuu_submission_error_quark         (void);
GType          kuu_submission_get_type            (void) G_GNUC_CONST;
KuuSubmission *kuu_submission_new_recommendation  (KuuTopicKind         topic_kind,
                                                   const char          *topic_id,
                                                   int                  score);
KuuSubmission *kuu_submission_new_feedback        (const char          *text);
KuuSubmission *kuu_submission_new_initiative      (const char          *title,
                                                   const char          *text,
                                                   const char          *municipality,
                                                   KuuChannel           channel);
KuuSubmission *kuu_submission_new_to_read         (KuuSubmissionKind    kind);
KuuSubmission *kuu_submission_copy                (const KuuSubmission *self);
void           kuu_submission_free                (KuuSubmission       *self);
void           kuu_submission_set_place           (KuuSubmission       *self,
                                                   const char          *region,
                                                   const char          *unit,
                                                   KuuLanguage          language);
void           kuu_submission_add_answer          (KuuSubmission       *self,
                                                   const char          *statement_id,
                                                   int                  answer);
void           kuu_submission_set_topic           (KuuSubmission       *self,
                                                   KuuTopicKind         topic_kind,
                                                   const char          *topic_id);
void           kuu_submission_set_contact         (KuuSubmission       *self,
                                                   const char          *name,
                                                   const char          *email,
                                                   const char          *phone);
gboolean       kuu_submission_has_contact         (const KuuSubmission *self);
char          *kuu_submission_get_reference       (const KuuSubmission *self);
gboolean       kuu_submission_validate            (const KuuSubmission *self,
                                                   GError             **error);
gboolean       kuu_submission_equal               (const KuuSubmission *a,
                                                   const KuuSubmission *b);

const char    *kuu_submission_kind_to_string      (KuuSubmissionKind    kind);
gboolean       kuu_submission_kind_from_string    (const char          *name,
                                                   KuuSubmissionKind   *out_kind);
const char    *kuu_channel_to_string              (KuuChannel           channel);
gboolean       kuu_channel_from_string            (const char          *name,
                                                   KuuChannel          *out_channel);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuSubmission, kuu_submission_free)

G_END_DECLS
