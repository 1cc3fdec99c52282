/* test-kiosk-cycles.c: a thousand residents use the kiosk one after the
 * other (tests/kiosk-cycles.c); each visit happens as it should, and the
 * heap does not grow with them. Leaks are LeakSanitizer's to find, at exit
 * of the sanitized build (tests/meson.build), and valgrind's by hand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <malloc.h>
#include <stdlib.h>

#include <gtk/gtk.h>
#include <sqlite3.h>

#include "kiosk-cycles.h"

#if defined(__SANITIZE_ADDRESS__)
# define KUU_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define KUU_ASAN 1
# endif
#endif
#ifdef KUU_ASAN
# include <sanitizer/allocator_interface.h>
#endif

/* Under ASan a visit takes some 3 s of CPU (its slow unwinder records
 * every allocation's stack, which lsan.supp needs): a thousand would take
 * most of an hour. A leak in a visit shows after any number of them. */
#ifdef KUU_ASAN
# define VISITS 100
# define WARM_UP 20
#else
# define VISITS 1000
# define WARM_UP 100  /* caches filled: fonts, CSS, glyphs */
#endif
/* SQLite's page cache grows with the database up to its size (2 MB by
 * default); a database already larger keeps it at that size, so what
 * grows after the warm-up is ours or GTK's. */
#define EARLIER_ANSWERS 20000
/* Over the visits after the warm-up: a leak of 100 bytes a visit breaks
 * it. */
#define GROWTH_BOUND_PER_VISIT 100

typedef struct
{
  guint  visits;
  guint  warm_up;
  gint64 heap[2];
  gint64 sqlite[2];
} Run;

/* Bytes the program has allocated and not freed: ASan's own count under
 * ASan (its allocator replaces glibc's), else glibc's. */
static gint64
heap_in_use (void)
{
#ifdef KUU_ASAN
  return __sanitizer_get_current_allocated_bytes ();
#else
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
#endif
}

static void
measure (Run *run,
         int  when)
{
  run->heap[when] = heap_in_use ();
  run->sqlite[when] = sqlite3_memory_used ();
  g_test_message ("after %u visits: heap in use %" G_GINT64_FORMAT " bytes, SQLite's part %" G_GINT64_FORMAT,
                  when == 0 ? run->warm_up : run->visits, run->heap[when], run->sqlite[when]);
}

static void
visit (KuuCycles *cycles,
       gpointer   user_data)
{
  Run *run = user_data;

  kuu_cycles_run_some (cycles, run->warm_up);
  measure (run, 0);
  kuu_cycles_run_some (cycles, run->visits - run->warm_up);
  measure (run, 1);

  g_assert_cmpuint (kuu_cycles_get_done (cycles), ==, run->visits);
  /* Three of four visits send something. */
  g_assert_cmpint (kuu_cycles_get_submissions (cycles), ==,
                   EARLIER_ANSWERS + run->visits / 4 * 3 + MIN (run->visits % 4, 3));
}

static void
test_cycles (void)
{
  Run run = { VISITS, WARM_UP };
  gint64 growth, bound;

  /* valgrind is too slow for a thousand. */
  if (g_getenv ("KUULOLLA_CYCLES") != NULL)
    {
      run.visits = atoi (g_getenv ("KUULOLLA_CYCLES"));
      run.warm_up = MIN (run.warm_up, run.visits / 10);
    }

  g_assert_cmpint (kuu_cycles_run ("kainuu", EARLIER_ANSWERS, visit, &run), ==, 0);

  growth = run.heap[1] - run.heap[0];
  bound = (gint64)(run.visits - run.warm_up) * GROWTH_BOUND_PER_VISIT;
  g_test_message ("heap growth over %u visits: %" G_GINT64_FORMAT " bytes (SQLite %" G_GINT64_FORMAT "), bound %" G_GINT64_FORMAT,
                  run.visits - run.warm_up, growth, run.sqlite[1] - run.sqlite[0], bound);
  g_assert_cmpint (growth, <, bound);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/cycles", test_cycles);
  return g_test_run ();
}
