/* test-pin.c: the staff PIN — format, hash at rest, change, lockout with
 * its growing delay on an injected clock, persistence across a restart,
 * reset, and the async variants
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "kuu-pin.h"
#include "kuu-test-tree.h"

typedef struct
{
  char     *dir;
  char     *path;
  KuuStore *store;
  KuuPin   *pin;
  gint64    now;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->now;
}

static void
open_pin (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->store = kuu_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->pin = kuu_pin_new (fixture->store);
  kuu_pin_set_clock (fixture->pin, fake_clock, fixture);
}

static void
close_pin (Fixture *fixture)
{
  g_clear_object (&fixture->pin);
  kuu_test_assert_finalized (fixture->store);
  fixture->store = NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kuulolla-pin-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "kiosk.db", NULL);
  fixture->now = 1800000000;
  open_pin (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_pin (fixture);
  kuu_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static KuuPinStatus
status (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  KuuPinStatus result;

  g_assert_true (kuu_pin_get_status (fixture->pin, &result, &error));
  g_assert_no_error (error);
  return result;
}

static void
set_first (Fixture    *fixture,
           const char *pin)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kuu_pin_set_first (fixture->pin, pin, &error));
  g_assert_no_error (error);
}

static void
assert_verify (Fixture    *fixture,
               const char *pin,
               int         expected_code)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = kuu_pin_verify (fixture->pin, pin, &error);

  if (expected_code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, KUU_PIN_ERROR, expected_code);
      g_assert_false (ok);
    }
}

/* What is on disk, read around the store. */
static char *
stored_hash (Fixture *fixture)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *hash = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT hash FROM staff_pin", -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    hash = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return hash;
}

static void
test_pin_format (void)
{
  const char *bad[] = { NULL, "", "123", "1234567890123", "12a4", " 1234", "1234 ", "١٢٣٤", "12\n34" };
  const char *good[] = { "1234", "0000", "123456789012" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (kuu_pin_check_format (bad[i], &error));
      g_assert_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_INVALID);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (kuu_pin_check_format (good[i], NULL));
}

static void
test_pin_delay (void)
{
  const gint64 expected[] = { 0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (kuu_pin_delay_for (i), ==, expected[i]);
  g_assert_cmpint (kuu_pin_delay_for (G_MAXUINT), ==, KUU_PIN_MAX_DELAY);
}

static void
test_pin_not_set (Fixture       *fixture,
                  gconstpointer  data)
{
  KuuPinStatus s = status (fixture);

  g_assert_false (s.is_set);
  assert_verify (fixture, "1234", KUU_PIN_ERROR_NOT_SET);
  g_assert_null (stored_hash (fixture));
}

static void
test_pin_set_and_verify (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;

  g_assert_false (kuu_pin_set_first (fixture->pin, "12a4", &error));
  g_assert_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (status (fixture).is_set);

  set_first (fixture, "482916");
  g_assert_true (status (fixture).is_set);

  /* Only a salted Argon2id hash is on disk, never the PIN. */
  hash = stored_hash (fixture);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, "482916"));

  assert_verify (fixture, "482916", -1);
  assert_verify (fixture, "482917", KUU_PIN_ERROR_WRONG);
  assert_verify (fixture, "48291", KUU_PIN_ERROR_WRONG);
  g_assert_cmpuint (status (fixture).failures, ==, 2);
  assert_verify (fixture, "482916", -1);
  g_assert_cmpuint (status (fixture).failures, ==, 0);

  g_assert_false (kuu_pin_set_first (fixture->pin, "1111", &error));
  g_assert_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_ALREADY_SET);
  assert_verify (fixture, "482916", -1);
}

static void
test_pin_salted (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  set_first (fixture, "1234");
  first = stored_hash (fixture);
  g_assert_true (kuu_pin_reset (fixture->pin, NULL));
  set_first (fixture, "1234");
  second = stored_hash (fixture);
  g_assert_cmpstr (first, !=, second);
}

static void
test_pin_change (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  set_first (fixture, "1234");

  /* A bad new PIN costs no try. */
  g_assert_false (kuu_pin_change (fixture->pin, "1234", "12", &error));
  g_assert_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (status (fixture).failures, ==, 0);

  /* A wrong old PIN counts like any wrong try. */
  g_assert_false (kuu_pin_change (fixture->pin, "9999", "5678", &error));
  g_assert_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_WRONG);
  g_clear_error (&error);
  g_assert_cmpuint (status (fixture).failures, ==, 1);
  assert_verify (fixture, "5678", KUU_PIN_ERROR_WRONG);

  g_assert_true (kuu_pin_change (fixture->pin, "1234", "5678", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (status (fixture).failures, ==, 0);
  assert_verify (fixture, "1234", KUU_PIN_ERROR_WRONG);
  assert_verify (fixture, "5678", -1);
}

static void
fail_times (Fixture *fixture,
            guint    times)
{
  for (guint i = 0; i < times; i++)
    assert_verify (fixture, "0000", KUU_PIN_ERROR_WRONG);
}

static void
test_pin_lockout (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  KuuPinStatus s;

  set_first (fixture, "2468");
  fail_times (fixture, 4);
  s = status (fixture);
  g_assert_cmpuint (s.failures, ==, 4);
  g_assert_cmpint (s.locked_seconds, ==, 0);

  fail_times (fixture, 1);
  s = status (fixture);
  g_assert_cmpuint (s.failures, ==, 5);
  g_assert_cmpint (s.locked_seconds, ==, 30);

  /* Locked: even the right PIN is refused, and nothing is counted. */
  fixture->now += 10;
  g_assert_false (kuu_pin_verify (fixture->pin, "2468", &error));
  g_assert_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "20 seconds"));
  g_clear_error (&error);
  g_assert_cmpuint (status (fixture).failures, ==, 5);

  /* The sixth wrong try doubles the delay. */
  fixture->now += 20;
  g_assert_cmpint (status (fixture).locked_seconds, ==, 0);
  fail_times (fixture, 1);
  g_assert_cmpint (status (fixture).locked_seconds, ==, 60);
  fixture->now += 59;
  assert_verify (fixture, "2468", KUU_PIN_ERROR_LOCKED);
  fixture->now += 1;
  fail_times (fixture, 1);
  g_assert_cmpint (status (fixture).locked_seconds, ==, 120);

  /* Once it has passed, the right PIN opens and clears the count. */
  fixture->now += 120;
  assert_verify (fixture, "2468", -1);
  s = status (fixture);
  g_assert_cmpuint (s.failures, ==, 0);
  g_assert_cmpint (s.locked_seconds, ==, 0);
  fail_times (fixture, 4);
  g_assert_cmpint (status (fixture).locked_seconds, ==, 0);
}

static void
test_pin_lockout_survives_restart (Fixture       *fixture,
                                   gconstpointer  data)
{
  KuuPinStatus s;

  set_first (fixture, "2468");
  fail_times (fixture, 5);
  close_pin (fixture);

  fixture->now += 5;
  open_pin (fixture);
  s = status (fixture);
  g_assert_true (s.is_set);
  g_assert_cmpuint (s.failures, ==, 5);
  g_assert_cmpint (s.locked_seconds, ==, 25);
  assert_verify (fixture, "2468", KUU_PIN_ERROR_LOCKED);
}

/* A clock set back by a year must not lock staff out for a year. */
static void
test_pin_clock_back (Fixture       *fixture,
                     gconstpointer  data)
{
  set_first (fixture, "2468");
  fail_times (fixture, 5);
  fixture->now -= 365 * 24 * 3600;
  g_assert_cmpint (status (fixture).locked_seconds, ==, 30);
  assert_verify (fixture, "2468", KUU_PIN_ERROR_LOCKED);
  fixture->now += 30;
  assert_verify (fixture, "2468", -1);
}

static void
test_pin_reset (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  KuuPinStatus s;

  set_first (fixture, "2468");
  fail_times (fixture, 5);
  fixture->now += 30;
  fail_times (fixture, 1);
  g_assert_cmpint (status (fixture).locked_seconds, ==, 60);
  g_assert_true (kuu_pin_reset (fixture->pin, &error));
  g_assert_no_error (error);

  s = status (fixture);
  g_assert_false (s.is_set);
  g_assert_cmpuint (s.failures, ==, 0);
  g_assert_cmpint (s.locked_seconds, ==, 0);
  g_assert_null (stored_hash (fixture));
  assert_verify (fixture, "2468", KUU_PIN_ERROR_NOT_SET);

  set_first (fixture, "13579");
  assert_verify (fixture, "13579", -1);
}

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out_result = user_data;

  *out_result = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
test_pin_async (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) set = NULL;
  g_autoptr(GAsyncResult) wrong = NULL;
  g_autoptr(GAsyncResult) changed = NULL;
  g_autoptr(GAsyncResult) right = NULL;
  g_autoptr(GAsyncResult) reset = NULL;

  kuu_pin_set_first_async (fixture->pin, "1357", NULL, on_done_cb, &set);
  g_assert_true (kuu_pin_set_first_finish (fixture->pin, wait_for (&set), &error));
  g_assert_no_error (error);

  kuu_pin_verify_async (fixture->pin, "7531", NULL, on_done_cb, &wrong);
  g_assert_false (kuu_pin_verify_finish (fixture->pin, wait_for (&wrong), &error));
  g_assert_error (error, KUU_PIN_ERROR, KUU_PIN_ERROR_WRONG);
  g_clear_error (&error);

  kuu_pin_change_async (fixture->pin, "1357", "24680", NULL, on_done_cb, &changed);
  g_assert_true (kuu_pin_change_finish (fixture->pin, wait_for (&changed), &error));
  g_assert_no_error (error);

  kuu_pin_verify_async (fixture->pin, "24680", NULL, on_done_cb, &right);
  g_assert_true (kuu_pin_verify_finish (fixture->pin, wait_for (&right), &error));
  g_assert_no_error (error);

  kuu_pin_reset_async (fixture->pin, NULL, on_done_cb, &reset);
  g_assert_true (kuu_pin_reset_finish (fixture->pin, wait_for (&reset), &error));
  g_assert_no_error (error);
  g_assert_false (status (fixture).is_set);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pin/format", test_pin_format);
  g_test_add_func ("/pin/delay", test_pin_delay);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/pin/not-set", test_pin_not_set);
  ADD ("/pin/set-and-verify", test_pin_set_and_verify);
  ADD ("/pin/salted", test_pin_salted);
  ADD ("/pin/change", test_pin_change);
  ADD ("/pin/lockout", test_pin_lockout);
  ADD ("/pin/lockout-survives-restart", test_pin_lockout_survives_restart);
  ADD ("/pin/clock-back", test_pin_clock_back);
  ADD ("/pin/reset", test_pin_reset);
  ADD ("/pin/async", test_pin_async);

#undef ADD

  return g_test_run ();
}
