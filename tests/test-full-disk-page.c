/* test-full-disk-page.c: a resident sends feedback while the kiosk's disk
 * is full — the page says so in words that tell them what to do, keeps
 * what they wrote, and the same Send works once there is room again.
 *
 * The database is on a real 4 MiB tmpfs, filled to the last block
 * (tests/small-fs.c); mounting needs root, as in CI, or the test skips.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>

#include "kuu-context.h"
#include "kuu-feedback-page.h"
#include "kuu-send-row.h"
#include "kuu-strategy-loader.h"
#include "kuu-text-area.h"
#include "small-fs.h"
#include "widget-text.h"

#define FEEDBACK "Odotusaika oli pitkä, mutta hoitaja oli ystävällinen. åäö"

typedef struct
{
  char        *dir;
  KuuStrategy *strategy;
  KuuStore    *store;
  KuuContext  *context;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *why_not = NULL;
  g_autofree char *path = NULL;

  f->dir = small_fs_mount (4096, &why_not);
  if (f->dir == NULL)
    {
      g_test_skip (why_not);
      return;
    }
  f->strategy = kuu_strategy_load_region ("kainuu", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "kiosk.db", NULL);
  f->store = kuu_store_open (path, &error);
  g_assert_no_error (error);
  f->context = kuu_context_new (f->strategy, f->store, NULL, "Kajaani", TRUE);
  kuu_context_set_language (f->context, KUU_LANGUAGE_EN);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dir == NULL)
    return;
  g_clear_object (&f->context);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_clear_object (&f->strategy);
  small_fs_unmount (f->dir);
  g_free (f->dir);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The app logs the store's own words for IT, as a warning: expected here,
 * so not fatal. g_test_expect_message() does not see structured logging. */
static guint full_disk_warnings;

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; (level & G_LOG_LEVEL_WARNING) && i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        g_str_has_prefix (fields[i].value, "Could not save a submission: The disk is full. Free some space"))
      {
        full_disk_warnings++;
        return G_LOG_WRITER_HANDLED;
      }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
on_saved_cb (GtkWidget      *page,
             KuuSubmission  *submission,
             KuuSubmission **out)
{
  *out = kuu_submission_copy (submission);
}

static char *
page_text (GtkWidget *page)
{
  GString *labels = g_string_new (NULL);

  collect_labels (page, labels);
  return g_string_free (labels, FALSE);
}

/* Send, then wait until the store has answered: saved, or Send usable
 * again after an error. */
static void
send_and_settle (GtkWidget *page)
{
  GtkWidget *send = find_button (page, "Send");
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_nonnull (send);
  g_signal_emit_by_name (send, "clicked");
  g_assert_false (gtk_widget_is_sensitive (send));  /* busy: the write is in a worker thread */
  while (!gtk_widget_is_sensitive (send) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (gtk_widget_is_sensitive (send));
}

/* Full: told, input kept, nothing saved. */
static void
send_refused (GtkWidget     *page,
              KuuTextArea   *text_area,
              KuuSubmission *const *saved)
{
  g_autofree char *shown = NULL;
  g_autofree char *kept = NULL;

  guint warned = full_disk_warnings;

  send_and_settle (page);
  g_assert_cmpuint (full_disk_warnings, ==, warned + 1);

  g_assert_null (*saved);
  shown = page_text (page);
  assert_shows (shown, "Your answer could not be saved because this device’s storage is full. "
                       "Please tell the staff. What you entered is still here");
  g_assert_null (strstr (shown, "try again in a moment"));
  kept = kuu_text_area_get_text (text_area);
  g_assert_cmpstr (kept, ==, FEEDBACK);
}

static void
test_full_disk_feedback (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *page;
  KuuTextArea *text_area;
  g_autoptr(KuuSubmission) saved = NULL;
  g_autoptr(KuuSubmission) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  if (f->dir == NULL)
    return;

  page = g_object_ref_sink (kuu_feedback_page_new (f->context));
  g_signal_connect (page, "saved", G_CALLBACK (on_saved_cb), &saved);
  text_area = KUU_TEXT_AREA (find_type (page, KUU_TYPE_TEXT_AREA));
  g_assert_nonnull (text_area);
  kuu_text_area_set_text (text_area, FEEDBACK);

  small_fs_fill (f->dir, 0);
  send_refused (page, text_area, &saved);
  /* Pressed again before anyone made room: the same answer, still kept. */
  send_refused (page, text_area, &saved);
  g_assert_cmpint (kuu_store_count (f->store, -1, NULL), ==, 0);

  /* Staff make room; the person presses Send once more. */
  small_fs_empty (f->dir);
  send_and_settle (page);
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved->text, ==, FEEDBACK);
  shown = page_text (page);
  g_assert_null (strstr (shown, "storage is full"));

  stored = kuu_store_get (f->store, saved->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->text, ==, FEEDBACK);
  g_assert_cmpint (kuu_store_count (f->store, -1, NULL), ==, 1);
  g_assert_true (kuu_store_check_integrity (f->store, &error));
  g_assert_no_error (error);

  g_object_unref (page);
}

int
main (int   argc,
      char *argv[])
{
  /* Before GTK starts any thread: a mount namespace needs a lone thread. */
  small_fs_isolate ();
  g_log_set_writer_func (log_writer, NULL, NULL);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/full-disk-page/feedback", Fixture, NULL,
              fixture_set_up, test_full_disk_feedback, fixture_tear_down);

  return g_test_run ();
}
