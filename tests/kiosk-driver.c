/* kiosk-driver.c: a headless kiosk for test-chaos — the app's own KuuStore
 * and KuuSync from app/core, without GTK, so that it can be killed and
 * started again hundreds of times in a few minutes.
 *
 * It does what the app does with a resident's answer: kuu_store_add_async
 * on the main loop (the path kuu_flow_save takes), then kuu_sync_now once
 * the commit returned (kuu_context_sync_now). Only then is the record's
 * UUID printed, with the record as the wire format has it, one line each:
 * a line on stdout is a commit the kiosk acknowledged.
 *
 * Usage: kiosk-driver DATABASE SERVER TOKEN SEED
 *        kiosk-driver DATABASE SERVER TOKEN --drain
 * The second form submits nothing: it syncs until the outbox is empty and
 * exits 0, or exits 1 after a minute with the sync's last error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include "kuu-outbox.h"
#include "kuu-sync.h"
#include "kuu-test-records.h"
#include "kuu-wire.h"

#define DRAIN_SECONDS 60

typedef struct
{
  KuuStore      *store;
  KuuSync       *sync;
  GRand         *rand;
  GMainLoop     *loop;
  KuuSubmission *current;  /* the one being written: one at a time, as at a kiosk */
  guint          made;
  int            status;
} Driver;

static void submit_next (Driver *driver);

/* The same mix the sync tests use (tests/fixtures/kuu-test-records.c),
 * its kinds in a random order. */
static KuuSubmission *
make_one (Driver *driver)
{
  guint i = driver->made++;

  return kuu_test_record_new (g_rand_int_range (driver->rand, 0, 3), i);
}

static void
print_committed (const KuuSubmission *submission)
{
  g_autoptr(JsonNode) node = kuu_wire_submission_to_json (submission, TRUE);
  g_autofree char *json = json_to_string (node, FALSE);

  printf ("%s\t%s\n", submission->uuid, json);
  fflush (stdout);
}

static gboolean
on_submit_timeout_cb (gpointer user_data)
{
  submit_next (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_added_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Driver *driver = user_data;
  g_autoptr(KuuSubmission) submission = g_steal_pointer (&driver->current);
  g_autoptr(GError) error = NULL;

  if (!kuu_store_add_finish (KUU_STORE (object), result, &error))
    {
      /* The app would keep the input and say so; here it is a failure. */
      g_printerr ("kiosk-driver: %s\n", error->message);
      driver->status = 1;
      g_main_loop_quit (driver->loop);
      return;
    }

  print_committed (submission);
  kuu_sync_now (driver->sync);
  /* A resident every few milliseconds: the sync always has work. */
  g_timeout_add (g_rand_int_range (driver->rand, 0, 6), on_submit_timeout_cb, driver);
}

static void
submit_next (Driver *driver)
{
  g_assert (driver->current == NULL);
  driver->current = make_one (driver);
  kuu_store_add_async (driver->store, driver->current, NULL, on_added_cb, driver);
}

static gboolean
on_drain_tick_cb (gpointer user_data)
{
  Driver *driver = user_data;
  g_autoptr(GError) error = NULL;
  gint64 pending = kuu_outbox_count_pending (driver->store, &error);

  if (pending < 0)
    {
      g_printerr ("kiosk-driver: %s\n", error->message);
      driver->status = 1;
      g_main_loop_quit (driver->loop);
      return G_SOURCE_REMOVE;
    }
  if (pending == 0 && kuu_sync_get_state (driver->sync) != KUU_SYNC_SENDING)
    {
      driver->status = 0;
      g_main_loop_quit (driver->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_drain_timeout_cb (gpointer user_data)
{
  Driver *driver = user_data;

  g_printerr ("kiosk-driver: outbox not empty after %d s; last error: %s\n",
              DRAIN_SECONDS, kuu_sync_get_last_error (driver->sync));
  driver->status = 1;
  g_main_loop_quit (driver->loop);
  return G_SOURCE_REMOVE;
}

/* The sync says every failed try of a server killed on purpose: hundreds
 * of lines nobody reads. Warnings and errors still show. */
static void
quiet_log_cb (const char     *domain,
              GLogLevelFlags  level,
              const char     *message,
              gpointer        user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    g_log_default_handler (domain, level, message, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  Driver driver = { 0 };
  gboolean drain;

  if (argc != 5)
    {
      g_printerr ("usage: kiosk-driver DATABASE SERVER TOKEN SEED|--drain\n");
      return 2;
    }

  g_log_set_default_handler (quiet_log_cb, NULL);
  drain = g_str_equal (argv[4], "--drain");
  if (!(driver.store = kuu_store_open (argv[1], &error)))
    {
      g_printerr ("kiosk-driver: %s\n", error->message);
      return 1;
    }
  driver.rand = g_rand_new_with_seed (drain ? 0 : (guint32)strtoul (argv[4], NULL, 10));
  driver.loop = g_main_loop_new (NULL, FALSE);
  driver.sync = kuu_sync_new (driver.store, argv[2], argv[3]);
  kuu_sync_set_backoff (driver.sync, 10, 200);
  kuu_sync_set_timeout (driver.sync, 5);
  kuu_sync_start (driver.sync);

  if (drain)
    {
      kuu_sync_now (driver.sync);
      g_timeout_add (20, on_drain_tick_cb, &driver);
      g_timeout_add_seconds (DRAIN_SECONDS, on_drain_timeout_cb, &driver);
    }
  else
    submit_next (&driver);

  g_main_loop_run (driver.loop);

  kuu_sync_stop (driver.sync);
  g_clear_object (&driver.sync);
  g_clear_object (&driver.store);
  g_main_loop_unref (driver.loop);
  g_rand_free (driver.rand);
  return driver.status;
}
