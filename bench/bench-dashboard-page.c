/* bench-dashboard-page.c: whether a refresh of the Results tab holds up
 * the main loop. The real KuuDashboardPage, in a window, over the store
 * bench-dashboard made (a million answers); a 10 ms timeout notes how
 * late it runs. Each round watches the idle page for a while (the
 * baseline), then switches the period (week ↔ month, which reloads) and
 * watches from the switch until the new figures are shown and drawn; the
 * longest stall of each, their medians and the worst over the rounds.
 *
 * Usage: bench-dashboard-page DATABASE [ROUNDS]   (under a display: Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <stdlib.h>

#include "kuu-context.h"
#include "kuu-dashboard-page.h"
#include "kuu-strategy-loader.h"
#include "bench-percentile.h"

#define TICK_MS 10
#define IDLE_MS 500
#define SETTLE_MS 200  /* after the figures: their layout and drawing */

typedef struct
{
  gint64 last;       /* when the timeout last ran */
  gint64 max_late;   /* µs, since the last reset */
} Watch;

static gboolean
on_tick_cb (gpointer user_data)
{
  Watch *watch = user_data;
  gint64 now = g_get_monotonic_time ();

  if (watch->last != 0)
    watch->max_late = MAX (watch->max_late, now - watch->last - TICK_MS * 1000);
  watch->last = now;
  return G_SOURCE_CONTINUE;
}

static void
run_for (gint64 ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  /* the tick wakes the loop at least every TICK_MS */
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_loaded (KuuDashboardPage *page)
{
  gint64 deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;

  while (!kuu_dashboard_page_get_loaded (page))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the page did not load in 10 minutes");
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
append_ms (GArray *values,
           gint64  us)
{
  double ms = us / 1000.0;

  g_array_append_val (values, ms);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = NULL;
  g_autoptr(KuuStore) store = NULL;
  g_autoptr(KuuContext) context = NULL;
  g_autoptr(GtkCssProvider) css = NULL;
  g_autoptr(GArray) idle = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) busy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) refresh = g_array_new (FALSE, FALSE, sizeof (double));
  Watch watch = { 0 };
  KuuDashboardPage *page;
  GtkWidget *window;
  guint rounds;

  if (argc < 2)
    {
      g_printerr ("usage: bench-dashboard-page DATABASE [ROUNDS]\n");
      return 2;
    }
  rounds = argc > 2 ? (guint)atoi (argv[2]) : 20;
  gtk_init ();
  adw_init ();
  /* the app's own style, as its AdwApplication loads it */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/kuulolla/Kuulolla/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  if (!(strategy = kuu_strategy_load_region ("keski-uusimaa", &error)) ||
      !(store = kuu_store_open (argv[1], &error)))
    g_error ("%s", error->message);
  context = kuu_context_new (strategy, store, NULL, "Kerava sote-keskus", FALSE);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 860);
  page = KUU_DASHBOARD_PAGE (kuu_dashboard_page_new (context));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  g_timeout_add (TICK_MS, on_tick_cb, &watch);
  wait_loaded (page);
  run_for (SETTLE_MS);

  for (guint r = 0; r < rounds; r++)
    {
      gint64 start;

      watch.max_late = 0;
      run_for (IDLE_MS);
      append_ms (idle, watch.max_late);

      watch.max_late = 0;
      start = g_get_monotonic_time ();
      kuu_dashboard_page_set_by_month (page, r % 2 == 0);
      wait_loaded (page);
      append_ms (refresh, g_get_monotonic_time () - start);
      run_for (SETTLE_MS);
      append_ms (busy, watch.max_late);
    }

  /* One line a figure: name, value, baseline, ratio (bench/run reads them). */
  g_print ("page-stall-median-ms %.3f %.3f %.3f\n", bench_percentile (busy, 0.5), bench_percentile (idle, 0.5),
           bench_percentile (busy, 0.5) / bench_percentile (idle, 0.5));
  g_print ("page-stall-max-ms %.3f %.3f %.3f\n", bench_percentile (busy, 1), bench_percentile (idle, 1),
           bench_percentile (busy, 1) / bench_percentile (idle, 1));
  g_printerr ("bench-dashboard-page: a refresh from the switch to its figures shown, median %.1f ms, "
              "longest %.1f ms (%u rounds)\n", bench_percentile (refresh, 0.5), bench_percentile (refresh, 1), rounds);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
