/* kuu-strategy.h: one region's strategy, as the kiosk presents it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kuu-entry.h"
#include "kuu-target.h"
#include "kuu-text.h"
#include "kuu-topic.h"

G_BEGIN_DECLS

#define KUU_AGREEMENT_SCALE_SIZE 5

#define KUU_TYPE_STRATEGY (kuu_strategy_get_type ())

G_DECLARE_FINAL_TYPE (KuuStrategy, kuu_strategy, KUU, STRATEGY, GObject)

const char    *kuu_strategy_get_id               (KuuStrategy  *self);
const KuuText *kuu_strategy_get_name             (KuuStrategy  *self);
const KuuText *kuu_strategy_get_short_name       (KuuStrategy  *self);
gboolean       kuu_strategy_get_bilingual        (KuuStrategy  *self);
KuuLanguage    kuu_strategy_get_default_language (KuuStrategy  *self);
const KuuText *kuu_strategy_get_title            (KuuStrategy  *self);
const char    *kuu_strategy_get_period           (KuuStrategy  *self);
const char    *kuu_strategy_get_source           (KuuStrategy  *self);
const KuuText *kuu_strategy_get_vision           (KuuStrategy  *self);
const KuuText *kuu_strategy_get_mission          (KuuStrategy  *self);
GPtrArray     *kuu_strategy_get_municipalities   (KuuStrategy  *self);
GPtrArray     *kuu_strategy_get_values           (KuuStrategy  *self);
GPtrArray     *kuu_strategy_get_service_promise  (KuuStrategy  *self);
GListModel    *kuu_strategy_get_goals            (KuuStrategy  *self);
GListModel    *kuu_strategy_get_service_areas    (KuuStrategy  *self);
KuuTopic      *kuu_strategy_find_topic           (KuuStrategy  *self,
                                                  KuuTopicKind  kind,
                                                  const char   *id);
GPtrArray     *kuu_strategy_get_targets          (KuuStrategy  *self);
gboolean       kuu_strategy_get_show_results     (KuuStrategy  *self);

const KuuText *kuu_strategy_get_recommend_question (KuuStrategy *self);
const KuuText *kuu_strategy_get_scale_low          (KuuStrategy *self);
const KuuText *kuu_strategy_get_scale_high         (KuuStrategy *self);
const KuuText *kuu_strategy_get_agreement_label    (KuuStrategy *self,
                                                    guint        answer);
GPtrArray     *kuu_strategy_get_statements         (KuuStrategy *self);
const KuuText *kuu_strategy_get_why_prompt         (KuuStrategy *self);
const KuuText *kuu_strategy_get_personnel_recommend_question   (KuuStrategy *self);
const KuuText *kuu_strategy_get_personnel_functioning_question (KuuStrategy *self);

G_END_DECLS
