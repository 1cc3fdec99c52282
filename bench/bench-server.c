/* bench-server.c: a fresh kuulolla-server for a benchmark
 *
 * The server runs as it would for a region, but with its per-token and
 * per-address rates raised out of the way: a benchmark measures how fast
 * records go in, not how the server slows a client down. Its request log
 * goes to /dev/null: a pipe nobody reads would stall it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bench-server.h"
#include "kuu-sync.h"

#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#include "bench-percentile.h"

/* A benchmark that dies must not leave its server running. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}
#endif

BenchServer *
bench_server_start (const char *executable,
                    const char *database)
{
  const char *log = g_getenv ("KUULOLLA_BENCH_SERVER_LOG");
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | (log ? 0 : G_SUBPROCESS_FLAGS_STDERR_SILENCE));
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  BenchServer *server = g_new0 (BenchServer, 1);

#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
#endif
  /* To look into a failure: the server's log, appended to a file. */
  if (log != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, log);
  server->database = g_strdup (database);
  server->process = g_subprocess_launcher_spawn (launcher, &error, executable, "--database", database,
                                                 "--listen", "127.0.0.1:0", "--region", "kainuu",
                                                 "--rate", "100000000", "--client-rate", "100000000",
                                                 NULL);
  if (server->process == NULL)
    g_error ("could not start %s: %s", executable, error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening on http://"))
    g_error ("the server did not start: %s", error != NULL ? error->message : line ? line : "no output");
  server->base = g_strdup (line + strlen ("listening on "));
  if (g_str_has_suffix (server->base, "/"))
    server->base[strlen (server->base) - 1] = '\0';
  return server;
}

void
bench_server_stop (BenchServer *server)
{
  if (server == NULL)
    return;
  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
      g_object_unref (server->process);
    }
  g_free (server->database);
  g_free (server->base);
  g_free (server);
}

static void
on_enrolled_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  char **token = user_data;
  g_autoptr(GError) error = NULL;

  if (!(*token = kuu_sync_enrol_finish (result, &error)))
    g_error ("enrolment failed: %s", error->message);
}

/* The way a kiosk enrols: an administrator's code, then POST /enrol. */
char *
bench_server_enrol (BenchServer *server,
                    const char  *executable)
{
  const char *argv[] = { executable, "--database", server->database, "admin", "enrol",
                         "--region", "kainuu", "--unit", "Kajaani", NULL };
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  char *token = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &code, NULL,
                     &status, &error) || !g_spawn_check_wait_status (status, &error))
    g_error ("admin enrol failed: %s", error->message);
  kuu_sync_enrol_async (server->base, g_strstrip (code), "Kajaani", NULL, on_enrolled_cb, &token);
  while (token == NULL)
    g_main_context_iteration (NULL, TRUE);
  return token;
}

/* What the server holds, read from its database beside it. */
gint64
bench_server_count (BenchServer *server)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  if (sqlite3_open_v2 (server->database, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT count(*) FROM records", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

/* The CPU time (user and system) the server has used so far, from
 * /proc: on a shared machine, work done tells more than time taken. */
double
bench_server_cpu_seconds (BenchServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (server->process));
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(after_name = strrchr (text, ')')))
    return -1.0;
  /* After "pid (comm)": state is field 3, utime 14 and stime 15. */
  fields = g_strsplit (after_name + 2, " ", 16);
  if (g_strv_length (fields) < 14)
    return -1.0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

/* The same for this process, every thread. */
double
bench_self_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* A kiosk's mix: mostly recommendations with a statement and a why,
 * some feedback, a few initiatives with a contact. */
KuuSubmission *
bench_make_record (guint i)
{
  KuuSubmission *s;

  switch (i % 20)
    {
    case 0:
    case 1:
    case 2:
      s = kuu_submission_new_feedback ("Odotusaika oli pitkä, mutta henkilökunta oli ystävällistä. åäö");
      break;
    case 3:
      s = kuu_submission_new_initiative ("Iltavastaanotto", "Auki myös iltaisin, kiitos.", "kuhmo",
                                         KUU_CHANNEL_KIOSK);
      kuu_submission_set_contact (s, "Matti Virtanen", "matti@example.fi", "+358 40 123 4567");
      break;
    default:
      s = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "together", i % 11);
      kuu_submission_add_answer (s, "felt-safe", 1 + i % 5);
      if (i % 2 == 0)
        s->text = g_strdup ("Palvelu oli nopeaa.");
      break;
    }
  kuu_submission_set_place (s, "kainuu", "Kajaani", KUU_LANGUAGE_FI);
  return s;
}

/* The one-minute load average, to print beside the figures. */
double
bench_load_average (void)
{
  double load = -1.0;
  FILE *f = fopen ("/proc/loadavg", "r");

  if (f != NULL)
    {
      if (fscanf (f, "%lf", &load) != 1)
        load = -1.0;
      fclose (f);
    }
  return load;
}

/* A database and its WAL and index beside it. */
void
bench_remove_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}
