/* test-paper-page.c: the staff tab for initiatives from paper and e-mail —
 * the editor refuses what is missing or a date in the future, saves a new
 * one with its channel, date and signatories, lists it as waiting, and an
 * edit changes the same record; nothing of it is leaked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "kuu-choice-grid.h"
#include "kuu-context.h"
#include "kuu-paper-page.h"
#include "kuu-staff-entries.h"
#include "kuu-test-context.h"
#include "kuu-text-area.h"
#include "widget-text.h"

typedef KuuTestContext Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  kuu_test_context_set_up (f, "kainuu", "Kajaani", FALSE, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kuu_test_context_tear_down (f);
}

/* The @index-th widget of @type under @widget, in tree order. */
static GtkWidget *
nth_of_type (GtkWidget *widget,
             GType      type,
             guint     *index)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (*index)-- == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = nth_of_type (child, type, index);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_widget (GtkWidget *page,
             GType      type,
             guint      index)
{
  GtkWidget *found = nth_of_type (page, type, &index);

  g_assert_nonnull (found);
  return found;
}

static GtkWidget *
find_toggle (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toggle (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The editor's entries, in order: title, date received, name, e-mail, phone. */
enum { TITLE, DATE, NAME, EMAIL, PHONE };

static void
set_entry (GtkWidget  *page,
           guint       which,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find_widget (page, GTK_TYPE_ENTRY, which)), text);
}

static void
wait_shows (GtkWidget  *page,
            const char *text)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      GString *labels = g_string_new (NULL);
      g_autofree char *shown = NULL;

      collect_labels (page, labels);
      shown = g_string_free (labels, FALSE);
      if (strstr (shown, text) != NULL)
        return;
      if (g_get_monotonic_time () > deadline)
        assert_shows (shown, text);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static GPtrArray *
stored (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = kuu_staff_entries_list (f->store, &error);

  g_assert_no_error (error);
  return entries;
}

static void
finish (GtkWidget *page)
{
  /* Its tasks in worker threads hold it until they are done. */
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *)&page);
  g_object_unref (page);
  while (page != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static char *
days_ago (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static void
fill (GtkWidget  *page,
      const char *title,
      const char *received_on)
{
  set_entry (page, TITLE, title);
  kuu_text_area_set_text (KUU_TEXT_AREA (find_widget (page, KUU_TYPE_TEXT_AREA, 0)),
                          "Ehdotamme penkkejä terveysaseman pihalle.");
  kuu_choice_grid_set_selected (KUU_CHOICE_GRID (find_widget (page, KUU_TYPE_CHOICE_GRID, 0)), 1);
  set_entry (page, DATE, received_on);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_widget (page, GTK_TYPE_SPIN_BUTTON, 0)), 12);
  set_entry (page, NAME, "Maija Meikäläinen");
  set_entry (page, EMAIL, "maija@example.fi");
}

static void
test_paper_page_new_and_edit (Fixture       *f,
                              gconstpointer  data)
{
  GtkWidget *page = g_object_ref_sink (kuu_paper_page_new (f->context));
  g_autofree char *received = days_ago (5);
  g_autofree char *future = days_ago (-2);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *uuid = NULL;
  KuuSubmission *submission;

  wait_shows (page, "No initiatives have been entered on this device yet.");

  /* Nothing typed: said at the first field, nothing saved. */
  g_assert_true (gtk_widget_activate_action (page, "paper.new", NULL));
  g_assert_true (gtk_widget_activate_action (page, "paper.save", NULL));
  wait_shows (page, "Write the initiative’s title.");

  /* A date received after today is refused. */
  fill (page, "Penkit", future);
  g_assert_true (gtk_widget_activate_action (page, "paper.save", NULL));
  wait_shows (page, "The date received cannot be later than today.");
  entries = stored (f);
  g_assert_cmpuint (entries->len, ==, 0);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Saved: listed as waiting, stored as typed. */
  set_entry (page, DATE, received);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_toggle (page, "E-mail")), TRUE);
  g_assert_true (gtk_widget_activate_action (page, "paper.save", NULL));
  wait_shows (page, "Saved. It is sent to the region’s server as soon as the connection allows.");
  wait_shows (page, "Penkit\nE-mail · received ");
  wait_shows (page, "Waiting to be sent. You can still edit or delete it.");
  entries = stored (f);
  g_assert_cmpuint (entries->len, ==, 1);
  submission = ((KuuStaffEntry *)g_ptr_array_index (entries, 0))->submission;
  g_assert_cmpint (submission->channel, ==, KUU_CHANNEL_EMAIL);
  g_assert_cmpstr (submission->received_on, ==, received);
  g_assert_cmpint (submission->signatories, ==, 12);
  g_assert_cmpstr (submission->municipality, ==, "kajaani");
  g_assert_cmpstr (submission->region, ==, "kainuu");
  g_assert_cmpstr (submission->unit, ==, "Kajaani");
  g_assert_cmpstr (submission->contact_email, ==, "maija@example.fi");
  uuid = g_strdup (submission->uuid);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Edited: the same record, the form filled with what was stored. */
  g_assert_true (gtk_widget_activate_action (page, "paper.edit", "s", uuid));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_widget (page, GTK_TYPE_ENTRY, TITLE))), ==, "Penkit");
  set_entry (page, TITLE, "Penkit ja katos");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_widget (page, GTK_TYPE_SPIN_BUTTON, 0)), 30);
  g_assert_true (gtk_widget_activate_action (page, "paper.save", NULL));
  wait_shows (page, "Penkit ja katos\n");
  entries = stored (f);
  g_assert_cmpuint (entries->len, ==, 1);
  submission = ((KuuStaffEntry *)g_ptr_array_index (entries, 0))->submission;
  g_assert_cmpstr (submission->uuid, ==, uuid);
  g_assert_cmpstr (submission->title, ==, "Penkit ja katos");
  g_assert_cmpint (submission->signatories, ==, 30);
  g_assert_cmpint (submission->channel, ==, KUU_CHANNEL_EMAIL);

  finish (page);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/paper-page/new-and-edit", Fixture, NULL,
              fixture_set_up, test_paper_page_new_and_edit, fixture_tear_down);

  return g_test_run ();
}
