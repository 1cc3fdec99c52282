/* test-export-page.c: the Export tab writes the chosen month's answers,
 * with semicolons unless commas are chosen, and contact details only when
 * the switch is on and the dialog was confirmed; it says how many answers
 * it wrote
 *
 * The tests run kuu_export_page_export_to(), the code the file dialog's
 * answer runs, and read the file back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kuu-context.h"
#include "kuu-export-page.h"
#include "kuu-test-context.h"
#include "widget-text.h"

/* 2026-01-15 at noon UTC; a day later; February. */
#define JANUARY  G_GINT64_CONSTANT (1768478400)
#define NEXT_DAY (JANUARY + 86400)
#define FEBRUARY G_GINT64_CONSTANT (1771156800)

typedef struct
{
  KuuTestContext t;
  GFile       *file;
  char        *january[3];  /* the uuids of January's resident answers */
  char        *february;
  char        *personnel;
  char        *now;
} Fixture;

static char *
add (Fixture       *f,
     KuuSubmission *submission,
     gint64         when)
{
  g_autoptr(GError) error = NULL;
  char *uuid;

  kuu_submission_set_place (submission, "kainuu", "Kajaani", KUU_LANGUAGE_FI);
  submission->created_at = when;
  g_assert_true (kuu_store_add (f->t.store, submission, &error));
  g_assert_no_error (error);
  uuid = g_strdup (submission->uuid);
  kuu_submission_free (submission);
  return uuid;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *csv = NULL;
  KuuSubmission *submission;

  kuu_test_context_set_up (&f->t, "kainuu", "Kajaani", GPOINTER_TO_INT (data), NULL);
  csv = kuu_test_context_path (&f->t, "answers.csv");
  f->file = g_file_new_for_path (csv);

  submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "together", 9);
  submission->text = g_strdup ("Hyvä palvelu, kiitos");
  f->january[0] = add (f, submission, JANUARY);
  submission = kuu_submission_new_feedback ("Jonoa oli liikaa");
  f->january[1] = add (f, submission, JANUARY);
  submission = kuu_submission_new_initiative ("Penkki pysäkille", "Toivomme penkkiä", "Kajaani", KUU_CHANNEL_PAPER);
  kuu_submission_set_contact (submission, "Liisa Virtanen", "liisa@example.com", "040 765 4321");
  f->january[2] = add (f, submission, NEXT_DAY);

  submission = kuu_submission_new_feedback ("February, plain");
  f->february = add (f, submission, FEBRUARY);
  submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "together", 3);
  submission->audience = KUU_AUDIENCE_PERSONNEL;
  f->personnel = add (f, submission, JANUARY);
  submission = kuu_submission_new_feedback ("Today");
  f->now = add (f, submission, g_get_real_time () / G_USEC_PER_SEC);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kuu_test_context_tear_down (&f->t);
  g_clear_object (&f->file);
  for (guint i = 0; i < G_N_ELEMENTS (f->january); i++)
    g_free (f->january[i]);
  g_free (f->february);
  g_free (f->personnel);
  g_free (f->now);
}

static KuuExportPage *
show_page (Fixture *f)
{
  GtkWidget *page = kuu_export_page_new (f->t.context);

  kuu_test_context_show (&f->t, page, 800, 900);
  return KUU_EXPORT_PAGE (page);
}

static char *
labels_of (GtkWidget *widget)
{
  GString *labels = g_string_new (NULL);

  collect_labels (widget, labels);
  return g_string_free (labels, FALSE);
}

static void
set_january (KuuExportPage *page)
{
  GDate first, last;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&first, 1, G_DATE_JANUARY, 2026);
  g_date_set_dmy (&last, 31, G_DATE_JANUARY, 2026);
  kuu_export_page_set_period (page, &first, &last);
}

/* Exports as the file dialog's answer would, and waits for the result. */
static void
export (Fixture       *f,
        KuuExportPage *page)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (page)));
  kuu_export_page_export_to (page, f->file);
  g_assert_true (kuu_export_page_get_busy (page));
  while (kuu_export_page_get_busy (page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

/* The file's records (a strict RFC 4180 reader: BOM, CRLF, quotes around
 * whole fields), each a NULL-terminated array; the header first. */
static GPtrArray *
read_csv (Fixture *f,
          char     separator,
          char   **out_text)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  gsize length = 0;
  const char *p, *end;

  g_assert_true (g_file_load_contents (f->file, NULL, &text, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 3);
  g_assert_cmpmem (text, 3, "\xEF\xBB\xBF", 3);
  g_assert_true (g_utf8_validate (text, length, NULL));

  for (p = text + 3, end = text + length; p < end; )
    {
      if (*p == '"')
        {
          for (p++; !(*p == '"' && (p + 1 == end || p[1] != '"')); p++)
            {
              g_assert_true (p < end);
              if (*p == '"')
                p++;
              g_string_append_c (field, *p);
            }
          p++;
        }
      else
        for (; p < end && *p != separator && *p != '\r'; p++)
          g_string_append_c (field, *p);

      g_assert_true (p < end);
      g_ptr_array_add (fields, g_strdup (field->str));
      g_string_truncate (field, 0);
      if (*p++ == separator)
        continue;
      g_assert_cmpint (*p++, ==, '\n');
      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (records, g_ptr_array_steal (fields, NULL));
    }

  *out_text = text;
  return g_steal_pointer (&records);
}

/* The uuids in the file, in order, and whether the contact columns are. */
static void
assert_file (Fixture     *f,
             const char **uuids,
             gboolean     contacts,
             char         separator)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) records = read_csv (f, separator, &text);
  g_autofree char *start = g_strdup_printf ("\xEF\xBB\xBFuuid%ckind%c", separator, separator);
  char **header = g_ptr_array_index (records, 0);

  g_assert_true (g_str_has_prefix (text, start));
  g_assert_cmpstr (header[0], ==, "uuid");
  g_assert_cmpint (g_strv_contains ((const char * const *)header, "name"), ==, contacts);
  g_assert_cmpint (g_strv_contains ((const char * const *)header, "email"), ==, contacts);
  g_assert_cmpint (g_strv_contains ((const char * const *)header, "phone"), ==, contacts);
  g_assert_cmpint (strstr (text, "Liisa Virtanen") != NULL, ==, contacts);
  g_assert_cmpint (strstr (text, "liisa@example.com") != NULL, ==, contacts);
  g_assert_cmpint (strstr (text, "765 4321") != NULL, ==, contacts);

  g_assert_cmpuint (records->len - 1, ==, g_strv_length ((char **)uuids));
  for (guint i = 1; i < records->len; i++)
    g_assert_cmpstr (((char **)g_ptr_array_index (records, i))[0], ==, uuids[i - 1]);
}

static void
assert_shows_result (KuuExportPage *page,
                     const char    *count_text,
                     GFile         *file)
{
  g_autofree char *labels = labels_of (GTK_WIDGET (page));
  g_autofree char *where = g_file_get_parse_name (file);
  g_autofree char *expected = g_strdup_printf ("%s%s\n", count_text, where);

  assert_shows (labels, expected);
}

/* The first widget of @type (with the action @action_name) under @widget. */
static GtkWidget *
find_widget (GtkWidget  *widget,
             GType       type,
             const char *action_name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (action_name == NULL ||
       g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Saves what @window shows into the build's screenshots directory, for a
 * person to look at; the tests check the words, not the pixels. */
static void
save_screenshot (GtkWindow  *window,
                 const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           "..", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  /* Let the window lay out and draw what changed. Bounded: on a slow
   * machine a frame is always due and the loop would never run dry. */
  for (int i = 0; i < 200; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static AdwMessageDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static AdwComboRow *
find_combo_row (KuuExportPage *page,
                const char    *title)
{
  g_autoptr(GPtrArray) queue = g_ptr_array_new ();

  g_ptr_array_add (queue, page);
  for (guint i = 0; i < queue->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (queue, i);

      if (ADW_IS_COMBO_ROW (widget) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
        return ADW_COMBO_ROW (widget);
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (queue, child);
    }
  g_assert_not_reached ();
}

static GtkWidget *
export_button (KuuExportPage *page)
{
  GtkWidget *button = find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "export.export");

  g_assert_nonnull (button);
  return button;
}

/* Turns the switch on as a finger would, and answers the dialog. */
static void
turn_contacts_on (KuuExportPage *page,
                  const char    *response)
{
  GtkSwitch *sw;
  g_autoptr(AdwMessageDialog) dialog = NULL;
  g_autofree char *body = NULL;

  sw = GTK_SWITCH (find_widget (GTK_WIDGET (page), GTK_TYPE_SWITCH, NULL));
  g_assert_nonnull (sw);
  g_assert_false (gtk_switch_get_state (sw));

  g_assert_null (find_dialog ());
  gtk_switch_set_active (sw, TRUE);
  /* Not yet: only the confirmation turns it on. */
  g_assert_false (gtk_switch_get_state (sw));
  dialog = g_object_ref (find_dialog ());
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) ==
                 GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (page))));
  g_object_get (dialog, "body", &body, NULL);
  g_assert_nonnull (strstr (body, "names, e-mail addresses and telephone numbers"));
  g_assert_nonnull (strstr (body, "data-protection"));

  adw_message_dialog_response (dialog, response);
  if (gtk_widget_get_visible (GTK_WIDGET (dialog)))
    gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (find_dialog ());

  g_assert_cmpint (gtk_switch_get_state (sw), ==, g_str_equal (response, "include"));
  g_assert_cmpint (gtk_switch_get_active (sw), ==, g_str_equal (response, "include"));
}

static void
test_export_page_month (Fixture       *f,
                        gconstpointer  data)
{
  KuuExportPage *page = show_page (f);
  const char *uuids[] = { f->january[0], f->january[1], f->january[2], NULL };
  g_autofree char *name = NULL;

  set_january (page);
  name = kuu_export_page_suggest_name (page);
  g_assert_cmpstr (name, ==, "kuulolla-kainuu-2026-01-01--2026-01-31.csv");

  export (f, page);
  assert_file (f, uuids, FALSE, ';');
  assert_shows_result (page, "Exported 3 answers to ", f->file);
}

static void
test_export_page_this_month (Fixture       *f,
                             gconstpointer  data)
{
  KuuExportPage *page = show_page (f);
  const char *uuids[] = { f->now, NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *expected = g_date_time_format (now, "kuulolla-kainuu-%Y-%m.csv");
  g_autofree char *name = kuu_export_page_suggest_name (page);

  AdwComboRow *period = find_combo_row (page, "Period");
  g_autoptr(GDateTime) last_month = g_date_time_add_months (now, -1);
  g_autoptr(GDateTime) first_day = g_date_time_add_days (last_month, 1 - g_date_time_get_day_of_month (last_month));
  g_autoptr(GDateTime) next_first_day = g_date_time_add_months (first_day, 1);
  g_autoptr(GDateTime) last_day = g_date_time_add_days (next_first_day, -1);
  g_autofree char *last_month_name = g_date_time_format (last_month, "kuulolla-kainuu-%Y-%m.csv");
  g_autofree char *first_text = g_date_time_format (first_day, "kuulolla-kainuu-%Y-%m-%d--");
  g_autofree char *last_text = g_date_time_format (last_day, "%Y-%m-%d.csv");
  g_autofree char *other = NULL;

  /* The default: this month, residents, no contacts. */
  g_assert_cmpstr (name, ==, expected);
  export (f, page);
  assert_file (f, uuids, FALSE, ';');
  assert_shows_result (page, "Exported 1 answer to ", f->file);

  /* Other period begins as the preset chosen before it: last month. */
  adw_combo_row_set_selected (period, 1);
  g_free (name);
  name = kuu_export_page_suggest_name (page);
  g_assert_cmpstr (name, ==, last_month_name);
  adw_combo_row_set_selected (period, 2);
  other = g_strconcat (first_text, last_text, NULL);
  g_free (name);
  name = kuu_export_page_suggest_name (page);
  g_assert_cmpstr (name, ==, other);
}

static void
test_export_page_contacts_confirmed (Fixture       *f,
                                     gconstpointer  data)
{
  KuuExportPage *page = show_page (f);
  const char *uuids[] = { f->january[0], f->january[1], f->january[2], NULL };
  g_autofree char *labels = NULL;

  set_january (page);
  turn_contacts_on (page, "include");
  /* Commas instead of the default semicolons. */
  adw_combo_row_set_selected (find_combo_row (page, "Column separator"), 1);
  export (f, page);
  assert_file (f, uuids, TRUE, ',');
  assert_shows_result (page, "Exported 3 answers to ", f->file);
  labels = labels_of (GTK_WIDGET (page));
  assert_shows (labels, "The file holds contact details");
  save_screenshot (f->t.window, "export-page.png");
}

static void
test_export_page_contacts_cancelled (Fixture       *f,
                                     gconstpointer  data)
{
  KuuExportPage *page = show_page (f);
  const char *uuids[] = { f->january[0], f->january[1], f->january[2], NULL };
  g_autofree char *labels = NULL;

  set_january (page);
  turn_contacts_on (page, "cancel");
  export (f, page);
  assert_file (f, uuids, FALSE, ';');
  labels = labels_of (GTK_WIDGET (page));
  g_assert_null (strstr (labels, "contact details:"));
}

/* An empty period still makes a file, and says so; an end before the
 * start cannot be exported. */
static void
test_export_page_empty (Fixture       *f,
                        gconstpointer  data)
{
  KuuExportPage *page = show_page (f);
  const char *none[] = { NULL };
  GDate first, last;
  g_autofree char *labels = NULL;
  g_autofree char *where = g_file_get_parse_name (f->file);
  g_autofree char *expected = g_strdup_printf ("No answers in this period. %s holds only the row of column names.", where);

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&first, 1, G_DATE_MARCH, 2025);
  g_date_set_dmy (&last, 2, G_DATE_MARCH, 2025);
  kuu_export_page_set_period (page, &first, &last);
  g_assert_true (gtk_widget_get_sensitive (export_button (page)));
  export (f, page);
  assert_file (f, none, FALSE, ';');
  labels = labels_of (GTK_WIDGET (page));
  assert_shows (labels, expected);

  kuu_export_page_set_period (page, &last, &first);
  labels = (g_free (labels), labels_of (GTK_WIDGET (page)));
  assert_shows (labels, "It must not be before the first day.");
  g_assert_false (gtk_widget_get_sensitive (export_button (page)));
  kuu_export_page_export_to (page, f->file);
  g_assert_false (kuu_export_page_get_busy (page));
}

/* At a kiosk there is no file dialog: the button offers a USB stick. */
static void
test_export_page_kiosk (Fixture       *f,
                        gconstpointer  data)
{
  KuuExportPage *page = show_page (f);
  g_autofree char *labels = labels_of (GTK_WIDGET (page));

  /* Without a stick (none on a test machine) it cannot export at all. */
  g_assert_null (strstr (labels, "Export…"));
  if (strstr (labels, "Insert a USB stick to export") != NULL)
    g_assert_false (gtk_widget_get_sensitive (export_button (page)));
  else
    assert_shows (labels, "Export to ");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/export-page/month", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_export_page_month, fixture_tear_down);
  g_test_add ("/export-page/this-month", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_export_page_this_month, fixture_tear_down);
  g_test_add ("/export-page/contacts-confirmed", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_export_page_contacts_confirmed, fixture_tear_down);
  g_test_add ("/export-page/contacts-cancelled", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_export_page_contacts_cancelled, fixture_tear_down);
  g_test_add ("/export-page/empty", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_export_page_empty, fixture_tear_down);
  g_test_add ("/export-page/kiosk", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_export_page_kiosk, fixture_tear_down);

  return g_test_run ();
}
