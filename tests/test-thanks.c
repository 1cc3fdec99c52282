/* test-thanks.c: the thank-you page shows the goal's index, its target and
 * how many answers it rests on — but only from 10 answers on — and an
 * initiative's reference code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "kuu-context.h"
#include "kuu-test-context.h"
#include "kuu-thanks-page.h"
#include "widget-text.h"

#define GOAL "tyytyvaiset-asukkaat"  /* Keski-Uusimaa's, with the target above 60 */

typedef KuuTestContext Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  kuu_test_context_set_up (fixture, "keski-uusimaa", "Testi", TRUE, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  kuu_test_context_tear_down (fixture);
}

static KuuSubmission *
add_scores (Fixture   *fixture,
            const int *scores,
            guint      n)
{
  KuuSubmission *last = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;

      g_clear_pointer (&last, kuu_submission_free);
      last = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, GOAL, scores[i]);
      kuu_submission_set_place (last, "keski-uusimaa", "Testi", KUU_LANGUAGE_EN);
      kuu_store_add (fixture->store, last, &error);
      g_assert_no_error (error);
    }
  return last;
}

/* The page reads the index in a worker thread: wait for it to show. */
static char *
wait_for_text (GtkWidget  *page,
               const char *text)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GString) labels = g_string_new (NULL);

      collect_labels (page, labels);
      if (strstr (labels->str, text) != NULL || g_get_monotonic_time () > deadline)
        return g_string_free (g_steal_pointer (&labels), FALSE);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

static void
test_result_with_target (Fixture       *fixture,
                         gconstpointer  data)
{
  /* 9 promoters, 2 passives, 1 detractor: 75 % − 8.3 % = +67 */
  const int scores[] = { 10, 9, 10, 10, 9, 9, 10, 10, 9, 8, 7, 3 };
  g_autoptr(KuuSubmission) last = add_scores (fixture, scores, G_N_ELEMENTS (scores));
  GtkWidget *page = g_object_ref_sink (kuu_thanks_page_new (fixture->context, last));
  g_autofree char *labels = wait_for_text (page, "Based on");

  assert_shows (labels, "Thank you!");
  assert_shows (labels, "+67\n");
  assert_shows (labels, "Based on 12 answers, margin of error ±");
  assert_shows (labels, "Target: Recommendation index above 60. The target is met.");
  g_object_unref (page);
}

static void
test_result_below_target (Fixture       *fixture,
                          gconstpointer  data)
{
  /* 6 promoters, 2 passives, 2 detractors: +40, not above 60 */
  const int scores[] = { 10, 10, 9, 9, 9, 10, 7, 8, 0, 5 };
  g_autoptr(KuuSubmission) last = add_scores (fixture, scores, G_N_ELEMENTS (scores));
  GtkWidget *page = g_object_ref_sink (kuu_thanks_page_new (fixture->context, last));
  g_autofree char *labels = wait_for_text (page, "Based on");

  assert_shows (labels, "+40\n");
  assert_shows (labels, "Based on 10 answers");
  assert_shows (labels, "The target is not met yet.");
  g_object_unref (page);
}

/* With a handful of answers, the index would tell the next person what
 * the previous ones gave. */
static void
test_too_few_answers (Fixture       *fixture,
                      gconstpointer  data)
{
  const int scores[] = { 0, 10, 10 };
  g_autoptr(KuuSubmission) last = add_scores (fixture, scores, G_N_ELEMENTS (scores));
  GtkWidget *page = g_object_ref_sink (kuu_thanks_page_new (fixture->context, last));
  g_autofree char *labels = wait_for_text (page, "at least 10 answers");

  assert_shows (labels, "The result is shown once there are at least 10 answers.");
  g_assert_null (strstr (labels, "Based on"));
  g_assert_null (strstr (labels, "+33"));
  g_object_unref (page);
}

/* The edge of the small-group rule (kuu-privacy.h): nine answers show
 * no index and not their count; the tenth shows it all (above). */
static void
test_nine_answers (Fixture       *fixture,
                   gconstpointer  data)
{
  const int scores[] = { 10, 10, 9, 9, 9, 10, 7, 8, 0 };
  g_autoptr(KuuSubmission) last = add_scores (fixture, scores, G_N_ELEMENTS (scores));
  GtkWidget *page = g_object_ref_sink (kuu_thanks_page_new (fixture->context, last));
  g_autofree char *labels = wait_for_text (page, "at least 10 answers");

  assert_shows (labels, "The result is shown once there are at least 10 answers.");
  g_assert_null (strstr (labels, "Based on"));
  g_assert_null (strstr (labels, "9 answers"));
  g_assert_null (strstr (labels, "+44"));
  g_assert_null (strstr (labels, "The target is"));
  g_object_unref (page);
}

static void
test_initiative_reference (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(KuuSubmission) initiative =
    kuu_submission_new_initiative ("Otsikko", "Teksti", "tuusula", KUU_CHANNEL_KIOSK);
  g_autofree char *code = kuu_submission_get_reference (initiative);
  g_autofree char *upper = g_ascii_strup (initiative->uuid, 9);
  GtkWidget *page = g_object_ref_sink (kuu_thanks_page_new (fixture->context, initiative));
  g_autoptr(GString) labels = g_string_new (NULL);

  /* The code is the UUID's first eight hex digits, as 4 + 4 */
  g_assert_cmpuint (strlen (code), ==, 9);
  g_assert_true (strncmp (code, upper, 4) == 0);
  g_assert_true (strncmp (code + 5, upper + 4, 4) == 0);
  collect_labels (page, labels);
  assert_shows (labels->str, code);
  assert_shows (labels->str, "within a month");
  g_object_unref (page);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/thanks/result-with-target", Fixture, NULL,
              fixture_set_up, test_result_with_target, fixture_tear_down);
  g_test_add ("/thanks/result-below-target", Fixture, NULL,
              fixture_set_up, test_result_below_target, fixture_tear_down);
  g_test_add ("/thanks/too-few-answers", Fixture, NULL,
              fixture_set_up, test_too_few_answers, fixture_tear_down);
  g_test_add ("/thanks/nine-answers", Fixture, NULL,
              fixture_set_up, test_nine_answers, fixture_tear_down);
  g_test_add ("/thanks/initiative-reference", Fixture, NULL,
              fixture_set_up, test_initiative_reference, fixture_tear_down);

  return g_test_run ();
}
