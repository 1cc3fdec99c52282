/* kiosk-cycles.h: residents' visits to a kiosk, driven in-process through
 * the real window's widgets — for tests/test-kiosk-cycles.c (leaks, heap
 * growth) and bench/bench-cycles.c (resident memory)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _KuuCycles KuuCycles;

/* Called once the kiosk window has painted its first frame; the
 * application quits when it returns. */
typedef void (*KuuCyclesFunc) (KuuCycles *cycles,
                               gpointer   user_data);

/* Figure 7: a press's step, the time from it to the frame after it and
 * the main thread's CPU time meanwhile. */
typedef void (*KuuCyclesTapFunc) (KuuCycles  *cycles,
                                  const char *step,
                                  double      ms,
                                  double      cpu_ms,
                                  gpointer    user_data);

int    kuu_cycles_run             (const char    *region,
                                   guint          earlier,
                                   KuuCyclesFunc  func,
                                   gpointer       user_data);
void   kuu_cycles_run_some        (KuuCycles     *self,
                                   guint          n);
void   kuu_cycles_visit_board     (KuuCycles        *self);
void   kuu_cycles_set_tap_func    (KuuCycles        *self,
                                   KuuCyclesTapFunc  func,
                                   gpointer          user_data);
GtkWindow *kuu_cycles_get_window  (KuuCycles     *self);
guint  kuu_cycles_get_done        (KuuCycles     *self);
gint64 kuu_cycles_get_submissions (KuuCycles     *self);

G_END_DECLS
