/* test-device-session.c
 *
 * KuuDeviceSession against the real kuulolla-server on a loopback port
 * (tests/fixtures/kuu-test-server): enrolment with a one-time code, the
 * device file and the sync that follow, an answer delivered; a refused
 * code; the credentials of another server or region never used; the
 * region file the sync validated passed on as a strategy. Every problem
 * comes as one GError in KUU_DEVICE_SESSION_ERROR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "kuu-device-session.h"
#include "kuu-test-server.h"
#include "kuu-test-tree.h"

typedef struct
{
  char        *dir;
  char        *server_db;
  char        *kiosk_db;
  GSubprocess *server;
  char        *base;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("kuulolla-session-XXXXXX", &error);
  g_assert_no_error (error);
  f->server_db = g_build_filename (f->dir, "server.db", NULL);
  f->kiosk_db = g_build_filename (f->dir, "kiosk.db", NULL);
  f->server = kuu_test_server_start (NULL, f->server_db, NULL, NULL, &f->base);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kuu_test_server_kill (f->server);
  g_clear_object (&f->server);
  kuu_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->server_db);
  g_free (f->kiosk_db);
  g_free (f->base);
}

static KuuDeviceSession *
open_session (Fixture    *f,
              const char *server_url,
              const char *code)
{
  KuuDeviceSession *session = kuu_device_session_new (f->kiosk_db);
  g_autoptr(GError) error = NULL;

  kuu_device_session_set_server (session, server_url, code, NULL);
  kuu_device_session_open (session, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kuu_device_session_get_store (session));
  return session;
}

/* Stopped, then every exchange's callback run: nothing outlives it. */
static void
finish_session (KuuDeviceSession *session)
{
  kuu_device_session_stop (session);
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *)&session);
  g_object_unref (session);
  while (session != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_counted_cb (gpointer user_data)
{
  (*(guint *)user_data)++;
}

static void
on_region_changed_cb (KuuDeviceSession  *session,
                      KuuStrategy       *strategy,
                      KuuStrategy      **out)
{
  g_set_object (out, strategy);
}

static void
on_result_cb (GObject       *object,
              GAsyncResult  *result,
              gpointer       user_data)
{
  g_set_object ((GAsyncResult **)user_data, result);
}

static char *
make_code (Fixture    *f,
           const char *region)
{
  return kuu_test_server_admin (f->server_db, "enrol", "--region", region, "--unit", "Kajaani", NULL);
}

static void
add_answer (KuuStore *store)
{
  g_autoptr(GError) error = NULL;
  KuuSubmission *submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "together", 9);

  kuu_submission_set_place (submission, "kainuu", "Kajaani", KUU_LANGUAGE_FI);
  kuu_store_add (store, submission, &error);
  g_assert_no_error (error);
  kuu_submission_free (submission);
}

/* --enrol at start: the device file is written, the PIN cleared, answers
 * go to the server, and the region file comes as a strategy. */
static void
test_session_enrol_and_send (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *code = make_code (f, "kainuu");
  KuuDeviceSession *session = open_session (f, f->base, code);
  g_autoptr(KuuStrategy) region = NULL;
  g_autofree char *device_path = kuu_device_path_for (f->kiosk_db);
  guint enrolled = 0;
  KuuSync *sync;

  g_signal_connect_swapped (session, "enrolled", G_CALLBACK (on_counted_cb), &enrolled);
  g_signal_connect (session, "region-changed", G_CALLBACK (on_region_changed_cb), &region);
  kuu_device_session_start (session, "kainuu", "Kajaani");
  g_assert_null (kuu_device_session_get_sync (session));  /* not before the server answered */

  while (enrolled == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (kuu_device_session_get_problem (session));
  g_assert_true (g_file_test (device_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (kuu_device_is_enrolled (kuu_device_session_get_device (session)));
  g_assert_cmpstr (kuu_device_get_region (kuu_device_session_get_device (session)), ==, "kainuu");
  sync = kuu_device_session_get_sync (session);
  g_assert_nonnull (sync);

  add_answer (kuu_device_session_get_store (session));
  kuu_device_session_sync_now (session);
  while (kuu_sync_get_delivered (sync) < 1)
    g_main_context_iteration (NULL, TRUE);

  /* The first pull installs the region file: what the loader read of it. */
  while (region == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (kuu_strategy_get_id (region), ==, "kainuu");

  finish_session (session);
}

/* A code the server does not know: the problem says so, nothing is
 * written, nothing is sent. */
static void
test_session_refused_code (Fixture       *f,
                           gconstpointer  data)
{
  KuuDeviceSession *session = open_session (f, f->base, NULL);
  g_autofree char *device_path = kuu_device_path_for (f->kiosk_db);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const GError *problem;

  kuu_device_session_start (session, "kainuu", "Kajaani");
  g_assert_error (kuu_device_session_get_problem (session), KUU_DEVICE_SESSION_ERROR,
                  KUU_DEVICE_SESSION_ERROR_NOT_ENROLLED);

  kuu_device_session_enrol_async (session, f->base, "WRON-GCOD-E000", "Kajaani", "kainuu", NULL,
                                  on_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (kuu_device_session_enrol_finish (session, result, &error));
  g_assert_error (error, KUU_SYNC_ERROR, KUU_SYNC_ERROR_REFUSED);

  problem = kuu_device_session_get_problem (session);
  g_assert_error (problem, KUU_DEVICE_SESSION_ERROR, KUU_DEVICE_SESSION_ERROR_ENROL_FAILED);
  g_assert_cmpstr (problem->message, ==, error->message);
  g_assert_false (g_file_test (device_path, G_FILE_TEST_EXISTS));
  g_assert_null (kuu_device_session_get_sync (session));

  g_clear_object (&result);  /* it holds the session */
  finish_session (session);
}

/* Enrolled for Kainuu with this server: a start for another region or
 * with another server's address makes no sync, and says why. */
static void
test_session_other_region_and_server (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *code = make_code (f, "kainuu");
  KuuDeviceSession *session = open_session (f, f->base, code);
  guint enrolled = 0;

  g_signal_connect_swapped (session, "enrolled", G_CALLBACK (on_counted_cb), &enrolled);
  kuu_device_session_start (session, "kainuu", "Kajaani");
  while (enrolled == 0)
    g_main_context_iteration (NULL, TRUE);
  finish_session (session);

  session = open_session (f, NULL, NULL);
  kuu_device_session_start (session, "kymenlaakso", "Kotka");
  g_assert_error (kuu_device_session_get_problem (session), KUU_DEVICE_SESSION_ERROR,
                  KUU_DEVICE_SESSION_ERROR_OTHER_REGION);
  g_assert_cmpstr (kuu_device_session_get_problem (session)->message, ==, "kainuu");
  g_assert_null (kuu_device_session_get_sync (session));
  finish_session (session);

  session = open_session (f, "http://127.0.0.1:9", NULL);
  kuu_device_session_start (session, "kainuu", "Kajaani");
  g_assert_error (kuu_device_session_get_problem (session), KUU_DEVICE_SESSION_ERROR,
                  KUU_DEVICE_SESSION_ERROR_OTHER_SERVER);
  g_assert_null (kuu_device_session_get_sync (session));
  finish_session (session);

  /* The device file's own server: it sends. */
  session = open_session (f, NULL, NULL);
  kuu_device_session_start (session, "kainuu", "Kajaani");
  g_assert_null (kuu_device_session_get_problem (session));
  g_assert_nonnull (kuu_device_session_get_sync (session));
  g_assert_cmpstr (kuu_device_session_get_server_url (session), ==, f->base);
  finish_session (session);
}

/* A broken device file: the problem carries the device's own words. */
static void
test_session_broken_device_file (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *device_path = kuu_device_path_for (f->kiosk_db);
  KuuDeviceSession *session;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (device_path, "not a key file\n", -1, &error);
  g_assert_no_error (error);
  session = open_session (f, NULL, NULL);
  kuu_device_session_start (session, "kainuu", "Kajaani");
  g_assert_error (kuu_device_session_get_problem (session), KUU_DEVICE_SESSION_ERROR,
                  KUU_DEVICE_SESSION_ERROR_DEVICE_FILE);
  g_assert_null (kuu_device_session_get_sync (session));
  finish_session (session);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("kuulolla-session-data-XXXXXX", NULL);
  int status;

  /* The region pull writes into $XDG_DATA_HOME: a folder of its own. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/device-session/enrol-and-send", Fixture, NULL,
              fixture_set_up, test_session_enrol_and_send, fixture_tear_down);
  g_test_add ("/device-session/refused-code", Fixture, NULL,
              fixture_set_up, test_session_refused_code, fixture_tear_down);
  g_test_add ("/device-session/other-region-and-server", Fixture, NULL,
              fixture_set_up, test_session_other_region_and_server, fixture_tear_down);
  g_test_add ("/device-session/broken-device-file", Fixture, NULL,
              fixture_set_up, test_session_broken_device_file, fixture_tear_down);

  status = g_test_run ();
  kuu_test_remove_tree (data_home);
  return status;
}
