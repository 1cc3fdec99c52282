/* test-dashboard.c: the results tab shows the figures of the answers in
 * the store — each goal's and service area's index, answers and margin,
 * and the 0–10 distribution — as counted here by hand over the same
 * seeded answers, residents' and personnel's never mixed; hiding a
 * feedback text is kept in the store; and a screenshot of each region.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "kuu-context.h"
#include "kuu-dashboard-page.h"
#include "kuu-distribution-chart.h"
#include "kuu-feedback-list.h"
#include "kuu-i18n.h"
#include "kuu-trend-chart.h"
#include <locale.h>
#include <glib/gi18n.h>
#include "kuu-store-private.h"
#include "kuu-strategy-loader.h"
#include "widget-text.h"
#include "kuu-test-tree.h"

#define N_ANSWERS 4000
#define N_FEEDBACK 40
#define Z_95 1.959963984540054

typedef struct
{
  KuuAudience  audience;
  const char  *kind;     /* "goal" or "service_area" */
  const char  *topic;
  const char  *unit;
  gint64       when;
  int          score;
  int          functioning;  /* 0: not answered */
} Seeded;

typedef struct
{
  char        *dir;
  KuuStore    *store;
  KuuContext  *context;
  KuuStrategy *strategy;
  GPtrArray   *topic_kinds;  /* const char * */
  GPtrArray   *topic_ids;    /* char * */
  Seeded       seeded[N_ANSWERS];
  char        *feedback_uuids[N_FEEDBACK];
  GtkWidget   *window;
  GtkWidget   *page;
} Fixture;

static const char * const units[] = { "Keskusta", "Pohjoinen", "Etelä", "Itä" };

static void
seed (Fixture    *fixture,
      const char *region)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_submission_free);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint n_topics;
  GListModel *models[2];

  models[0] = kuu_strategy_get_goals (fixture->strategy);
  models[1] = kuu_strategy_get_service_areas (fixture->strategy);
  for (guint m = 0; m < 2; m++)
    for (guint i = 0; i < g_list_model_get_n_items (models[m]); i++)
      {
        g_autoptr(KuuTopic) topic = g_list_model_get_item (models[m], i);

        g_ptr_array_add (fixture->topic_kinds, (gpointer)(m == 0 ? "goal" : "service_area"));
        g_ptr_array_add (fixture->topic_ids, g_strdup (kuu_topic_get_id (topic)));
      }
  n_topics = fixture->topic_ids->len;
  g_assert_cmpuint (n_topics, >=, 3);

  for (guint i = 0; i < N_ANSWERS; i++)
    {
      Seeded *s = &fixture->seeded[i];
      KuuSubmission *submission;
      /* The last topic gets only a handful: too few for a reliable index. */
      guint topic = i < 6 ? n_topics - 1 : (guint)g_rand_int_range (rand, 0, n_topics - 1);
      /* Each topic leans its own way, so that the figures differ. */
      int lean = (int)(topic % 4) - 1;

      s->audience = g_rand_int_range (rand, 0, 4) == 0 ? KUU_AUDIENCE_PERSONNEL : KUU_AUDIENCE_RESIDENTS;
      s->kind = g_ptr_array_index (fixture->topic_kinds, topic);
      s->topic = g_ptr_array_index (fixture->topic_ids, topic);
      s->unit = units[g_rand_int_range (rand, 0, G_N_ELEMENTS (units))];
      /* within the last 300 days: all inside the last 12 months */
      s->when = now - g_rand_int_range (rand, 60, 300 * 86400);
      /* not inside CLAMP (): it would draw more than once */
      s->score = g_rand_int_range (rand, 4, 12) + lean + (s->audience == KUU_AUDIENCE_PERSONNEL ? -1 : 0);
      s->score = CLAMP (s->score, 0, 10);
      s->functioning = s->audience == KUU_AUDIENCE_PERSONNEL ? g_rand_int_range (rand, 0, 6) : 0;

      submission = kuu_submission_new_recommendation (g_str_equal (s->kind, "goal") ? KUU_TOPIC_GOAL : KUU_TOPIC_SERVICE_AREA,
                                                      s->topic, s->score);
      kuu_submission_set_place (submission, region, s->unit, KUU_LANGUAGE_FI);
      submission->audience = s->audience;
      submission->created_at = s->when;
      if (s->functioning > 0)
        kuu_submission_add_answer (submission, KUU_STATEMENT_FUNCTIONING, s->functioning);
      g_ptr_array_add (all, submission);
    }

  for (guint i = 0; i < N_FEEDBACK; i++)
    {
      g_autofree char *text = g_strdup_printf ("Palaute %u: %s", i,
                                               i % 3 ? "Ystävällinen vastaanotto ja lyhyt jonotus."
                                                     : "Ajanvaraus oli vaikea löytää verkosta.");
      KuuSubmission *submission = kuu_submission_new_feedback (text);

      kuu_submission_set_place (submission, region, units[i % G_N_ELEMENTS (units)], KUU_LANGUAGE_FI);
      submission->audience = i % 5 == 4 ? KUU_AUDIENCE_PERSONNEL : KUU_AUDIENCE_RESIDENTS;
      submission->created_at = now - 3600 * (gint64)(i * 7 % N_FEEDBACK + 1);
      fixture->feedback_uuids[i] = g_strdup (submission->uuid);
      g_ptr_array_add (all, submission);
    }

  _kuu_store_add_all (fixture->store, all, &error);
  g_assert_no_error (error);
}

static void
set_up_region (Fixture    *fixture,
               const char *region)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->strategy = kuu_strategy_load_region (region, &error);
  g_assert_no_error (error);
  fixture->dir = g_dir_make_tmp ("kuulolla-dashboard-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "kiosk.db", NULL);
  fixture->store = kuu_store_open (path, &error);
  g_assert_no_error (error);
  fixture->context = kuu_context_new (fixture->strategy, fixture->store, NULL, "Keskusta", FALSE);
  kuu_context_set_language (fixture->context, KUU_LANGUAGE_EN);
  fixture->topic_kinds = g_ptr_array_new ();
  fixture->topic_ids = g_ptr_array_new_with_free_func (g_free);
  seed (fixture, region);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  /* let the page's threads finish before the store goes */
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&fixture->context);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->strategy);
  g_clear_pointer (&fixture->topic_kinds, g_ptr_array_unref);
  g_clear_pointer (&fixture->topic_ids, g_ptr_array_unref);
  for (guint i = 0; i < N_FEEDBACK; i++)
    g_free (fixture->feedback_uuids[i]);
  if (fixture->dir != NULL)
    kuu_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
show_page (Fixture *fixture,
           int      height)
{
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, height);
  fixture->page = kuu_dashboard_page_new (fixture->context);
  gtk_window_set_child (GTK_WINDOW (fixture->window), fixture->page);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

/* Reads run in a worker thread: iterate until the page says it shows them. */
static void
wait_loaded (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!kuu_dashboard_page_get_loaded (KUU_DASHBOARD_PAGE (fixture->page)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  /* and let it lay out and draw */
  for (int i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static char *
labels_of (GtkWidget *widget)
{
  GString *labels = g_string_new (NULL);

  collect_labels (widget, labels);
  return g_string_free (labels, FALSE);
}

/* --- the independent count --------------------------------------------------- */

typedef struct
{
  guint scores[11];
  guint n;
} Count;

static void
count_add (Count *count,
           int    score)
{
  count->scores[score]++;
  count->n++;
}

/* As the page words it: “+34 from 412 answers, ±4.1”; under the
 * small-group rule only the count below 10 answers, and nothing of
 * personnel's below 5. */
static char *
expected_text (const Count *count,
               KuuAudience  audience)
{
  guint promoters = count->scores[9] + count->scores[10];
  guint detractors = 0;
  double n = count->n, p, d;
  long index;
  GString *text;

  if (audience == KUU_AUDIENCE_PERSONNEL && count->n < 5)
    return g_strdup ("Fewer than 5 answers: not shown, so that nobody can be recognised");
  if (count->n == 0)
    return g_strdup ("No answers");
  if (count->n < 10)
    return g_strdup_printf ("%u answer%s — an index is shown from 10 answers",
                            count->n, count->n == 1 ? "" : "s");
  for (int s = 0; s <= 6; s++)
    detractors += count->scores[s];
  p = promoters / n;
  d = detractors / n;
  index = lround ((p - d) * 100.0);
  text = g_string_new (NULL);
  if (index > 0)
    g_string_append_printf (text, "+%ld", index);
  else if (index < 0)
    g_string_append_printf (text, "−%ld", -index);
  else
    g_string_append (text, "0");
  g_string_append_printf (text, " from %u answers", count->n);
  g_string_append_printf (text, ", ±%.1f",
                          Z_95 * sqrt ((p + d - (p - d) * (p - d)) * n / (n - 1) / n) * 100.0);
  return g_string_free (text, FALSE);
}

static Count
count_since (Fixture     *fixture,
             KuuAudience  audience,
             const char  *topic,
             gint64       since)
{
  Count count = { { 0 }, 0 };

  for (guint i = 0; i < N_ANSWERS; i++)
    if (fixture->seeded[i].audience == audience && fixture->seeded[i].when >= since &&
        (topic == NULL || g_str_equal (fixture->seeded[i].topic, topic)))
      count_add (&count, fixture->seeded[i].score);
  return count;
}

static Count
count_of (Fixture     *fixture,
          KuuAudience  audience,
          const char  *topic)
{
  return count_since (fixture, audience, topic, 0);
}

static const char *
title_of (Fixture *fixture,
          guint    i)
{
  KuuTopic *topic = kuu_strategy_find_topic (fixture->strategy,
                                             g_str_equal (fixture->topic_kinds->pdata[i], "goal")
                                             ? KUU_TOPIC_GOAL : KUU_TOPIC_SERVICE_AREA,
                                             fixture->topic_ids->pdata[i]);

  return kuu_text_get (kuu_topic_get_title (topic), KUU_LANGUAGE_EN);
}

static KuuDistributionChart *
find_chart (GtkWidget *widget)
{
  if (KUU_IS_DISTRIBUTION_CHART (widget))
    return KUU_DISTRIBUTION_CHART (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      KuuDistributionChart *found = find_chart (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
assert_figures (Fixture     *fixture,
                KuuAudience  audience)
{
  KuuAudience other = audience == KUU_AUDIENCE_RESIDENTS ? KUU_AUDIENCE_PERSONNEL : KUU_AUDIENCE_RESIDENTS;
  g_autofree char *labels = labels_of (fixture->page);
  KuuDistributionChart *chart = find_chart (fixture->page);
  Count all = count_of (fixture, audience, NULL);
  Count not_this = count_of (fixture, other, NULL);
  g_autofree char *all_text = expected_text (&all, audience);
  g_autofree char *other_text = expected_text (&not_this, other);
  g_autofree char *all_line = g_strdup_printf ("%s\n%s\n",
                                               audience == KUU_AUDIENCE_RESIDENTS ? "All goals and service areas"
                                                                                  : "All personnel answers (eNPS)",
                                               all_text);
  g_autoptr(GString) per_score = g_string_new ("Answers per score:");
  guint unreliable = 0;

  assert_shows (labels, all_line);
  /* The other audience's figure is nowhere, nor the two counted together. */
  g_assert_null (strstr (labels, other_text));
  {
    Count both = all;
    g_autofree char *both_text = NULL;

    for (int s = 0; s <= 10; s++)
      both.scores[s] += not_this.scores[s];
    both.n += not_this.n;
    both_text = expected_text (&both, audience);
    g_assert_null (strstr (labels, both_text));
  }

  for (guint i = 0; i < fixture->topic_ids->len; i++)
    {
      Count count = count_of (fixture, audience, fixture->topic_ids->pdata[i]);
      g_autofree char *text = expected_text (&count, audience);
      g_autofree char *line = g_strdup_printf ("%s\n%s\n", title_of (fixture, i), text);

      /* Personnel answer about their workplace: no row per resident goal. */
      if (audience == KUU_AUDIENCE_PERSONNEL)
        {
          g_assert_null (strstr (labels, line));
          continue;
        }
      assert_shows (labels, line);
      unreliable += count.n > 0 && count.n < 10;
    }
  /* the seeded handful in the last topic */
  if (audience == KUU_AUDIENCE_RESIDENTS)
    g_assert_cmpuint (unreliable, >=, 1);

  /* the distribution: drawn and written, score by score */
  g_assert_nonnull (chart);
  for (guint s = 0; s <= 10; s++)
    {
      g_assert_cmpuint (kuu_distribution_chart_get_count (chart, s), ==, all.scores[s]);
      g_string_append_printf (per_score, "%s%u: %u", s == 0 ? " " : " · ", s, all.scores[s]);
    }
  assert_shows (labels, per_score->str);
}

/* --- tests ------------------------------------------------------------------ */

static void
test_figures (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *labels = NULL;

  set_up_region (fixture, "keski-uusimaa");
  show_page (fixture, 1000);
  kuu_dashboard_page_set_by_month (KUU_DASHBOARD_PAGE (fixture->page), TRUE);
  wait_loaded (fixture);
  assert_figures (fixture, KUU_AUDIENCE_RESIDENTS);

  /* Keski-Uusimaa's target for its first goal, judged by hand. */
  {
    Count count = count_of (fixture, KUU_AUDIENCE_RESIDENTS, "tyytyvaiset-asukkaat");
    double index = 100.0 * ((double)count.scores[9] + count.scores[10]) / count.n
                   - 100.0 * (count.scores[0] + count.scores[1] + count.scores[2] + count.scores[3] +
                              count.scores[4] + count.scores[5] + count.scores[6]) / count.n;

    labels = labels_of (fixture->page);
    assert_shows (labels, index > 60 ? "Target: Recommendation index above 60 — met"
                                     : "Target: Recommendation index above 60 — not met");
    g_clear_pointer (&labels, g_free);
  }

  kuu_dashboard_page_set_audience (KUU_DASHBOARD_PAGE (fixture->page), KUU_AUDIENCE_PERSONNEL);
  wait_loaded (fixture);
  assert_figures (fixture, KUU_AUDIENCE_PERSONNEL);

  /* workplace functioning, personnel only */
  {
    guint n = 0, sum = 0, agree = 0;
    g_autofree char *text = NULL;

    for (guint i = 0; i < N_ANSWERS; i++)
      if (fixture->seeded[i].functioning > 0)
        {
          g_assert_cmpint (fixture->seeded[i].audience, ==, KUU_AUDIENCE_PERSONNEL);
          n++;
          sum += fixture->seeded[i].functioning;
          agree += fixture->seeded[i].functioning >= 4;
        }
    text = g_strdup_printf ("Workplace functioning (1–5)\nMean %.2f from %u answers; %.0f%% answered 4 or 5\n",
                            (double)sum / n, n, 100.0 * agree / n);
    labels = labels_of (fixture->page);
    assert_shows (labels, text);
    g_clear_pointer (&labels, g_free);
  }

  /* The last four weeks: from Monday three weeks before this week's. */
  kuu_dashboard_page_set_audience (KUU_DASHBOARD_PAGE (fixture->page), KUU_AUDIENCE_RESIDENTS);
  kuu_dashboard_page_set_by_month (KUU_DASHBOARD_PAGE (fixture->page), FALSE);
  wait_loaded (fixture);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                           g_date_time_get_day_of_month (now), 0, 0, 0);
    g_autoptr(GDateTime) first = g_date_time_add_days (midnight, -(g_date_time_get_day_of_week (now) - 1) - 21);
    gint64 since = g_date_time_to_unix (first);
    Count all = count_since (fixture, KUU_AUDIENCE_RESIDENTS, NULL, since);
    g_autofree char *all_text = expected_text (&all, KUU_AUDIENCE_RESIDENTS);
    g_autofree char *all_line = g_strdup_printf ("All goals and service areas\n%s\n", all_text);

    labels = labels_of (fixture->page);
    g_assert_cmpuint (all.n, >, 50);
    assert_shows (labels, all_line);
    for (guint i = 0; i < fixture->topic_ids->len; i++)
      {
        Count count = count_since (fixture, KUU_AUDIENCE_RESIDENTS, fixture->topic_ids->pdata[i], since);
        g_autofree char *text = expected_text (&count, KUU_AUDIENCE_RESIDENTS);
        g_autofree char *line = g_strdup_printf ("%s\n%s\n", title_of (fixture, i), text);

        assert_shows (labels, line);
      }
  }
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_hide_feedback (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *labels = NULL;
  GtkWidget *button;
  gint64 deadline;

  set_up_region (fixture, "kymenlaakso");
  show_page (fixture, 1000);
  wait_loaded (fixture);

  /* The newest resident text is first, and none is hidden yet. */
  items = kuu_feedback_list (fixture->store, KUU_AUDIENCE_RESIDENTS, NULL, 0, &error);
  g_assert_no_error (error);
  labels = labels_of (fixture->page);
  g_assert_null (strstr (labels, "Hidden from public displays"));
  g_assert_null (find_button (fixture->page, "Show again"));
  assert_shows (labels, ((KuuFeedbackItem *)items->pdata[0])->text);
  g_assert_true (strstr (labels, ((KuuFeedbackItem *)items->pdata[0])->text) <
                 strstr (labels, ((KuuFeedbackItem *)items->pdata[1])->text));
  /* personnel's texts are not among residents' */
  for (guint i = 4; i < N_FEEDBACK; i += 5)
    {
      g_autofree char *prefix = g_strdup_printf ("Palaute %u:", i);

      g_assert_null (strstr (labels, prefix));
    }

  button = find_button (fixture->page, "Hide");
  g_assert_nonnull (button);
  /* The bound is for the hiding alone: loading a thousand answers took
   * longer than 30 s in a sanitized build on a busy machine. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_signal_emit_by_name (button, "clicked");
  while (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), "Show again") != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_clear_pointer (&labels, g_free);
  labels = labels_of (fixture->page);
  assert_shows (labels, "Hidden from public displays");

  /* kept in the store: the first (newest) text is the hidden one */
  g_clear_pointer (&items, g_ptr_array_unref);
  items = kuu_feedback_list (fixture->store, KUU_AUDIENCE_RESIDENTS, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_true (((KuuFeedbackItem *)items->pdata[0])->hidden);
  for (guint i = 1; i < items->len; i++)
    g_assert_false (((KuuFeedbackItem *)items->pdata[i])->hidden);
}

/* --- the small-group rule ------------------------------------------------------ */

static void
set_up_empty (Fixture    *fixture,
              const char *region)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->strategy = kuu_strategy_load_region (region, &error);
  g_assert_no_error (error);
  fixture->dir = g_dir_make_tmp ("kuulolla-dashboard-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "kiosk.db", NULL);
  fixture->store = kuu_store_open (path, &error);
  g_assert_no_error (error);
  fixture->context = kuu_context_new (fixture->strategy, fixture->store, NULL, "Keskusta", FALSE);
  kuu_context_set_language (fixture->context, KUU_LANGUAGE_EN);
  fixture->topic_kinds = g_ptr_array_new ();
  fixture->topic_ids = g_ptr_array_new_with_free_func (g_free);
}

static void
add_answers (Fixture     *fixture,
             KuuAudience  audience,
             const char  *goal,
             guint        n,
             int          score)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_submission_free);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      KuuSubmission *submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, goal, score);

      kuu_submission_set_place (submission, kuu_strategy_get_id (fixture->strategy), "Keskusta", KUU_LANGUAGE_FI);
      submission->audience = audience;
      if (audience == KUU_AUDIENCE_PERSONNEL)
        kuu_submission_add_answer (submission, KUU_STATEMENT_FUNCTIONING, 4);
      g_ptr_array_add (all, submission);
    }
  _kuu_store_add_all (fixture->store, all, &error);
  g_assert_no_error (error);
}

static void
reload (Fixture     *fixture,
        KuuAudience  audience)
{
  KuuDashboardPage *page = KUU_DASHBOARD_PAGE (fixture->page);

  kuu_dashboard_page_set_audience (page, audience == KUU_AUDIENCE_RESIDENTS ? KUU_AUDIENCE_PERSONNEL
                                                                            : KUU_AUDIENCE_RESIDENTS);
  wait_loaded (fixture);
  kuu_dashboard_page_set_audience (page, audience);
  wait_loaded (fixture);
}

/* The edges of kuu-privacy.h on the device's own figures: 9 residents'
 * answers give their count and no index, no distribution, no target
 * verdict; 10 give it all. 4 personnel answers give nothing, not even
 * the count; 5 give the count. */
static void
test_small_groups (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *small = "tyytyvaiset-asukkaat";  /* with Keski-Uusimaa's target */
  g_autoptr(KuuTopic) other_topic = NULL;
  g_autofree char *labels = NULL;
  g_autofree char *small_line = NULL;
  g_autofree char *full_line = NULL;
  KuuTopic *small_topic;
  const char *other;
  GListModel *goals;
  KuuDistributionChart *chart;

  set_up_empty (fixture, "keski-uusimaa");
  goals = kuu_strategy_get_goals (fixture->strategy);
  other_topic = g_list_model_get_item (goals, 0);
  if (g_str_equal (kuu_topic_get_id (other_topic), small))
    {
      g_clear_object (&other_topic);
      other_topic = g_list_model_get_item (goals, 1);
    }
  other = kuu_topic_get_id (other_topic);
  small_topic = kuu_strategy_find_topic (fixture->strategy, KUU_TOPIC_GOAL, small);
  g_assert_nonnull (small_topic);
  add_answers (fixture, KUU_AUDIENCE_RESIDENTS, small, 9, 10);
  add_answers (fixture, KUU_AUDIENCE_RESIDENTS, other, 10, 10);
  add_answers (fixture, KUU_AUDIENCE_PERSONNEL, small, 4, 3);

  show_page (fixture, 1000);
  kuu_dashboard_page_set_topic (KUU_DASHBOARD_PAGE (fixture->page), KUU_TOPIC_GOAL, small);
  wait_loaded (fixture);
  labels = labels_of (fixture->page);
  small_line = g_strdup_printf ("%s\n9 answers — an index is shown from 10 answers\n"
                                "Target: Recommendation index above 60 — judged from 10 answers\n",
                                kuu_text_get (kuu_topic_get_title (small_topic), KUU_LANGUAGE_EN));
  full_line = g_strdup_printf ("%s\n+100 from 10 answers, ±0.0\n",
                               kuu_text_get (kuu_topic_get_title (other_topic), KUU_LANGUAGE_EN));
  assert_shows (labels, small_line);
  assert_shows (labels, full_line);
  assert_shows (labels, "All goals and service areas\n+100 from 19 answers");
  /* the nine: no index, no shares, no counts per score, no bars */
  g_assert_null (strstr (labels, "from 9 answers"));
  g_assert_null (strstr (labels, "Promoters 100"));
  g_assert_null (strstr (labels, "Answers per score"));
  g_assert_null (strstr (labels, "— met"));
  chart = find_chart (fixture->page);
  for (guint s = 0; s <= 10; s++)
    g_assert_cmpuint (kuu_distribution_chart_get_count (chart, s), ==, 0);

  /* the tenth: all of it */
  add_answers (fixture, KUU_AUDIENCE_RESIDENTS, small, 1, 10);
  reload (fixture, KUU_AUDIENCE_RESIDENTS);
  g_clear_pointer (&labels, g_free);
  labels = labels_of (fixture->page);
  assert_shows (labels, "Target: Recommendation index above 60 — met");
  assert_shows (labels, "Answers per score: 0: 0");
  g_assert_cmpuint (kuu_distribution_chart_get_count (chart, 10), ==, 10);

  /* four personnel: not even their count, anywhere on the page */
  reload (fixture, KUU_AUDIENCE_PERSONNEL);
  g_clear_pointer (&labels, g_free);
  labels = labels_of (fixture->page);
  assert_shows (labels, "All personnel answers (eNPS)\nFewer than 5 answers: not shown, so that nobody can be recognised\n");
  assert_shows (labels, "Workplace functioning (1–5)\nFewer than 5 answers: not shown");
  /* personnel's figures are over every topic: no goal to choose */
  assert_shows (labels, "Distribution of the answers 0–10: all personnel answers\n");
  g_assert_null (strstr (labels, "4 answers"));
  g_assert_null (strstr (labels, "Mean"));
  g_assert_null (strstr (labels, "−100"));
  for (guint s = 0; s <= 10; s++)
    g_assert_cmpuint (kuu_distribution_chart_get_count (chart, s), ==, 0);

  /* the fifth: the count, still no figure */
  add_answers (fixture, KUU_AUDIENCE_PERSONNEL, small, 1, 3);
  reload (fixture, KUU_AUDIENCE_PERSONNEL);
  g_clear_pointer (&labels, g_free);
  labels = labels_of (fixture->page);
  assert_shows (labels, "All personnel answers (eNPS)\n5 answers — an index is shown from 10 answers\n");
  assert_shows (labels, "Workplace functioning (1–5)\n5 answers — an index is shown from 10 answers\n");
  g_assert_null (strstr (labels, "Mean"));
  g_assert_null (strstr (labels, "−100"));
}

/* --- screenshots ------------------------------------------------------------- */

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *dir = g_build_filename (builddir ? builddir : ".", "..", "screenshots", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* --- the charts' labels ------------------------------------------------------- */

/* The group names under the distribution, in Finnish (“Passiiviset
 * 7–8Suosittelijat 9–10” ran together at 1280 px): no two overlap, each
 * stays inside the chart, at the width the dashboard gives the chart at
 * 1280 px and at a narrow one. */
static void
check_distribution_labels (Fixture *fixture,
                           int      window_width)
{
  GtkWidget *chart = kuu_distribution_chart_new ();
  const guint scores[11] = { 1, 0, 2, 10, 17, 24, 21, 19, 25, 29, 57 };
  graphene_rect_t boxes[3];
  g_autofree char *name = g_strdup_printf ("distribution-labels-fi-%d.png", window_width);
  int width;

  kuu_distribution_chart_set_scores (KUU_DISTRIBUTION_CHART (chart), scores);
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), window_width, 300);
  gtk_window_set_child (GTK_WINDOW (fixture->window), chart);
  gtk_window_present (GTK_WINDOW (fixture->window));
  while (gtk_widget_get_width (chart) < window_width - 20)
    g_main_context_iteration (NULL, TRUE);
  width = gtk_widget_get_width (chart);

  for (guint g = 0; g < 3; g++)
    {
      kuu_distribution_chart_get_group_label_box (KUU_DISTRIBUTION_CHART (chart), g, &boxes[g]);
      g_test_message ("%d px, group %u: x %.0f…%.0f, y %.0f…%.0f", width, g, boxes[g].origin.x,
                      boxes[g].origin.x + boxes[g].size.width, boxes[g].origin.y,
                      boxes[g].origin.y + boxes[g].size.height);
      g_assert_cmpfloat (boxes[g].size.width, >, 10);
      g_assert_cmpfloat (boxes[g].origin.x, >=, 0);
      g_assert_cmpfloat (boxes[g].origin.x + boxes[g].size.width, <=, width);
      g_assert_cmpfloat (boxes[g].origin.y + boxes[g].size.height, <=, gtk_widget_get_height (chart));
    }
  for (guint a = 0; a < 3; a++)
    for (guint b = a + 1; b < 3; b++)
      g_assert_false (graphene_rect_intersection (&boxes[a], &boxes[b], NULL));
  save_screenshot (fixture->window, name);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
}

static void
test_distribution_labels (Fixture       *fixture,
                          gconstpointer  data)
{
  kuu_i18n_use_language (KUU_LANGUAGE_FI);
  /* the chart's width on the Results tab in a 1280 px window, then narrow */
  check_distribution_labels (fixture, 622);
  check_distribution_labels (fixture, 400);
  kuu_i18n_use_language (KUU_LANGUAGE_EN);
}

/* The target's label is written on its dashed line, but never over a
 * point or its value: here the last point lies on the target, where the
 * label was drawn before. */
static void
test_trend_target_label (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *chart = kuu_trend_chart_new ();
  KuuTrendChart *trend = KUU_TREND_CHART (chart);
  graphene_rect_t label, point;
  const double values[] = { 20, 35, NAN, 48, 61, 60 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    kuu_trend_chart_add_point (trend, "Vk 1", values[i], 40);
  kuu_trend_chart_set_target (trend, 60, "Suositteluindeksi yli 60");
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 560, 260);
  gtk_window_set_child (GTK_WINDOW (fixture->window), chart);
  gtk_window_present (GTK_WINDOW (fixture->window));
  while (gtk_widget_get_width (chart) < 100)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (kuu_trend_chart_get_target_label_box (trend, &label));
  g_assert_cmpfloat (label.origin.x, >=, 0);
  g_assert_cmpfloat (label.origin.x + label.size.width, <=, gtk_widget_get_width (chart));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      if (!kuu_trend_chart_get_point_box (trend, i, &point))
        {
          g_assert_true (isnan (values[i]));
          continue;
        }
      g_assert_false (graphene_rect_intersection (&label, &point, NULL));
    }
  save_screenshot (fixture->window, "trend-target-label.png");
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
}

static void
test_screenshot (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *region = data;
  g_autofree char *name = NULL;

  set_up_region (fixture, region);
  /* one text hidden, to see how it is marked */
  g_assert_true (kuu_feedback_set_hidden (fixture->store, fixture->feedback_uuids[17], TRUE, NULL));
  show_page (fixture, 1500);
  kuu_dashboard_page_set_by_month (KUU_DASHBOARD_PAGE (fixture->page), TRUE);
  /* Keski-Uusimaa's goal with a target, to see the target line */
  if (g_str_equal (region, "keski-uusimaa"))
    kuu_dashboard_page_set_topic (KUU_DASHBOARD_PAGE (fixture->page), KUU_TOPIC_GOAL, "tyytyvaiset-asukkaat");
  wait_loaded (fixture);
  name = g_strdup_printf ("dashboard-%s.png", region);
  save_screenshot (fixture->window, name);

  if (g_str_equal (region, "kymenlaakso"))
    {
      /* the feedback list, further down */
      GtkWidget *scroller = gtk_widget_get_ancestor (find_button (fixture->page, "Hide"), GTK_TYPE_SCROLLED_WINDOW);
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      for (int i = 0; i < 20; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (5000);
        }
      save_screenshot (fixture->window, "dashboard-kymenlaakso-feedback.png");
      gtk_adjustment_set_value (adjustment, 0);

      /* high contrast, and the personnel view with its eNPS target */
      gtk_widget_add_css_class (fixture->window, "high-contrast");
      kuu_dashboard_page_set_audience (KUU_DASHBOARD_PAGE (fixture->page), KUU_AUDIENCE_PERSONNEL);
      wait_loaded (fixture);
      save_screenshot (fixture->window, "dashboard-kymenlaakso-personnel-high-contrast.png");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Finnish from the build's catalogues, for the charts' labels */
  setlocale (LC_ALL, "");
  bindtextdomain ("kuulolla", g_getenv ("KUULOLLA_LOCALEDIR"));
  bind_textdomain_codeset ("kuulolla", "UTF-8");
  textdomain ("kuulolla");
  /* The app's own style, as AdwApplication would load it. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/kuulolla/Kuulolla/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add ("/dashboard/figures", Fixture, NULL, NULL, test_figures, fixture_tear_down);
  g_test_add ("/dashboard/small-groups", Fixture, NULL, NULL, test_small_groups, fixture_tear_down);
  g_test_add ("/dashboard/distribution-labels", Fixture, NULL, NULL, test_distribution_labels, fixture_tear_down);
  g_test_add ("/dashboard/trend-target-label", Fixture, NULL, NULL, test_trend_target_label, fixture_tear_down);
  g_test_add ("/dashboard/hide-feedback", Fixture, NULL, NULL, test_hide_feedback, fixture_tear_down);
  g_test_add ("/dashboard/screenshot/kainuu", Fixture, "kainuu", NULL, test_screenshot, fixture_tear_down);
  g_test_add ("/dashboard/screenshot/keski-suomi", Fixture, "keski-suomi", NULL, test_screenshot, fixture_tear_down);
  g_test_add ("/dashboard/screenshot/keski-uusimaa", Fixture, "keski-uusimaa", NULL, test_screenshot, fixture_tear_down);
  g_test_add ("/dashboard/screenshot/kymenlaakso", Fixture, "kymenlaakso", NULL, test_screenshot, fixture_tear_down);

  return g_test_run ();
}
