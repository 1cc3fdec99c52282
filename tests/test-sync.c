/* test-sync.c: the kiosk's outbox against the real kuulolla-server on
 * 127.0.0.1 — every record arrives once, field for field, through a
 * server killed and restarted mid-stream; a refused record stays on the
 * kiosk with its reason; a revoked token stops the sync without losing
 * anything; a long time offline. The faults, the pulls and TLS are in
 * test-sync-faults.c, test-sync-pull.c and test-sync-tls.c; what they
 * share in tests/fixtures/kuu-test-sync.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>

#include "kuu-store-private.h"
#include "kuu-test-server.h"
#include "kuu-test-sync.h"
#include "kuu-tls.h"

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  g_autoptr(KuuSubmission) kept = NULL;

  add_mixed (f, 30);
  kuu_sync_start (sync);
  drain (f, sync);

  assert_server_has_all (f, 30);
  g_assert_cmpint (kuu_outbox_count_rejected (f->store, NULL), ==, 0);
  g_assert_cmpuint (kuu_sync_get_delivered (sync), ==, 30);
  g_assert_cmpint (kuu_sync_get_last_success (sync), >, 0);

  /* The server has the contacts: the kiosk keeps none. */
  kept = kuu_store_get (f->store, ((KuuSubmission *)g_ptr_array_index (f->sent, 1))->uuid, NULL);
  g_assert_nonnull (kept);
  g_assert_false (kuu_submission_has_contact (kept));
}

static void
test_rejected_kept (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  KuuSubmission *foreign = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "talous", 7);
  g_autoptr(KuuSubmission) kept = NULL;

  add (f, foreign);
  add_mixed (f, 5);
  kuu_sync_start (sync);
  drain (f, sync);

  g_assert_cmpint (kuu_outbox_count_rejected (f->store, NULL), ==, 1);
  g_assert_cmpuint (kuu_sync_get_delivered (sync), ==, 5);
  kept = kuu_store_get (f->store, foreign->uuid, NULL);
  g_assert_nonnull (kept);
  g_ptr_array_remove_index (f->sent, 0);
  assert_server_has_all (f, 5);
}

static void
test_server_killed (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  guint kills = 0;
  guint errors = 0;

  add_mixed (f, 3000);
  kuu_sync_set_backoff (sync, 20, 400);
  g_signal_connect (sync, "notify::last-error", G_CALLBACK (on_error_cb), &errors);
  kuu_sync_start (sync);

  /* Kill it while a batch is on its way or being stored, then bring it
   * back on the same port: those batches die mid-way and are sent again.
   * Five kills, and more until one has cut a batch: a slow client (a
   * sanitized build) may still be reading its batch when the kill comes. */
  while ((kills < 5 || errors == 0) && kills < 30 && kuu_outbox_count_pending (f->store, NULL) > 0)
    {
      while (kuu_sync_get_state (sync) != KUU_SYNC_SENDING)
        g_main_context_iteration (NULL, TRUE);
      run_for (g_random_int_range (5, 150) * time_factor ());
      kill_server (f);
      kills++;
      run_for (100);
      start_server (f);
    }

  drain (f, sync);
  g_test_message ("killed the server %u times; the client saw %u failures", kills, errors);
  g_assert_cmpuint (errors, >, 0);
  assert_server_has_all (f, 3000);
  g_assert_cmpint (kuu_outbox_count_rejected (f->store, NULL), ==, 0);
}

static void
test_revoked (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *device = NULL;
  g_autofree char *revoked = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->server_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "SELECT id FROM devices", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  device = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  revoked = kuu_test_server_admin (f->server_db, "revoke", device, NULL);

  add_mixed (f, 3);
  kuu_sync_start (sync);
  while (kuu_sync_get_state (sync) != KUU_SYNC_UNAUTHORIZED)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (kuu_outbox_count_pending (f->store, NULL), ==, 3);
  g_assert_nonnull (strstr (kuu_sync_get_last_error (sync), "enrol"));
}

static void
on_enrolled_full_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  KuuEnrolment **enrolment = user_data;
  g_autoptr(GError) error = NULL;

  *enrolment = kuu_sync_enrol_finish_full (result, &error);
  g_assert_no_error (error);
}

static char *
server_device_id (Fixture *f)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *id;

  g_assert_cmpint (sqlite3_open_v2 (f->server_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id FROM devices", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return id;
}

/* The 201 names the device and its region besides the token; the token
 * works. */
static void
test_enrol_result (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *code = kuu_test_server_admin (f->server_db, "enrol", "--region", "kainuu", "--unit", "Kajaani", NULL);
  g_autoptr(KuuEnrolment) enrolment = NULL;
  g_autoptr(KuuEnrolment) copy = NULL;
  g_autofree char *device_id = NULL;
  g_autoptr(KuuSync) sync = NULL;

  kuu_sync_enrol_async (f->base, code, "Kajaani", NULL, on_enrolled_full_cb, &enrolment);
  while (enrolment == NULL)
    g_main_context_iteration (NULL, TRUE);

  device_id = server_device_id (f);
  g_assert_cmpstr (enrolment->device_id, ==, device_id);
  g_assert_cmpstr (enrolment->region, ==, "kainuu");
  g_assert_cmpuint (strlen (enrolment->token), >=, 22);  /* 128 bits in base64 */
  copy = g_boxed_copy (KUU_TYPE_ENROLMENT, enrolment);
  g_assert_cmpstr (copy->token, ==, enrolment->token);
  g_assert_cmpstr (copy->device_id, ==, device_id);

  sync = kuu_sync_new (f->store, f->base, enrolment->token);
  add_mixed (f, 2);
  kuu_sync_start (sync);
  drain (f, sync);
  assert_server_has_all (f, 2);
}

static gboolean
has_no_error (gpointer data)
{
  return kuu_sync_get_last_error (data) == NULL;
}

/* While a failed try waits out a long backoff, kuu_sync_now() tries at
 * once; a success then clears the error and sets last-success. */
static void
test_now_during_backoff (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  g_autoptr(GHashTable) notifies = watch_notifies (sync);
  guint errors = 0;
  gint64 started;

  /* Ten minutes at least between tries: only kuu_sync_now() can help. */
  kuu_sync_set_backoff (sync, 10 * 60 * 1000, 10 * 60 * 1000);
  g_signal_connect (sync, "notify::last-error", G_CALLBACK (on_error_cb), &errors);
  kill_server (f);
  add_mixed (f, 3);
  kuu_sync_start (sync);
  while (kuu_sync_get_state (sync) != KUU_SYNC_WAITING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (kuu_sync_get_last_error (sync));
  g_assert_cmpint (kuu_sync_get_last_success (sync), ==, 0);
  g_assert_cmpuint (errors, >=, 1);

  /* Still down: the try is made at once, and fails back to waiting. */
  kuu_sync_now (sync);
  g_assert_cmpint (kuu_sync_get_state (sync), ==, KUU_SYNC_SENDING);
  while (kuu_sync_get_state (sync) != KUU_SYNC_WAITING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (kuu_outbox_count_pending (f->store, NULL), ==, 3);

  /* Back: everything goes now, not in ten minutes. */
  start_server (f);
  started = g_get_monotonic_time ();
  kuu_sync_now (sync);
  g_assert_cmpint (kuu_sync_get_state (sync), ==, KUU_SYNC_SENDING);
  drain (f, sync);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 30 * G_USEC_PER_SEC);
  assert_server_has_all (f, 3);
  g_assert_cmpint (kuu_sync_get_last_success (sync), >, 0);

  /* The pulls failed too while it was down; once they go through as well,
   * no error is left for staff. */
  kuu_sync_pull_now (sync);
  wait_for (has_no_error, sync, 30, "last-error to clear");
  g_assert_cmpuint (errors, >=, 2);

  /* A pull may still hold the sync: nothing may reach the handlers'
   * data, gone with this function. */
  kuu_sync_stop (sync);
  g_signal_handlers_disconnect_by_data (sync, &errors);
  g_signal_handlers_disconnect_by_data (sync, notifies);
}

static gboolean
has_last_success (gpointer data)
{
  return kuu_sync_get_last_success (data) > 0;
}

/* Nothing to send: a pull the server answers is the sign all is well. */
static void
test_success_by_pull (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  g_autoptr(GHashTable) notifies = watch_notifies (sync);

  kuu_sync_start (sync);
  wait_for (has_last_success, sync, 30, "a pull to succeed");
  g_assert_cmpuint (kuu_sync_get_delivered (sync), ==, 0);
  g_assert_cmpint (kuu_sync_get_state (sync), ==, KUU_SYNC_IDLE);
  g_assert_cmpint (ABS (kuu_sync_get_last_success (sync) - g_get_real_time () / G_USEC_PER_SEC), <=, 5);
  g_assert_null (kuu_sync_get_last_error (sync));
  kuu_sync_stop (sync);
  g_signal_handlers_disconnect_by_data (sync, notifies);
}

/* --- a long time offline ------------------------------------------------- */

/* Under AddressSanitizer, which tracks every allocation with its stack, a
 * fiftieth as many: the same path, within the test's time; the output says so. */
#ifdef ADDRESS_SANITIZED
#define LONG_OFFLINE 2000
#else
#define LONG_OFFLINE 100000
#endif

static gboolean
on_tick_cb (gpointer user_data)
{
  (*(guint *)user_data)++;
  return G_SOURCE_CONTINUE;
}

/* The server received them oldest first: its insertion order is the
 * kiosk's. */
static void
assert_server_order (Fixture *f)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint i = 0;

  g_assert_cmpint (sqlite3_open_v2 (f->server_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT uuid FROM records ORDER BY rowid", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const KuuSubmission *made = g_ptr_array_index (f->sent, i);

      g_assert_cmpuint (i, <, f->sent->len);
      g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, made->uuid);
      i++;
    }
  g_assert_cmpuint (i, ==, f->sent->len);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_long_offline (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_real_time () / G_USEC_PER_SEC - 60 * 24 * 3600;
  gint64 began, elapsed_ms;
  guint ticks = 0;
  guint tick;

  /* Sixty days offline, in one transaction. */
  for (guint i = 0; i < LONG_OFFLINE; i++)
    {
      KuuSubmission *s = make_one (i);

      s->created_at = start + i * 50;
      g_ptr_array_add (f->sent, s);
    }
  g_assert_true (_kuu_store_add_all (f->store, f->sent, &error));
  g_assert_no_error (error);

  tick = g_timeout_add (10, on_tick_cb, &ticks);
  began = g_get_monotonic_time ();
  kuu_sync_start (sync);
  drain_quietly (sync, 600);
  elapsed_ms = (g_get_monotonic_time () - began) / 1000;
  g_source_remove (tick);

#ifdef ADDRESS_SANITIZED
  g_test_message ("a sanitized build: %u records, not the 100000 of a normal one", LONG_OFFLINE);
#endif
  g_test_message ("%u records drained in %.1f s; the main loop ticked %u times (%.0f %% of every 10 ms)",
                  LONG_OFFLINE, elapsed_ms / 1000.0, ticks, 100.0 * ticks / MAX (1, elapsed_ms / 10));
  /* Generous: a loaded machine skips ticks, a blocked loop skips them all. */
  g_assert_cmpuint (ticks, >=, elapsed_ms / 10 / 4);
  assert_server_order (f);
  assert_delivered_once (f, sync, LONG_OFFLINE);
}

int
main (int   argc,
      char *argv[])
{
  /* As the app does: first thing, for every TLS connection of the process. */
  kuu_tls_use_policy ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/round-trip", Fixture, NULL, fixture_set_up, test_round_trip, fixture_tear_down);
  g_test_add ("/sync/rejected-kept", Fixture, NULL, fixture_set_up, test_rejected_kept, fixture_tear_down);
  g_test_add ("/sync/server-killed", Fixture, NULL, fixture_set_up, test_server_killed, fixture_tear_down);
  g_test_add ("/sync/revoked", Fixture, NULL, fixture_set_up, test_revoked, fixture_tear_down);
  g_test_add ("/sync/enrol-result", Fixture, NULL, fixture_set_up, test_enrol_result, fixture_tear_down);
  g_test_add ("/sync/now-during-backoff", Fixture, NULL, fixture_set_up, test_now_during_backoff, fixture_tear_down);
  g_test_add ("/sync/success-by-pull", Fixture, NULL, fixture_set_up, test_success_by_pull, fixture_tear_down);
  g_test_add ("/sync/long-offline", Fixture, "shm", fixture_set_up, test_long_offline, fixture_tear_down);

  return g_test_run ();
}
