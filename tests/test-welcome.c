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
#include "kuu-test-tree.h"

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
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_region (id, &error);
  g_autofree char *dir = g_dir_make_tmp ("kuulolla-welcome-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "kiosk.db", NULL);
  g_autoptr(KuuStore) store = kuu_store_open (path, &error);
  g_autoptr(KuuContext) context = NULL;
  GtkWidget *page;
  GListModel *goals;

  g_assert_no_error (error);
  context = kuu_context_new (strategy, store, NULL, "Testiyksikkö", TRUE);
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

  g_object_unref (page);
  g_clear_object (&context);
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_finalize_object (g_steal_pointer (&strategy));
  kuu_test_remove_tree (dir);
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
