/* test-personnel-page.c: the staff survey saves an anonymous personnel
 * answer (score and workplace functioning), Send waits for both answers,
 * a device set to personnel offers only the survey — and no figure ever
 * counts one audience's answers with the other's: the index and the 1–5
 * mean per audience, and the thanks page's figure
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "kuu-context.h"
#include "kuu-personnel-page.h"
#include "kuu-stats.h"
#include "kuu-strategy-loader.h"
#include "kuu-test-context.h"
#include "kuu-thanks-page.h"
#include "kuu-welcome-page.h"
#include "widget-text.h"

#define REGION "kymenlaakso"  /* eNPS ≥ +45 and functioning ≥ 4 */

typedef KuuTestContext Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  kuu_test_context_set_up (fixture, REGION, "Testi", TRUE, NULL);
  kuu_context_set_audience (fixture->context, KUU_AUDIENCE_PERSONNEL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  kuu_test_context_tear_down (fixture);
}

/* The @skip + 1st visible button labelled @label, in widget order. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label,
             guint      *skip)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    {
      if (*skip == 0)
        return widget;
      (*skip)--;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label, skip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
button (GtkWidget  *page,
        const char *label,
        guint       nth)
{
  GtkWidget *found = find_button (page, label, &nth);

  if (found == NULL)
    g_error ("no button “%s”", label);
  return found;
}

/* The score's toggles come first (0–10), then functioning's (1–5). */
static void
answer (GtkWidget *page,
        int        score,
        int        functioning)
{
  g_autofree char *score_label = g_strdup_printf ("%d", score);
  g_autofree char *functioning_label = g_strdup_printf ("%d", functioning);

  if (score >= 0)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button (page, score_label, 0)), TRUE);
  if (functioning > 0)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button (page, functioning_label, 1)), TRUE);
}

static void
on_saved_cb (GtkWidget      *page,
             KuuSubmission  *submission,
             KuuSubmission **out)
{
  *out = kuu_submission_copy (submission);
}

static KuuSubmission *
send_and_wait (GtkWidget *page)
{
  KuuSubmission *saved = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_signal_connect (page, "saved", G_CALLBACK (on_saved_cb), &saved);
  g_signal_emit_by_name (button (page, "Send", 0), "clicked");
  while (saved == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (saved);
  return saved;
}

/* The audience's one index row, or zeros when it has no answers. */
static KuuStatsRow
index_of (Fixture     *fixture,
          KuuAudience  audience)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  KuuStatsQuery query;

  kuu_stats_query_init_for (&query, audience);
  rows = kuu_stats_nps (fixture->store, &query, &error);
  g_assert_no_error (error);
  if (rows->len == 0)
    return (KuuStatsRow) { .audience = audience };
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (((KuuStatsRow *)g_ptr_array_index (rows, 0))->audience, ==, audience);
  return (KuuStatsRow) {
    .counts = ((KuuStatsRow *)g_ptr_array_index (rows, 0))->counts,
    .nps = ((KuuStatsRow *)g_ptr_array_index (rows, 0))->nps,
    .audience = audience,
  };
}

/* The answers to the functioning question: count and mean. */
static guint
functioning_of (Fixture     *fixture,
                KuuAudience  audience,
                double      *mean)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  KuuStatsQuery query;
  KuuStatsScaleRow *row;

  kuu_stats_query_init_for (&query, audience);
  rows = kuu_stats_scale (fixture->store, &query, KUU_STATEMENT_FUNCTIONING, &error);
  g_assert_no_error (error);
  if (rows->len == 0 || ((KuuStatsScaleRow *)g_ptr_array_index (rows, 0))->count == 0)
    return 0;
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->audience, ==, audience);
  *mean = row->mean;
  return row->count;
}

static void
test_send_needs_both (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *page = g_object_ref_sink (kuu_personnel_page_new (fixture->context));
  GtkWidget *send = button (page, "Send", 0);
  g_autoptr(GString) labels = g_string_new (NULL);

  collect_labels (page, labels);
  assert_shows (labels->str, kuu_text_get (kuu_strategy_get_personnel_recommend_question (fixture->strategy),
                                           KUU_LANGUAGE_EN));
  assert_shows (labels->str, kuu_text_get (kuu_strategy_get_personnel_functioning_question (fixture->strategy),
                                           KUU_LANGUAGE_EN));
  assert_shows (labels->str, "Answer both questions");
  g_assert_false (gtk_widget_is_sensitive (send));

  answer (page, 9, 0);
  g_assert_false (gtk_widget_is_sensitive (send));
  answer (page, -1, 4);
  g_assert_true (gtk_widget_is_sensitive (send));

  g_string_truncate (labels, 0);
  collect_labels (page, labels);
  g_assert_null (strstr (labels->str, "Answer both questions"));
  g_object_unref (page);
}

/* Only the functioning answered: nothing is saved. */
static void
test_one_answer_saves_nothing (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkWidget *page = g_object_ref_sink (kuu_personnel_page_new (fixture->context));

  answer (page, -1, 5);
  g_signal_emit_by_name (button (page, "Send", 0), "clicked");
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (kuu_store_count (fixture->store, -1, NULL), ==, 0);
  g_object_unref (page);
}

static void
test_saves_personnel_answer (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkWidget *page = g_object_ref_sink (kuu_personnel_page_new (fixture->context));
  g_autoptr(KuuSubmission) saved = NULL;
  const KuuStatementAnswer *functioning;
  KuuStatsRow row;
  double mean = 0;

  answer (page, 3, 0);
  answer (page, 9, 4);  /* a change of mind: the last score counts */
  saved = send_and_wait (page);

  g_assert_cmpint (saved->kind, ==, KUU_SUBMISSION_RECOMMENDATION);
  g_assert_cmpint (saved->audience, ==, KUU_AUDIENCE_PERSONNEL);
  g_assert_cmpint (saved->score, ==, 9);
  g_assert_cmpint (saved->topic_kind, ==, KUU_TOPIC_GOAL);
  g_assert_cmpstr (saved->topic_id, ==, "personnel");
  g_assert_cmpuint (saved->answers->len, ==, 1);
  functioning = &g_array_index (saved->answers, KuuStatementAnswer, 0);
  g_assert_cmpstr (functioning->statement_id, ==, KUU_STATEMENT_FUNCTIONING);
  g_assert_cmpint (functioning->answer, ==, 4);
  g_assert_null (saved->text);
  g_assert_false (kuu_submission_has_contact (saved));
  g_assert_cmpstr (saved->region, ==, REGION);

  /* In the store: the personnel's figures, and none for residents. */
  row = index_of (fixture, KUU_AUDIENCE_PERSONNEL);
  g_assert_cmpuint (row.nps.total, ==, 1);
  g_assert_cmpuint (row.counts.promoters, ==, 1);
  g_assert_cmpuint (index_of (fixture, KUU_AUDIENCE_RESIDENTS).nps.total, ==, 0);
  g_assert_cmpuint (functioning_of (fixture, KUU_AUDIENCE_PERSONNEL, &mean), ==, 1);
  g_assert_cmpfloat (mean, ==, 4.0);
  g_assert_cmpuint (functioning_of (fixture, KUU_AUDIENCE_RESIDENTS, &mean), ==, 0);

  g_object_unref (page);
}

/* Every bundled region's personnel answer is filed under one of its own
 * goals (the server checks the topic against the region). */
static void
test_topic_every_region (void)
{
  static const char * const regions[] = { "kainuu", "keski-suomi", "keski-uusimaa", "kymenlaakso" };

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KuuStrategy) strategy = kuu_strategy_load_region (regions[i], &error);
      KuuTopic *topic;

      g_assert_no_error (error);
      topic = kuu_personnel_page_get_topic (strategy);
      g_assert_nonnull (topic);
      g_assert_true (kuu_strategy_find_topic (strategy, kuu_topic_get_kind (topic),
                                              kuu_topic_get_id (topic)) == topic);
      g_assert_nonnull (kuu_strategy_get_personnel_recommend_question (strategy));
      g_assert_nonnull (kuu_strategy_get_personnel_functioning_question (strategy));
    }
}

static void
test_welcome_offers_survey_only (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkWidget *page = g_object_ref_sink (kuu_welcome_page_new (fixture->context));
  g_autoptr(GString) labels = g_string_new (NULL);
  const char * const residents[] = { "Recommend", "Give feedback", "Make an initiative",
                                     "Initiatives and answers" };

  collect_labels (page, labels);
  assert_shows (labels->str, "Staff survey");
  for (guint i = 0; i < G_N_ELEMENTS (residents); i++)
    if (strstr (labels->str, residents[i]) != NULL)
      g_error ("a personnel device offers “%s”:\n%s", residents[i], labels->str);
  g_object_unref (page);

  /* And a residents' device does not offer the staff survey. */
  kuu_context_set_audience (fixture->context, KUU_AUDIENCE_RESIDENTS);
  page = g_object_ref_sink (kuu_welcome_page_new (fixture->context));
  g_string_truncate (labels, 0);
  collect_labels (page, labels);
  assert_shows (labels->str, "Recommend");
  g_assert_null (strstr (labels->str, "Staff survey"));
  g_object_unref (page);
}

/* n answers of @score (and @functioning) by @audience, on the goal
 * “personnel”, the same topic for both: only the audience tells them
 * apart. */
static KuuSubmission *
add (Fixture     *fixture,
     KuuAudience  audience,
     guint        n,
     int          score,
     int          functioning)
{
  KuuSubmission *last = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;

      g_clear_pointer (&last, kuu_submission_free);
      last = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "personnel", score);
      last->audience = audience;
      kuu_submission_add_answer (last, KUU_STATEMENT_FUNCTIONING, functioning);
      kuu_submission_set_place (last, REGION, "Testi", KUU_LANGUAGE_EN);
      kuu_store_add (fixture->store, last, &error);
      g_assert_no_error (error);
    }
  return last;
}

/* The thanks page reads its figure in a worker thread. */
static char *
thanks_text (Fixture             *fixture,
             const KuuSubmission *submission)
{
  GtkWidget *page = g_object_ref_sink (kuu_thanks_page_new (fixture->context, submission));
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autoptr(GString) labels = g_string_new (NULL);

  while (strstr (labels->str, "Based on") == NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
      g_string_truncate (labels, 0);
      collect_labels (page, labels);
    }
  g_object_unref (page);
  return g_string_free (g_steal_pointer (&labels), FALSE);
}

static void
test_never_mix (Fixture       *fixture,
                gconstpointer  data)
{
  /* Residents all promoters (+100), personnel all detractors (−100). */
  g_autoptr(KuuSubmission) resident = add (fixture, KUU_AUDIENCE_RESIDENTS, 15, 10, 5);
  g_autoptr(KuuSubmission) staff = add (fixture, KUU_AUDIENCE_PERSONNEL, 12, 2, 2);
  g_autofree char *resident_thanks = NULL;
  g_autofree char *staff_thanks = NULL;
  KuuNps nps;
  double mean = 0;

  nps = index_of (fixture, KUU_AUDIENCE_RESIDENTS).nps;
  g_assert_cmpuint (nps.total, ==, 15);
  g_assert_cmpfloat (nps.index, ==, 100.0);
  nps = index_of (fixture, KUU_AUDIENCE_PERSONNEL).nps;
  g_assert_cmpuint (nps.total, ==, 12);
  g_assert_cmpfloat (nps.index, ==, -100.0);
  g_assert_cmpuint (functioning_of (fixture, KUU_AUDIENCE_RESIDENTS, &mean), ==, 15);
  g_assert_cmpfloat (mean, ==, 5.0);
  g_assert_cmpuint (functioning_of (fixture, KUU_AUDIENCE_PERSONNEL, &mean), ==, 12);
  g_assert_cmpfloat (mean, ==, 2.0);

  /* The same topic's figure, as each audience's thanks shows it. */
  resident_thanks = thanks_text (fixture, resident);
  assert_shows (resident_thanks, "+100\n");
  assert_shows (resident_thanks, "Based on 15 answers");
  g_assert_null (strstr (resident_thanks, "−100"));
  g_assert_null (strstr (resident_thanks, "eNPS"));
  g_assert_null (strstr (resident_thanks, "12 answers"));

  staff_thanks = thanks_text (fixture, staff);
  assert_shows (staff_thanks, "Staff recommendation index (eNPS) now");
  assert_shows (staff_thanks, "−100\n");
  assert_shows (staff_thanks, "Based on 12 answers");
  assert_shows (staff_thanks, "Target: Staff recommendation index (eNPS) at least +45. The target is not met yet.");
  assert_shows (staff_thanks, "staff members’ answers");
  g_assert_null (strstr (staff_thanks, "+100"));
  g_assert_null (strstr (staff_thanks, "15 answers"));
  g_assert_null (strstr (staff_thanks, "residents’ answers"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/personnel/send-needs-both", Fixture, NULL,
              fixture_set_up, test_send_needs_both, fixture_tear_down);
  g_test_add ("/personnel/one-answer-saves-nothing", Fixture, NULL,
              fixture_set_up, test_one_answer_saves_nothing, fixture_tear_down);
  g_test_add ("/personnel/saves-personnel-answer", Fixture, NULL,
              fixture_set_up, test_saves_personnel_answer, fixture_tear_down);
  g_test_add_func ("/personnel/topic-every-region", test_topic_every_region);
  g_test_add ("/personnel/welcome-offers-survey-only", Fixture, NULL,
              fixture_set_up, test_welcome_offers_survey_only, fixture_tear_down);
  g_test_add ("/personnel/never-mix", Fixture, NULL,
              fixture_set_up, test_never_mix, fixture_tear_down);

  return g_test_run ();
}
