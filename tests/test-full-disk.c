/* test-full-disk.c: the store on a nearly full filesystem — a real tmpfs
 * of a few hundred KiB, filled to within a few bytes or KiB. A write that
 * does not fit fails with KUU_STORE_ERROR_FULL and a message a person can
 * act on; nothing committed before is lost; the database stays intact,
 * opens again while full, and takes new records once space returns.
 *
 * Needs root (CI runs as root) for the mount; skips otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "kuu-outbox.h"
#include "kuu-store.h"
#include "small-fs.h"

#define FS_KIB 4096

typedef struct
{
  char      *dir;   /* the mount point, or NULL: skipped */
  char      *path;
  GPtrArray *committed;  /* KuuSubmission */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *why_not = NULL;

  f->committed = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_submission_free);
  f->dir = small_fs_mount (FS_KIB, &why_not);
  if (f->dir == NULL)
    {
      g_test_skip (why_not);
      return;
    }
  f->path = g_build_filename (f->dir, "kiosk.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dir != NULL)
    small_fs_unmount (f->dir);
  g_ptr_array_unref (f->committed);
  g_free (f->dir);
  g_free (f->path);
}

/* A feedback of @size bytes of text: big ones fill the WAL in a few. */
static KuuSubmission *
make_one (gsize size)
{
  g_autofree char *text = g_strnfill (size, 'a');
  KuuSubmission *s = kuu_submission_new_feedback (text);

  kuu_submission_set_contact (s, "Åsa Öhman", "asa@example.fi", NULL);
  kuu_submission_set_place (s, "kainuu", "Kajaani", KUU_LANGUAGE_FI);
  return s;
}

/* Adds until the disk refuses; returns that error. Each success counts. */
static GError *
add_until_full (Fixture  *f,
                KuuStore *store,
                gsize     size)
{
  for (guint i = 0; i < 5000; i++)
    {
      KuuSubmission *s = make_one (size);
      GError *error = NULL;

      if (!kuu_store_add (store, s, &error))
        {
          kuu_submission_free (s);
          return error;
        }
      g_ptr_array_add (f->committed, s);
    }
  g_error ("5000 records of %" G_GSIZE_FORMAT " bytes fitted on a %u KiB filesystem", size, FS_KIB);
  return NULL;
}

static void
assert_full_error (const GError *error)
{
  g_assert_error (error, KUU_STORE_ERROR, KUU_STORE_ERROR_FULL);
  /* What to do, for the person reading it; where, for IT. */
  g_assert_nonnull (strstr (error->message, "The disk is full. Free some space"));
  g_assert_nonnull (strstr (error->message, "kiosk.db"));
}

/* Everything committed is there, as made, and the file is sound. */
static void
assert_all_there (Fixture  *f,
                  KuuStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kuu_store_check_integrity (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kuu_store_count (store, -1, &error), ==, f->committed->len);
  g_assert_no_error (error);
  for (guint i = 0; i < f->committed->len; i++)
    {
      const KuuSubmission *made = g_ptr_array_index (f->committed, i);
      g_autoptr(KuuSubmission) back = kuu_store_get (store, made->uuid, &error);

      g_assert_no_error (error);
      g_assert_true (kuu_submission_equal (made, back));
    }
}

/* Fill the disk to within @leave bytes, write until refused, check, and
 * make room again: each @leave meets the disk at another moment — the
 * WAL growing, the wal-index (-shm) growing, a checkpoint into the main
 * file. */
static void
fill_and_refuse (Fixture  *f,
                 KuuStore *store,
                 gsize     leave,
                 gsize     record_size)
{
  g_autoptr(GError) error = NULL;
  guint before = f->committed->len;

  small_fs_fill (f->dir, leave);
  error = add_until_full (f, store, record_size);
  g_test_message ("%" G_GSIZE_FORMAT " bytes left, records of %" G_GSIZE_FORMAT ": %u more fitted, then: %s",
                  leave, record_size, f->committed->len - before, error->message);
  assert_full_error (error);

  /* Still full: refused again, the same way, and nothing is left half
   * done (no transaction open, no lock held). */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(KuuSubmission) again = make_one (record_size);
      g_autoptr(GError) again_error = NULL;

      g_assert_false (kuu_store_add (store, again, &again_error));
      assert_full_error (again_error);
    }
  assert_all_there (f, store);
}

static void
add_one (Fixture  *f,
         KuuStore *store)
{
  g_autoptr(GError) error = NULL;
  KuuSubmission *s = make_one (100);

  kuu_store_add (store, s, &error);
  g_assert_no_error (error);
  g_ptr_array_add (f->committed, s);
}

static void
test_full_disk_store (Fixture       *f,
                      gconstpointer  data)
{
  const gsize leaves[] = { 0, 100, 4096, 10000, 40000, 150000 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;

  if (f->dir == NULL)
    return;

  store = kuu_store_open (f->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    add_one (f, store);

  for (guint i = 0; i < G_N_ELEMENTS (leaves); i++)
    {
      fill_and_refuse (f, store, leaves[i], i % 2 ? 3000 : 300);

      /* Closed and opened again while full: a kiosk restarted by its
       * watchdog, or by staff who saw the message. */
      g_assert_finalize_object (g_steal_pointer (&store));
      store = kuu_store_open (f->path, &error);
      g_assert_no_error (error);
      assert_all_there (f, store);

      /* Space returns: the next record goes in at once. */
      small_fs_empty (f->dir);
      add_one (f, store);
      assert_all_there (f, store);
    }

  g_assert_finalize_object (g_steal_pointer (&store));
  store = kuu_store_open (f->path, &error);
  g_assert_no_error (error);
  assert_all_there (f, store);
  g_assert_cmpint (kuu_outbox_count_pending (store, NULL), ==, f->committed->len);
}

/* The store opened when the disk is already full — the kiosk starting up
 * on it — with the WAL and its index gone since the last clean close. */
static void
test_full_disk_open (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;

  if (f->dir == NULL)
    return;

  store = kuu_store_open (f->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    add_one (f, store);
  g_assert_finalize_object (g_steal_pointer (&store));

  small_fs_fill (f->dir, 0);
  store = kuu_store_open (f->path, &error);
  g_test_message ("opened on a full disk: %s", store != NULL ? "yes" : error->message);
  if (store == NULL)
    {
      /* If it cannot open, it says why in words a person can act on. */
      assert_full_error (error);
      g_clear_error (&error);
      small_fs_empty (f->dir);
      store = kuu_store_open (f->path, &error);
      g_assert_no_error (error);
    }
  else
    {
      g_autoptr(KuuSubmission) refused = make_one (3000);

      assert_all_there (f, store);
      g_assert_false (kuu_store_add (store, refused, &error));
      assert_full_error (error);
      g_clear_error (&error);
      small_fs_empty (f->dir);
    }

  add_one (f, store);
  assert_all_there (f, store);
}

/* Runs @sql on a connection of the test's own, beside the store's. */
static void
raw_exec (Fixture    *f,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* A long WAL on a disk that fills up: the store moves the WAL into the
 * database and truncates it, and the resident's answer fits in the space
 * that gives back. The database has free pages (contacts erased, say),
 * so the checkpoint needs no new space of its own. */
static void
test_full_disk_wal_reclaimed (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;
  g_autofree char *wal = NULL;
  GStatBuf info;

  if (f->dir == NULL)
    return;

  store = kuu_store_open (f->path, &error);
  g_assert_no_error (error);
  add_one (f, store);
  raw_exec (f, "CREATE TABLE ballast (b BLOB); INSERT INTO ballast VALUES (zeroblob (500000));"
               "PRAGMA wal_checkpoint (TRUNCATE); DROP TABLE ballast; PRAGMA wal_checkpoint (TRUNCATE)");

  /* Some hundred frames, well under the thousand of an auto-checkpoint. */
  for (guint i = 0; i < 60; i++)
    add_one (f, store);
  wal = g_strconcat (f->path, "-wal", NULL);
  g_assert_cmpint (g_stat (wal, &info), ==, 0);
  g_test_message ("the WAL holds %" G_GINT64_FORMAT " bytes", (gint64)info.st_size);
  g_assert_cmpint (info.st_size, >, 500000);

  small_fs_fill (f->dir, 0);
  add_one (f, store);
  g_assert_cmpint (g_stat (wal, &info), ==, 0);
  g_assert_cmpint (info.st_size, <, 100000);
  assert_all_there (f, store);
}

int
main (int   argc,
      char *argv[])
{
  small_fs_isolate ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/full-disk/store", Fixture, NULL, fixture_set_up, test_full_disk_store, fixture_tear_down);
  g_test_add ("/full-disk/wal-reclaimed", Fixture, NULL, fixture_set_up, test_full_disk_wal_reclaimed, fixture_tear_down);
  g_test_add ("/full-disk/open", Fixture, NULL, fixture_set_up, test_full_disk_open, fixture_tear_down);

  return g_test_run ();
}
