/* test-stats.c: the index per topic, unit and period, in SQL, against
 * counts made by hand over the same answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

#include "kuu-stats.h"
#include "kuu-store-private.h"
#include "kuu-test-tree.h"

typedef struct
{
  char     *dir;
  KuuStore *store;
} Fixture;

/* 2026-01-15 and 2026-02-15 at noon UTC: the middle of a month in any
 * Finnish local time. */
#define JANUARY  G_GINT64_CONSTANT (1768478400)
#define FEBRUARY G_GINT64_CONSTANT (1771156800)

static void
add (Fixture     *fixture,
     KuuAudience  audience,
     const char  *topic,
     const char  *unit,
     gint64       when,
     int          score)
{
  g_autoptr(KuuSubmission) submission = NULL;
  g_autoptr(GError) error = NULL;

  submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, topic, score);
  kuu_submission_set_place (submission, "keski-uusimaa", unit, KUU_LANGUAGE_FI);
  submission->audience = audience;
  submission->created_at = when;
  g_assert_true (kuu_store_add (fixture->store, submission, &error));
  g_assert_no_error (error);
}

static void
add_scores (Fixture    *fixture,
            const char *topic,
            const char *unit,
            gint64      when,
            const char *scores)
{
  for (const char *s = scores; *s; s++)
    add (fixture, KUU_AUDIENCE_RESIDENTS, topic, unit, when, *s == 'X' ? 10 : *s - '0');
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("kuulolla-stats-XXXXXX", &error);
  path = g_build_filename (fixture->dir, "stats.db", NULL);
  fixture->store = kuu_store_open (path, &error);
  g_assert_no_error (error);

  /* "X" is a 10. Hyvinkää, goal a, January: 9 9 X 8 7 3 0 → 3P 2N 2D */
  add_scores (fixture, "goal-a", "Hyvinkää", JANUARY, "99X8730");
  /* Hyvinkää, goal a, February: X X 9 → 3P */
  add_scores (fixture, "goal-a", "Hyvinkää", FEBRUARY, "XX9");
  /* Järvenpää, goal a, January: 5 6 7 → 0P 1N 2D */
  add_scores (fixture, "goal-a", "Järvenpää", JANUARY, "567");
  /* Järvenpää, goal b, February: 9 8 → 1P 1N */
  add_scores (fixture, "goal-b", "Järvenpää", FEBRUARY, "98");
  /* Personnel answers must never reach resident figures. */
  for (int i = 0; i < 20; i++)
    add (fixture, KUU_AUDIENCE_PERSONNEL, "goal-a", "Hyvinkää", JANUARY, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  kuu_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
assert_row (const KuuStatsRow *row,
            guint              promoters,
            guint              passives,
            guint              detractors)
{
  KuuNps expected;
  KuuNpsCounts counts = { promoters, passives, detractors };

  kuu_nps_compute (&counts, &expected);
  g_assert_cmpuint (row->counts.promoters, ==, promoters);
  g_assert_cmpuint (row->counts.passives, ==, passives);
  g_assert_cmpuint (row->counts.detractors, ==, detractors);
  g_assert_cmpuint (row->nps.total, ==, promoters + passives + detractors);
  g_assert_cmpfloat_with_epsilon (row->nps.index, expected.index, 1e-9);
}

static void
test_stats_overall (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  KuuStatsQuery query;
  KuuStatsRow *row;

  kuu_stats_query_init (&query);
  rows = kuu_stats_nps (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  /* 7 promoters, 4 passives, 4 detractors of 15: index (7 − 4)/15 = 20 */
  assert_row (row, 7, 4, 4);
  g_assert_cmpfloat_with_epsilon (row->nps.index, 20.0, 1e-9);
  g_assert_null (row->topic_id);
  g_assert_null (row->unit);
  g_assert_null (row->period);
}

static void
test_stats_by_topic_and_unit (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  KuuStatsQuery query;

  kuu_stats_query_init (&query);
  query.group = KUU_STATS_GROUP_TOPIC | KUU_STATS_GROUP_UNIT;
  rows = kuu_stats_nps (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);

  /* ordered by topic, then unit */
  g_assert_cmpstr (((KuuStatsRow *)rows->pdata[0])->topic_id, ==, "goal-a");
  g_assert_cmpstr (((KuuStatsRow *)rows->pdata[0])->unit, ==, "Hyvinkää");
  assert_row (rows->pdata[0], 6, 2, 2);
  g_assert_cmpstr (((KuuStatsRow *)rows->pdata[1])->unit, ==, "Järvenpää");
  assert_row (rows->pdata[1], 0, 1, 2);
  g_assert_cmpstr (((KuuStatsRow *)rows->pdata[2])->topic_id, ==, "goal-b");
  g_assert_cmpstr (((KuuStatsRow *)rows->pdata[2])->topic_kind, ==, "goal");
  assert_row (rows->pdata[2], 1, 1, 0);
}

static void
test_stats_by_month (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  KuuStatsQuery query;

  kuu_stats_query_init (&query);
  query.group = KUU_STATS_GROUP_MONTH;
  query.topic_id = "goal-a";
  rows = kuu_stats_nps (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (((KuuStatsRow *)rows->pdata[0])->period, ==, "2026-01");
  assert_row (rows->pdata[0], 3, 3, 4);
  g_assert_cmpstr (((KuuStatsRow *)rows->pdata[1])->period, ==, "2026-02");
  assert_row (rows->pdata[1], 3, 0, 0);
}

/* 2026-01-15 is a Thursday: its week starts on Monday the 12th. */
static void
test_stats_by_week (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  KuuStatsQuery query;

  kuu_stats_query_init (&query);
  query.group = KUU_STATS_GROUP_WEEK;
  query.unit = "Järvenpää";
  rows = kuu_stats_nps (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (((KuuStatsRow *)rows->pdata[0])->period, ==, "2026-01-12");
  /* 2026-02-15 is a Sunday: its week started on Monday the 9th. */
  g_assert_cmpstr (((KuuStatsRow *)rows->pdata[1])->period, ==, "2026-02-09");
}

static void
test_stats_period_filter (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  KuuStatsQuery query;

  kuu_stats_query_init (&query);
  query.since = FEBRUARY - 86400;
  rows = kuu_stats_nps (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_row (rows->pdata[0], 4, 1, 0);

  g_clear_pointer (&rows, g_ptr_array_unref);
  query.since = 0;
  query.until = FEBRUARY - 86400;
  rows = kuu_stats_nps (fixture->store, &query, &error);
  assert_row (rows->pdata[0], 3, 3, 4);
}

static void
test_stats_personnel_apart (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  KuuStatsQuery query;

  kuu_stats_query_init (&query);
  query.audience = KUU_AUDIENCE_PERSONNEL;
  rows = kuu_stats_nps (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_row (rows->pdata[0], 0, 0, 20);
  g_assert_cmpfloat (((KuuStatsRow *)rows->pdata[0])->nps.index, ==, -100.0);
}

static void
test_stats_empty_selection (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  KuuStatsQuery query;

  kuu_stats_query_init (&query);
  query.topic_id = "no-such-goal";
  query.group = KUU_STATS_GROUP_TOPIC;
  rows = kuu_stats_nps (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
}

/* A larger store with both audiences, where the personnel and the
 * residents answer the same topics in the same units in the same months,
 * and both have a "functioning" answer: the figures for either must
 * equal a count made here over that audience alone. */

#define N_SEEDED 3000

typedef struct
{
  KuuAudience  audience;
  const char  *topic;
  const char  *unit;
  gint64       when;
  int          score;
  int          functioning;  /* 0: not answered */
} Seeded;

static const char * const seeded_topics[] = { "goal-a", "goal-b", "goal-c" };
static const char * const seeded_units[] = { "Kotka", "Kouvola", "Hamina" };

static Seeded *
make_seeded (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  Seeded *seeded = g_new0 (Seeded, N_SEEDED);

  for (guint i = 0; i < N_SEEDED; i++)
    {
      seeded[i].audience = g_rand_boolean (rand) ? KUU_AUDIENCE_PERSONNEL : KUU_AUDIENCE_RESIDENTS;
      seeded[i].topic = seeded_topics[g_rand_int_range (rand, 0, G_N_ELEMENTS (seeded_topics))];
      seeded[i].unit = seeded_units[g_rand_int_range (rand, 0, G_N_ELEMENTS (seeded_units))];
      /* Mid-January to mid-March, at any hour: month ends in local time count. */
      seeded[i].when = JANUARY + g_rand_int_range (rand, -20 * 86400, 60 * 86400);
      seeded[i].score = g_rand_int_range (rand, 0, 11);
      seeded[i].functioning = g_rand_int_range (rand, 0, 6);
    }
  return seeded;
}

static void
seeded_set_up (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) submissions = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_submission_free);
  g_autofree Seeded *seeded = make_seeded ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("kuulolla-stats-XXXXXX", &error);
  path = g_build_filename (fixture->dir, "stats.db", NULL);
  fixture->store = kuu_store_open (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_SEEDED; i++)
    {
      KuuSubmission *submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, seeded[i].topic,
                                                                     seeded[i].score);

      kuu_submission_set_place (submission, "kymenlaakso", seeded[i].unit, KUU_LANGUAGE_FI);
      submission->audience = seeded[i].audience;
      submission->created_at = seeded[i].when;
      if (seeded[i].functioning > 0)
        kuu_submission_add_answer (submission, KUU_STATEMENT_FUNCTIONING, seeded[i].functioning);
      kuu_submission_add_answer (submission, "other", 1 + i % 5);
      g_ptr_array_add (submissions, submission);
    }
  g_assert_true (_kuu_store_add_all (fixture->store, submissions, &error));
  g_assert_no_error (error);
}

typedef struct
{
  KuuNpsCounts  counts;
  guint         scores[11];  /* the 0–10 distribution */
  guint         answered;
  guint         sum;
  guint         agree;
} Expected;

static char *
seeded_key (const Seeded  *seeded,
            KuuStatsGroup  group)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (seeded->when);
  g_autofree char *month = g_date_time_format (time, "%Y-%m");

  return g_strdup_printf ("%s|%s|%s",
                          group & KUU_STATS_GROUP_TOPIC ? seeded->topic : "",
                          group & KUU_STATS_GROUP_UNIT ? seeded->unit : "",
                          group & KUU_STATS_GROUP_MONTH ? month : "");
}

static char *
row_key (const char    *topic_id,
         const char    *unit,
         const char    *period)
{
  return g_strdup_printf ("%s|%s|%s", topic_id ? topic_id : "", unit ? unit : "", period ? period : "");
}

/* The independent count: plain C over the seeded answers of @audience. */
static GHashTable *
expected_for (const Seeded  *seeded,
              KuuAudience    audience,
              KuuStatsGroup  group)
{
  GHashTable *expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < N_SEEDED; i++)
    {
      char *key;
      Expected *e;

      if (seeded[i].audience != audience)
        continue;
      key = seeded_key (&seeded[i], group);
      if (!(e = g_hash_table_lookup (expected, key)))
        g_hash_table_insert (expected, g_strdup (key), (e = g_new0 (Expected, 1)));
      g_free (key);
      kuu_nps_counts_add (&e->counts, seeded[i].score);
      e->scores[seeded[i].score]++;
      if (seeded[i].functioning > 0)
        {
          e->answered++;
          e->sum += seeded[i].functioning;
          e->agree += seeded[i].functioning >= 4;
        }
    }
  return expected;
}

static void
check_audience (Fixture       *fixture,
                const Seeded  *seeded,
                KuuAudience    audience,
                KuuStatsGroup  group)
{
  g_autoptr(GHashTable) expected = expected_for (seeded, audience, group);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) scale = NULL;
  g_autoptr(GError) error = NULL;
  KuuStatsQuery query;

  kuu_stats_query_init_for (&query, audience);
  query.group = group;
  rows = kuu_stats_nps (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, g_hash_table_size (expected));
  for (guint i = 0; i < rows->len; i++)
    {
      KuuStatsRow *row = g_ptr_array_index (rows, i);
      g_autofree char *key = row_key (row->topic_id, row->unit, row->period);
      Expected *e = g_hash_table_lookup (expected, key);

      g_assert_nonnull (e);
      g_assert_cmpint (row->audience, ==, audience);
      assert_row (row, e->counts.promoters, e->counts.passives, e->counts.detractors);
      for (guint score = 0; score <= 10; score++)
        g_assert_cmpuint (row->scores[score], ==, e->scores[score]);
    }

  scale = kuu_stats_scale (fixture->store, &query, KUU_STATEMENT_FUNCTIONING, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scale->len, ==, g_hash_table_size (expected));
  for (guint i = 0; i < scale->len; i++)
    {
      KuuStatsScaleRow *row = g_ptr_array_index (scale, i);
      g_autofree char *key = row_key (row->topic_id, row->unit, row->period);
      Expected *e = g_hash_table_lookup (expected, key);

      g_assert_nonnull (e);
      g_assert_cmpint (row->audience, ==, audience);
      g_assert_cmpuint (row->count, ==, e->answered);
      g_assert_cmpfloat_with_epsilon (row->mean, (double)e->sum / e->answered, 1e-9);
      g_assert_cmpuint (row->agree, ==, e->agree);
      g_assert_cmpfloat_with_epsilon (row->share_agree, 100.0 * e->agree / e->answered, 1e-9);
    }
}

static void
test_stats_audiences_never_mix (Fixture       *fixture,
                                gconstpointer  data)
{
  const KuuStatsGroup groups[] = {
    KUU_STATS_GROUP_NONE,
    KUU_STATS_GROUP_TOPIC,
    KUU_STATS_GROUP_UNIT,
    KUU_STATS_GROUP_MONTH,
    KUU_STATS_GROUP_TOPIC | KUU_STATS_GROUP_UNIT,
    KUU_STATS_GROUP_TOPIC | KUU_STATS_GROUP_UNIT | KUU_STATS_GROUP_MONTH,
  };
  g_autofree Seeded *seeded = make_seeded ();

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      check_audience (fixture, seeded, KUU_AUDIENCE_RESIDENTS, groups[i]);
      check_audience (fixture, seeded, KUU_AUDIENCE_PERSONNEL, groups[i]);
    }
}

/* Workplace functioning for one goal in one unit and month, the way a
 * personnel page asks for it against the target of 4. */
static void
test_stats_functioning_filtered (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree Seeded *seeded = make_seeded ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) february = g_date_time_new_local (2026, 2, 1, 0, 0, 0);
  g_autoptr(GDateTime) march = g_date_time_new_local (2026, 3, 1, 0, 0, 0);
  KuuStatsScaleRow *row;
  KuuStatsQuery query;
  guint count = 0, sum = 0;

  for (guint i = 0; i < N_SEEDED; i++)
    if (seeded[i].audience == KUU_AUDIENCE_PERSONNEL && seeded[i].functioning > 0 &&
        g_str_equal (seeded[i].topic, "goal-b") && g_str_equal (seeded[i].unit, "Kouvola") &&
        seeded[i].when >= g_date_time_to_unix (february) && seeded[i].when < g_date_time_to_unix (march))
      {
        count++;
        sum += seeded[i].functioning;
      }
  g_assert_cmpuint (count, >, 10);

  kuu_stats_query_init_for (&query, KUU_AUDIENCE_PERSONNEL);
  query.any_topic_kind = FALSE;
  query.topic_kind = KUU_TOPIC_GOAL;
  query.topic_id = "goal-b";
  query.unit = "Kouvola";
  query.since = g_date_time_to_unix (february);
  query.until = g_date_time_to_unix (march);
  rows = kuu_stats_scale (fixture->store, &query, KUU_STATEMENT_FUNCTIONING, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpuint (row->count, ==, count);
  g_assert_cmpfloat_with_epsilon (row->mean, (double)sum / count, 1e-9);
  g_assert_null (row->topic_id);

  /* A statement nobody answered gives no rows, not a mean of nothing. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = kuu_stats_scale (fixture->store, &query, "no-such-statement", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
}

/* --- the counts per week and month (store migration 5) -------------------- */

static char *
seeded_period (const Seeded  *seeded,
               KuuStatsGroup  group)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (seeded->when);
  g_autoptr(GDateTime) monday = g_date_time_add_days (time, 1 - g_date_time_get_day_of_week (time));

  if (group & KUU_STATS_GROUP_MONTH)
    return g_date_time_format (time, "%Y-%m");
  if (group & KUU_STATS_GROUP_WEEK)
    return g_date_time_format (monday, "%Y-%m-%d");
  return g_strdup ("");
}

/* Answers whose id is a multiple of 7 are deleted in the test below. */
static gboolean
seeded_counts (const Seeded *seeded,
               guint         i,
               KuuAudience   audience,
               gint64        since,
               gint64        until,
               gboolean      deleted)
{
  return seeded[i].audience == audience && (!deleted || (i + 1) % 7 != 0) &&
         (since == 0 || seeded[i].when >= since) && (until == 0 || seeded[i].when < until);
}

/* Workplace functioning likewise: the groups with answers to it. */
static void
check_counted_scale (Fixture             *fixture,
                     GHashTable          *expected,
                     const KuuStatsQuery *query)
{
  g_autoptr(GPtrArray) rows = kuu_stats_scale (fixture->store, query, KUU_STATEMENT_FUNCTIONING, NULL);
  GHashTableIter iter;
  Expected *e;
  guint groups = 0;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&e))
    groups += e->answered > 0;
  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, ==, groups);
  for (guint i = 0; i < rows->len; i++)
    {
      KuuStatsScaleRow *row = g_ptr_array_index (rows, i);
      g_autofree char *key = row_key (row->topic_id, row->unit, row->period);

      g_assert_nonnull ((e = g_hash_table_lookup (expected, key)));
      g_assert_cmpuint (row->count, ==, e->answered);
      g_assert_cmpfloat_with_epsilon (row->mean, (double)e->sum / e->answered, 1e-9);
      g_assert_cmpuint (row->agree, ==, e->agree);
    }
}

/* The figures of @query, whichever table kuu-stats reads them from, are
 * those counted here by hand over the seeded answers. */
static void
check_counted (Fixture             *fixture,
               const Seeded        *seeded,
               const KuuStatsQuery *query,
               gboolean             deleted)
{
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_SEEDED; i++)
    {
      g_autofree char *period = NULL;
      g_autofree char *key = NULL;
      Expected *e;

      if (!seeded_counts (seeded, i, query->audience, query->since, query->until, deleted) ||
          (query->unit != NULL && g_strcmp0 (seeded[i].unit, query->unit) != 0))
        continue;
      period = seeded_period (&seeded[i], query->group);
      key = row_key (query->group & KUU_STATS_GROUP_TOPIC ? seeded[i].topic : NULL,
                     query->group & KUU_STATS_GROUP_UNIT ? seeded[i].unit : NULL, period);
      if (!(e = g_hash_table_lookup (expected, key)))
        g_hash_table_insert (expected, g_steal_pointer (&key), (e = g_new0 (Expected, 1)));
      kuu_nps_counts_add (&e->counts, seeded[i].score);
      e->scores[seeded[i].score]++;
      if (seeded[i].functioning > 0)
        {
          e->answered++;
          e->sum += seeded[i].functioning;
          e->agree += seeded[i].functioning >= 4;
        }
    }

  check_counted_scale (fixture, expected, query);
  rows = kuu_stats_nps (fixture->store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, g_hash_table_size (expected));
  for (guint i = 0; i < rows->len; i++)
    {
      KuuStatsRow *row = g_ptr_array_index (rows, i);
      g_autofree char *key = row_key (row->topic_id, row->unit, row->period);
      Expected *e = g_hash_table_lookup (expected, key);

      g_assert_nonnull (e);
      assert_row (row, e->counts.promoters, e->counts.passives, e->counts.detractors);
      g_assert_cmpmem (row->scores, sizeof row->scores, e->scores, sizeof e->scores);
    }
}

static gint64
local_midnight (int year,
                int month,
                int day)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (year, month, day, 0, 0, 0);

  return g_date_time_to_unix (time);
}

static void
check_all_counted (Fixture      *fixture,
                   const Seeded *seeded,
                   gboolean      deleted)
{
  const KuuStatsGroup groups[] = {
    KUU_STATS_GROUP_NONE, KUU_STATS_GROUP_TOPIC, KUU_STATS_GROUP_UNIT,
    KUU_STATS_GROUP_WEEK, KUU_STATS_GROUP_MONTH,
    KUU_STATS_GROUP_TOPIC | KUU_STATS_GROUP_UNIT | KUU_STATS_GROUP_WEEK,
    KUU_STATS_GROUP_TOPIC | KUU_STATS_GROUP_UNIT | KUU_STATS_GROUP_MONTH,
  };
  /* none; months (the counts by month); Mondays, 2026-01-12 and
   * 2026-02-09 (by week); noon, no period's start (every answer) */
  const gint64 limits[][2] = {
    { 0, 0 },
    { local_midnight (2026, 1, 1), local_midnight (2026, 3, 1) },
    { local_midnight (2026, 1, 12), local_midnight (2026, 2, 9) },
    { JANUARY, FEBRUARY },
  };

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
      for (KuuAudience audience = KUU_AUDIENCE_RESIDENTS; audience <= KUU_AUDIENCE_PERSONNEL; audience++)
        {
          KuuStatsQuery query;

          kuu_stats_query_init_for (&query, audience);
          query.group = groups[g];
          query.since = limits[l][0];
          query.until = limits[l][1];
          check_counted (fixture, seeded, &query, deleted);
          query.unit = "Kouvola";
          check_counted (fixture, seeded, &query, deleted);
        }
}

/* The Results tab reads the counts the store keeps per week and month
 * (the scores, and the answers to each 1–5 statement):
 * with any grouping and limit they hold what every answer holds, also
 * after answers are deleted; and a saved answer cannot be changed behind
 * their back. */
static void
test_stats_counted (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree Seeded *seeded = make_seeded ();
  g_autofree char *path = g_build_filename (fixture->dir, "stats.db", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) units = NULL;
  sqlite3 *db = NULL;

  check_all_counted (fixture, seeded, FALSE);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA foreign_keys = ON;"
                                     "DELETE FROM submissions WHERE id % 7 = 0", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE submissions SET unit = 'Hamina' WHERE id = 1", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE recommendations SET score = 10 WHERE submission_id = 1", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE statement_answers SET answer = 5 WHERE submission_id = 1", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE submissions SET synced_at = 1 WHERE id = 1", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  check_all_counted (fixture, seeded, TRUE);

  /* A unit whose answers are all gone is no longer offered. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA foreign_keys = ON;"
                                     "DELETE FROM submissions WHERE unit = 'Hamina'", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  units = kuu_stats_units (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (units, ((const char * const[]) { "Kotka", "Kouvola", NULL }));
}

static void
on_scale_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out_result = user_data;

  *out_result = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static void
test_stats_scale_async (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) sync_rows = NULL;
  g_autoptr(GError) error = NULL;
  KuuStatsQuery query;

  kuu_stats_query_init_for (&query, KUU_AUDIENCE_PERSONNEL);
  query.group = KUU_STATS_GROUP_UNIT;
  kuu_stats_scale_async (fixture->store, &query, KUU_STATEMENT_FUNCTIONING, NULL, on_scale_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  rows = kuu_stats_scale_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  sync_rows = kuu_stats_scale (fixture->store, &query, KUU_STATEMENT_FUNCTIONING, &error);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (seeded_units));
  g_assert_cmpuint (rows->len, ==, sync_rows->len);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpfloat (((KuuStatsScaleRow *)rows->pdata[i])->mean, ==,
                       ((KuuStatsScaleRow *)sync_rows->pdata[i])->mean);
}

int
main (int   argc,
      char *argv[])
{
  /* Periods are in local time; pin it so the expected labels hold. */
  g_setenv ("TZ", "Europe/Helsinki", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/stats/overall", test_stats_overall);
  ADD ("/stats/by-topic-and-unit", test_stats_by_topic_and_unit);
  ADD ("/stats/by-month", test_stats_by_month);
  ADD ("/stats/by-week", test_stats_by_week);
  ADD ("/stats/period-filter", test_stats_period_filter);
  ADD ("/stats/personnel-apart", test_stats_personnel_apart);
  ADD ("/stats/empty-selection", test_stats_empty_selection);

  g_test_add ("/stats/audiences-never-mix", Fixture, NULL, seeded_set_up,
              test_stats_audiences_never_mix, fixture_tear_down);
  g_test_add ("/stats/functioning-filtered", Fixture, NULL, seeded_set_up,
              test_stats_functioning_filtered, fixture_tear_down);
  g_test_add ("/stats/counted", Fixture, NULL, seeded_set_up,
              test_stats_counted, fixture_tear_down);
  g_test_add ("/stats/scale-async", Fixture, NULL, seeded_set_up,
              test_stats_scale_async, fixture_tear_down);

#undef ADD

  return g_test_run ();
}
