/* kuu-first-frame.h: for bench/: tells when a window first drew, counted
 * from the start of the process, and its resident memory then
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The variable that asks for it: its value is a file to append to. */
#define KUU_FIRST_FRAME_ENV "KUULOLLA_BENCH_FIRST_FRAME"

void kuu_first_frame_watch  (GtkWindow *window);
long kuu_first_frame_rss_kb (void);

G_END_DECLS
