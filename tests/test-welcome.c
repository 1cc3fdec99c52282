/* test-welcome.c: the first screen shows the region's vision, mission and
 * every goal, in the resident's language, for each bundled region
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>

#include "kuu-context.h"
#include "kuu-goal-card.h"
#include "kuu-strategy-loader.h"
#include "kuu-welcome-page.h"
#include "widget-text.h"
#include "kuu-test-context.h"

static const char * const regions[] = { "kainuu", "keski-suomi", "keski-uusimaa", "kymenlaakso" };

static guint
count_cards (GtkWidget *widget)
{
  guint n = KUU_IS_GOAL_CARD (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_cards (child);
  return n;
}

static void
test_welcome_region (gconstpointer data)
{
  const char *id = data;
  KuuTestContext t;
  KuuStrategy *strategy;
  KuuContext *context;
  GtkWidget *page;
  GListModel *goals;

  kuu_test_context_set_up (&t, id, "Testiyksikkö", TRUE, NULL);
  strategy = t.strategy;
  context = t.context;
  page = g_object_ref_sink (kuu_welcome_page_new (context));
  goals = kuu_strategy_get_goals (strategy);

  for (KuuLanguage language = 0; language < KUU_N_LANGUAGES; language++)
    {
      g_autoptr(GString) labels = g_string_new (NULL);

      kuu_context_set_language (context, language);
      collect_labels (page, labels);
      assert_shows (labels->str, kuu_text_get (kuu_strategy_get_vision (strategy), language));
      assert_shows (labels->str, kuu_text_get (kuu_strategy_get_mission (strategy), language));
      for (guint i = 0; i < g_list_model_get_n_items (goals); i++)
        {
          g_autoptr(KuuTopic) goal = g_list_model_get_item (goals, i);

          assert_shows (labels->str, kuu_text_get (kuu_topic_get_title (goal), language));
          assert_shows (labels->str, kuu_text_get (kuu_topic_get_summary (goal), language));
        }
    }

  g_assert_cmpuint (count_cards (page), ==, g_list_model_get_n_items (goals));

  g_assert_finalize_object (page);
  kuu_test_context_tear_down (&t);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      g_autofree char *name = g_strdup_printf ("/welcome/%s", regions[i]);

      g_test_add_data_func (name, regions[i], test_welcome_region);
    }

  return g_test_run ();
}
