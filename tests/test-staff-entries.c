/* test-staff-entries.c: initiatives entered by staff — the list, edits and
 * deletes while waiting, refused while being sent and once sent, and
 * nothing else touched
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "kuu-outbox.h"
#include "kuu-staff-entries.h"
#include "kuu-test-tree.h"

typedef struct
{
  char     *dir;
  KuuStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("kuulolla-staff-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "kiosk.db", NULL);
  fixture->store = kuu_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  kuu_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static KuuSubmission *
make_paper (const char *title,
            KuuChannel  channel)
{
  KuuSubmission *submission = kuu_submission_new_initiative (title, "Lisää penkkejä terveysaseman pihalle.",
                                                             "kajaani", channel);

  kuu_submission_set_place (submission, "kainuu", "Kajaanin terveysasema", KUU_LANGUAGE_FI);
  g_free (submission->received_on);
  submission->received_on = g_strdup ("2026-11-20");
  submission->signatories = 12;
  kuu_submission_set_contact (submission, "Maija Meikäläinen", "maija@example.fi", NULL);
  return submission;
}

static KuuSubmission *
make_feedback (void)
{
  KuuSubmission *submission = kuu_submission_new_feedback ("Palaute");

  kuu_submission_set_place (submission, "kainuu", "Kajaanin terveysasema", KUU_LANGUAGE_FI);
  return submission;
}

/* A resident's own, given at the kiosk. */
static KuuSubmission *
make_kiosk (void)
{
  KuuSubmission *submission = kuu_submission_new_initiative ("Kioskilta", "Teksti", "kajaani", KUU_CHANNEL_KIOSK);

  kuu_submission_set_place (submission, "kainuu", "Kajaanin terveysasema", KUU_LANGUAGE_FI);
  kuu_submission_set_contact (submission, "Asukas", "asukas@example.fi", NULL);
  return submission;
}

static KuuSubmission *
add (Fixture       *fixture,
     KuuSubmission *submission)
{
  g_autoptr(GError) error = NULL;

  kuu_store_add (fixture->store, submission, &error);
  g_assert_no_error (error);
  return submission;
}

static GPtrArray *
list (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = kuu_staff_entries_list (fixture->store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);
  return entries;
}

static KuuStaffEntry *
entry_at (GPtrArray *entries,
          guint      index)
{
  g_assert_cmpuint (index, <, entries->len);
  return g_ptr_array_index (entries, index);
}

/* Sends everything waiting, as the sync does, and the server takes it. */
static void
deliver_all (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = kuu_outbox_next_batch (fixture->store, 500, &error);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_delivery_result_free);

  g_assert_no_error (error);
  for (guint i = 0; i < batch->len; i++)
    {
      KuuDeliveryResult *result = g_new0 (KuuDeliveryResult, 1);

      result->uuid = g_strdup (((KuuSubmission *)g_ptr_array_index (batch, i))->uuid);
      result->delivery = KUU_DELIVERY_ACCEPTED;
      g_ptr_array_add (results, result);
    }
  kuu_outbox_settle (fixture->store, results, &error);
  g_assert_no_error (error);
}

static GPtrArray *
uuids_of (GPtrArray *records)
{
  GPtrArray *uuids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (uuids, g_strdup (((KuuSubmission *)g_ptr_array_index (records, i))->uuid));
  return uuids;
}

static void
test_list_order (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(KuuSubmission) first = add (fixture, make_paper ("Ensimmäinen", KUU_CHANNEL_PAPER));
  g_autoptr(KuuSubmission) kiosk = add (fixture, make_kiosk ());
  g_autoptr(KuuSubmission) second = add (fixture, make_paper ("Toinen", KUU_CHANNEL_EMAIL));
  g_autoptr(KuuSubmission) feedback = add (fixture, make_feedback ());
  g_autoptr(GPtrArray) entries = NULL;
  KuuStaffEntry *entry;

  entries = list (fixture);
  /* The kiosk's own initiative and the feedback are not staff entries. */
  g_assert_cmpuint (entries->len, ==, 2);
  entry = entry_at (entries, 0);
  g_assert_cmpstr (entry->submission->uuid, ==, second->uuid);
  g_assert_cmpint (entry->submission->channel, ==, KUU_CHANNEL_EMAIL);
  g_assert_cmpint (entry->state, ==, KUU_STAFF_ENTRY_WAITING);
  entry = entry_at (entries, 1);
  g_assert_cmpstr (entry->submission->uuid, ==, first->uuid);
  g_assert_true (kuu_submission_equal (entry->submission, first));
  g_assert_cmpstr (entry->submission->received_on, ==, "2026-11-20");
  g_assert_cmpint (entry->submission->signatories, ==, 12);
  g_assert_cmpstr (entry->submission->contact_email, ==, "maija@example.fi");
}

static void
test_edit_waiting (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(KuuSubmission) original = add (fixture, make_paper ("Penkit", KUU_CHANNEL_PAPER));
  g_autoptr(KuuSubmission) other = add (fixture, make_paper ("Muu", KUU_CHANNEL_PAPER));
  g_autoptr(KuuSubmission) edited = kuu_submission_copy (original);
  g_autoptr(KuuSubmission) stored = NULL;
  g_autoptr(GError) error = NULL;

  g_free (edited->title);
  edited->title = g_strdup ("Penkit ja katos");
  edited->channel = KUU_CHANNEL_EMAIL;
  g_free (edited->received_on);
  edited->received_on = g_strdup ("2026-11-18");
  edited->signatories = 30;
  kuu_submission_set_contact (edited, "Matti Meikäläinen", NULL, "+358 40 123 4567");

  g_assert_true (kuu_staff_entries_replace (fixture->store, edited, &error));
  g_assert_no_error (error);

  /* In place: the same uuid, the same time entered, one record. */
  stored = kuu_store_get (fixture->store, original->uuid, &error);
  g_assert_no_error (error);
  g_assert_true (kuu_submission_equal (stored, edited));
  g_assert_cmpstr (stored->title, ==, "Penkit ja katos");
  g_assert_cmpstr (stored->contact_email, ==, NULL);
  g_assert_cmpstr (stored->contact_phone, ==, "+358 40 123 4567");
  g_assert_cmpint (stored->created_at, ==, original->created_at);
  g_assert_cmpint (kuu_store_count (fixture->store, -1, NULL), ==, 2);
  g_clear_pointer (&stored, kuu_submission_free);
  stored = kuu_store_get (fixture->store, other->uuid, &error);
  g_assert_true (kuu_submission_equal (stored, other));
  g_assert_cmpint (kuu_outbox_count_pending (fixture->store, NULL), ==, 2);
}

static void
test_delete_waiting (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(KuuSubmission) gone = add (fixture, make_paper ("Poistuu", KUU_CHANNEL_PAPER));
  g_autoptr(KuuSubmission) kept = add (fixture, make_paper ("Jää", KUU_CHANNEL_PAPER));
  g_autoptr(KuuSubmission) stored = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (kuu_staff_entries_delete (fixture->store, gone->uuid, &error));
  g_assert_no_error (error);
  stored = kuu_store_get (fixture->store, gone->uuid, &error);
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_NOT_FOUND);
  g_assert_null (stored);
  g_clear_error (&error);

  entries = list (fixture);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (entry_at (entries, 0)->submission->uuid, ==, kept->uuid);
  g_assert_cmpint (kuu_outbox_count_pending (fixture->store, NULL), ==, 1);

  /* Twice: said plainly, nothing else goes. */
  g_assert_false (kuu_staff_entries_delete (fixture->store, gone->uuid, &error));
  g_assert_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_NOT_FOUND);
  g_assert_cmpint (kuu_store_count (fixture->store, -1, NULL), ==, 1);
}

static void
test_refused_in_flight (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(KuuSubmission) original = add (fixture, make_paper ("Lähtee", KUU_CHANNEL_PAPER));
  g_autoptr(KuuSubmission) edited = kuu_submission_copy (original);
  g_autoptr(KuuSubmission) stored = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(GError) error = NULL;

  g_free (edited->title);
  edited->title = g_strdup ("Muutettu kesken lähetyksen");

  batch = kuu_outbox_next_batch (fixture->store, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 1);
  g_assert_true (kuu_outbox_is_in_flight (fixture->store, original->uuid));

  g_assert_false (kuu_staff_entries_replace (fixture->store, edited, &error));
  g_assert_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_IN_FLIGHT);
  g_assert_true (strstr (error->message, "being sent") != NULL);
  g_clear_error (&error);
  g_assert_false (kuu_staff_entries_delete (fixture->store, original->uuid, &error));
  g_assert_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_IN_FLIGHT);
  g_clear_error (&error);

  /* What is being sent is what is stored. */
  stored = kuu_store_get (fixture->store, original->uuid, &error);
  g_assert_no_error (error);
  g_assert_true (kuu_submission_equal (stored, original));
  g_assert_true (kuu_submission_equal (g_ptr_array_index (batch, 0), original));

  /* The send failed: the record waits again, and may be changed. */
  uuids = uuids_of (batch);
  kuu_outbox_release (fixture->store, uuids);
  g_assert_false (kuu_outbox_is_in_flight (fixture->store, original->uuid));
  g_assert_true (kuu_staff_entries_replace (fixture->store, edited, &error));
  g_assert_no_error (error);

  /* The next batch carries the edited version, same uuid. */
  g_clear_pointer (&batch, g_ptr_array_unref);
  batch = kuu_outbox_next_batch (fixture->store, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 1);
  g_assert_true (kuu_submission_equal (g_ptr_array_index (batch, 0), edited));
}

static void
test_refused_after_sent (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(KuuSubmission) sent = add (fixture, make_paper ("Lähetetty", KUU_CHANNEL_PAPER));
  g_autoptr(KuuSubmission) edited = kuu_submission_copy (sent);
  g_autoptr(KuuSubmission) stored = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  deliver_all (fixture);
  g_assert_false (kuu_outbox_is_in_flight (fixture->store, sent->uuid));

  edited->signatories = 99;
  g_assert_false (kuu_staff_entries_replace (fixture->store, edited, &error));
  g_assert_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_SENT);
  g_clear_error (&error);
  g_assert_false (kuu_staff_entries_delete (fixture->store, sent->uuid, &error));
  g_assert_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_SENT);
  g_clear_error (&error);

  entries = list (fixture);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (entry_at (entries, 0)->state, ==, KUU_STAFF_ENTRY_SENT);
  g_assert_cmpint (entry_at (entries, 0)->synced_at, >, 0);
  /* The server holds the contact now; the rest is as it was. */
  stored = kuu_store_get (fixture->store, sent->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->signatories, ==, 12);
  g_assert_false (kuu_submission_has_contact (stored));
}

static void
test_refused_when_rejected (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(KuuSubmission) refused = add (fixture, make_paper ("Hylätty", KUU_CHANNEL_EMAIL));
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_delivery_result_free);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  KuuDeliveryResult *result = g_new0 (KuuDeliveryResult, 1);

  batch = kuu_outbox_next_batch (fixture->store, 500, &error);
  g_assert_no_error (error);
  result->uuid = g_strdup (refused->uuid);
  result->delivery = KUU_DELIVERY_REJECTED;
  result->reason = g_strdup ("unknown municipality");
  g_ptr_array_add (results, result);
  g_assert_true (kuu_outbox_settle (fixture->store, results, &error));

  entries = list (fixture);
  g_assert_cmpint (entry_at (entries, 0)->state, ==, KUU_STAFF_ENTRY_REJECTED);
  g_assert_cmpstr (entry_at (entries, 0)->rejected_reason, ==, "unknown municipality");
  g_assert_false (kuu_staff_entries_delete (fixture->store, refused->uuid, &error));
  g_assert_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_REJECTED);
  g_assert_cmpint (kuu_outbox_count_rejected (fixture->store, NULL), ==, 1);
}

static void
test_kiosk_untouchable (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(KuuSubmission) kiosk = add (fixture, make_kiosk ());
  g_autoptr(KuuSubmission) as_paper = NULL;
  g_autoptr(KuuSubmission) bad = add (fixture, make_paper ("Hyvä", KUU_CHANNEL_PAPER));
  g_autoptr(KuuSubmission) stored = NULL;
  g_autoptr(GError) error = NULL;

  /* A resident's own initiative is not staff's to change or delete. */
  g_assert_false (kuu_staff_entries_delete (fixture->store, kiosk->uuid, &error));
  g_assert_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_NOT_STAFF);
  g_clear_error (&error);
  as_paper = kuu_submission_copy (kiosk);
  as_paper->channel = KUU_CHANNEL_PAPER;
  g_assert_false (kuu_staff_entries_replace (fixture->store, as_paper, &error));
  g_assert_error (error, KUU_STAFF_ENTRIES_ERROR, KUU_STAFF_ENTRIES_ERROR_NOT_STAFF);
  g_clear_error (&error);
  stored = kuu_store_get (fixture->store, kiosk->uuid, &error);
  g_assert_cmpint (stored->channel, ==, KUU_CHANNEL_KIOSK);

  /* An invalid edit changes nothing. */
  g_clear_pointer (&stored, kuu_submission_free);
  g_free (bad->title);
  bad->title = g_strdup ("");
  g_assert_false (kuu_staff_entries_replace (fixture->store, bad, &error));
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_INVALID);
  stored = kuu_store_get (fixture->store, bad->uuid, NULL);
  g_assert_cmpstr (stored->title, ==, "Hyvä");
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *entries;
  gboolean   ok;
  GError    *error;
} Waiter;

static void
on_replaced_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->ok = kuu_staff_entries_replace_finish (KUU_STORE (object), result, &waiter->error);
  g_main_loop_quit (waiter->loop);
}

static void
on_deleted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->ok = kuu_staff_entries_delete_finish (KUU_STORE (object), result, &waiter->error);
  g_main_loop_quit (waiter->loop);
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->entries = kuu_staff_entries_list_finish (KUU_STORE (object), result, &waiter->error);
  g_main_loop_quit (waiter->loop);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(KuuSubmission) first = add (fixture, make_paper ("Yksi", KUU_CHANNEL_PAPER));
  g_autoptr(KuuSubmission) second = add (fixture, make_paper ("Kaksi", KUU_CHANNEL_PAPER));
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Waiter waiter = { loop, NULL, FALSE, NULL };

  second->signatories = 3;
  kuu_staff_entries_replace_async (fixture->store, second, NULL, on_replaced_cb, &waiter);
  g_main_loop_run (loop);
  g_assert_no_error (waiter.error);
  g_assert_true (waiter.ok);

  kuu_staff_entries_delete_async (fixture->store, first->uuid, NULL, on_deleted_cb, &waiter);
  g_main_loop_run (loop);
  g_assert_no_error (waiter.error);
  g_assert_true (waiter.ok);

  kuu_staff_entries_list_async (fixture->store, NULL, on_listed_cb, &waiter);
  g_main_loop_run (loop);
  g_assert_no_error (waiter.error);
  g_assert_cmpuint (waiter.entries->len, ==, 1);
  g_assert_cmpint (entry_at (waiter.entries, 0)->submission->signatories, ==, 3);
  g_ptr_array_unref (waiter.entries);

  /* The worker threads drop their tasks (and their hold on the store)
   * a moment after the callbacks ran. */
  while (G_OBJECT (fixture->store)->ref_count > 1)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* A batch settled at once (one UPDATE and one DELETE over its uuids):
 * accepted and duplicate are synced and lose their contact, a rejected
 * one keeps its contact and gets its reason, and a second, confused
 * answer for records already settled changes nothing. */
static KuuDeliveryResult *
result_new (const char  *uuid,
            KuuDelivery  delivery,
            const char  *reason)
{
  KuuDeliveryResult *result = g_new0 (KuuDeliveryResult, 1);

  result->uuid = g_strdup (uuid);
  result->delivery = delivery;
  result->reason = g_strdup (reason);
  return result;
}

static void
test_settle_mixed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(KuuSubmission) accepted = add (fixture, make_paper ("Hyväksytty", KUU_CHANNEL_PAPER));
  g_autoptr(KuuSubmission) refused = add (fixture, make_paper ("Hylätty", KUU_CHANNEL_EMAIL));
  g_autoptr(KuuSubmission) duplicate = add (fixture, make_paper ("Kahdesti", KUU_CHANNEL_WEB));
  g_autoptr(KuuSubmission) left = add (fixture, make_paper ("Ei lähetetty", KUU_CHANNEL_PAPER));
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_delivery_result_free);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_delivery_result_free);
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(GError) error = NULL;
  KuuSubmission *read;

  batch = kuu_outbox_next_batch (fixture->store, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 3);
  g_assert_true (kuu_outbox_is_in_flight (fixture->store, accepted->uuid));
  g_assert_false (kuu_outbox_is_in_flight (fixture->store, left->uuid));

  g_ptr_array_add (results, result_new (accepted->uuid, KUU_DELIVERY_ACCEPTED, NULL));
  g_ptr_array_add (results, result_new (refused->uuid, KUU_DELIVERY_REJECTED, "initiative.municipality: no"));
  g_ptr_array_add (results, result_new (duplicate->uuid, KUU_DELIVERY_DUPLICATE, NULL));
  g_assert_true (kuu_outbox_settle (fixture->store, results, &error));
  g_assert_no_error (error);
  g_assert_false (kuu_outbox_is_in_flight (fixture->store, accepted->uuid));
  g_assert_false (kuu_outbox_is_in_flight (fixture->store, refused->uuid));

  read = kuu_store_get (fixture->store, accepted->uuid, &error);
  g_assert_no_error (error);
  g_assert_false (kuu_submission_has_contact (read));
  kuu_submission_free (read);
  read = kuu_store_get (fixture->store, duplicate->uuid, &error);
  g_assert_false (kuu_submission_has_contact (read));
  kuu_submission_free (read);
  read = kuu_store_get (fixture->store, refused->uuid, &error);
  g_assert_true (kuu_submission_has_contact (read));
  kuu_submission_free (read);
  read = kuu_store_get (fixture->store, left->uuid, &error);
  g_assert_true (kuu_submission_has_contact (read));
  kuu_submission_free (read);

  g_assert_cmpint (kuu_outbox_count_pending (fixture->store, NULL), ==, 1);
  g_assert_cmpint (kuu_outbox_count_rejected (fixture->store, NULL), ==, 1);

  /* The other way round, late: nothing moves. */
  g_ptr_array_add (again, result_new (accepted->uuid, KUU_DELIVERY_REJECTED, "late"));
  g_ptr_array_add (again, result_new (refused->uuid, KUU_DELIVERY_ACCEPTED, NULL));
  g_assert_true (kuu_outbox_settle (fixture->store, again, &error));
  g_assert_no_error (error);
  read = kuu_store_get (fixture->store, refused->uuid, &error);
  g_assert_true (kuu_submission_has_contact (read));
  kuu_submission_free (read);
  rejected = kuu_outbox_list_rejected (fixture->store, &error);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_cmpstr (((KuuDeliveryResult *)g_ptr_array_index (rejected, 0))->uuid, ==, refused->uuid);
  g_assert_cmpstr (((KuuDeliveryResult *)g_ptr_array_index (rejected, 0))->reason, ==, "initiative.municipality: no");
  g_assert_cmpint (kuu_outbox_count_pending (fixture->store, NULL), ==, 1);

  /* What is left is the next batch, read in one query, oldest first. */
  g_clear_pointer (&batch, g_ptr_array_unref);
  batch = kuu_outbox_next_batch (fixture->store, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 1);
  g_assert_true (kuu_submission_equal (g_ptr_array_index (batch, 0), left));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/staff-entries/list-order", test_list_order);
  ADD ("/staff-entries/edit-waiting", test_edit_waiting);
  ADD ("/staff-entries/delete-waiting", test_delete_waiting);
  ADD ("/staff-entries/refused-in-flight", test_refused_in_flight);
  ADD ("/staff-entries/refused-after-sent", test_refused_after_sent);
  ADD ("/staff-entries/refused-when-rejected", test_refused_when_rejected);
  ADD ("/staff-entries/kiosk-untouchable", test_kiosk_untouchable);
  ADD ("/staff-entries/async", test_async);
  ADD ("/staff-entries/settle-mixed", test_settle_mixed);
#undef ADD

  return g_test_run ();
}
