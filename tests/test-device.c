/* test-device.c: the device file — what is saved is read back, it is
 * private to its owner, and a broken one is refused with a clear error
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "kuu-device.h"
#include "kuu-test-tree.h"

#define TOKEN "c2VjcmV0LXRva2VuLW5vdC10by1iZS1wcmludGVkLWFueXdoZXJl"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("kuulolla-device-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  /* A folder that is not there yet: saving makes it. */
  f->path = g_build_filename (f->dir, "sub", "device.ini", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kuu_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
write_file (Fixture    *f,
            const char *contents)
{
  g_autofree char *sub = g_path_get_dirname (f->path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_file_set_contents (f->path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
test_device_missing (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KuuDevice) device = kuu_device_new (f->path);
  g_autoptr(GError) error = NULL;

  g_assert_true (kuu_device_load (device, &error));
  g_assert_no_error (error);
  g_assert_false (kuu_device_is_enrolled (device));
  g_assert_null (kuu_device_get_server_url (device));
  g_assert_null (kuu_device_get_token (device));
}

static void
test_device_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KuuDevice) device = kuu_device_new (f->path);
  g_autoptr(KuuDevice) again = kuu_device_new (f->path);
  g_autoptr(GError) error = NULL;

  kuu_device_set_credentials (device, "https://kuulolla.kainuu.fi", "7f1c0a52-0000-4000-8000-000000000001",
                              TOKEN, "kainuu");
  g_assert_true (kuu_device_save (device, &error));
  g_assert_no_error (error);

  g_assert_true (kuu_device_load (again, &error));
  g_assert_no_error (error);
  g_assert_true (kuu_device_is_enrolled (again));
  g_assert_cmpstr (kuu_device_get_server_url (again), ==, "https://kuulolla.kainuu.fi");
  g_assert_cmpstr (kuu_device_get_device_id (again), ==, "7f1c0a52-0000-4000-8000-000000000001");
  g_assert_cmpstr (kuu_device_get_token (again), ==, TOKEN);
  g_assert_cmpstr (kuu_device_get_region (again), ==, "kainuu");

  /* Without a device id (the server did not say), and saved over the old. */
  kuu_device_set_credentials (device, "http://127.0.0.1:8470", NULL, "other", NULL);
  g_assert_true (kuu_device_save (device, &error));
  g_assert_no_error (error);
  g_assert_true (kuu_device_load (again, &error));
  g_assert_cmpstr (kuu_device_get_server_url (again), ==, "http://127.0.0.1:8470");
  g_assert_null (kuu_device_get_device_id (again));
  g_assert_null (kuu_device_get_region (again));
  g_assert_cmpstr (kuu_device_get_token (again), ==, "other");
}

static void
test_device_private (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KuuDevice) device = kuu_device_new (f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *sub = g_path_get_dirname (f->path);
  GStatBuf st;

  kuu_device_set_credentials (device, "https://kuulolla.kainuu.fi", NULL, TOKEN, NULL);
  g_assert_true (kuu_device_save (device, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (sub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  /* Saved again over a file someone made readable: private again. */
  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);
  g_assert_true (kuu_device_save (device, &error));
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Written by rename: no temporary file is left beside it. */
  dir = g_dir_open (sub, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "device.ini");
  g_assert_null (g_dir_read_name (dir));
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (kuu_device_save_finish (KUU_DEVICE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* The app saves in a worker thread after enrolment: the same file. */
static void
test_device_save_async (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KuuDevice) device = kuu_device_new (f->path);
  g_autoptr(KuuDevice) again = kuu_device_new (f->path);
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  GStatBuf st;

  kuu_device_set_credentials (device, "https://kuulolla.kainuu.fi", NULL, TOKEN, "kainuu");
  kuu_device_save_async (device, NULL, on_saved_cb, &done);
  /* What is written is what was set when saving began. */
  kuu_device_set_credentials (device, "https://elsewhere.example", NULL, "later", NULL);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (kuu_device_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kuu_device_get_server_url (again), ==, "https://kuulolla.kainuu.fi");
  g_assert_cmpstr (kuu_device_get_token (again), ==, TOKEN);
  g_assert_cmpstr (kuu_device_get_region (again), ==, "kainuu");
}

static void
assert_refused (Fixture    *f,
                const char *contents,
                const char *reason)
{
  g_autoptr(KuuDevice) device = kuu_device_new (f->path);
  g_autoptr(GError) error = NULL;

  write_file (f, contents);
  g_assert_false (kuu_device_load (device, &error));
  g_assert_error (error, KUU_DEVICE_ERROR, KUU_DEVICE_ERROR_INVALID);
  /* The message names the file and what to do, and never the token. */
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_nonnull (strstr (error->message, "enrol the device again"));
  g_assert_nonnull (strstr (error->message, reason));
  g_assert_null (strstr (error->message, TOKEN));
  g_assert_false (kuu_device_is_enrolled (device));
  g_assert_null (kuu_device_get_token (device));
}

static void
test_device_bad_file (Fixture       *f,
                      gconstpointer  data)
{
  assert_refused (f, "this is not a key file\n", "device.ini");
  assert_refused (f, "[other]\ntoken=" TOKEN "\n", "no [device] group");
  assert_refused (f, "[device]\ntoken=" TOKEN "\n", "both server-url and token");
  assert_refused (f, "[device]\nserver-url=https://kuulolla.kainuu.fi\n", "both server-url and token");
  assert_refused (f, "[device]\nserver-url=not an address\ntoken=" TOKEN "\n", "not an address");
}

static void
test_device_path_for (void)
{
  g_autofree char *path = kuu_device_path_for ("/var/lib/kuulolla/kiosk.db");

  g_assert_cmpstr (path, ==, "/var/lib/kuulolla/device.ini");
}

static void
test_device_same_server (void)
{
  g_assert_true (kuu_device_same_server ("https://a.fi", "https://a.fi/"));
  g_assert_true (kuu_device_same_server ("http://127.0.0.1:8470/", "http://127.0.0.1:8470"));
  g_assert_false (kuu_device_same_server ("http://127.0.0.1:8470", "http://127.0.0.1:8471"));
  g_assert_false (kuu_device_same_server ("https://a.fi", NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/device/missing", Fixture, NULL, fixture_set_up, test_device_missing, fixture_tear_down);
  g_test_add ("/device/round-trip", Fixture, NULL, fixture_set_up, test_device_round_trip, fixture_tear_down);
  g_test_add ("/device/private", Fixture, NULL, fixture_set_up, test_device_private, fixture_tear_down);
  g_test_add ("/device/save-async", Fixture, NULL, fixture_set_up, test_device_save_async, fixture_tear_down);
  g_test_add ("/device/bad-file", Fixture, NULL, fixture_set_up, test_device_bad_file, fixture_tear_down);
  g_test_add_func ("/device/path-for", test_device_path_for);
  g_test_add_func ("/device/same-server", test_device_same_server);

  return g_test_run ();
}
