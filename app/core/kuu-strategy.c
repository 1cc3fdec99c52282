/* kuu-strategy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kuu-strategy-private.h"

G_DEFINE_FINAL_TYPE (KuuStrategy, kuu_strategy, G_TYPE_OBJECT)

static void
kuu_strategy_finalize (GObject *object)
{
  KuuStrategy *self = (KuuStrategy *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, kuu_text_free);
  g_clear_pointer (&self->short_name, kuu_text_free);
  g_clear_pointer (&self->title, kuu_text_free);
  g_clear_pointer (&self->period, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->vision, kuu_text_free);
  g_clear_pointer (&self->mission, kuu_text_free);
  g_clear_pointer (&self->municipalities, g_ptr_array_unref);
  g_clear_pointer (&self->values, g_ptr_array_unref);
  g_clear_pointer (&self->service_promise, g_ptr_array_unref);
  g_clear_object (&self->goals);
  g_clear_object (&self->service_areas);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_pointer (&self->recommend_question, kuu_text_free);
  g_clear_pointer (&self->scale_low, kuu_text_free);
  g_clear_pointer (&self->scale_high, kuu_text_free);
  for (guint i = 0; i < KUU_AGREEMENT_SCALE_SIZE; i++)
    g_clear_pointer (&self->agreement_scale[i], kuu_text_free);
  g_clear_pointer (&self->statements, g_ptr_array_unref);
  g_clear_pointer (&self->why_prompt, kuu_text_free);
  g_clear_pointer (&self->personnel_recommend_question, kuu_text_free);
  g_clear_pointer (&self->personnel_functioning_question, kuu_text_free);

  G_OBJECT_CLASS (kuu_strategy_parent_class)->finalize (object);
}

static void
kuu_strategy_class_init (KuuStrategyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kuu_strategy_finalize;
}

static void
kuu_strategy_init (KuuStrategy *self)
{
  self->municipalities = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_entry_free);
  self->values = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_entry_free);
  self->service_promise = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_text_free);
  self->goals = g_list_store_new (KUU_TYPE_TOPIC);
  self->service_areas = g_list_store_new (KUU_TYPE_TOPIC);
  self->targets = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_target_free);
  self->statements = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_entry_free);
}

KuuStrategy *
_kuu_strategy_new (void)
{
  return g_object_new (KUU_TYPE_STRATEGY, NULL);
}

const char *
kuu_strategy_get_id (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->id;
}

const KuuText *
kuu_strategy_get_name (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->name;
}

const KuuText *
kuu_strategy_get_short_name (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->short_name;
}

gboolean
kuu_strategy_get_bilingual (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), FALSE);
  return self->bilingual;
}

KuuLanguage
kuu_strategy_get_default_language (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), KUU_LANGUAGE_FI);
  return self->default_language;
}

const KuuText *
kuu_strategy_get_title (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->title;
}

const char *
kuu_strategy_get_period (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->period;
}

const char *
kuu_strategy_get_source (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->source;
}

const KuuText *
kuu_strategy_get_vision (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->vision;
}

const KuuText *
kuu_strategy_get_mission (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->mission;
}

/**
 * kuu_strategy_get_municipalities:
 *
 * Returns: (transfer none) (element-type KuuEntry):
 */
GPtrArray *
kuu_strategy_get_municipalities (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->municipalities;
}

/**
 * kuu_strategy_get_values:
 *
 * Returns: (transfer none) (element-type KuuEntry):
 */
GPtrArray *
kuu_strategy_get_values (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->values;
}

/**
 * kuu_strategy_get_service_promise:
 *
 * Returns: (transfer none) (element-type KuuText): empty when the region
 *   states none
 */
GPtrArray *
kuu_strategy_get_service_promise (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->service_promise;
}

/**
 * kuu_strategy_get_goals:
 *
 * Returns: (transfer none): a list of #KuuTopic
 */
GListModel *
kuu_strategy_get_goals (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return G_LIST_MODEL (self->goals);
}

/**
 * kuu_strategy_get_service_areas:
 *
 * Returns: (transfer none): a list of #KuuTopic
 */
GListModel *
kuu_strategy_get_service_areas (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return G_LIST_MODEL (self->service_areas);
}

/**
 * kuu_strategy_find_topic:
 *
 * Returns: (transfer none) (nullable): the goal or service area with @id
 */
KuuTopic *
kuu_strategy_find_topic (KuuStrategy  *self,
                         KuuTopicKind  kind,
                         const char   *id)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  model = kind == KUU_TOPIC_GOAL ? G_LIST_MODEL (self->goals)
                                 : G_LIST_MODEL (self->service_areas);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KuuTopic) topic = g_list_model_get_item (model, i);

      if (g_strcmp0 (kuu_topic_get_id (topic), id) == 0)
        return topic;
    }

  return NULL;
}

/**
 * kuu_strategy_get_targets:
 *
 * Returns: (transfer none) (element-type KuuTarget):
 */
GPtrArray *
kuu_strategy_get_targets (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->targets;
}

gboolean
kuu_strategy_get_show_results (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), FALSE);
  return self->show_results;
}

const KuuText *
kuu_strategy_get_recommend_question (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->recommend_question;
}

const KuuText *
kuu_strategy_get_scale_low (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->scale_low;
}

const KuuText *
kuu_strategy_get_scale_high (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->scale_high;
}

/* @answer is 1…5 as the resident sees it. */
const KuuText *
kuu_strategy_get_agreement_label (KuuStrategy *self,
                                  guint        answer)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  g_return_val_if_fail (answer >= 1 && answer <= KUU_AGREEMENT_SCALE_SIZE, NULL);
  return self->agreement_scale[answer - 1];
}

/**
 * kuu_strategy_get_statements:
 *
 * Returns: (transfer none) (element-type KuuEntry):
 */
GPtrArray *
kuu_strategy_get_statements (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->statements;
}

const KuuText *
kuu_strategy_get_why_prompt (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->why_prompt;
}

const KuuText *
kuu_strategy_get_personnel_recommend_question (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->personnel_recommend_question;
}

const KuuText *
kuu_strategy_get_personnel_functioning_question (KuuStrategy *self)
{
  g_return_val_if_fail (KUU_IS_STRATEGY (self), NULL);
  return self->personnel_functioning_question;
}
