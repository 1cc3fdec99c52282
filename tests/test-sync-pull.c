/* test-sync-pull.c: the region file and the initiatives pulled from a
 * fake server (docs/protocol.md § 6, § 7) and from the real
 * kuulolla-server, a refused token, and a server restored from a backup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "kuu-initiatives.h"
#include "kuu-strategy-loader.h"
#include "kuu-test-server.h"
#include "kuu-test-sync.h"
#include "kuu-tls.h"

static void
test_region_pull (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Fake) fake = fake_new (NULL);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, fake->uri, FAKE_TOKEN);
  g_autofree char *dir = g_build_filename (f->dir, "regions", NULL);
  g_autofree char *path = g_build_filename (dir, "kainuu.json", NULL);
  g_autofree char *etag_path = g_strconcat (path, ".etag", NULL);
  g_autoptr(GBytes) original = read_region ("kainuu");
  g_autoptr(GBytes) broken = g_bytes_new_static ("{\"format\": 1, \"id\": \"kainuu\"}", 29);
  g_autoptr(GBytes) foreign = read_region ("kymenlaakso");
  g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (original, NULL), NULL);
  g_autofree char *compact = json_to_string (node, FALSE);
  g_autoptr(GBytes) newer = g_bytes_new (compact, strlen (compact));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(KuuStrategy) loaded = NULL;
  g_autoptr(GError) error = NULL;
  guint changes = 0, errors = 0;

  g_signal_connect (sync, "region-changed", G_CALLBACK (on_region_changed_cb), &changes);
  g_signal_connect (sync, "notify::last-error", G_CALLBACK (on_notify_count_cb), &errors);
  kuu_sync_set_region (sync, "kainuu", dir);
  fake_serve_region (fake, original, "\"v1\"");

  /* On start: fetched, checked, written with its ETag beside it. */
  kuu_sync_start (sync);
  wait_count (&changes, 1, "the region file");
  assert_file_bytes (path, original);
  assert_file_text (etag_path, "\"v1\"");
  g_assert_null (fake->if_none_match);

  /* Asked again with the ETag: 304, nothing written, no signal. */
  kuu_sync_pull_now (sync);
  wait_count (&fake->region_requests, 2, "the second request");
  run_for (200);
  g_assert_cmpstr (fake->if_none_match, ==, "\"v1\"");
  g_assert_cmpuint (changes, ==, 1);

  /* A file that does not load, or is another region's, is never written. */
  fake_serve_region (fake, broken, "\"v2\"");
  pull_expecting_error (sync, &errors, "region file");
  fake_serve_region (fake, foreign, "\"v3\"");
  pull_expecting_error (sync, &errors, "kainuu.json");
  g_assert_cmpuint (changes, ==, 1);
  assert_file_bytes (path, original);
  assert_file_text (etag_path, "\"v1\"");
  g_assert_cmpstr (fake->if_none_match, ==, "\"v1\"");

  /* A new version: written, and it loads. */
  fake_serve_region (fake, newer, "\"v4\"");
  kuu_sync_pull_now (sync);
  wait_count (&changes, 2, "the new region file");
  /* A file that installs ends the region's error. */
  g_assert_null (kuu_sync_get_last_error (sync));
  g_assert_cmpint (kuu_sync_get_last_success (sync), >, 0);
  assert_file_bytes (path, newer);
  assert_file_text (etag_path, "\"v4\"");
  loaded = kuu_strategy_load_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kuu_strategy_get_id (loaded), ==, "kainuu");

  /* The app could not read it after all: staff see that until the next
   * file from the server installs. */
  kuu_sync_note_error (sync, "The new region file could not be read");
  g_assert_cmpstr (kuu_sync_get_last_error (sync), ==, "The new region file could not be read");
  fake_serve_region (fake, original, "\"v5\"");
  kuu_sync_pull_now (sync);
  wait_count (&changes, 3, "the file after the app's problem");
  g_assert_null (kuu_sync_get_last_error (sync));

  /* No leftovers of the atomic writes. */
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    guint files = 0;

    while (g_dir_read_name (listing) != NULL)
      files++;
    g_assert_cmpuint (files, ==, 2);
  }
}

/* Ten ways to be wrong, each in one member. */
static const char * const invalid_initiatives[] = {
  "42",
  "{\"uuid\": \"not-a-uuid\", \"title\": \"t\", \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": {\"fi\": \"t\"}, \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"@LONG@\", \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"t\", \"text\": 12, \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"t\", \"text\": \"t\", \"municipality\": \"Kuhmo!\", \"received_on\": \"2026-10-02\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"t\", \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-02-30\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"t\", \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"received\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"t\", \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"answered\", \"answer\": null, \"updated_at\": \"2026-11-01T08:00:00Z\"}",
  "{\"uuid\": \"@UUID@\", \"title\": \"t\", \"text\": \"t\", \"municipality\": \"kuhmo\", \"received_on\": \"2026-10-02\", \"status\": \"in_progress\", \"answer\": null, \"updated_at\": \"yesterday\"}",
};

static char *
invalid_initiative (guint i)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *long_title = g_strnfill (201, 'a');

  GString *text = g_string_new (invalid_initiatives[i]);

  g_string_replace (text, "@UUID@", uuid, 0);
  g_string_replace (text, "@LONG@", long_title, 0);
  return g_string_free (text, FALSE);
}

/* Each wrong member is named; a page that is not UTF-8 is refused whole. */
static void
test_initiatives_parse (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const members[] = {
    "not an object", "uuid:", "title:", "title: longer than 200", "text:", "municipality:",
    "received_on:", "status:", "answer:", "updated_at:",
  };
  static const char not_utf8_text[] = "{\"initiatives\": [], \"cursor\": \"\xff\"}";
  g_autoptr(GBytes) not_utf8 = g_bytes_new_static (not_utf8_text, sizeof not_utf8_text - 1);
  g_autoptr(GError) error = NULL;

  G_STATIC_ASSERT (G_N_ELEMENTS (members) == G_N_ELEMENTS (invalid_initiatives));
  for (guint i = 0; i < G_N_ELEMENTS (invalid_initiatives); i++)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *body = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(KuuInitiativesPage) parsed = NULL;

      g_ptr_array_add (items, invalid_initiative (i));
      body = page ("c1", items);
      bytes = g_bytes_new (body, strlen (body));
      parsed = kuu_initiatives_parse_page (bytes, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (parsed->initiatives->len, ==, 0);
      g_assert_cmpuint (parsed->n_invalid, ==, 1);
      g_assert_nonnull (strstr (parsed->invalid_reason, members[i]));
    }

  g_assert_null (kuu_initiatives_parse_page (not_utf8, &error));
  g_assert_error (error, KUU_INITIATIVES_ERROR, KUU_INITIATIVES_ERROR_BAD_ANSWER);
}

static void
set_own_status (Fixture    *f,
                const char *uuid,
                const char *status)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (kuu_store_get_path (f->store), &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  sqlite3_prepare_v2 (db, "UPDATE initiatives SET status = ? WHERE submission_id = (SELECT id FROM submissions WHERE uuid = ?)",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static const KuuInitiative *
find_initiative (GPtrArray  *list,
                 const char *uuid)
{
  const KuuInitiative *found = NULL;

  for (guint i = 0; i < list->len; i++)
    {
      const KuuInitiative *initiative = g_ptr_array_index (list, i);

      if (g_strcmp0 (initiative->uuid, uuid) == 0)
        {
          g_assert_null (found);  /* never twice */
          found = initiative;
        }
    }
  return found;
}

static void
test_initiatives_pull (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Fake) fake = fake_new (NULL);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, fake->uri, FAKE_TOKEN);
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *b_uuid = g_uuid_string_random ();
  const KuuInitiative *a, *b, *own;
  KuuSubmission *taken_up, *also_on_server, *not_yet;
  guint changes = 0, errors = 0;

  /* The kiosk's own: one taken up, one the server also lists, one new. */
  taken_up = kuu_submission_new_initiative ("Penkkejä aulaan", "Lisää penkkejä.", "kajaani", KUU_CHANNEL_PAPER);
  also_on_server = kuu_submission_new_initiative ("Iltavastaanotto", "Auki iltaisin.", "kuhmo", KUU_CHANNEL_KIOSK);
  not_yet = kuu_submission_new_initiative ("Edellisen ihmisen aloite", "Ei vielä julkinen.", "kuhmo", KUU_CHANNEL_KIOSK);
  kuu_submission_set_contact (taken_up, "Matti", NULL, "+358 40 1");
  kuu_submission_set_contact (also_on_server, "Maija", "maija@example.fi", NULL);
  kuu_submission_set_contact (not_yet, "Pekka", "pekka@example.fi", NULL);
  add (f, taken_up);
  add (f, also_on_server);
  add (f, not_yet);
  set_own_status (f, taken_up->uuid, "in_progress");

  g_ptr_array_add (first, initiative_json (also_on_server->uuid, "in_progress", NULL, "2026-11-01T08:00:00Z"));
  g_ptr_array_add (first, initiative_json (b_uuid, "answered", "Kyllä, \\\"alkaen\\\" tammikuussa.", "2026-11-02T08:00:00+02:00"));
  for (guint i = 0; i < G_N_ELEMENTS (invalid_initiatives); i++)
    g_ptr_array_add (first, invalid_initiative (i));
  g_ptr_array_add (fake->pages, page ("c1", first));
  /* Then, later changes: the first answered, the second's answer refined. */
  g_ptr_array_add (second, initiative_json (also_on_server->uuid, "answered", "Tehty.", "2026-11-20T10:00:00+02:00"));
  g_ptr_array_add (second, initiative_json (b_uuid, "answered", "Tarkennettu vastaus.", "2026-11-21T08:00:00Z"));
  g_ptr_array_add (fake->pages, page ("c2", second));

  g_signal_connect (sync, "initiatives-changed", G_CALLBACK (on_changed_count_cb), &changes);
  g_signal_connect (sync, "notify::last-error", G_CALLBACK (on_notify_count_cb), &errors);
  kuu_sync_pull_now (sync);
  wait_count (&fake->since->len, 3, "three pages");
  run_for (300);

  /* Asked without a cursor, then with each one given. */
  g_assert_cmpstr (g_ptr_array_index (fake->since, 0), ==, "");
  g_assert_cmpstr (g_ptr_array_index (fake->since, 1), ==, "c1");
  g_assert_cmpstr (g_ptr_array_index (fake->since, 2), ==, "c2");
  g_assert_cmpuint (fake->since->len, ==, 3);
  cursor = kuu_initiatives_get_cursor (f->store, NULL);
  g_assert_cmpstr (cursor, ==, "c2");
  g_assert_cmpuint (changes, ==, 2);
  g_test_message ("last-error: %s", kuu_sync_get_last_error (sync));
  g_assert_nonnull (strstr (kuu_sync_get_last_error (sync), "10 initiatives that are not valid"));

  list = kuu_initiatives_list_published (f->store, NULL);
  g_assert_cmpuint (list->len, ==, 3);
  a = find_initiative (list, also_on_server->uuid);
  b = find_initiative (list, b_uuid);
  own = find_initiative (list, taken_up->uuid);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_nonnull (own);
  g_assert_null (find_initiative (list, not_yet->uuid));
  g_assert_cmpint (a->status, ==, KUU_INITIATIVE_ANSWERED);
  g_assert_cmpstr (a->answer, ==, "Tehty.");
  g_assert_cmpstr (a->body, ==, "Auki myös iltaisin <b>ja</b> viikonloppuisin. 👍");
  g_assert_cmpstr (a->updated_at, ==, "2026-11-20T08:00:00Z");
  g_assert_cmpint (b->status, ==, KUU_INITIATIVE_ANSWERED);
  g_assert_cmpstr (b->answer, ==, "Tarkennettu vastaus.");
  g_assert_cmpint (own->status, ==, KUU_INITIATIVE_IN_PROGRESS);

  /* The next pull starts from the cursor kept in the store. */
  kuu_sync_pull_now (sync);
  wait_count (&fake->since->len, 4, "the next pull");
  g_assert_cmpstr (g_ptr_array_index (fake->since, 3), ==, "c2");

  /* An answer of the wrong shape changes nothing, and staff hear of it. */
  fake->override = g_strdup ("{\"initiatives\": {\"uuid\": 1}, \"cursor\": \"c9\"}");
  pull_expecting_error (sync, &errors, "not what the protocol says");
  g_clear_pointer (&cursor, g_free);
  cursor = kuu_initiatives_get_cursor (f->store, NULL);
  g_assert_cmpstr (cursor, ==, "c2");
  g_clear_pointer (&fake->override, g_free);
  fake->override = g_strdup ("{\"initiatives\": [], \"cursor\": {}}");
  pull_expecting_error (sync, &errors, "cursor");
  g_clear_pointer (&fake->override, g_free);

  /* A server that no longer knows the cursor (400): start over. */
  {
    g_autoptr(KuuInitiativesPage) lost = g_new0 (KuuInitiativesPage, 1);
    guint asked = fake->since->len;

    lost->initiatives = g_ptr_array_new ();
    lost->cursor = g_strdup ("c99");
    g_assert_true (kuu_initiatives_store_page (f->store, lost, NULL, NULL));
    kuu_sync_pull_now (sync);
    wait_count (&fake->since->len, asked + 4, "a pull from the start");
    g_assert_cmpstr (g_ptr_array_index (fake->since, asked), ==, "c99");
    g_assert_cmpstr (g_ptr_array_index (fake->since, asked + 1), ==, "");
    g_assert_cmpstr (g_ptr_array_index (fake->since, asked + 2), ==, "c1");
    g_assert_cmpstr (g_ptr_array_index (fake->since, asked + 3), ==, "c2");
    run_for (200);
    g_clear_pointer (&list, g_ptr_array_unref);
    list = kuu_initiatives_list_published (f->store, NULL);
    g_assert_cmpuint (list->len, ==, 3);
  }
}

/* A pull with a refused token stops the sync until enrolment. */
static void
test_pull_unauthorized (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Fake) fake = fake_new (NULL);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, fake->uri, "revoked-token");
  guint states = 0;

  g_signal_connect (sync, "notify::state", G_CALLBACK (on_notify_count_cb), &states);
  kuu_sync_pull_now (sync);
  wait_count (&states, 1, "the state to change");
  g_assert_cmpint (kuu_sync_get_state (sync), ==, KUU_SYNC_UNAUTHORIZED);
  g_assert_nonnull (strstr (kuu_sync_get_last_error (sync), "enrol"));
}

/* Asks again until @counter reaches @target: a pull still running ignores
 * the call. */
static void
pull_until (KuuSync    *sync,
            guint      *counter,
            guint       target,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (*counter < target)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s; last error: %s", what, kuu_sync_get_last_error (sync));
      kuu_sync_pull_now (sync);
      run_for (50);
    }
}

/* The same pulls against the real kuulolla-server. */
static void
test_real_pulls (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  g_autofree char *dir = g_build_filename (f->dir, "regions", NULL);
  g_autofree char *path = g_build_filename (dir, "kainuu.json", NULL);
  g_autofree char *etag_path = g_strconcat (path, ".etag", NULL);
  g_autofree char *etag = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GBytes) bundled = read_region ("kainuu");
  g_autoptr(GPtrArray) list = NULL;
  const KuuInitiative *found;
  KuuSubmission *mine;
  guint region_changes = 0, changes = 0;

  mine = kuu_submission_new_initiative ("Iltavastaanotto Kuhmoon", "Auki myös iltaisin. åäö 👍", "kuhmo",
                                        KUU_CHANNEL_KIOSK);
  kuu_submission_set_contact (mine, "Maija", "maija@example.fi", NULL);
  add (f, mine);
  add_mixed (f, 2);
  g_signal_connect (sync, "region-changed", G_CALLBACK (on_region_changed_cb), &region_changes);
  g_signal_connect (sync, "initiatives-changed", G_CALLBACK (on_changed_count_cb), &changes);
  kuu_sync_set_region (sync, "kainuu", dir);
  kuu_sync_start (sync);
  drain_quietly (sync, 60);
  wait_count (&region_changes, 1, "the region file from the server");
  assert_file_bytes (path, bundled);
  g_assert_true (g_file_get_contents (etag_path, &etag, NULL, NULL));
  g_assert_cmpuint (strlen (etag), ==, 66);  /* "<SHA-256 in hex>" */

  /* Taken up on the server, then answered: the kiosk shows each. */
  out = kuu_test_server_admin (f->server_db, "initiative", mine->uuid, "--status", "in_progress", NULL);
  pull_until (sync, &changes, 1, "the initiative taken up");
  list = kuu_initiatives_list_published (f->store, NULL);
  g_assert_cmpuint (list->len, ==, 1);
  found = find_initiative (list, mine->uuid);
  g_assert_nonnull (found);
  g_assert_cmpint (found->status, ==, KUU_INITIATIVE_IN_PROGRESS);
  g_assert_cmpstr (found->body, ==, mine->text);

  g_free (kuu_test_server_admin (f->server_db, "initiative", mine->uuid, "--status", "answered", "--answer", "Aukeaa 1.1.2027 – kiitos!", NULL));
  pull_until (sync, &changes, 2, "the answer");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kuu_initiatives_list_published (f->store, NULL);
  g_assert_cmpuint (list->len, ==, 1);
  found = find_initiative (list, mine->uuid);
  g_assert_cmpint (found->status, ==, KUU_INITIATIVE_ANSWERED);
  g_assert_cmpstr (found->answer, ==, "Aukeaa 1.1.2027 – kiitos!");

  /* The region file again: 304, nothing new. */
  kuu_sync_pull_now (sync);
  run_for (500);
  g_assert_cmpuint (region_changes, ==, 1);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_null (kuu_sync_get_last_error (sync));
  assert_delivered_once (f, sync, 3);
}

/* A copy of the server's database as a backup tool makes it, while the
 * server runs. */
static void
back_up (const char *database,
         const char *backup)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("VACUUM INTO '%s'", backup);

  g_assert_cmpint (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The server's database restored from a backup: the kiosk's cursor is
 * beyond every change the server knows. It gets 400 bad_cursor, starts
 * over and from then on misses nothing the restored server publishes. */
static void
test_restored_server (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *token = enrol (f);
  g_autoptr(KuuSync) sync = kuu_sync_new (f->store, f->base, token);
  g_autofree char *backup = g_build_filename (f->dir, "backup.db", NULL);
  g_autofree char *wal = g_strconcat (f->server_db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->server_db, "-shm", NULL);
  g_autofree char *cursor = NULL;
  g_autoptr(GPtrArray) list = NULL;
  KuuSubmission *first, *second;
  guint changes = 0;

  first = kuu_submission_new_initiative ("Iltavastaanotto Kuhmoon", "Auki myös iltaisin.", "kuhmo",
                                         KUU_CHANNEL_KIOSK);
  kuu_submission_set_contact (first, "Maija", "maija@example.fi", NULL);
  add (f, first);
  second = kuu_submission_new_initiative ("Kirjasto sunnuntaisin", "Auki sunnuntaisin.", "kuhmo",
                                          KUU_CHANNEL_KIOSK);
  kuu_submission_set_contact (second, "Matti", NULL, "040 123");
  add (f, second);
  g_signal_connect (sync, "initiatives-changed", G_CALLBACK (on_changed_count_cb), &changes);
  kuu_sync_start (sync);
  drain_quietly (sync, 60);

  g_free (kuu_test_server_admin (f->server_db, "initiative", first->uuid, "--status", "in_progress", NULL));
  pull_until (sync, &changes, 1, "the first initiative taken up");
  back_up (f->server_db, backup);
  g_free (kuu_test_server_admin (f->server_db, "initiative", second->uuid, "--status", "in_progress", NULL));
  g_free (kuu_test_server_admin (f->server_db, "initiative", first->uuid, "--status", "answered", "--answer", "Kyllä", NULL));
  pull_until (sync, &changes, 2, "both initiatives");
  cursor = kuu_initiatives_get_cursor (f->store, NULL);
  g_assert_cmpstr (cursor, ==, "3");

  /* Restored: the server's newest change is 1 again, the kiosk's cursor 3. */
  kill_server (f);
  g_assert_cmpint (g_rename (backup, f->server_db), ==, 0);
  g_remove (wal);
  g_remove (shm);
  start_server (f);
  pull_until (sync, &changes, 3, "the initiatives from the start");
  g_clear_pointer (&cursor, g_free);
  cursor = kuu_initiatives_get_cursor (f->store, NULL);
  g_assert_cmpstr (cursor, ==, "1");
  list = kuu_initiatives_list_published (f->store, NULL);
  g_assert_cmpint (find_initiative (list, first->uuid)->status, ==, KUU_INITIATIVE_IN_PROGRESS);

  /* What the restored server publishes next reaches the kiosk. */
  g_free (kuu_test_server_admin (f->server_db, "initiative", second->uuid, "--status", "answered", "--answer", "Ei", NULL));
  g_free (kuu_test_server_admin (f->server_db, "initiative", first->uuid, "--status", "answered", "--answer", "Kyllä taas", NULL));
  pull_until (sync, &changes, 4, "the restored server's answers");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kuu_initiatives_list_published (f->store, NULL);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (find_initiative (list, first->uuid)->answer, ==, "Kyllä taas");
  g_assert_cmpstr (find_initiative (list, second->uuid)->answer, ==, "Ei");
  g_assert_null (kuu_sync_get_last_error (sync));
}

int
main (int   argc,
      char *argv[])
{
  /* As the app does: first thing, for every TLS connection of the process. */
  kuu_tls_use_policy ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/pull/region", Fixture, NULL, fixture_set_up, test_region_pull, fixture_tear_down);
  g_test_add ("/sync/pull/initiatives-parse", Fixture, NULL, fixture_set_up, test_initiatives_parse, fixture_tear_down);
  g_test_add ("/sync/pull/initiatives", Fixture, NULL, fixture_set_up, test_initiatives_pull, fixture_tear_down);
  g_test_add ("/sync/pull/unauthorized", Fixture, NULL, fixture_set_up, test_pull_unauthorized, fixture_tear_down);
  g_test_add ("/sync/pull/real-server", Fixture, NULL, fixture_set_up, test_real_pulls, fixture_tear_down);
  g_test_add ("/sync/pull/restored-server", Fixture, NULL, fixture_set_up, test_restored_server, fixture_tear_down);

  return g_test_run ();
}
