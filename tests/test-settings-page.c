/* test-settings-page.c: the Settings tab writes what staff change to the
 * settings and applies it — the idle times at once, the languages and goals
 * from the next visit (never none of them), a region only once it loads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>

#include "kuu-context.h"
#include "kuu-recommend-page.h"
#include "kuu-settings-page.h"
#include "kuu-strategy-loader.h"
#include "kuu-welcome-page.h"
#include "widget-text.h"
#include "kuu-test-context.h"

typedef struct
{
  KuuTestContext t;
  GSettings   *settings;
  GtkWidget   *page;
  GtkWidget   *window;
} Fixture;

/* The build's compiled schema, in the memory backend the tests run with. */
static GSettings *
new_settings (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "..", "data", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchemaSource) source =
    g_settings_schema_source_new_from_directory (dir, NULL, FALSE, &error);
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettings *settings;
  g_auto(GStrv) keys = NULL;

  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, "io.github.kuulolla.Kuulolla", FALSE);
  g_assert_nonnull (schema);
  settings = g_settings_new_full (schema, NULL, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  g_settings_set_string (settings, "region", "kainuu");
  return settings;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->settings = new_settings ();
  /* data: "desktop" for a window on a desktop, else a kiosk */
  kuu_test_context_set_up (&f->t, "kainuu", "Kajaani", data == NULL, f->settings);
  f->page = g_object_ref_sink (kuu_settings_page_new (f->t.context));
  /* Shown, as the tab is: its rows exist only then. */
  f->window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (f->window), f->page);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *page = g_steal_pointer (&f->page);

  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&f->window)));

  /* Its worker threads hold it until they are done. */
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *)&page);
  g_object_unref (page);
  while (page != NULL)
    g_main_context_iteration (NULL, TRUE);
  kuu_test_context_tear_down (&f->t);
  g_assert_finalize_object (g_steal_pointer (&f->settings));
}

/* The row titled @title below @widget. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
control_of (Fixture    *f,
            const char *title)
{
  GtkWidget *row = find_row (f->page, title);

  if (row == NULL)
    g_error ("no row “%s”", title);
  return adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
}

static void
wait_shows (GtkWidget  *page,
            const char *text)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GString) labels = g_string_new (NULL);

      collect_labels (page, labels);
      if (strstr (labels->str, text) != NULL)
        return;
      if (g_get_monotonic_time () > deadline)
        assert_shows (labels->str, text);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static gboolean
shows (GtkWidget  *page,
       const char *text)
{
  g_autoptr(GString) labels = g_string_new (NULL);

  collect_labels (page, labels);
  return strstr (labels->str, text) != NULL;
}

static void
assert_strv (GSettings   *settings,
             const char  *key,
             const char  *expected)
{
  g_auto(GStrv) values = g_settings_get_strv (settings, key);
  g_autofree char *joined = g_strjoinv (",", values);

  g_assert_cmpstr (joined, ==, expected);
}

static void
test_settings_idle_time (Fixture       *f,
                         gconstpointer  data)
{
  GtkSpinButton *idle = GTK_SPIN_BUTTON (control_of (f, "Idle time"));
  GtkSpinButton *countdown = GTK_SPIN_BUTTON (control_of (f, "Countdown"));

  g_assert_cmpint (gtk_spin_button_get_value_as_int (idle), ==, 60);
  gtk_spin_button_set_value (idle, 120);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "idle-seconds"), ==, 120);
  g_assert_cmpuint (kuu_context_get_idle_seconds (f->t.context), ==, 120);

  gtk_spin_button_set_value (countdown, 30);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "countdown-seconds"), ==, 30);
  g_assert_cmpuint (kuu_context_get_countdown_seconds (f->t.context), ==, 30);
  g_assert_cmpuint (kuu_context_get_idle_seconds (f->t.context), ==, 120);
}

static void
test_settings_languages (Fixture       *f,
                         gconstpointer  data)
{
  GtkCheckButton *fi = GTK_CHECK_BUTTON (control_of (f, "Suomi"));
  GtkCheckButton *sv = GTK_CHECK_BUTTON (control_of (f, "Svenska"));
  GtkCheckButton *en = GTK_CHECK_BUTTON (control_of (f, "English"));
  g_autoptr(GtkWidget) welcome = NULL;

  /* Empty: every language, all ticked. */
  g_assert_true (gtk_check_button_get_active (fi) && gtk_check_button_get_active (sv) &&
                 gtk_check_button_get_active (en));

  gtk_check_button_set_active (sv, FALSE);
  assert_strv (f->settings, "languages", "fi,en");
  g_assert_false (kuu_context_offers_language (f->t.context, KUU_LANGUAGE_SV));

  /* The next visit's start page offers only those. */
  welcome = g_object_ref_sink (kuu_welcome_page_new (f->t.context));
  g_assert_true (shows (welcome, "Suomi\n"));
  g_assert_true (shows (welcome, "English\n"));
  g_assert_false (shows (welcome, "Svenska\n"));

  /* Kainuu speaks Finnish first; still offered, it still greets. */
  g_assert_cmpint (kuu_context_get_start_language (f->t.context), ==, KUU_LANGUAGE_FI);

  gtk_check_button_set_active (fi, FALSE);
  assert_strv (f->settings, "languages", "en");
  /* No longer offered: the next visitor is greeted in one that is. */
  g_assert_cmpint (kuu_context_get_start_language (f->t.context), ==, KUU_LANGUAGE_EN);

  /* The last one stays: residents need a language. */
  gtk_check_button_set_active (en, FALSE);
  g_assert_true (gtk_check_button_get_active (en));
  assert_strv (f->settings, "languages", "en");
  wait_shows (f->page, "At least one language must be offered");

  /* All ticked again: the setting says all, for whatever comes later. */
  gtk_check_button_set_active (fi, TRUE);
  gtk_check_button_set_active (sv, TRUE);
  assert_strv (f->settings, "languages", "");
  g_assert_false (shows (f->page, "At least one language must be offered"));
}

static void
test_settings_bad_region (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->t.dir, "no-such-region.json", NULL);
  GtkWidget *row = find_row (f->page, "Region file (path), instead of a bundled region");
  AdwComboRow *regions = ADW_COMBO_ROW (find_row (f->page, "Region"));

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), path);
  g_signal_emit_by_name (row, "apply");
  wait_shows (f->page, "cannot be used, so Kainuu Wellbeing Services County stays in use:");
  {
    g_autofree char *region = g_settings_get_string (f->settings, "region");

    g_assert_cmpstr (region, ==, "kainuu");
  }
  g_assert_null (kuu_context_get_next_strategy (f->t.context));
  g_assert_true (kuu_context_get_strategy (f->t.context) == f->t.strategy);

  /* A good one: written, and waiting for the next start page. */
  while (g_list_model_get_n_items (adw_combo_row_get_model (regions)) < 4)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GtkStringObject) name = g_list_model_get_item (adw_combo_row_get_model (regions), i);

      if (g_str_equal (gtk_string_object_get_string (name), "Central Finland Wellbeing Services County"))
        adw_combo_row_set_selected (regions, i);
    }
  wait_shows (f->page, "Central Finland Wellbeing Services County is used from the next start page on.");
  g_assert_cmpstr (kuu_strategy_get_id (kuu_context_get_next_strategy (f->t.context)), ==, "keski-suomi");
  {
    g_autofree char *region = g_settings_get_string (f->settings, "region");

    g_assert_cmpstr (region, ==, "keski-suomi");
  }
  g_assert_true (kuu_context_get_strategy (f->t.context) == f->t.strategy);
}

static void
test_settings_goals (Fixture       *f,
                     gconstpointer  data)
{
  GtkCheckButton *together = GTK_CHECK_BUTTON (control_of (f, "We work together, person to person"));
  const char *others[] = { "We work in a sustainably efficient way", "We renew boldly",
                           "We lead competence, work ability and wellbeing" };
  g_autoptr(GtkWidget) recommend = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (control_of (f, others[i])), FALSE);
  assert_strv (f->settings, "goals", "together");

  /* The only one left stays. */
  gtk_check_button_set_active (together, FALSE);
  g_assert_true (gtk_check_button_get_active (together));
  assert_strv (f->settings, "goals", "together");
  wait_shows (f->page, "At least one goal must be shown");

  /* The recommend page offers only it. */
  recommend = g_object_ref_sink (kuu_recommend_page_new (f->t.context));
  g_assert_true (shows (recommend, "We work together, person to person\n"));
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_assert_false (shows (recommend, others[i]));
}

/* The region's name with where it comes from in words, not a path; the
 * file is an advanced choice, folded away; the kiosk's idle times say
 * on a desktop that they are for a kiosk. */
static void
test_settings_region_origin (Fixture       *f,
                             gconstpointer  data)
{
  AdwComboRow *regions = ADW_COMBO_ROW (find_row (f->page, "Region"));
  GtkWidget *file_row = find_row (f->page, "Region file (path), instead of a bundled region");
  GtkWidget *expander = find_row (f->page, "Advanced: a region file from IT");
  GtkWidget *idle_group = gtk_widget_get_ancestor (find_row (f->page, "Idle time"), ADW_TYPE_PREFERENCES_GROUP);
  const char *idle_text = adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (idle_group));

  g_assert_nonnull (regions);
  g_assert_false (adw_combo_row_get_use_subtitle (regions));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (regions)), ==,
                   "Built into Kuulolla; the region’s server keeps it up to date once the device is enrolled");
  g_assert_nonnull (expander);
  g_assert_true (ADW_IS_EXPANDER_ROW (expander));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (expander)));
  g_assert_true (gtk_widget_is_ancestor (file_row, expander));
  if (data != NULL)
    g_assert_cmpstr (idle_text, ==, "Used when this device runs as a kiosk, full screen. "
                                    "In a window on a desktop the pages stay as they are.");
  else
    g_assert_true (idle_text == NULL || idle_text[0] == '\0');
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/settings-page/idle-time", Fixture, NULL,
              fixture_set_up, test_settings_idle_time, fixture_tear_down);
  g_test_add ("/settings-page/languages", Fixture, NULL,
              fixture_set_up, test_settings_languages, fixture_tear_down);
  g_test_add ("/settings-page/bad-region", Fixture, NULL,
              fixture_set_up, test_settings_bad_region, fixture_tear_down);
  g_test_add ("/settings-page/region-origin/kiosk", Fixture, NULL,
              fixture_set_up, test_settings_region_origin, fixture_tear_down);
  g_test_add ("/settings-page/region-origin/desktop", Fixture, "desktop",
              fixture_set_up, test_settings_region_origin, fixture_tear_down);
  g_test_add ("/settings-page/goals", Fixture, NULL,
              fixture_set_up, test_settings_goals, fixture_tear_down);

  return g_test_run ();
}
