/* kuu-fuzz.c: what the fuzz targets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "kuu-fuzz.h"
#include "kuu-entry.h"
#include "kuu-text.h"
#include "kuu-topic.h"

/* Warnings and criticals are bugs here, as in the tests (G_DEBUG
 * fatal-warnings): libFuzzer then keeps the input that caused one. The
 * core's own debug messages are not. */
static void
check_message (GLogLevelFlags  level,
               const char     *domain,
               const char     *message)
{
  if (!(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)))
    return;
  /* libsoup 3.2.2 hands a negative Content-Length ("-6") on to its body
   * stream, which GObject refuses with a warning; the stream keeps its
   * default and the server answers 400 all the same. Not Kuulolla's. */
  if (g_strcmp0 (domain, "GLib-GObject") == 0 && message != NULL &&
      strstr (message, "for property 'content-length'") != NULL)
    return;
  fprintf (stderr, "%s: %s\n", domain ? domain : "", message ? message : "");
  abort ();
}

/* g_log(): the libraries */
static void
on_log (const char     *domain,
        GLogLevelFlags  level,
        const char     *message,
        gpointer        user_data)
{
  check_message (level, domain, message);
}

/* g_log_structured(): Kuulolla's own code (G_LOG_USE_STRUCTURED) */
static GLogWriterOutput
on_structured_log (GLogLevelFlags   level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }
  check_message (level, domain, message);
  return G_LOG_WRITER_HANDLED;
}

static char *temp_dir;

void
kuu_fuzz_init (void)
{
  static gsize done;

  if (!g_once_init_enter (&done))
    return;
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("TZ", "Europe/Helsinki", TRUE);
  g_log_set_default_handler (on_log, NULL);
  g_log_set_writer_func (on_structured_log, NULL, NULL);
  g_once_init_leave (&done, 1);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

/* A target that crashed (abort() skips atexit) left its folder behind:
 * removed by the next one, once its process is gone. */
static void
remove_stale_dirs (const char *base)
{
  g_autoptr(GDir) dir = g_dir_open (base, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      guint64 pid;
      char *end;

      if (!g_str_has_prefix (name, "kuulolla-fuzz-"))
        continue;
      pid = g_ascii_strtoull (name + strlen ("kuulolla-fuzz-"), &end, 10);
      if (*end == '-' && pid > 0 && pid < G_MAXINT && kill ((pid_t)pid, 0) != 0 && errno == ESRCH)
        {
          g_autofree char *path = g_build_filename (base, name, NULL);

          remove_dir (path);
        }
    }
}

static void
remove_temp_dir (void)
{
  remove_dir (temp_dir);
  g_clear_pointer (&temp_dir, g_free);
}

/* A file in a folder of this process's own, removed at exit. Under
 * /dev/shm when there is one: the stores sync every write, and on tmpfs
 * that costs nothing. */
char *
kuu_fuzz_temp_path (const char *name)
{
  if (temp_dir == NULL)
    {
      const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ();
      g_autofree char *folder = g_strdup_printf ("kuulolla-fuzz-%d-XXXXXX", (int)getpid ());
      g_autofree char *template = g_build_filename (base, folder, NULL);

      remove_stale_dirs (base);
      temp_dir = g_mkdtemp (g_steal_pointer (&template));
      if (temp_dir == NULL)
        abort ();
      atexit (remove_temp_dir);
    }
  return g_build_filename (temp_dir, name, NULL);
}

/* Whatever the app would show or store must be valid UTF-8. */
void
kuu_fuzz_check_text (const char *text)
{
  if (text != NULL)
    kuu_fuzz_assert (g_utf8_validate (text, -1, NULL));
}

static void
touch_text (const KuuText *text)
{
  if (text == NULL)
    return;
  for (KuuLanguage language = 0; language < KUU_N_LANGUAGES; language++)
    kuu_fuzz_check_text (kuu_text_get (text, language));
}

static void
touch_entries (GPtrArray *entries)
{
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      KuuEntry *entry = g_ptr_array_index (entries, i);

      kuu_fuzz_check_text (entry->id);
      touch_text (entry->name);
      touch_text (entry->description);
    }
}

static void
touch_topics (KuuStrategy *strategy,
              GListModel  *topics)
{
  for (guint i = 0; i < g_list_model_get_n_items (topics); i++)
    {
      g_autoptr(KuuTopic) topic = g_list_model_get_item (topics, i);

      /* Every topic the region lists is found by its id. */
      kuu_fuzz_assert (kuu_strategy_find_topic (strategy, kuu_topic_get_kind (topic),
                                                kuu_topic_get_id (topic)) != NULL);
      touch_text (kuu_topic_get_title (topic));
      touch_text (kuu_topic_get_summary (topic));
      touch_text (kuu_topic_get_description (topic));
      touch_entries (kuu_topic_get_key_results (topic));
    }
}

/* Reads every part of a loaded region, as the app's pages do. */
void
kuu_fuzz_touch_strategy (KuuStrategy *strategy)
{
  kuu_fuzz_check_text (kuu_strategy_get_id (strategy));
  touch_text (kuu_strategy_get_name (strategy));
  touch_text (kuu_strategy_get_short_name (strategy));
  touch_text (kuu_strategy_get_title (strategy));
  kuu_fuzz_check_text (kuu_strategy_get_period (strategy));
  kuu_fuzz_check_text (kuu_strategy_get_source (strategy));
  touch_text (kuu_strategy_get_vision (strategy));
  touch_text (kuu_strategy_get_mission (strategy));
  touch_entries (kuu_strategy_get_municipalities (strategy));
  touch_entries (kuu_strategy_get_values (strategy));
  for (guint i = 0; i < kuu_strategy_get_service_promise (strategy)->len; i++)
    touch_text (g_ptr_array_index (kuu_strategy_get_service_promise (strategy), i));
  touch_entries (kuu_strategy_get_statements (strategy));
  touch_topics (strategy, kuu_strategy_get_goals (strategy));
  touch_topics (strategy, kuu_strategy_get_service_areas (strategy));
  touch_text (kuu_strategy_get_recommend_question (strategy));
  touch_text (kuu_strategy_get_scale_low (strategy));
  touch_text (kuu_strategy_get_scale_high (strategy));
  for (guint answer = 1; answer <= 5; answer++)
    touch_text (kuu_strategy_get_agreement_label (strategy, answer));
  touch_text (kuu_strategy_get_why_prompt (strategy));
  touch_text (kuu_strategy_get_personnel_recommend_question (strategy));
  touch_text (kuu_strategy_get_personnel_functioning_question (strategy));
}
