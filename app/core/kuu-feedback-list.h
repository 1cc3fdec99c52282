/* kuu-feedback-list.h: the feedback texts staff read, newest first, and
 * the ones hidden from any public display
 *
 * A text is either a feedback answer or the “why” given with a
 * recommendation. Hiding one marks it in the store (table
 * feedback_hidden); the answer itself is never changed, so showing it
 * again gives back exactly what was written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-store.h"

G_BEGIN_DECLS

typedef struct
{
  char              *uuid;
  KuuSubmissionKind  kind;        /* FEEDBACK, or RECOMMENDATION for a why */
  KuuAudience        audience;
  gint64             created_at;
  char              *unit;
  char              *topic_kind;  /* NULL when the text names no topic */
  char              *topic_id;
  char              *text;
  gboolean           hidden;
} KuuFeedbackItem;

GPtrArray *kuu_feedback_list              (KuuStore      *store,
                                           KuuAudience    audience,
                                           const char    *unit,
                                           guint          limit,
                                           GError       **error);
void       kuu_feedback_list_async        (KuuStore      *store,
                                           KuuAudience    audience,
                                           const char    *unit,
                                           guint          limit,
                                           GCancellable  *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer       user_data);
GPtrArray *kuu_feedback_list_finish       (KuuStore      *store,
                                           GAsyncResult  *result,
                                           GError       **error);
gboolean   kuu_feedback_set_hidden        (KuuStore      *store,
                                           const char    *uuid,
                                           gboolean       hidden,
                                           GError       **error);
void       kuu_feedback_set_hidden_async  (KuuStore      *store,
                                           const char    *uuid,
                                           gboolean       hidden,
                                           GCancellable  *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer       user_data);
gboolean   kuu_feedback_set_hidden_finish (KuuStore      *store,
                                           GAsyncResult  *result,
                                           GError       **error);
void       kuu_feedback_item_free         (KuuFeedbackItem *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuFeedbackItem, kuu_feedback_item_free)

G_END_DECLS
