/* test-nps.c: the index and its margin against hand-computed answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "kuu-nps.h"
#include "kuu-privacy.h"

static void
add_scores (KuuNpsCounts *counts,
            const int    *scores,
            gsize         n)
{
  for (gsize i = 0; i < n; i++)
    kuu_nps_counts_add (counts, scores[i]);
}

static void
test_nps_classes (void)
{
  KuuNpsCounts counts = { 0 };
  const int scores[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

  add_scores (&counts, scores, G_N_ELEMENTS (scores));
  g_assert_cmpuint (counts.detractors, ==, 7);
  g_assert_cmpuint (counts.passives, ==, 2);
  g_assert_cmpuint (counts.promoters, ==, 2);
}

/* 5 promoters, 3 passives, 2 detractors: index 30; the sample variance of
 * the ±1/0 scores is (0.5 + 0.2 − 0.09) × 10/9 = 0.67778, so the margin is
 * 1.95996 × √(0.67778 / 10) × 100 = 51.026. */
static void
test_nps_known_margin (void)
{
  KuuNpsCounts counts = { .promoters = 5, .passives = 3, .detractors = 2 };
  KuuNps nps;

  kuu_nps_compute (&counts, &nps);
  g_assert_cmpuint (nps.total, ==, 10);
  g_assert_cmpfloat_with_epsilon (nps.index, 30.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (nps.margin, 51.026, 0.001);
  g_assert_true (kuu_nps_is_small_sample (&nps));
}

/* A large sample: 600 promoters, 250 passives, 150 detractors of 1000.
 * Index 45; variance (0.6 + 0.15 − 0.2025) × 1000/999 = 0.548048;
 * margin 1.95996 × √(0.000548048) × 100 = 4.5884. */
static void
test_nps_large_sample (void)
{
  KuuNpsCounts counts = { .promoters = 600, .passives = 250, .detractors = 150 };
  KuuNps nps;

  kuu_nps_compute (&counts, &nps);
  g_assert_cmpfloat_with_epsilon (nps.index, 45.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (nps.margin, 4.5884, 0.0005);
  g_assert_false (kuu_nps_is_small_sample (&nps));
}

static void
test_nps_extremes (void)
{
  KuuNpsCounts all_promoters = { .promoters = 40 };
  KuuNpsCounts all_detractors = { .detractors = 40 };
  KuuNpsCounts empty = { 0 };
  KuuNpsCounts one = { .passives = 1 };
  KuuNps nps;

  kuu_nps_compute (&all_promoters, &nps);
  g_assert_cmpfloat (nps.index, ==, 100.0);
  g_assert_cmpfloat (nps.margin, ==, 0.0);

  kuu_nps_compute (&all_detractors, &nps);
  g_assert_cmpfloat (nps.index, ==, -100.0);

  kuu_nps_compute (&empty, &nps);
  g_assert_cmpuint (nps.total, ==, 0);
  g_assert_true (isnan (nps.index));
  g_assert_true (isnan (nps.margin));

  kuu_nps_compute (&one, &nps);
  g_assert_cmpfloat (nps.index, ==, 0.0);
  g_assert_true (isnan (nps.margin));
}

/* Half promoters and half detractors: index 0 with the widest spread. */
static void
test_nps_polarised (void)
{
  KuuNpsCounts counts = { .promoters = 50, .detractors = 50 };
  KuuNps nps;

  kuu_nps_compute (&counts, &nps);
  g_assert_cmpfloat_with_epsilon (nps.index, 0.0, 1e-9);
  /* variance 1 × 100/99; margin 1.95996 × √(1.0101/100) × 100 = 19.6984 */
  g_assert_cmpfloat_with_epsilon (nps.margin, 19.6984, 0.0005);
}

/* The small-group rule at its edges: residents give a count from 1 answer
 * and figures from 10; personnel give nothing under 5. */
static void
test_privacy_rule (void)
{
  g_assert_cmpint (kuu_privacy_cell_visibility (KUU_AUDIENCE_RESIDENTS, 0), ==, KUU_CELL_COUNT_ONLY);
  g_assert_cmpint (kuu_privacy_cell_visibility (KUU_AUDIENCE_RESIDENTS, 9), ==, KUU_CELL_COUNT_ONLY);
  g_assert_cmpint (kuu_privacy_cell_visibility (KUU_AUDIENCE_RESIDENTS, 10), ==, KUU_CELL_FULL);
  g_assert_cmpint (kuu_privacy_cell_visibility (KUU_AUDIENCE_PERSONNEL, 1), ==, KUU_CELL_HIDDEN);
  g_assert_cmpint (kuu_privacy_cell_visibility (KUU_AUDIENCE_PERSONNEL, 4), ==, KUU_CELL_HIDDEN);
  g_assert_cmpint (kuu_privacy_cell_visibility (KUU_AUDIENCE_PERSONNEL, 5), ==, KUU_CELL_COUNT_ONLY);
  g_assert_cmpint (kuu_privacy_cell_visibility (KUU_AUDIENCE_PERSONNEL, 9), ==, KUU_CELL_COUNT_ONLY);
  g_assert_cmpint (kuu_privacy_cell_visibility (KUU_AUDIENCE_PERSONNEL, 10), ==, KUU_CELL_FULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/nps/classes", test_nps_classes);
  g_test_add_func ("/nps/known-margin", test_nps_known_margin);
  g_test_add_func ("/nps/large-sample", test_nps_large_sample);
  g_test_add_func ("/nps/extremes", test_nps_extremes);
  g_test_add_func ("/nps/polarised", test_nps_polarised);
  g_test_add_func ("/privacy/rule", test_privacy_rule);

  return g_test_run ();
}
