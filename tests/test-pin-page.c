/* test-pin-page.c: the staff PIN page — with no PIN set it offers only
 * Cancel; the right PIN unlocks; a wrong one says how many tries are left;
 * the fifth locks it, with the seconds counted down and OK off until the
 * end (a fake clock: no waiting out the lockout); the entry is empty
 * after every try; nothing of it is leaked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "kuu-context.h"
#include "kuu-pin-page.h"
#include "kuu-test-context.h"
#include "widget-text.h"

#define RIGHT_PIN "2468"
#define WRONG_PIN "1357"

typedef struct
{
  KuuTestContext t;
  KuuPin        *pin;
  gint64         now;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  return *(gint64 *)user_data;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  kuu_test_context_set_up (&f->t, "kainuu", "Kajaani", TRUE, NULL);
  f->now = 1800000000;
  f->pin = kuu_pin_new (f->t.store);
  kuu_pin_set_clock (f->pin, fake_clock, &f->now);
}

/* The PIN's checks are GTasks run in a thread: the worker may drop its
 * reference to the task, and so to the KuuPin, a moment after the callback
 * ran here (seen in the slower sanitized build). Finalized within 10 s, or
 * the test fails as g_assert_finalize_object() would. */
static void
assert_finalized_soon (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GWeakRef weak;

  g_weak_ref_init (&weak, object);
  g_object_unref (object);
  for (;;)
    {
      g_autoptr(GObject) still = g_weak_ref_get (&weak);

      if (still == NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_clear_object (&still);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_weak_ref_clear (&weak);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  assert_finalized_soon (g_steal_pointer (&f->pin));
  kuu_test_context_tear_down (&f->t);
}

static void
set_pin (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  kuu_pin_set_first (f->pin, RIGHT_PIN, &error);
  g_assert_no_error (error);
}

/* --- the widget tree ---------------------------------------------------- */

static gboolean
shown (GtkWidget *widget,
       GtkWidget *page)
{
  for (; widget != NULL && widget != page; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget))
      return FALSE;
  return TRUE;
}

static void
collect_buttons (GtkWidget  *widget,
                 GPtrArray  *out)
{
  if (GTK_IS_BUTTON (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_buttons (child, out);
}

/* The button a person sees with @name: its label, or for an icon key the
 * name a screen reader reads. */
static GtkWidget *
find_button (GtkWidget  *page,
             const char *name)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_buttons (page, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = buttons->pdata[i];

      if (shown (button, page) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), name) == 0)
        return button;
    }
  return NULL;
}

static char *
shown_labels (GtkWidget *page)
{
  GString *labels = g_string_new (NULL);

  collect_labels (page, labels);
  return g_string_free (labels, FALSE);
}

static GtkEditable *
entry_of (GtkWidget *page)
{
  g_autoptr(GPtrArray) buttons = NULL;
  GtkWidget *stack[64];
  guint n = 0;

  stack[n++] = page;
  while (n > 0)
    {
      GtkWidget *widget = stack[--n];

      if (GTK_IS_PASSWORD_ENTRY (widget))
        return GTK_EDITABLE (widget);
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        {
          g_assert_cmpuint (n, <, G_N_ELEMENTS (stack));
          stack[n++] = child;
        }
    }
  g_assert_not_reached ();
}

/* Presses the keys as a person does, then OK. */
static void
type_pin (GtkWidget  *page,
          const char *pin)
{
  for (const char *c = pin; *c; c++)
    {
      char digit[2] = { *c, '\0' };
      GtkWidget *key = find_button (page, digit);

      g_assert_nonnull (key);
      g_assert_true (gtk_widget_is_sensitive (key));
      g_signal_emit_by_name (key, "clicked");
    }
  g_assert_cmpuint (strlen (gtk_editable_get_text (entry_of (page))), ==, strlen (pin));
  g_signal_emit_by_name (find_button (page, "OK"), "clicked");
  /* Cleared at once, while Argon2 runs. */
  g_assert_cmpstr (gtk_editable_get_text (entry_of (page)), ==, "");
}

/* Runs the main loop until the check is done: the keys are back. */
static void
wait_checked (GtkWidget *page)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  GtkWidget *key = find_button (page, "0");

  while (!gtk_widget_is_sensitive (key))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_shows (GtkWidget  *page,
            const char *text)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *labels = shown_labels (page);

      if (strstr (labels, text) != NULL)
        return;
      if (g_get_monotonic_time () > deadline)
        assert_shows (labels, text);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static void
on_flag_cb (GtkWidget *page,
            gboolean  *flag)
{
  *flag = TRUE;
}

/* In a window, as at the kiosk: its keys' actions resolve there. */
static GtkWidget *
open_page (Fixture *f)
{
  GtkWidget *page = g_object_ref_sink (kuu_pin_page_new (f->t.context, f->pin));
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (page))
    g_main_context_iteration (NULL, TRUE);
  return page;
}

static void
close_page (GtkWidget *page)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (page));

  /* Leaving the page leaves nothing typed in it. */
  gtk_editable_set_text (entry_of (page), "13");
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_cmpstr (gtk_editable_get_text (entry_of (page)), ==, "");
  /* GTK lets go of a destroyed window's widgets in its own idle time. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (page);
}

/* --- tests ----------------------------------------------------------------- */

static void
test_pin_page_not_set (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *page = open_page (f);
  g_autofree char *labels = shown_labels (page);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  gboolean cancelled = FALSE;
  guint n_shown = 0;

  assert_shows (labels, "kuulolla --set-pin");
  collect_buttons (page, buttons);
  for (guint i = 0; i < buttons->len; i++)
    n_shown += shown (buttons->pdata[i], page);
  g_assert_cmpuint (n_shown, ==, 1);
  g_assert_nonnull (find_button (page, "Cancel"));
  g_assert_false (shown (GTK_WIDGET (entry_of (page)), page));

  g_signal_connect (page, "cancelled", G_CALLBACK (on_flag_cb), &cancelled);
  g_signal_emit_by_name (find_button (page, "Cancel"), "clicked");
  g_assert_true (cancelled);
  close_page (page);
}

static void
test_pin_page_right (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *page;
  gboolean unlocked = FALSE;

  set_pin (f);
  page = open_page (f);
  g_signal_connect (page, "unlocked", G_CALLBACK (on_flag_cb), &unlocked);

  /* Backspace takes back a mistyped digit. */
  g_signal_emit_by_name (find_button (page, "9"), "clicked");
  g_assert_cmpstr (gtk_editable_get_text (entry_of (page)), ==, "9");
  gtk_widget_activate_action (page, "pin.backspace", NULL);
  g_assert_cmpstr (gtk_editable_get_text (entry_of (page)), ==, "");

  type_pin (page, RIGHT_PIN);
  wait_checked (page);
  g_assert_true (unlocked);
  g_assert_cmpstr (gtk_editable_get_text (entry_of (page)), ==, "");
  close_page (page);
}

static void
test_pin_page_wrong (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *page;
  gboolean unlocked = FALSE;

  set_pin (f);
  page = open_page (f);
  g_signal_connect (page, "unlocked", G_CALLBACK (on_flag_cb), &unlocked);

  type_pin (page, WRONG_PIN);
  wait_checked (page);
  wait_shows (page, "Wrong PIN. 4 more wrong tries");
  g_assert_false (unlocked);
  g_assert_cmpstr (gtk_editable_get_text (entry_of (page)), ==, "");
  g_assert_true (gtk_widget_is_sensitive (find_button (page, "OK")));

  /* Too short: said at once, not counted. */
  type_pin (page, "12");
  wait_shows (page, "4 to 12 digits");
  type_pin (page, WRONG_PIN);
  wait_checked (page);
  wait_shows (page, "Wrong PIN. 3 more wrong tries");
  close_page (page);
}

static void
test_pin_page_locked (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *page;
  gboolean unlocked = FALSE;

  set_pin (f);
  page = open_page (f);
  g_signal_connect (page, "unlocked", G_CALLBACK (on_flag_cb), &unlocked);

  for (guint i = 0; i < KUU_PIN_FREE_TRIES; i++)
    {
      type_pin (page, WRONG_PIN);
      wait_checked (page);
    }
  wait_shows (page, "Try again in 30 seconds.");
  g_assert_false (gtk_widget_is_sensitive (find_button (page, "OK")));
  g_assert_cmpstr (gtk_editable_get_text (entry_of (page)), ==, "");

  /* The countdown follows the clock, each second. */
  f->now += 12;
  wait_shows (page, "Try again in 18 seconds.");
  g_assert_false (gtk_widget_is_sensitive (find_button (page, "OK")));

  /* Over: OK again, and the right PIN opens. */
  f->now += 18;
  wait_shows (page, "You can try again now.");
  g_assert_true (gtk_widget_is_sensitive (find_button (page, "OK")));
  type_pin (page, RIGHT_PIN);
  wait_checked (page);
  g_assert_true (unlocked);
  close_page (page);
}

/* A page opened while the PIN is locked shows it at once. */
static void
test_pin_page_opens_locked (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *page;

  set_pin (f);
  for (guint i = 0; i < KUU_PIN_FREE_TRIES; i++)
    g_assert_false (kuu_pin_verify (f->pin, WRONG_PIN, NULL));
  f->now += 5;

  page = open_page (f);
  wait_shows (page, "Try again in 25 seconds.");
  g_assert_false (gtk_widget_is_sensitive (find_button (page, "OK")));
  close_page (page);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/pin-page/not-set", Fixture, NULL, fixture_set_up, test_pin_page_not_set, fixture_tear_down);
  g_test_add ("/pin-page/right", Fixture, NULL, fixture_set_up, test_pin_page_right, fixture_tear_down);
  g_test_add ("/pin-page/wrong", Fixture, NULL, fixture_set_up, test_pin_page_wrong, fixture_tear_down);
  g_test_add ("/pin-page/locked", Fixture, NULL, fixture_set_up, test_pin_page_locked, fixture_tear_down);
  g_test_add ("/pin-page/opens-locked", Fixture, NULL,
              fixture_set_up, test_pin_page_opens_locked, fixture_tear_down);

  return g_test_run ();
}
