/* test-feedback-list.c: feedback texts come newest first, one audience at
 * a time, and a hidden one stays hidden — in the store, across reopening
 * — until shown again, with its text untouched
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "kuu-feedback-list.h"
#include "kuu-test-tree.h"

#define N_TEXTS 300
#define START G_GINT64_CONSTANT (1768478400)  /* 2026-01-15 12:00 UTC */

typedef struct
{
  char      *dir;
  char      *path;
  KuuStore  *store;
  /* what was saved, in saving order */
  char      *uuids[N_TEXTS];
  char      *texts[N_TEXTS];
  gint64     when[N_TEXTS];
  gboolean   personnel[N_TEXTS];
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kuulolla-feedback-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "feedback.db", NULL);
  fixture->store = kuu_store_open (fixture->path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_TEXTS; i++)
    {
      g_autoptr(KuuSubmission) submission = NULL;
      g_autofree char *text = g_strdup_printf ("Text number %u", i);

      /* Half are feedback, half the why of a recommendation; times are
       * shuffled so that saving order is not the order expected, and
       * some share a second. */
      if (i % 2 == 0)
        submission = kuu_submission_new_feedback (text);
      else
        {
          submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "services", i % 11);
          submission->text = g_strdup (text);
        }
      kuu_submission_set_place (submission, "kymenlaakso", i % 3 ? "Kotka" : "Kouvola", KUU_LANGUAGE_FI);
      submission->audience = g_rand_int_range (rand, 0, 4) == 0 ? KUU_AUDIENCE_PERSONNEL : KUU_AUDIENCE_RESIDENTS;
      submission->created_at = START + g_rand_int_range (rand, 0, 200) * 60;
      g_assert_true (kuu_store_add (fixture->store, submission, &error));
      g_assert_no_error (error);

      fixture->uuids[i] = g_strdup (submission->uuid);
      fixture->texts[i] = g_steal_pointer (&text);
      fixture->when[i] = submission->created_at;
      fixture->personnel[i] = submission->audience == KUU_AUDIENCE_PERSONNEL;
    }

  /* A recommendation without a why is no feedback text. */
  {
    g_autoptr(KuuSubmission) plain = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "services", 9);

    kuu_submission_set_place (plain, "kymenlaakso", "Kotka", KUU_LANGUAGE_FI);
    plain->created_at = START + 86400;
    g_assert_true (kuu_store_add (fixture->store, plain, &error));
  }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  kuu_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  for (guint i = 0; i < N_TEXTS; i++)
    {
      g_free (fixture->uuids[i]);
      g_free (fixture->texts[i]);
    }
}

static int
find_saved (Fixture    *fixture,
            const char *uuid)
{
  for (guint i = 0; i < N_TEXTS; i++)
    if (g_str_equal (fixture->uuids[i], uuid))
      return i;
  return -1;
}

/* Newest first, ties by saving order (later first), only @audience. */
static void
assert_list (Fixture     *fixture,
             KuuAudience  audience,
             GHashTable  *hidden)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = kuu_feedback_list (fixture->store, audience, NULL, 0, &error);
  guint expected = 0;
  int previous = -1;

  g_assert_no_error (error);
  for (guint i = 0; i < N_TEXTS; i++)
    expected += fixture->personnel[i] == (audience == KUU_AUDIENCE_PERSONNEL);
  g_assert_cmpuint (items->len, ==, expected);
  g_assert_cmpuint (expected, >, 20);

  for (guint i = 0; i < items->len; i++)
    {
      KuuFeedbackItem *item = g_ptr_array_index (items, i);
      int saved = find_saved (fixture, item->uuid);

      g_assert_cmpint (saved, >=, 0);
      g_assert_cmpint (fixture->personnel[saved], ==, audience == KUU_AUDIENCE_PERSONNEL);
      g_assert_cmpstr (item->text, ==, fixture->texts[saved]);
      g_assert_cmpint (item->created_at, ==, fixture->when[saved]);
      g_assert_cmpint (item->kind, ==, saved % 2 ? KUU_SUBMISSION_RECOMMENDATION : KUU_SUBMISSION_FEEDBACK);
      g_assert_cmpint (item->hidden, ==, hidden != NULL && g_hash_table_contains (hidden, item->uuid));
      if (previous >= 0)
        {
          g_assert_cmpint (fixture->when[previous], >=, fixture->when[saved]);
          if (fixture->when[previous] == fixture->when[saved])
            g_assert_cmpint (previous, >, saved);
        }
      previous = saved;
    }
}

static void
test_newest_first (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) limited = NULL;
  g_autoptr(GPtrArray) kouvola = NULL;

  assert_list (fixture, KUU_AUDIENCE_RESIDENTS, NULL);
  assert_list (fixture, KUU_AUDIENCE_PERSONNEL, NULL);

  limited = kuu_feedback_list (fixture->store, KUU_AUDIENCE_RESIDENTS, NULL, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (limited->len, ==, 5);

  kouvola = kuu_feedback_list (fixture->store, KUU_AUDIENCE_RESIDENTS, "Kouvola", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kouvola->len, >, 0);
  for (guint i = 0; i < kouvola->len; i++)
    g_assert_cmpstr (((KuuFeedbackItem *)kouvola->pdata[i])->unit, ==, "Kouvola");
}

static void
test_hide_and_show (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GHashTable) hidden = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  /* Hide every seventh, a feedback and a why among them; twice is harmless. */
  for (guint i = 0; i < N_TEXTS; i += 7)
    {
      g_assert_true (kuu_feedback_set_hidden (fixture->store, fixture->uuids[i], TRUE, &error));
      g_assert_no_error (error);
      g_assert_true (kuu_feedback_set_hidden (fixture->store, fixture->uuids[i], TRUE, &error));
      g_hash_table_add (hidden, fixture->uuids[i]);
    }
  assert_list (fixture, KUU_AUDIENCE_RESIDENTS, hidden);
  assert_list (fixture, KUU_AUDIENCE_PERSONNEL, hidden);

  /* Kept in the store: still hidden after reopening. */
  g_clear_object (&fixture->store);
  fixture->store = kuu_store_open (fixture->path, &error);
  g_assert_no_error (error);
  assert_list (fixture, KUU_AUDIENCE_RESIDENTS, hidden);

  /* Shown again: exactly as before. */
  g_assert_true (kuu_feedback_set_hidden (fixture->store, fixture->uuids[7], FALSE, &error));
  g_assert_no_error (error);
  g_hash_table_remove (hidden, fixture->uuids[7]);
  assert_list (fixture, KUU_AUDIENCE_RESIDENTS, hidden);
  assert_list (fixture, KUU_AUDIENCE_PERSONNEL, hidden);

  g_assert_false (kuu_feedback_set_hidden (fixture->store, "00000000-0000-4000-8000-000000000000", TRUE, &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_NOT_FOUND);
}

static void
on_hidden_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (kuu_feedback_set_hidden_finish (KUU_STORE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = kuu_feedback_list_finish (KUU_STORE (object), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  gboolean done = FALSE;
  const char *uuid = NULL;

  for (guint i = 0; i < N_TEXTS && uuid == NULL; i++)
    if (!fixture->personnel[i])
      uuid = fixture->uuids[i];

  kuu_feedback_set_hidden_async (fixture->store, uuid, TRUE, NULL, on_hidden_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  kuu_feedback_list_async (fixture->store, KUU_AUDIENCE_RESIDENTS, NULL, 0, NULL, on_listed_cb, &items);
  while (items == NULL)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < items->len; i++)
    {
      KuuFeedbackItem *item = g_ptr_array_index (items, i);

      g_assert_cmpint (item->hidden, ==, g_str_equal (item->uuid, uuid));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/feedback-list/newest-first", Fixture, NULL, fixture_set_up, test_newest_first, fixture_tear_down);
  g_test_add ("/feedback-list/hide-and-show", Fixture, NULL, fixture_set_up, test_hide_and_show, fixture_tear_down);
  g_test_add ("/feedback-list/async", Fixture, NULL, fixture_set_up, test_async, fixture_tear_down);

  return g_test_run ();
}
