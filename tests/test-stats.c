/* test-stats.c: the index per topic, unit and period, in SQL, against
 * counts made by hand over the same answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>

#include "kuu-stats.h"

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
  g_autofree char *path = g_build_filename (fixture->dir, "stats.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_clear_object (&fixture->store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
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

#undef ADD

  return g_test_run ();
}
