/* kuu-first-frame.c
 *
 * With KUULOLLA_BENCH_FIRST_FRAME=FILE set, the first frame a window paints
 * appends "first-frame-ms N rss-kb N" to FILE and quits the application.
 * The time counts from the process's start as the kernel recorded it, so
 * the dynamic linker and library constructors are in it too; bench/'s
 * minimal window is measured by this same code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kuu-first-frame.h"

/* Milliseconds since the process started, from /proc/self/stat's field 22
 * (in clock ticks since boot) and CLOCK_BOOTTIME. */
static double
ms_since_start (void)
{
  g_autofree char *stat = NULL;
  struct timespec now;
  const char *p;
  unsigned long long start_ticks;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) || !(p = strrchr (stat, ')')))
    return -1;
  /* Each space after the command name starts the next field, from 3 on. */
  for (int field = 2; field < 22 && p != NULL; field++)
    p = strchr (p + 1, ' ');
  if (p == NULL || sscanf (p + 1, "%llu", &start_ticks) != 1)
    return -1;
  clock_gettime (CLOCK_BOOTTIME, &now);
  return (now.tv_sec + now.tv_nsec / 1e9) * 1000.0 - start_ticks * 1000.0 / sysconf (_SC_CLK_TCK);
}

/* The process's resident set now, in KiB; -1 if unknown. */
long
kuu_first_frame_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;
  long kb = -1;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
      (line = strstr (status, "VmRSS:")) != NULL)
    sscanf (line, "VmRSS: %ld", &kb);
  return kb;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   GtkWindow     *window)
{
  const char *path = g_getenv (KUU_FIRST_FRAME_ENV);
  g_autofree char *line = g_strdup_printf ("first-frame-ms %.1f rss-kb %ld\n", ms_since_start (), kuu_first_frame_rss_kb ());
  FILE *out;

  g_signal_handlers_disconnect_by_func (clock, on_after_paint_cb, window);
  if ((out = fopen (path, "a")) != NULL)
    {
      fputs (line, out);
      fclose (out);
    }
  g_application_quit (g_application_get_default ());
}

static void
on_realize_cb (GtkWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_after_paint_cb), window, 0);
}

void
kuu_first_frame_watch (GtkWindow *window)
{
  if (g_getenv (KUU_FIRST_FRAME_ENV) == NULL)
    return;
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    on_realize_cb (window);
  else
    g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), NULL);
}
