/* kuu-topic.h: something a resident can score — a strategic goal or a
 * service area
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "kuu-entry.h"
#include "kuu-text.h"

G_BEGIN_DECLS

typedef enum
{
  KUU_TOPIC_GOAL,
  KUU_TOPIC_SERVICE_AREA,
} KuuTopicKind;

#define KUU_TYPE_TOPIC (kuu_topic_get_type ())

G_DECLARE_FINAL_TYPE (KuuTopic, kuu_topic, KUU, TOPIC, GObject)

KuuTopic      *kuu_topic_new             (KuuTopicKind  kind,
                                          const char   *id,
                                          KuuText      *title,
                                          KuuText      *summary,
                                          KuuText      *description);
KuuTopicKind   kuu_topic_get_kind        (KuuTopic     *self);
const char    *kuu_topic_get_id          (KuuTopic     *self);
const KuuText *kuu_topic_get_title       (KuuTopic     *self);
const KuuText *kuu_topic_get_summary     (KuuTopic     *self);
const KuuText *kuu_topic_get_description (KuuTopic     *self);
GPtrArray     *kuu_topic_get_key_results (KuuTopic     *self);
void           kuu_topic_add_key_result  (KuuTopic     *self,
                                          KuuEntry     *key_result);

const char    *kuu_topic_kind_to_string   (KuuTopicKind  kind);
gboolean       kuu_topic_kind_from_string (const char   *name,
                                           KuuTopicKind *out_kind);

G_END_DECLS
