/* kuu-results.c: a region's results for the desk, from counted answers
 *
 * The counts come per topic, unit and bucket (kuu-server-store-reports.c);
 * here they are added up into cells — each topic's total, previous
 * period, trend and units, its statements, workplace functioning — and
 * each cell is given only as far as the small-group rule allows
 * (kuu_privacy_cell_visibility). The targets are judged with their
 * margins of error: met only when the whole interval meets the target.
 *
 * Personnel answers enter any figure only from atomic cells (a unit in a
 * calendar month) of at least KUU_PRIVACY_MIN_PERSONNEL answers, and
 * personnel queries are of whole months: the difference of any two
 * queries is then a union of such cells, never a group of four
 * (docs/privacy.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "kuu-nps.h"
#include "kuu-privacy.h"
#include "kuu-results.h"
#include "kuu-strategy.h"
#include "kuu-submission.h"

#define Z_95 1.959963984540054
#define N_SCORES 11

typedef struct
{
  guint n;
  guint scores[N_SCORES];
} NpsAcc;

typedef struct
{
  guint n;
  guint answers[KUU_AGREEMENT_SCALE_SIZE];
} AgreeAcc;

typedef struct
{
  NpsAcc      total;
  NpsAcc      previous;
  GHashTable *trend;       /* period label → NpsAcc */
  GHashTable *units;       /* unit → NpsAcc */
  GHashTable *statements;  /* statement id → AgreeAcc */
} TopicAcc;

typedef struct
{
  const KuuResultsPlan *plan;
  GHashTable           *topics;          /* "kind/id" → TopicAcc */
  NpsAcc                all;             /* every topic */
  GHashTable           *all_statements;  /* statement id → AgreeAcc, every topic */
} Results;

static const char *personnel_key = "personnel";

/* --- the small-group rule for personnel ---------------------------------- */

static char *
atom_key (const KuuResultRow *row)
{
  return g_strconcat (row->unit ? row->unit : "", "\x1f", row->bucket ? row->bucket : "", NULL);
}

/**
 * kuu_results_drop_small_personnel_cells:
 * @rows: (element-type KuuResultRow): personnel counts by month
 *
 * Removes every count of an atomic cell (a unit in a month) that holds
 * fewer than KUU_PRIVACY_MIN_PERSONNEL answers: scores and statements
 * alike, so that those answers enter no figure at all.
 */
void
kuu_results_drop_small_personnel_cells (GPtrArray *rows)
{
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      const KuuResultRow *row = g_ptr_array_index (rows, i);
      char *key;

      if (row->statement != NULL)
        continue;
      key = atom_key (row);
      g_hash_table_insert (sizes, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (sizes, key)) + row->count));
    }
  for (guint i = rows->len; i > 0; i--)
    {
      g_autofree char *key = atom_key (g_ptr_array_index (rows, i - 1));

      if (GPOINTER_TO_UINT (g_hash_table_lookup (sizes, key)) < KUU_PRIVACY_MIN_PERSONNEL)
        g_ptr_array_remove_index (rows, i - 1);
    }
}

/* --- adding up ----------------------------------------------------------- */

static TopicAcc *
topic_acc_new (void)
{
  TopicAcc *acc = g_new0 (TopicAcc, 1);

  acc->trend = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  acc->units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  acc->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return acc;
}

static void
topic_acc_free (TopicAcc *acc)
{
  g_hash_table_unref (acc->trend);
  g_hash_table_unref (acc->units);
  g_hash_table_unref (acc->statements);
  g_free (acc);
}

static gpointer
lookup_or_add (GHashTable *table,
               const char *key,
               gsize       size)
{
  gpointer value = g_hash_table_lookup (table, key);

  if (value == NULL)
    g_hash_table_insert (table, g_strdup (key), (value = g_malloc0 (size)));
  return value;
}

static void
nps_add (NpsAcc *acc,
         int     score,
         guint   count)
{
  acc->n += count;
  acc->scores[score] += count;
}

static void
agree_add (AgreeAcc *acc,
           int       answer,
           guint     count)
{
  acc->n += count;
  acc->answers[answer - 1] += count;
}

/* "2026-11", or the ISO week of a Thursday: "2026-W48". */
static char *
period_label (KuuBucket   period,
              const char *bucket)
{
  GDate date;

  if (period == KUU_BUCKET_MONTH || bucket == NULL)
    return g_strdup (bucket);
  g_date_clear (&date, 1);
  g_date_set_parse (&date, bucket);
  if (!g_date_valid (&date))
    return g_strdup (bucket);
  return g_strdup_printf ("%04u-W%02u", g_date_get_year (&date), g_date_get_iso8601_week_of_year (&date));
}

static char *
topic_key (const char *kind,
           const char *id)
{
  return g_strconcat (kind ? kind : "", "/", id ? id : "", NULL);
}

/* Residents' answers are counted under their own topic; personnel's all
 * under the one topic they are filed under, as on the device. */
static TopicAcc *
find_topic (Results            *results,
            const KuuResultRow *row)
{
  g_autofree char *key = NULL;

  if (results->plan->audience == KUU_AUDIENCE_PERSONNEL)
    return g_hash_table_lookup (results->topics, personnel_key);
  key = topic_key (row->topic_kind, row->topic_id);
  return g_hash_table_lookup (results->topics, key);
}

static gboolean
row_is_valid (const KuuResultRow *row)
{
  if (row->statement == NULL)
    return row->value >= 0 && row->value < N_SCORES;
  return row->value >= 1 && row->value <= KUU_AGREEMENT_SCALE_SIZE;
}

static void
add_current (Results            *results,
             const KuuResultRow *row)
{
  TopicAcc *topic = find_topic (results, row);
  g_autofree char *label = period_label (results->plan->period, row->bucket);

  if (row->statement != NULL)
    {
      agree_add (lookup_or_add (results->all_statements, row->statement, sizeof (AgreeAcc)), row->value, row->count);
      if (topic != NULL)
        agree_add (lookup_or_add (topic->statements, row->statement, sizeof (AgreeAcc)), row->value, row->count);
      return;
    }
  nps_add (&results->all, row->value, row->count);
  if (topic == NULL)
    return;
  nps_add (&topic->total, row->value, row->count);
  if (label != NULL)
    nps_add (lookup_or_add (topic->trend, label, sizeof (NpsAcc)), row->value, row->count);
  nps_add (lookup_or_add (topic->units, row->unit ? row->unit : "", sizeof (NpsAcc)), row->value, row->count);
}

static void
add_rows (Results   *results,
          GPtrArray *rows,
          gboolean   previous)
{
  const char *unit = results->plan->unit;

  for (guint i = 0; i < rows->len; i++)
    {
      const KuuResultRow *row = g_ptr_array_index (rows, i);
      TopicAcc *topic;

      if (!row_is_valid (row) || (unit != NULL && g_strcmp0 (row->unit, unit) != 0))
        continue;
      if (!previous)
        add_current (results, row);
      else if (row->statement == NULL && (topic = find_topic (results, row)))
        nps_add (&topic->previous, row->value, row->count);
    }
}

/* --- cells ----------------------------------------------------------------- */

static void
add_double_or_null (JsonBuilder *builder,
                    const char  *name,
                    double       value)
{
  json_builder_set_member_name (builder, name);
  if (isnan (value))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
nps_compute (const NpsAcc *acc,
             KuuNps       *out_nps,
             KuuNpsCounts *out_counts)
{
  *out_counts = (KuuNpsCounts) { 0 };
  for (guint score = 0; score < N_SCORES; score++)
    for (guint i = 0; i < acc->scores[score]; i++)
      kuu_nps_counts_add (out_counts, score);
  kuu_nps_compute (out_counts, out_nps);
}

static KuuCellVisibility
begin_cell (JsonBuilder *builder,
            KuuAudience  audience,
            guint        n)
{
  KuuCellVisibility visibility = kuu_privacy_cell_visibility (audience, n);
  static const char * const names[] = { "hidden", "count_only", "full" };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "visibility");
  json_builder_add_string_value (builder, names[visibility]);
  if (visibility != KUU_CELL_HIDDEN)
    add_int (builder, "n", n);
  return visibility;
}

static void
add_nps_cell (JsonBuilder  *builder,
              KuuAudience   audience,
              const NpsAcc *acc)
{
  KuuNps nps;
  KuuNpsCounts counts;

  if (begin_cell (builder, audience, acc->n) == KUU_CELL_FULL)
    {
      nps_compute (acc, &nps, &counts);
      add_double_or_null (builder, "index", nps.index);
      add_double_or_null (builder, "margin", nps.margin);
      add_int (builder, "promoters", counts.promoters);
      add_int (builder, "passives", counts.passives);
      add_int (builder, "detractors", counts.detractors);
      json_builder_set_member_name (builder, "distribution");
      json_builder_begin_array (builder);
      for (guint score = 0; score < N_SCORES; score++)
        json_builder_add_int_value (builder, acc->scores[score]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static double
share_agree (const AgreeAcc *acc)
{
  return 100.0 * (acc->answers[3] + acc->answers[4]) / acc->n;
}

static double
mean_of (const AgreeAcc *acc,
         double         *out_margin)
{
  double sum = 0, squares = 0, mean;

  for (guint i = 0; i < KUU_AGREEMENT_SCALE_SIZE; i++)
    sum += (i + 1.0) * acc->answers[i];
  mean = sum / acc->n;
  for (guint i = 0; i < KUU_AGREEMENT_SCALE_SIZE; i++)
    squares += acc->answers[i] * (i + 1.0 - mean) * (i + 1.0 - mean);
  if (out_margin != NULL)
    *out_margin = acc->n > 1 ? Z_95 * sqrt (squares / (acc->n - 1) / acc->n) : NAN;
  return mean;
}

static void
add_agree_cell (JsonBuilder    *builder,
                KuuAudience     audience,
                const AgreeAcc *acc)
{
  static const AgreeAcc none = { 0 };

  if (acc == NULL)
    acc = &none;
  if (begin_cell (builder, audience, acc->n) == KUU_CELL_FULL)
    {
      json_builder_set_member_name (builder, "distribution");
      json_builder_begin_array (builder);
      for (guint i = 0; i < KUU_AGREEMENT_SCALE_SIZE; i++)
        json_builder_add_int_value (builder, acc->answers[i]);
      json_builder_end_array (builder);
      add_double_or_null (builder, "share_agree", share_agree (acc));
      add_double_or_null (builder, "mean", mean_of (acc, NULL));
    }
  json_builder_end_object (builder);
}

/* --- a topic ---------------------------------------------------------------- */

static void
add_change (JsonBuilder    *builder,
            const TopicAcc *topic,
            KuuAudience     audience)
{
  KuuNps now, before;
  KuuNpsCounts counts;
  double delta, margin;

  json_builder_set_member_name (builder, "change");
  if (kuu_privacy_cell_visibility (audience, topic->total.n) != KUU_CELL_FULL ||
      kuu_privacy_cell_visibility (audience, topic->previous.n) != KUU_CELL_FULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  nps_compute (&topic->total, &now, &counts);
  nps_compute (&topic->previous, &before, &counts);
  delta = now.index - before.index;
  margin = sqrt (now.margin * now.margin + before.margin * before.margin);
  json_builder_begin_object (builder);
  add_double_or_null (builder, "delta", delta);
  add_double_or_null (builder, "margin", margin);
  json_builder_set_member_name (builder, "significant");
  json_builder_add_boolean_value (builder, fabs (delta) > margin);
  json_builder_end_object (builder);
}

/* Every period of the selection, the empty ones too: a gap is shown as
 * a gap. */
static GPtrArray *
period_labels (const KuuResultsPlan *plan)
{
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);
  GDate day = plan->since;

  while (g_date_compare (&day, &plan->until) <= 0)
    {
      g_autofree char *bucket = NULL;

      if (plan->period == KUU_BUCKET_MONTH)
        {
          g_ptr_array_add (labels, g_strdup_printf ("%04u-%02u", g_date_get_year (&day), g_date_get_month (&day)));
          g_date_set_day (&day, 1);
          g_date_add_months (&day, 1);
          continue;
        }
      /* The Thursday of the week names it. */
      g_date_subtract_days (&day, g_date_get_weekday (&day) - G_DATE_MONDAY);
      g_date_add_days (&day, 3);
      bucket = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&day), g_date_get_month (&day), g_date_get_day (&day));
      g_ptr_array_add (labels, period_label (KUU_BUCKET_WEEK, bucket));
      g_date_add_days (&day, 4);
    }
  return labels;
}

static void
add_trend (JsonBuilder    *builder,
           const Results  *results,
           const TopicAcc *topic,
           GPtrArray      *labels)
{
  static const NpsAcc none = { 0 };

  json_builder_set_member_name (builder, "trend");
  json_builder_begin_array (builder);
  for (guint i = 0; i < labels->len; i++)
    {
      const NpsAcc *acc = g_hash_table_lookup (topic->trend, g_ptr_array_index (labels, i));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "period");
      json_builder_add_string_value (builder, g_ptr_array_index (labels, i));
      json_builder_set_member_name (builder, "cell");
      add_nps_cell (builder, results->plan->audience, acc != NULL ? acc : &none);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

typedef struct
{
  const char   *unit;
  const NpsAcc *acc;
  KuuCellVisibility visibility;
  double        index;
} RankedUnit;

/* Full cells by index, highest first; then the count-only ones by their
 * count; a tie by name, so that the order is stable. */
static int
compare_units (gconstpointer a,
               gconstpointer b)
{
  const RankedUnit *x = a, *y = b;

  if (x->visibility != y->visibility)
    return x->visibility == KUU_CELL_FULL ? -1 : 1;
  if (x->visibility == KUU_CELL_FULL && x->index != y->index)
    return x->index > y->index ? -1 : 1;
  if (x->acc->n != y->acc->n)
    return x->acc->n > y->acc->n ? -1 : 1;
  return g_strcmp0 (x->unit, y->unit);
}

static void
add_units (JsonBuilder    *builder,
           const Results  *results,
           const TopicAcc *topic)
{
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (RankedUnit));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, topic->units);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      RankedUnit unit = { key, value, kuu_privacy_cell_visibility (results->plan->audience, ((NpsAcc *)value)->n), 0 };
      KuuNps nps;
      KuuNpsCounts counts;

      if (unit.visibility == KUU_CELL_HIDDEN)
        continue;
      nps_compute (value, &nps, &counts);
      unit.index = nps.index;
      g_array_append_val (ranked, unit);
    }
  g_array_sort (ranked, compare_units);
  json_builder_set_member_name (builder, "units");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ranked->len; i++)
    {
      const RankedUnit *unit = &g_array_index (ranked, RankedUnit, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "unit");
      json_builder_add_string_value (builder, unit->unit);
      json_builder_set_member_name (builder, "cell");
      add_nps_cell (builder, results->plan->audience, unit->acc);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_statements (JsonBuilder    *builder,
                const Results  *results,
                const TopicAcc *topic)
{
  GPtrArray *statements = results->plan->statements;

  json_builder_set_member_name (builder, "statements");
  json_builder_begin_array (builder);
  for (guint i = 0; results->plan->audience == KUU_AUDIENCE_RESIDENTS && i < statements->len; i++)
    {
      const char *id = g_ptr_array_index (statements, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "cell");
      add_agree_cell (builder, results->plan->audience, g_hash_table_lookup (topic->statements, id));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_topic (JsonBuilder           *builder,
           const Results         *results,
           const KuuResultsTopic *topic,
           const TopicAcc        *acc,
           GPtrArray             *labels)
{
  KuuAudience audience = results->plan->audience;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "topic");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, topic->kind);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, topic->id);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "total");
  add_nps_cell (builder, audience, &acc->total);
  json_builder_set_member_name (builder, "previous");
  add_nps_cell (builder, audience, &acc->previous);
  add_change (builder, acc, audience);
  add_trend (builder, results, acc, labels);
  add_units (builder, results, acc);
  add_statements (builder, results, acc);
  json_builder_end_object (builder);
}

/* --- targets ------------------------------------------------------------------ */

typedef struct
{
  guint  n;
  double actual;
  double margin;
} Measure;

static gboolean
measure_nps (const NpsAcc *acc,
             Measure      *out)
{
  KuuNps nps;
  KuuNpsCounts counts;

  nps_compute (acc, &nps, &counts);
  *out = (Measure) { acc->n, nps.index, nps.margin };
  return TRUE;
}

static gboolean
measure_agree (const AgreeAcc *acc,
               KuuMetric       metric,
               Measure        *out)
{
  double p;

  *out = (Measure) { acc != NULL ? acc->n : 0, NAN, NAN };
  if (out->n == 0)
    return TRUE;
  if (metric == KUU_METRIC_MEAN)
    {
      out->actual = mean_of (acc, &out->margin);
      return TRUE;
    }
  p = share_agree (acc) / 100.0;
  out->actual = 100.0 * p;
  out->margin = out->n > 1 ? Z_95 * sqrt (p * (1 - p) / out->n) * 100.0 : NAN;
  return TRUE;
}

/* The answers a target is measured on: its goal's, or every topic's. */
static gboolean
measure_target (const Results   *results,
                const KuuTarget *target,
                Measure         *out)
{
  const TopicAcc *topic = NULL;
  const char *statement = target->metric == KUU_METRIC_MEAN && target->question != NULL
                          ? KUU_STATEMENT_FUNCTIONING : target->statement;
  g_autofree char *key = NULL;

  if (target->goal != NULL && target->audience == KUU_AUDIENCE_RESIDENTS)
    {
      key = topic_key ("goal", target->goal);
      if (!(topic = g_hash_table_lookup (results->topics, key)))
        return FALSE;
    }
  if (target->metric == KUU_METRIC_NPS || target->metric == KUU_METRIC_ENPS)
    return measure_nps (topic != NULL ? &topic->total : &results->all, out);
  if (statement == NULL)
    return FALSE;
  return measure_agree (g_hash_table_lookup (topic != NULL ? topic->statements : results->all_statements, statement),
                        target->metric, out);
}

/* Met when the whole interval meets the target, not met when none of it
 * does, uncertain when the margin straddles the value. */
static const char *
verdict (const KuuTarget *target,
         const Measure   *measure)
{
  double margin = isnan (measure->margin) ? 0 : measure->margin;

  if (kuu_target_is_met (target, measure->actual - margin))
    return "met";
  if (!kuu_target_is_met (target, measure->actual + margin))
    return "not_met";
  return "uncertain";
}

static void
add_target (JsonBuilder     *builder,
            const Results   *results,
            const KuuTarget *target)
{
  Measure measure = { 0, NAN, NAN };
  KuuCellVisibility visibility;

  measure_target (results, target, &measure);
  visibility = kuu_privacy_cell_visibility (target->audience, measure.n);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, target->id);
  json_builder_set_member_name (builder, "metric");
  json_builder_add_string_value (builder, kuu_metric_to_string (target->metric));
  json_builder_set_member_name (builder, "comparison");
  json_builder_add_string_value (builder, target->comparison == KUU_COMPARISON_GT ? "gt" : "ge");
  json_builder_set_member_name (builder, "value");
  json_builder_add_double_value (builder, target->value);
  add_double_or_null (builder, "actual", visibility == KUU_CELL_FULL ? measure.actual : NAN);
  add_double_or_null (builder, "margin", visibility == KUU_CELL_FULL ? measure.margin : NAN);
  json_builder_set_member_name (builder, "n");
  if (visibility == KUU_CELL_HIDDEN)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, measure.n);
  json_builder_set_member_name (builder, "verdict");
  json_builder_add_string_value (builder, visibility == KUU_CELL_HIDDEN ? "hidden"
                                          : visibility == KUU_CELL_COUNT_ONLY ? "too_few"
                                          : verdict (target, &measure));
  json_builder_end_object (builder);
}

/* --- the whole answer ------------------------------------------------------------ */

static char *
format_date (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_header (JsonBuilder          *builder,
            const KuuResultsPlan *plan)
{
  g_autofree char *since = format_date (&plan->since);
  g_autofree char *until = format_date (&plan->until);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (plan->generated_at);
  g_autofree char *generated = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  add_string (builder, "region", plan->region);
  add_string (builder, "audience", kuu_audience_to_string (plan->audience));
  add_string (builder, "period", plan->period == KUU_BUCKET_WEEK ? "week" : "month");
  add_string (builder, "since", since);
  add_string (builder, "until", until);
  if (plan->unit != NULL)
    add_string (builder, "unit", plan->unit);
  add_string (builder, "generated_at", generated);
  json_builder_set_member_name (builder, "rule");
  json_builder_begin_object (builder);
  add_int (builder, "min_answers", KUU_PRIVACY_MIN_ANSWERS);
  add_int (builder, "min_personnel", KUU_PRIVACY_MIN_PERSONNEL);
  json_builder_end_object (builder);
}

static void
add_body (JsonBuilder *builder,
          Results     *results)
{
  const KuuResultsPlan *plan = results->plan;
  g_autoptr(GPtrArray) labels = period_labels (plan);

  json_builder_set_member_name (builder, "topics");
  json_builder_begin_array (builder);
  for (guint i = 0; i < plan->topics->len; i++)
    {
      const KuuResultsTopic *topic = g_ptr_array_index (plan->topics, i);
      g_autofree char *key = plan->audience == KUU_AUDIENCE_PERSONNEL ? g_strdup (personnel_key)
                                                                      : topic_key (topic->kind, topic->id);

      add_topic (builder, results, topic, g_hash_table_lookup (results->topics, key), labels);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "functioning");
  if (plan->audience == KUU_AUDIENCE_PERSONNEL)
    add_agree_cell (builder, plan->audience, g_hash_table_lookup (results->all_statements, KUU_STATEMENT_FUNCTIONING));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "targets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < plan->targets->len; i++)
    add_target (builder, results, g_ptr_array_index (plan->targets, i));
  json_builder_end_array (builder);
}

/**
 * kuu_results_build:
 * @current: (element-type KuuResultRow): the counts of the selection,
 *   bucketed by @plan's period; for personnel, small cells dropped
 * @previous: (element-type KuuResultRow): the counts of the same length
 *   just before
 *
 * Returns: (transfer full): the body of GET /api/v1/results
 */
JsonNode *
kuu_results_build (const KuuResultsPlan *plan,
                   GPtrArray            *current,
                   GPtrArray            *previous)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Results results = { plan };

  results.topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)topic_acc_free);
  results.all_statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < plan->topics->len; i++)
    {
      const KuuResultsTopic *topic = g_ptr_array_index (plan->topics, i);

      g_hash_table_insert (results.topics,
                           plan->audience == KUU_AUDIENCE_PERSONNEL ? g_strdup (personnel_key)
                                                                    : topic_key (topic->kind, topic->id),
                           topic_acc_new ());
    }
  add_rows (&results, current, FALSE);
  add_rows (&results, previous, TRUE);

  json_builder_begin_object (builder);
  add_header (builder, plan);
  add_body (builder, &results);
  json_builder_end_object (builder);

  g_hash_table_unref (results.topics);
  g_hash_table_unref (results.all_statements);
  return json_builder_get_root (builder);
}
