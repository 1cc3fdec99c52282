/* kuu-results-plan.c: what the results are of, and their making
 *
 * The plan copies what the region file says (topics, statements, the
 * targets of the audience) in the thread that owns the strategy; the
 * counting then runs in a worker thread on a reader of its own, and
 * kuu-results.c adds the counts up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-results.h"

KuuResultsPlan *
kuu_results_plan_new (void)
{
  KuuResultsPlan *plan = g_new0 (KuuResultsPlan, 1);

  plan->topics = g_ptr_array_new ();
  plan->statements = g_ptr_array_new_with_free_func (g_free);
  plan->targets = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_target_free);
  return plan;
}

static void
topic_free (KuuResultsTopic *topic)
{
  g_free (topic->kind);
  g_free (topic->id);
  g_free (topic);
}

void
kuu_results_plan_free (KuuResultsPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->region);
  g_free (plan->unit);
  g_ptr_array_foreach (plan->topics, (GFunc)topic_free, NULL);
  g_ptr_array_unref (plan->topics);
  g_ptr_array_unref (plan->statements);
  g_ptr_array_unref (plan->targets);
  g_free (plan);
}

void
kuu_results_plan_add_topic (KuuResultsPlan *plan,
                            const char     *kind,
                            const char     *id)
{
  KuuResultsTopic *topic = g_new0 (KuuResultsTopic, 1);

  topic->kind = g_strdup (kind);
  topic->id = g_strdup (id);
  g_ptr_array_add (plan->topics, topic);
}

/* The first second of @date, UTC. */
gint64
kuu_results_date_seconds (const GDate *date)
{
  return ((gint64)g_date_get_julian (date) - 719163) * 86400;  /* 719163: 1970-01-01 */
}

/* Where the personnel survey files its answers: the goal the region's
 * personnel targets name, else the first goal or service area (as
 * kuu_personnel_page_get_topic() on the kiosk). */
static void
add_personnel_topic (KuuResultsPlan *plan,
                     KuuStrategy    *strategy)
{
  GPtrArray *targets = kuu_strategy_get_targets (strategy);
  g_autoptr(KuuTopic) first = NULL;

  for (guint i = 0; targets != NULL && i < targets->len; i++)
    {
      const KuuTarget *target = g_ptr_array_index (targets, i);

      if (target->audience == KUU_AUDIENCE_PERSONNEL && target->goal != NULL &&
          kuu_strategy_find_topic (strategy, KUU_TOPIC_GOAL, target->goal) != NULL)
        {
          kuu_results_plan_add_topic (plan, "goal", target->goal);
          return;
        }
    }
  first = g_list_model_get_item (kuu_strategy_get_goals (strategy), 0);
  if (first == NULL)
    first = g_list_model_get_item (kuu_strategy_get_service_areas (strategy), 0);
  if (first != NULL)
    kuu_results_plan_add_topic (plan, kuu_topic_kind_to_string (kuu_topic_get_kind (first)), kuu_topic_get_id (first));
}

static void
add_topics (KuuResultsPlan *plan,
            GListModel     *topics)
{
  for (guint i = 0; i < g_list_model_get_n_items (topics); i++)
    {
      g_autoptr(KuuTopic) topic = g_list_model_get_item (topics, i);

      kuu_results_plan_add_topic (plan, kuu_topic_kind_to_string (kuu_topic_get_kind (topic)), kuu_topic_get_id (topic));
    }
}

/**
 * kuu_results_plan_fill:
 *
 * Copies what the results need of the region file into @plan (whose
 * audience is set): its topics, statements and targets of that
 * audience. Call it in the thread that owns @strategy: the counting
 * thread then touches no strategy.
 */
void
kuu_results_plan_fill (KuuResultsPlan *plan,
                       KuuStrategy    *strategy)
{
  GPtrArray *statements = kuu_strategy_get_statements (strategy);
  GPtrArray *targets = kuu_strategy_get_targets (strategy);

  if (plan->audience == KUU_AUDIENCE_PERSONNEL)
    add_personnel_topic (plan, strategy);
  else
    {
      add_topics (plan, kuu_strategy_get_goals (strategy));
      add_topics (plan, kuu_strategy_get_service_areas (strategy));
    }
  for (guint i = 0; statements != NULL && i < statements->len; i++)
    g_ptr_array_add (plan->statements, g_strdup (((KuuEntry *)g_ptr_array_index (statements, i))->id));
  for (guint i = 0; targets != NULL && i < targets->len; i++)
    {
      const KuuTarget *target = g_ptr_array_index (targets, i);

      if (target->audience == plan->audience)
        g_ptr_array_add (plan->targets, kuu_target_copy (target));
    }
}

/* The previous period needs its scores only: its total and change. */
static GPtrArray *
count_rows (KuuServerStorage      *reader,
            const KuuResultsPlan  *plan,
            const GDate           *since,
            const GDate           *until,
            KuuBucket              bucket,
            gboolean               scores_only,
            GError               **error)
{
  KuuResultsSelect select = {
    plan->region, plan->audience, kuu_results_date_seconds (since), kuu_results_date_seconds (until), bucket,
    scores_only,
  };
  GPtrArray *rows = kuu_server_storage_result_rows (reader, &select, error);

  if (rows != NULL && plan->audience == KUU_AUDIENCE_PERSONNEL)
    kuu_results_drop_small_personnel_cells (rows);
  return rows;
}

/**
 * kuu_results_make:
 * @reader: a storage to read from (a worker thread's own)
 *
 * Counts the selection and the period before it, and builds the answer.
 *
 * Returns: (transfer full): the body of GET /api/v1/results, or %NULL
 *   with @error set
 */
JsonNode *
kuu_results_make (KuuServerStorage      *reader,
                  const KuuResultsPlan  *plan,
                  GError               **error)
{
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(GPtrArray) previous = NULL;
  GDate end = plan->until;

  /* Personnel's previous period is counted by month too: its small
   * cells are dropped as the current one's are. */
  g_date_add_days (&end, 1);
  if (!(current = count_rows (reader, plan, &plan->since, &end, plan->period, FALSE, error)) ||
      !(previous = count_rows (reader, plan, &plan->previous_since, &plan->since,
                               plan->audience == KUU_AUDIENCE_PERSONNEL ? KUU_BUCKET_MONTH : KUU_BUCKET_NONE,
                               TRUE, error)))
    return NULL;
  return kuu_results_build (plan, current, previous);
}
