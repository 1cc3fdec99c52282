/* kuu-goal-card.h: a strategic goal or service area as a large card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"
#include "kuu-topic.h"

G_BEGIN_DECLS

#define KUU_TYPE_GOAL_CARD (kuu_goal_card_get_type ())

G_DECLARE_FINAL_TYPE (KuuGoalCard, kuu_goal_card, KUU, GOAL_CARD, GtkWidget)

GtkWidget *kuu_goal_card_new       (KuuContext *context,
                                    KuuTopic   *topic,
                                    guint       number);
KuuTopic  *kuu_goal_card_get_topic (KuuGoalCard *self);

G_END_DECLS
