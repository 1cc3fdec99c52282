/* bench-sync.c: figure 3 — a kiosk's outbox of COUNT records delivered by
 * the real KuuSync to a fresh kuulolla-server on 127.0.0.1, against the
 * server's own store code storing the same records in one transaction.
 *
 * The kiosk store is filled once through the store's add path (not
 * timed) and copied for each round, so every round starts from the same
 * file. A round times the sync from kuu_sync_start() until the server has
 * acknowledged every record (it acknowledges only what it has committed),
 * then checks the server's count; and times the baseline: a fresh server
 * database with the same pragmas (kuu_server_store_open), the same
 * records through kuu_server_store_add_record() between one
 * begin_batch/end_batch. The two alternate which goes first.
 *
 * Usage: bench-sync SERVER-EXECUTABLE DIR [COUNT] [ROUNDS]
 * Prints: name value baseline ratio, one figure a line (bench/run reads it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <stdlib.h>

#include "bench-server.h"
#include "kuu-outbox.h"
#include "kuu-server-store.h"
#include "kuu-store-private.h"
#include "kuu-sync.h"

#define FILL_CHUNK 1000

static GPtrArray *
make_records (guint count)
{
  GPtrArray *records = g_ptr_array_new_full (count, (GDestroyNotify)kuu_submission_free);

  for (guint i = 0; i < count; i++)
    g_ptr_array_add (records, bench_make_record (i));
  return records;
}

/* A transaction a chunk: the records are what is measured, not the fill. */
static void
fill_store (const char *path,
            GPtrArray  *records)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (path, &error);

  if (store == NULL)
    g_error ("kiosk store: %s", error->message);
  for (guint i = 0; i < records->len; i += FILL_CHUNK)
    {
      g_autoptr(GPtrArray) chunk = g_ptr_array_new ();

      for (guint j = i; j < MIN (records->len, i + FILL_CHUNK); j++)
        g_ptr_array_add (chunk, g_ptr_array_index (records, j));
      if (!_kuu_store_add_all (store, chunk, &error))
        g_error ("filling the kiosk store: %s", error->message);
    }
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  if (!g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    g_error ("copying %s: %s", from, error->message);
}

/* Seconds for the whole sync of the outbox in @kiosk_path; the CPU
 * seconds it took, kiosk and server together, in @out_cpu. */
static double
time_sync (const char *server_exe,
           const char *kiosk_path,
           const char *server_db,
           guint       count,
           double     *out_cpu)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BenchServer) server = bench_server_start (server_exe, server_db);
  g_autofree char *token = bench_server_enrol (server, server_exe);
  g_autoptr(KuuStore) store = kuu_store_open (kiosk_path, &error);
  g_autoptr(KuuSync) sync = NULL;
  gint64 start, end, held;
  double cpu, server_cpu;

  if (store == NULL)
    g_error ("kiosk store: %s", error->message);
  sync = kuu_sync_new (store, server->base, token);

  server_cpu = bench_server_cpu_seconds (server);
  cpu = bench_self_cpu_seconds () + server_cpu;
  start = g_get_monotonic_time ();
  kuu_sync_start (sync);
  while (kuu_sync_get_delivered (sync) < count)
    {
      g_main_context_iteration (NULL, TRUE);
      /* Nothing here should fail: a retry would be measured as if it were
       * the normal way. */
      if (kuu_sync_get_state (sync) == KUU_SYNC_WAITING || kuu_sync_get_state (sync) == KUU_SYNC_UNAUTHORIZED ||
          kuu_sync_get_rejected (sync) > 0)
        g_error ("the sync failed after %u records: %s", kuu_sync_get_delivered (sync),
                 kuu_sync_get_last_error (sync));
    }
  end = g_get_monotonic_time ();
  server_cpu = bench_server_cpu_seconds (server) - server_cpu;
  *out_cpu = bench_self_cpu_seconds () + bench_server_cpu_seconds (server) - cpu;
  g_printerr ("  sync: kiosk CPU %.2f s, server CPU %.2f s\n", *out_cpu - server_cpu, server_cpu);
  kuu_sync_stop (sync);

  if ((held = bench_server_count (server)) != count)
    g_error ("the server holds %" G_GINT64_FORMAT " records, not %u", held, count);
  if (kuu_outbox_count_pending (store, NULL) != 0)
    g_error ("records still waiting on the kiosk");
  return (end - start) / (double)G_USEC_PER_SEC;
}

/* Seconds for the server's store to take @records in one transaction;
 * its CPU seconds in @out_cpu. */
static double
time_bulk (const char *path,
           GPtrArray  *records,
           double     *out_cpu)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuServerStore) store = kuu_server_store_open (path, &error);
  g_autofree char *code = NULL, *device = NULL, *token = NULL, *region = NULL;
  gint64 start, end;
  double cpu;

  if (store == NULL ||
      !(code = kuu_server_store_add_enrolment_code (store, "kainuu", "Kajaani", G_TIME_SPAN_DAY, &error)) ||
      !kuu_server_store_enrol (store, code, &device, &token, &region, &error))
    g_error ("baseline store: %s", error->message);

  cpu = bench_self_cpu_seconds ();
  start = g_get_monotonic_time ();
  if (!kuu_server_store_begin_batch (store, &error))
    g_error ("baseline: %s", error->message);
  for (guint i = 0; i < records->len; i++)
    {
      KuuRecordOutcome outcome;

      if (!kuu_server_store_add_record (store, device, g_ptr_array_index (records, i), &outcome, &error) ||
          outcome != KUU_RECORD_ACCEPTED)
        g_error ("baseline: record %u not stored: %s", i, error ? error->message : "not accepted");
    }
  if (!kuu_server_store_end_batch (store, TRUE, &error))
    g_error ("baseline commit: %s", error->message);
  end = g_get_monotonic_time ();
  *out_cpu = bench_self_cpu_seconds () - cpu;
  return (end - start) / (double)G_USEC_PER_SEC;
}

static double
median (GArray *values)
{
  return bench_percentile (values, 0.5);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GArray) sync_rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bulk_rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sync_cpus = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bulk_cpus = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *template = NULL;
  double load_before, sync_rate, bulk_rate, sync_cpu, bulk_cpu;
  guint count, rounds;

  if (argc < 3)
    {
      g_printerr ("usage: bench-sync SERVER-EXECUTABLE DIR [COUNT] [ROUNDS]\n");
      return 2;
    }
  count = argc > 3 ? atoi (argv[3]) : 100000;
  rounds = argc > 4 ? atoi (argv[4]) : 3;
  template = g_build_filename (argv[2], "kiosk-template.db", NULL);

  records = make_records (count);
  bench_remove_database (template);
  fill_store (template, records);
  load_before = bench_load_average ();

  for (guint r = 0; r < rounds; r++)
    {
      g_autofree char *kiosk = g_build_filename (argv[2], "kiosk.db", NULL);
      g_autofree char *server_db = g_build_filename (argv[2], "server.db", NULL);
      g_autofree char *bulk_db = g_build_filename (argv[2], "bulk.db", NULL);
      double sync_s = 0, bulk_s = 0, sync_cpu_s = 0, bulk_cpu_s = 0;

      /* A -wal file left by an aborted run would not match the copy. */
      bench_remove_database (kiosk);
      bench_remove_database (server_db);
      bench_remove_database (bulk_db);
      copy_file (template, kiosk);
      if (r % 2 == 0)
        bulk_s = time_bulk (bulk_db, records, &bulk_cpu_s);
      sync_s = time_sync (argv[1], kiosk, server_db, count, &sync_cpu_s);
      if (r % 2 == 1)
        bulk_s = time_bulk (bulk_db, records, &bulk_cpu_s);
      g_printerr ("round %u: sync %.2f s (CPU %.2f s), bulk store %.2f s (CPU %.2f s)\n",
                  r + 1, sync_s, sync_cpu_s, bulk_s, bulk_cpu_s);
      /* CPU milliseconds a thousand records. */
      sync_cpu = sync_cpu_s * 1e6 / count;
      bulk_cpu = bulk_cpu_s * 1e6 / count;
      g_array_append_val (sync_cpus, sync_cpu);
      g_array_append_val (bulk_cpus, bulk_cpu);

      sync_rate = count / sync_s;
      bulk_rate = count / bulk_s;
      g_array_append_val (sync_rates, sync_rate);
      g_array_append_val (bulk_rates, bulk_rate);
      bench_remove_database (kiosk);
      bench_remove_database (server_db);
      bench_remove_database (bulk_db);
    }

  sync_rate = median (sync_rates);
  bulk_rate = median (bulk_rates);
  /* One line a figure: name, value, baseline, ratio (bench/run reads them).
   * The ratio is time over time: how many times the bulk store's time the
   * whole sync takes. */
  g_print ("sync-records-per-s %.0f %.0f %.2f\n", sync_rate, bulk_rate, bulk_rate / sync_rate);
  sync_cpu = median (sync_cpus);
  bulk_cpu = median (bulk_cpus);
  g_print ("sync-cpu-ms-per-1000 %.0f %.0f %.2f\n", sync_cpu, bulk_cpu, sync_cpu / bulk_cpu);
  g_print ("load-average %.2f %.2f 1.00\n", load_before, bench_load_average ());
  return 0;
}
