/* test-device-page.c: Device status shows the device's figures — not
 * enrolled and why, the records waiting — follows the sync it is given,
 * and its Sync now tries again at once; nothing of it is leaked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "kuu-context.h"
#include "kuu-device-page.h"
#include "kuu-outbox.h"
#include "kuu-test-context.h"
#include "widget-text.h"

/* Nothing listens on the discard port of 127.0.0.1: every try fails at once. */
#define NOWHERE "http://127.0.0.1:9"

typedef KuuTestContext Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  KuuSubmission *submission;

  /* data: "desktop" for a window on a desktop, else a kiosk */
  kuu_test_context_set_up (f, "kainuu", "Kajaani", data == NULL, NULL);

  submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "together", 9);
  kuu_submission_set_place (submission, "kainuu", "Kajaani", KUU_LANGUAGE_EN);
  kuu_store_add (f->store, submission, &error);
  g_assert_no_error (error);
  kuu_submission_free (submission);

  kuu_device_session_set_server (kuu_context_get_session (f->context), NOWHERE, NULL, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kuu_test_context_tear_down (f);
}

static char *
labels_of (GtkWidget *page)
{
  GString *labels = g_string_new (NULL);

  collect_labels (page, labels);
  return g_string_free (labels, FALSE);
}

/* Runs the main loop until the page shows @text (a term and its figure,
 * one per line), or fails after a while. */
static void
wait_shows (GtkWidget  *page,
            const char *text)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *labels = labels_of (page);

      if (strstr (labels, text) != NULL)
        return;
      if (g_get_monotonic_time () > deadline)
        assert_shows (labels, text);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static void
finish (GtkWidget *page)
{
  /* Its count in a worker thread holds it until the thread is done. */
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *)&page);
  g_object_unref (page);
  while (page != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_device_page_not_enrolled (Fixture       *f,
                               gconstpointer  data)
{
  KuuDeviceSession *session = kuu_context_get_session (f->context);
  GtkWidget *page;

  /* No device file beside the store, a server set. */
  kuu_device_session_start (session, "kainuu", "Kajaani");
  page = g_object_ref_sink (kuu_device_page_new (f->context));

  wait_shows (page, "Records waiting\n1\n");
  wait_shows (page, "Server\n" NOWHERE "\n");
  wait_shows (page, "Unit\nKajaani\n");
  wait_shows (page, "Enrolled\nNo\n");
  wait_shows (page, "Sync\nNot sending: answers stay on this device\n");
  wait_shows (page, "Last successful sync\nNot yet since the app started\n");
  wait_shows (page, "Records rejected\n0\n");
  wait_shows (page, "Last error\nThis device is not enrolled with the server yet");

  /* Enrolment failing while the page shows (nothing listens there): it
   * follows. */
  kuu_device_session_enrol_async (session, NOWHERE, "ABCD-EFGH-JKLM", "Kajaani", "kainuu", NULL, NULL, NULL);
  wait_shows (page, "Last error\nEnrolment with " NOWHERE " failed: ");

  finish (page);
}

static void
on_state_changed_cb (KuuSync    *sync,
                     GParamSpec *pspec,
                     guint      *tries)
{
  if (kuu_sync_get_state (sync) == KUU_SYNC_SENDING)
    (*tries)++;
}

/* The session makes the sync and notifies before starting it: a long
 * backoff, so that only Sync now can make the next try come soon. */
static void
on_sync_made_cb (KuuDeviceSession *session,
                 GParamSpec       *pspec,
                 guint            *tries)
{
  KuuSync *sync = kuu_device_session_get_sync (session);

  if (sync == NULL)
    return;
  kuu_sync_set_backoff (sync, 600000, 600000);
  g_signal_connect (sync, "notify::state", G_CALLBACK (on_state_changed_cb), tries);
}

static void
test_device_page_sync_now (Fixture       *f,
                           gconstpointer  data)
{
  KuuDeviceSession *session = kuu_context_get_session (f->context);
  g_autofree char *path = kuu_test_context_path (f, "kiosk.db");
  g_autofree char *device_path = kuu_device_path_for (path);
  g_autoptr(KuuDevice) device = kuu_device_new (device_path);
  g_autoptr(GError) error = NULL;
  KuuSync *sync;
  GtkWidget *page;
  guint tries = 0;
  guint before;

  /* Enrolled before the start: the page names the device as the server
   * knows it. */
  kuu_device_set_credentials (device, NOWHERE, "7f1c0a52-0000-4000-8000-000000000001",
                              "not-a-real-token", "kainuu");
  kuu_device_save (device, &error);
  g_assert_no_error (error);
  page = g_object_ref_sink (kuu_device_page_new (f->context));
  g_signal_connect (session, "notify::sync", G_CALLBACK (on_sync_made_cb), &tries);
  kuu_device_session_start (session, "kainuu", "Kajaani");
  sync = kuu_device_session_get_sync (session);
  g_assert_nonnull (sync);
  wait_shows (page, "Enrolled\nYes, as device 7f1c0a52-0000-4000-8000-000000000001\n");

  wait_shows (page, "Sync\nWaiting to try again: the last try failed\n");
  wait_shows (page, "Records waiting\n1\n");
  {
    g_autofree char *labels = labels_of (page);

    g_assert_null (strstr (labels, "Last error\nNone\n"));
  }
  g_assert_cmpuint (tries, ==, 1);

  before = tries;
  g_assert_true (gtk_widget_activate_action (page, "device.sync-now", NULL));
  while (tries == before || kuu_sync_get_state (sync) != KUU_SYNC_WAITING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (tries, ==, before + 1);
  wait_shows (page, "Sync\nWaiting to try again: the last try failed\n");

  finish (page);

  /* Cancelled exchanges still hold it until their callbacks have run. */
  g_object_add_weak_pointer (G_OBJECT (sync), (gpointer *)&sync);
  g_signal_handlers_disconnect_by_data (session, &tries);
  kuu_device_session_stop (session);
  while (sync != NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* A record the server refused: listed with its kind, its date and the
 * server's reason, under the count. */
static void
test_device_page_rejected (Fixture       *f,
                           gconstpointer  data)
{
  KuuSubmission *submission = kuu_submission_new_feedback ("Liian pitkä odotus.");
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_delivery_result_free);
  KuuDeliveryResult *result = g_new0 (KuuDeliveryResult, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (1764061200);
  g_autofree char *date = g_date_time_format (when, "%Y-%m-%d %H:%M:%S");
  g_autofree char *expected = NULL;
  GtkWidget *page;

  submission->created_at = 1764061200;
  kuu_submission_set_place (submission, "kainuu", "Kajaani", KUU_LANGUAGE_FI);
  kuu_store_add (f->store, submission, &error);
  g_assert_no_error (error);
  result->uuid = g_strdup (submission->uuid);
  result->delivery = KUU_DELIVERY_REJECTED;
  result->reason = g_strdup ("region “kainuu” is not the device's region");
  g_ptr_array_add (results, result);
  kuu_outbox_settle (f->store, results, &error);
  g_assert_no_error (error);
  kuu_submission_free (submission);

  page = g_object_ref_sink (kuu_device_page_new (f->context));
  wait_shows (page, "Records rejected\n1 — the server refused it; it is kept on this device\n");
  expected = g_strdup_printf ("Records the server refused, with its reasons\n"
                              "Feedback · %s\n"
                              "region “kainuu” is not the device's region\n", date);
  wait_shows (page, expected);
  /* The one waiting is not in the list. */
  wait_shows (page, "Records waiting\n1\n");
  {
    g_autofree char *labels = labels_of (page);

    g_assert_null (strstr (labels, "Recommendation ·"));
  }

  finish (page);
}

/* “Returns to the start by itself” is a kiosk's: a desktop's window does
 * not. */
static void
test_device_page_wording (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *page = g_object_ref_sink (kuu_device_page_new (f->context));
  g_autofree char *labels = labels_of (page);
  const char *kiosk_words = "The screen returns to the start by itself after a while.";

  assert_shows (labels, "nothing waiting is lost while the device is offline.");
  if (data != NULL)
    g_assert_null (strstr (labels, kiosk_words));
  else
    assert_shows (labels, kiosk_words);
  finish (page);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/device-page/not-enrolled", Fixture, NULL,
              fixture_set_up, test_device_page_not_enrolled, fixture_tear_down);
  g_test_add ("/device-page/sync-now", Fixture, NULL,
              fixture_set_up, test_device_page_sync_now, fixture_tear_down);

  g_test_add ("/device-page/wording/kiosk", Fixture, NULL,
              fixture_set_up, test_device_page_wording, fixture_tear_down);
  g_test_add ("/device-page/wording/desktop", Fixture, "desktop",
              fixture_set_up, test_device_page_wording, fixture_tear_down);
  g_test_add ("/device-page/rejected", Fixture, NULL,
              fixture_set_up, test_device_page_rejected, fixture_tear_down);

  return g_test_run ();
}
