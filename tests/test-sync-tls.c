/* test-sync-tls.c: a region's own CA, trusted for its server alone, and
 * the kiosk holding its server to TLS 1.2 or newer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kuu-test-server.h"
#include "kuu-test-sync.h"
#include "kuu-tls.h"

/* --- a region's own CA ---------------------------------------------------- */

static void
run_openssl (const char *dir,
             const char *arguments)
{
  g_autofree char *command = g_strdup_printf ("sh -c 'cd \"%s\" && openssl %s'", dir, arguments);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  g_spawn_command_line_sync (command, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl %s failed: %s", arguments, err);
}

/* A CA, and a certificate for 127.0.0.1 that it signed. */
static void
make_certificates (const char *dir)
{
  g_autofree char *ext = g_build_filename (dir, "ext.cnf", NULL);

  g_assert_true (g_file_set_contents (ext, "subjectAltName = IP:127.0.0.1\nbasicConstraints = CA:FALSE\n", -1, NULL));
  run_openssl (dir, "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=Kuulolla-Test-CA");
  run_openssl (dir, "req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 2 -subj /CN=Other-CA");
  run_openssl (dir, "req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1");
  run_openssl (dir, "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf");
}

static void
test_private_ca (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *ca = g_build_filename (f->dir, "ca.pem", NULL);
  g_autofree char *other_ca = g_build_filename (f->dir, "other-ca.pem", NULL);
  g_autofree char *cert = g_build_filename (f->dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "server.key", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(Fake) fake = NULL;
  g_autoptr(KuuSync) system = NULL;
  g_autoptr(KuuSync) wrong = NULL;
  g_autoptr(KuuSync) region = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(GPtrArray) one = NULL;
  g_autofree char *token = NULL;
  guint errors = 0, wrong_errors = 0, changes = 0;

  if (openssl == NULL)
    {
      g_test_skip ("no openssl to make certificates");
      return;
    }
  make_certificates (f->dir);
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  fake = fake_new (certificate);
  g_assert_true (g_str_has_prefix (fake->uri, "https://"));
  one = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (one, initiative_json ("6f1c0a52-1111-4d2b-9c3e-1a2b3c4d5e6f", "in_progress", NULL,
                                         "2026-11-01T08:00:00Z"));
  g_ptr_array_add (fake->pages, page ("c1", one));

  /* The system's store does not know the region's CA: refused. */
  system = kuu_sync_new (f->store, fake->uri, FAKE_TOKEN);
  g_signal_connect (system, "notify::last-error", G_CALLBACK (on_notify_count_cb), &errors);
  pull_expecting_error (system, &errors, "initiatives");
  g_assert_cmpuint (fake->since->len, ==, 0);

  /* Another CA: refused too. A file that is not a CA: said so. */
  wrong = kuu_sync_new (f->store, fake->uri, FAKE_TOKEN);
  g_assert_true (kuu_sync_set_tls_ca_file (wrong, other_ca, NULL));
  g_signal_connect (wrong, "notify::last-error", G_CALLBACK (on_notify_count_cb), &wrong_errors);
  pull_expecting_error (wrong, &wrong_errors, "initiatives");
  g_assert_cmpuint (fake->since->len, ==, 0);
  g_assert_false (kuu_sync_set_tls_ca_file (wrong, "/nonexistent/ca.pem", &error));
  g_assert_error (error, KUU_SYNC_ERROR, KUU_SYNC_ERROR_TLS);
  g_clear_error (&error);

  /* The region's CA: accepted. */
  region = kuu_sync_new (f->store, fake->uri, FAKE_TOKEN);
  g_assert_true (kuu_sync_set_tls_ca_file (region, ca, &error));
  g_assert_no_error (error);
  g_signal_connect (region, "initiatives-changed", G_CALLBACK (on_changed_count_cb), &changes);
  kuu_sync_pull_now (region);
  wait_count (&changes, 1, "initiatives over TLS");
  g_assert_null (kuu_sync_get_last_error (region));

  /* Enrolment too. */
  kuu_sync_enrol_with_ca_async (fake->uri, "CODE", "Kajaani", ca, NULL, kuu_test_on_enrolled_cb, &token);
  while (token == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (token, ==, FAKE_TOKEN);
}

/* --- the kiosk holds its server to TLS 1.2 or newer ------------------------ */

typedef struct
{
  char    *token;
  GError  *error;
  gboolean done;
} EnrolResult;

static void
on_enrol_result_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EnrolResult *r = user_data;

  r->token = kuu_sync_enrol_finish (result, &r->error);
  r->done = TRUE;
}

/* kuulolla-server over HTTPS; @priority: the operator's own GnuTLS
 * priority, which the server keeps (NULL: Kuulolla's policy). */
static GSubprocess *
start_tls_server (Fixture     *f,
                  const char  *priority,
                  char       **out_base)
{
  g_autofree char *cert = g_build_filename (f->dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "server.key", NULL);
  const char * const tls_args[] = { "--tls-cert", cert, "--tls-key", key, NULL };
  g_autoptr(GSubprocessLauncher) launcher =
    kuu_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  GSubprocess *server;

  g_subprocess_launcher_setenv (launcher, "G_TLS_GNUTLS_PRIORITY", priority ? priority : KUU_TLS_PRIORITY, TRUE);
  server = kuu_test_server_start (launcher, f->server_db, NULL, tls_args, out_base);
  g_assert_true (g_str_has_prefix (*out_base, "https://"));
  return server;
}

static void
enrol_over_tls (Fixture     *f,
                const char  *base,
                EnrolResult *r)
{
  g_autofree char *ca = g_build_filename (f->dir, "ca.pem", NULL);
  g_autofree char *code = kuu_test_server_admin (f->server_db, "enrol", "--region", "kainuu", "--unit", "Kajaani", NULL);

  kuu_sync_enrol_with_ca_async (base, code, "Kajaani", ca, NULL, on_enrol_result_cb, r);
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
stop_tls_server (GSubprocess *server)
{
  kuu_test_server_kill (server);
  g_object_unref (server);
}

static void
test_tls_policy (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *modern_base = NULL;
  g_autofree char *old_base = NULL;
  EnrolResult modern_result = { 0 };
  EnrolResult old_result = { 0 };
  GSubprocess *modern;
  GSubprocess *old;

  if (openssl == NULL)
    {
      g_test_skip ("no openssl to make certificates");
      return;
    }
  g_assert_cmpstr (g_getenv ("G_TLS_GNUTLS_PRIORITY"), ==, KUU_TLS_PRIORITY);
  make_certificates (f->dir);

  /* The control: the same kiosk enrols with a server of today. */
  modern = start_tls_server (f, NULL, &modern_base);
  enrol_over_tls (f, modern_base, &modern_result);
  g_assert_no_error (modern_result.error);
  g_assert_nonnull (modern_result.token);
  stop_tls_server (modern);

  /* A server that offers TLS 1.1 and 1.0 alone: GnuTLS's own default
   * would complete that handshake; the kiosk refuses it. */
  old = start_tls_server (f, "NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0", &old_base);
  enrol_over_tls (f, old_base, &old_result);
  g_assert_nonnull (old_result.error);
  g_assert_null (old_result.token);
  g_test_message ("TLS 1.1 refused: %s", old_result.error->message);
  stop_tls_server (old);

  g_free (modern_result.token);
  g_clear_error (&old_result.error);
}

int
main (int   argc,
      char *argv[])
{
  /* As the app does: first thing, for every TLS connection of the process. */
  kuu_tls_use_policy ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/private-ca", Fixture, NULL, fixture_set_up, test_private_ca, fixture_tear_down);
  g_test_add ("/sync/tls-policy", Fixture, NULL, fixture_set_up, test_tls_policy, fixture_tear_down);

  return g_test_run ();
}
