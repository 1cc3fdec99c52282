/* bench-cycles.c: the kiosk's resident memory once it shows and after
 * residents' visits (tests/kiosk-cycles.c drives them), for bench/run:
 * prints "rss-start-kb N" and "rss-cycles-kb N".
 *
 * Usage: bench-cycles [VISITS]   (1000 by default; on a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include "kiosk-cycles.h"
#include "kuu-first-frame.h"

typedef struct
{
  guint visits;
  long  rss_start;
  long  rss_cycles;
} Run;

static void
visit (KuuCycles *cycles,
       gpointer   user_data)
{
  Run *run = user_data;

  run->rss_start = kuu_first_frame_rss_kb ();
  kuu_cycles_run_some (cycles, run->visits);
  run->rss_cycles = kuu_first_frame_rss_kb ();
}

int
main (int   argc,
      char *argv[])
{
  Run run = { argc > 1 ? (guint)atoi (argv[1]) : 1000 };
  int status = kuu_cycles_run ("kainuu", 0, visit, &run);

  printf ("rss-start-kb %ld\nrss-cycles-kb %ld\n", run.rss_start, run.rss_cycles);
  return status;
}
