/* bench-ingest.c: figure 4 — DEVICES simulated kiosks, each enrolled with
 * its own token, each sending BATCHES batches of SIZE records one after
 * another, all at once, to a fresh kuulolla-server on 127.0.0.1; against
 * one device sending the same per-device load alone (fresh server too).
 *
 * The batches are made and serialised before the clock starts; a device's
 * next batch goes out when the answer to its last one is in, as KuuSync
 * does. An error is any answer but 200 with every record accepted; at
 * the end the server's database must hold exactly the records sent.
 * Rounds alternate which of the two goes first.
 *
 * Usage: bench-ingest SERVER-EXECUTABLE DIR [DEVICES] [BATCHES] [SIZE] [ROUNDS]
 * Prints: name value baseline ratio, one figure a line (bench/run reads it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdlib.h>

#include "bench-server.h"
#include "kuu-wire.h"

typedef struct _Run Run;

typedef struct
{
  Run       *run;
  char      *authorization;
  GPtrArray *bodies;      /* GBytes, one a batch */
  guint      next;
  gint64     sent_at;
} Device;

struct _Run
{
  SoupSession *session;
  char        *uri;
  Device      *devices;
  guint        n_devices;
  guint        size;
  guint        running;
  guint        errors;
  guint64      accepted;   /* records the server said it stored */
  GArray      *latencies;  /* ms */
};

typedef struct
{
  double records_per_s;
  double p99_ms;
  double server_cpu_ms;  /* a thousand records */
  double client_cpu_ms;  /* the bench's own (the devices' HTTP), a thousand records */
  double server_cores;   /* CPU seconds a second of the run: how busy */
  double client_cores;
  guint  errors;
} Result;

static GBytes *
make_body (guint first,
           guint size)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  for (guint i = 0; i < size; i++)
    {
      g_autoptr(KuuSubmission) record = bench_make_record (first + i);

      json_builder_add_value (builder, kuu_wire_submission_to_json (record, TRUE));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

/* How many results say "accepted": the server answers one per record. */
static guint
count_accepted (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *end = data + size;
  const char needle[] = "\"status\":\"accepted\"";
  guint n = 0;

  for (const char *p = data; p != NULL && p < end; p++)
    {
      if (!(p = g_strstr_len (p, end - p, needle)))
        break;
      n++;
    }
  return n;
}

static void send_next (Device *device);

static void
on_response_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SoupMessage) message = user_data;
  Device *device = g_object_get_data (G_OBJECT (message), "bench-device");
  Run *run = device->run;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  double ms = (g_get_monotonic_time () - device->sent_at) / 1000.0;
  guint accepted = bytes != NULL && soup_message_get_status (message) == SOUP_STATUS_OK ? count_accepted (bytes) : 0;

  g_array_append_val (run->latencies, ms);
  run->accepted += accepted;
  if (accepted != run->size)
    {
      run->errors++;
      if (run->errors <= 5)
        g_printerr ("error: %s %u\n", error ? error->message : "status", soup_message_get_status (message));
    }
  if (device->next < device->bodies->len)
    send_next (device);
  else
    run->running--;
}

static void
send_next (Device *device)
{
  Run *run = device->run;
  SoupMessage *message = soup_message_new ("POST", run->uri);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                device->authorization);
  soup_message_set_request_body_from_bytes (message, "application/json",
                                            g_ptr_array_index (device->bodies, device->next++));
  g_object_set_data (G_OBJECT (message), "bench-device", device);
  device->sent_at = g_get_monotonic_time ();
  soup_session_send_and_read_async (run->session, message, G_PRIORITY_DEFAULT, NULL, on_response_cb, message);
}

static Result
run_devices (const char *server_exe,
             const char *database,
             guint       n_devices,
             guint       batches,
             guint       size)
{
  g_autoptr(BenchServer) server = bench_server_start (server_exe, database);
  Run run = { .n_devices = n_devices, .size = size };
  Result result = { 0 };
  gint64 start, end, held;
  double cpu, client_cpu, records;

  run.uri = g_strconcat (server->base, "/api/v1/submissions", NULL);
  run.session = soup_session_new_with_options ("max-conns", n_devices + 8, "max-conns-per-host", n_devices + 8,
                                               "timeout", 300, NULL);
  run.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  run.devices = g_new0 (Device, n_devices);
  for (guint d = 0; d < n_devices; d++)
    {
      g_autofree char *token = bench_server_enrol (server, server_exe);

      run.devices[d].run = &run;
      run.devices[d].authorization = g_strconcat ("Bearer ", token, NULL);
      run.devices[d].bodies = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
      for (guint b = 0; b < batches; b++)
        g_ptr_array_add (run.devices[d].bodies, make_body ((d * batches + b) * size, size));
    }

  cpu = bench_server_cpu_seconds (server);
  client_cpu = bench_self_cpu_seconds ();
  start = g_get_monotonic_time ();
  run.running = n_devices;
  for (guint d = 0; d < n_devices; d++)
    send_next (&run.devices[d]);
  while (run.running > 0)
    g_main_context_iteration (NULL, TRUE);
  end = g_get_monotonic_time ();
  records = (double)n_devices * batches * size;
  cpu = bench_server_cpu_seconds (server) - cpu;
  client_cpu = bench_self_cpu_seconds () - client_cpu;
  result.server_cpu_ms = cpu * 1e6 / records;
  result.client_cpu_ms = client_cpu * 1e6 / records;
  result.server_cores = cpu / ((end - start) / (double)G_USEC_PER_SEC);
  result.client_cores = client_cpu / ((end - start) / (double)G_USEC_PER_SEC);

  held = bench_server_count (server);
  if (held != (gint64)n_devices * batches * size && run.errors == 0)
    g_error ("the server holds %" G_GINT64_FORMAT " records, not %u", held, n_devices * batches * size);
  /* Only what was stored counts: a failed batch is no record taken in. */
  result.records_per_s = run.accepted / ((end - start) / (double)G_USEC_PER_SEC);
  result.p99_ms = bench_percentile (run.latencies, 0.99);
  result.errors = run.errors + (held != (gint64)n_devices * batches * size);

  for (guint d = 0; d < n_devices; d++)
    {
      g_free (run.devices[d].authorization);
      g_ptr_array_unref (run.devices[d].bodies);
    }
  g_free (run.devices);
  g_array_unref (run.latencies);
  g_object_unref (run.session);
  g_free (run.uri);
  return result;
}

static Result
run_fresh (const char *server_exe,
           const char *dir,
           guint       n_devices,
           guint       batches,
           guint       size)
{
  g_autofree char *database = g_build_filename (dir, "ingest.db", NULL);
  Result result = run_devices (server_exe, database, n_devices, batches, size);

  bench_remove_database (database);
  return result;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) many_rate = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) one_rate = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) many_p99 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) one_p99 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) many_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) one_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  guint devices, batches, size, rounds, errors = 0;
  double load_before, many, one, many_lat, one_lat;

  if (argc < 3)
    {
      g_printerr ("usage: bench-ingest SERVER-EXECUTABLE DIR [DEVICES] [BATCHES] [SIZE] [ROUNDS]\n");
      return 2;
    }
  devices = argc > 3 ? atoi (argv[3]) : 50;
  batches = argc > 4 ? atoi (argv[4]) : 20;
  size = argc > 5 ? atoi (argv[5]) : 100;
  rounds = argc > 6 ? atoi (argv[6]) : 3;
  load_before = bench_load_average ();

  for (guint r = 0; r < rounds; r++)
    {
      Result a, b;

      if (r % 2 == 0)
        {
          a = run_fresh (argv[1], argv[2], devices, batches, size);
          b = run_fresh (argv[1], argv[2], 1, batches, size);
        }
      else
        {
          b = run_fresh (argv[1], argv[2], 1, batches, size);
          a = run_fresh (argv[1], argv[2], devices, batches, size);
        }
      g_printerr ("round %u: %u devices %.0f records/s p99 %.1f ms (%u errors, server CPU %.0f ms/1000, "
                  "client %.0f; cores busy: server %.2f, client %.2f); "
                  "one device %.0f records/s p99 %.1f ms (%u errors, server CPU %.0f ms/1000, "
                  "client %.0f; cores busy: server %.2f, client %.2f)\n",
                  r + 1, devices, a.records_per_s, a.p99_ms, a.errors, a.server_cpu_ms,
                  a.client_cpu_ms, a.server_cores, a.client_cores,
                  b.records_per_s, b.p99_ms, b.errors, b.server_cpu_ms,
                  b.client_cpu_ms, b.server_cores, b.client_cores);
      g_array_append_val (many_cpu, a.server_cpu_ms);
      g_array_append_val (one_cpu, b.server_cpu_ms);
      g_array_append_val (many_rate, a.records_per_s);
      g_array_append_val (many_p99, a.p99_ms);
      g_array_append_val (one_rate, b.records_per_s);
      g_array_append_val (one_p99, b.p99_ms);
      errors += a.errors + b.errors;
    }

  many = bench_percentile (many_rate, 0.5);
  one = bench_percentile (one_rate, 0.5);
  many_lat = bench_percentile (many_p99, 0.5);
  one_lat = bench_percentile (one_p99, 0.5);
  /* One line a figure: name, value, baseline, ratio (bench/run reads them). */
  g_print ("ingest-records-per-s %.0f %.0f %.2f\n", many, one, many / one);
  g_print ("ingest-p99-ms %.1f %.1f %.2f\n", many_lat, one_lat, many_lat / one_lat);
  g_print ("ingest-server-cpu-ms-per-1000 %.0f %.0f %.2f\n", bench_percentile (many_cpu, 0.5),
           bench_percentile (one_cpu, 0.5), bench_percentile (many_cpu, 0.5) / bench_percentile (one_cpu, 0.5));
  g_print ("ingest-errors %u 0 0\n", errors);
  g_print ("load-average %.2f %.2f 1.00\n", load_before, bench_load_average ());
  return errors > 0;
}
