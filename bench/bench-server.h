/* bench-server.h: what the sync and ingest benchmarks share — a fresh
 * kuulolla-server on 127.0.0.1, devices enrolled with it, records to send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bench-percentile.h"
#include "kuu-submission.h"

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  char        *database;
  char        *base;      /* http://127.0.0.1:PORT, no slash at the end */
} BenchServer;

BenchServer   *bench_server_start      (const char  *executable,
                                        const char  *database);
void           bench_server_stop       (BenchServer *server);
char          *bench_server_enrol      (BenchServer *server,
                                        const char  *executable);
gint64         bench_server_count      (BenchServer *server);
double         bench_server_cpu_seconds (BenchServer *server);
double         bench_self_cpu_seconds  (void);

KuuSubmission *bench_make_record       (guint        i);
double         bench_load_average      (void);
void           bench_remove_database   (const char  *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchServer, bench_server_stop)

G_END_DECLS
