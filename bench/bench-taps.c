/* bench-taps.c: figure 7, tap to frame — for each step of the residents'
 * flows, the time from the press to the frame that shows its result,
 * against a bare GTK window whose button switches a GtkStack page,
 * measured in the same process, on the same display, in turn.
 *
 * The kiosk is the real application (tests/kiosk-cycles.c drives it, as
 * its memory figure does); a press is the button's "clicked", which is
 * what GTK runs when a tap is released; the time ends at the
 * GdkFrameClock's after-paint of the first frame painted after it (for a
 * send, the first after the thanks page shows: the save commits in a
 * worker thread first). The baseline's taps are timed the same way, a
 * round of them between the residents' visits, so that both meet the
 * same load. Prints, per step, "tap-STEP-median-ms VALUE BASELINE RATIO",
 * the same for p99, and "tap-STEP-cpu-ms" for the median of the main
 * thread's CPU time from the press to that frame (what a loaded machine
 * does not inflate as it does the wall time); the step's spaces as '_'.
 *
 * Usage: bench-taps [ROUNDS]   (8 by default; on a display; bench/run
 * sets GSK_RENDERER=cairo)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kiosk-cycles.h"
#include "bench-percentile.h"

#define BASELINE_TAPS 20  /* a round */

typedef struct
{
  GArray *ms;
  GArray *cpu_ms;
} Times;

typedef struct
{
  guint       rounds;
  GHashTable *steps;      /* name → Times, in the order first seen */
  GPtrArray  *order;
  Times       baseline;

  GtkWidget  *window;     /* the bare one */
  GtkStack   *stack;
  guint       frames;
} Run;

static void
times_init (Times *times)
{
  times->ms = g_array_new (FALSE, FALSE, sizeof (double));
  times->cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
times_free (Times *times)
{
  g_array_unref (times->ms);
  g_array_unref (times->cpu_ms);
  g_free (times);
}

static void
times_add (Times  *times,
           double  ms,
           double  cpu_ms)
{
  g_array_append_val (times->ms, ms);
  g_array_append_val (times->cpu_ms, cpu_ms);
}

static Times *
step_times (Run        *run,
            const char *step)
{
  Times *times = g_hash_table_lookup (run->steps, step);

  if (times == NULL)
    {
      times = g_new0 (Times, 1);
      times_init (times);
      g_hash_table_insert (run->steps, g_strdup (step), times);
      g_ptr_array_add (run->order, g_strdup (step));
    }
  return times;
}

static void
on_tap_cb (KuuCycles  *cycles,
           const char *step,
           double      ms,
           double      cpu_ms,
           gpointer    user_data)
{
  times_add (step_times (user_data, step), ms, cpu_ms);
}

static double
thread_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
}

/* --- the baseline --------------------------------------------------------- */

static void
on_baseline_painted_cb (GdkFrameClock *clock,
                        Run           *run)
{
  run->frames++;
}

static void
on_baseline_clicked_cb (GtkButton *button,
                        Run       *run)
{
  const char *shown = gtk_stack_get_visible_child_name (run->stack);

  gtk_stack_set_visible_child_name (run->stack, g_str_equal (shown, "one") ? "two" : "one");
}

/* Iterates the main loop until the window has painted a frame after
 * @frames, for at most 60 s. */
static void
wait_painted (Run   *run,
              guint  frames)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (run->frames <= frames)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the bare window painted nothing within 60 s");
      g_main_context_iteration (NULL, TRUE);
    }
}

static GtkWidget *
page_new (const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_box_append (GTK_BOX (box), gtk_label_new (text));
  return box;
}

/* As large as the kiosk's, so that both paint the same area. */
static void
baseline_window_new (Run       *run,
                     GtkWindow *kiosk)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *button = gtk_button_new_with_label ("Next page");

  run->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (run->stack, page_new ("The first page"), "one");
  gtk_stack_add_named (run->stack, page_new ("The second page"), "two");
  g_signal_connect (button, "clicked", G_CALLBACK (on_baseline_clicked_cb), run);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (run->stack));
  gtk_box_append (GTK_BOX (box), button);

  run->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (run->window),
                               gtk_widget_get_width (GTK_WIDGET (kiosk)),
                               gtk_widget_get_height (GTK_WIDGET (kiosk)));
  gtk_window_set_child (GTK_WINDOW (run->window), box);
  g_object_set_data (G_OBJECT (run->window), "button", button);
}

/* A round of taps on the bare window, shown over the kiosk meanwhile. */
static void
baseline_round (Run *run)
{
  GtkWidget *button = g_object_get_data (G_OBJECT (run->window), "button");
  GdkFrameClock *clock;

  gtk_window_present (GTK_WINDOW (run->window));
  clock = gtk_widget_get_frame_clock (run->window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_baseline_painted_cb), run);
  gtk_widget_queue_draw (run->window);
  wait_painted (run, run->frames);

  for (guint i = 0; i < BASELINE_TAPS; i++)
    {
      guint frames = run->frames;
      double cpu = thread_cpu_ms ();
      gint64 start = g_get_monotonic_time ();

      g_signal_emit_by_name (button, "clicked");
      wait_painted (run, frames);
      times_add (&run->baseline, (g_get_monotonic_time () - start) / 1000.0, thread_cpu_ms () - cpu);
    }

  g_signal_handlers_disconnect_by_func (clock, on_baseline_painted_cb, run);
  gtk_widget_set_visible (run->window, FALSE);
}

/* --- the visits ------------------------------------------------------------ */

static void
visit (KuuCycles *cycles,
       gpointer   user_data)
{
  Run *run = user_data;

  baseline_window_new (run, kuu_cycles_get_window (cycles));
  /* A first round of each unmeasured: fonts, icons, styles and pages
   * are loaded once, at the first use (docs/performance.md, "Memory"). */
  kuu_cycles_run_some (cycles, 4);
  kuu_cycles_visit_board (cycles);
  baseline_round (run);
  g_array_set_size (run->baseline.ms, 0);
  g_array_set_size (run->baseline.cpu_ms, 0);

  kuu_cycles_set_tap_func (cycles, on_tap_cb, run);
  for (guint r = 0; r < run->rounds; r++)
    {
      kuu_cycles_run_some (cycles, 3);  /* recommend, feedback, initiative, sent */
      kuu_cycles_set_tap_func (cycles, NULL, NULL);
      kuu_cycles_run_some (cycles, 1);  /* left to the idle reset: not a tap */
      kuu_cycles_set_tap_func (cycles, on_tap_cb, run);
      kuu_cycles_visit_board (cycles);
      baseline_round (run);
    }
  kuu_cycles_set_tap_func (cycles, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (run->window));
}

static void
print_figures (Run *run)
{
  double base_median = bench_percentile (run->baseline.ms, 0.5);
  double base_p99 = bench_percentile (run->baseline.ms, 0.99);
  double base_cpu = bench_percentile (run->baseline.cpu_ms, 0.5);

  for (guint i = 0; i < run->order->len; i++)
    {
      const char *step = g_ptr_array_index (run->order, i);
      Times *times = g_hash_table_lookup (run->steps, step);
      g_autofree char *name = g_strdelimit (g_strdup (step), " ", '_');
      double median = bench_percentile (times->ms, 0.5), p99 = bench_percentile (times->ms, 0.99);
      double cpu = bench_percentile (times->cpu_ms, 0.5);

      printf ("tap-%s-median-ms %.2f %.2f %.2f\n", name, median, base_median, median / base_median);
      printf ("tap-%s-p99-ms %.2f %.2f %.2f\n", name, p99, base_p99, p99 / base_p99);
      printf ("tap-%s-cpu-ms %.2f %.2f %.2f\n", name, cpu, base_cpu, cpu / base_cpu);
    }
  printf ("tap-samples %u %u 0\n", run->baseline.ms->len, run->rounds);
}

int
main (int   argc,
      char *argv[])
{
  Run run = {
    .rounds = argc > 1 ? (guint)atoi (argv[1]) : 8,
    .steps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)times_free),
    .order = g_ptr_array_new_with_free_func (g_free),
  };
  int status;

  times_init (&run.baseline);
  status = kuu_cycles_run ("kainuu", 0, visit, &run);
  if (status == 0)
    print_figures (&run);
  g_hash_table_unref (run.steps);
  g_ptr_array_unref (run.order);
  g_array_unref (run.baseline.ms);
  g_array_unref (run.baseline.cpu_ms);
  return status;
}
