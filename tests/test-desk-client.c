/* test-desk-client.c: the desk's client and cache against the real server
 *
 * KuuDeskClient signs in with a code `kuulolla-server admin staff add`
 * made, reads /staff/me, signs out, and then meets the server's 401
 * revoked; a wrong code and a stopped server give the errors the desk
 * explains. KuuDeskCache gives back what it kept, with its time. No
 * display: the desk's non-GTK parts alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "kuu-desk-cache.h"
#include "kuu-desk-client.h"
#include "kuu-test-server.h"
#include "kuu-test-tree.h"

typedef struct
{
  char        *dir;
  char        *database;
  GSubprocess *server;
  char        *base;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("kuulolla-desk-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->database = g_build_filename (f->dir, "server.db", NULL);
  f->server = kuu_test_server_start (NULL, f->database, NULL, NULL, &f->base);
  g_assert_true (g_str_has_prefix (f->base, "http://"));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->server != NULL)
    kuu_test_server_kill (f->server);
  g_clear_object (&f->server);
  kuu_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->database);
  g_free (f->base);
}

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static char *
staff_code (Fixture *f)
{
  return kuu_test_server_admin (f->database, "staff", "add", "--region=kainuu", "--name=Anna Virtanen",
                                "--role=viewer", NULL);
}

static JsonNode *
get (KuuDeskClient *client,
     const char    *path,
     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kuu_desk_client_get_json_async (client, path, NULL, on_done_cb, &result);
  return kuu_desk_client_get_json_finish (client, wait_for (&result), NULL, error);
}

static void
test_sign_in_out (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *code = staff_code (f);
  g_autoptr(KuuDeskClient) client = kuu_desk_client_new (f->base);
  g_autoptr(GAsyncResult) signed_in = NULL;
  g_autoptr(GAsyncResult) signed_out = NULL;
  g_autoptr(KuuDeskStaff) staff = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(GError) error = NULL;

  kuu_desk_client_sign_in_async (client, code, NULL, on_done_cb, &signed_in);
  staff = kuu_desk_client_sign_in_finish (client, wait_for (&signed_in), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (staff->name, ==, "Anna Virtanen");
  g_assert_cmpstr (staff->role, ==, "viewer");
  g_assert_cmpstr (staff->region, ==, "kainuu");
  g_assert_cmpuint (strlen (staff->token), >=, 40);

  kuu_desk_client_set_token (client, staff->token);
  me = get (client, "/api/v1/staff/me", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (me), "id"), ==, staff->id);

  kuu_desk_client_sign_out_async (client, NULL, on_done_cb, &signed_out);
  g_assert_true (kuu_desk_client_sign_out_finish (client, wait_for (&signed_out), &error));
  g_assert_no_error (error);
  after = get (client, "/api/v1/staff/me", &error);
  g_assert_null (after);
  g_assert_error (error, KUU_DESK_ERROR, KUU_DESK_ERROR_REVOKED);
}

static void
test_bad_code (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KuuDeskClient) client = kuu_desk_client_new (f->base);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KuuDeskStaff) staff = NULL;
  g_autoptr(GError) error = NULL;

  kuu_desk_client_sign_in_async (client, "AAAA-BBBB-CCCC", NULL, on_done_cb, &result);
  staff = kuu_desk_client_sign_in_finish (client, wait_for (&result), &error);
  g_assert_null (staff);
  g_assert_error (error, KUU_DESK_ERROR, KUU_DESK_ERROR_BAD_CODE);
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KuuDeskClient) client = kuu_desk_client_new (f->base);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KuuDeskStaff) staff = NULL;
  g_autoptr(GError) error = NULL;

  kuu_test_server_kill (f->server);
  g_clear_object (&f->server);
  kuu_desk_client_sign_in_async (client, "AAAA-BBBB-CCCC", NULL, on_done_cb, &result);
  staff = kuu_desk_client_sign_in_finish (client, wait_for (&result), &error);
  g_assert_null (staff);
  g_assert_error (error, KUU_DESK_ERROR, KUU_DESK_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, f->base));
}

static void
test_cache (Fixture       *f,
            gconstpointer  data)
{
  static const char body[] = "{\"region\":\"kainuu\",\"topics\":[]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, sizeof body - 1);
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GAsyncResult) other = NULL;
  g_autoptr(GDateTime) fetched = NULL;
  g_autoptr(GDateTime) none = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) not_found = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  kuu_desk_cache_save_async (f->base, "/api/v1/results?audience=residents", bytes, NULL, on_done_cb, &saved);
  g_assert_true (kuu_desk_cache_save_finish (wait_for (&saved), &error));
  kuu_desk_cache_load_async (f->base, "/api/v1/results?audience=residents", NULL, on_done_cb, &loaded);
  response = kuu_desk_cache_load_finish (wait_for (&loaded), &fetched, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (response), "region"), ==, "kainuu");
  g_assert_cmpint (ABS (g_date_time_to_unix (fetched) - now), <=, 5);

  /* Another filter has nothing kept. */
  kuu_desk_cache_load_async (f->base, "/api/v1/results?audience=personnel", NULL, on_done_cb, &other);
  missing = kuu_desk_cache_load_finish (wait_for (&other), &none, &not_found);
  g_assert_null (missing);
  g_assert_error (not_found, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = g_dir_make_tmp ("kuulolla-desk-cache-XXXXXX", NULL);
  int status;

  /* The cache under a folder of the test's own, set before any thread. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/desk-client/sign-in-out", Fixture, NULL, fixture_set_up, test_sign_in_out, fixture_tear_down);
  g_test_add ("/desk-client/bad-code", Fixture, NULL, fixture_set_up, test_bad_code, fixture_tear_down);
  g_test_add ("/desk-client/unreachable", Fixture, NULL, fixture_set_up, test_unreachable, fixture_tear_down);
  g_test_add ("/desk-client/cache", Fixture, NULL, fixture_set_up, test_cache, fixture_tear_down);

  status = g_test_run ();
  kuu_test_remove_tree (cache);
  return status;
}
