/* bench-cycles.c: the kiosk's resident memory once it shows, after the
 * first WARM_UP residents' visits and after all of them
 * (tests/kiosk-cycles.c drives them), for bench/run: prints
 * "rss-start-kb N", "rss-warm-kb N" and "rss-cycles-kb N".
 *
 * Usage: bench-cycles [VISITS]   (1000 by default; on a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include "kiosk-cycles.h"
#include "kuu-first-frame.h"

/* Every kind of page, topic and field shown at least once: what grows
 * until then is the first use of fonts, icons and styles, not the visits. */
#define WARM_UP 100

typedef struct
{
  guint visits;
  long  rss_start;
  long  rss_warm;
  long  rss_cycles;
} Run;

static void
visit (KuuCycles *cycles,
       gpointer   user_data)
{
  Run *run = user_data;

  run->rss_start = kuu_first_frame_rss_kb ();
  kuu_cycles_run_some (cycles, MIN (WARM_UP, run->visits));
  run->rss_warm = kuu_first_frame_rss_kb ();
  kuu_cycles_run_some (cycles, run->visits - MIN (WARM_UP, run->visits));
  run->rss_cycles = kuu_first_frame_rss_kb ();
}

int
main (int   argc,
      char *argv[])
{
  Run run = { argc > 1 ? (guint)atoi (argv[1]) : 1000 };
  int status = kuu_cycles_run ("kainuu", 0, visit, &run);

  printf ("rss-start-kb %ld\nrss-warm-kb %ld\nrss-cycles-kb %ld\n", run.rss_start, run.rss_warm, run.rss_cycles);
  return status;
}
