/* kiosk-cycles.c
 *
 * The real application in kiosk mode, built as main.c builds it (a region
 * from the bundled files, the settings from the schema in whichever
 * backend GSETTINGS_BACKEND names, a store on a database of its own), on
 * whatever display there is. Residents come one after the other and use it
 * as a person would: they tap English, a choice on the start page, topics,
 * scores and statements, type into the fields, and press Send or walk
 * away. Every press is a "clicked" on the button the person would press;
 * the window's own actions, pages and idle timers do the rest.
 *
 * Four kinds of visit take turns: a recommendation sent, feedback sent
 * (every other one asking for a reply, with contact details), an
 * initiative with contact details sent, and a recommendation or an
 * initiative filled in and left to the idle reset. For the last, the
 * window's own idle and countdown timeouts fire: the driver only makes
 * each one due at once (g_source_set_ready_time), so a visit does not
 * wait out the idle time.
 *
 * After each visit the store holds exactly the submissions sent, and no
 * text the resident typed is anywhere in the window's widgets.
 *
 * With a tap function (bench/bench-taps.c, figure 7), each press waits
 * for the frame painted after it and reports the time from the press to
 * that frame's after-paint, and the main thread's CPU time meanwhile,
 * named by step ("goal", "score"…); a send also reports the time to the
 * frame that shows the thanks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <time.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "kiosk-cycles.h"
#include "kuu-application.h"
#include "kuu-store-private.h"
#include "kuu-strategy-loader.h"
#include "kuu-test-tree.h"
#include "widget-text.h"

/* Never by itself: an idle visit makes the timer due instead, and a slow
 * run (valgrind, ASan) does not get reset in the middle of a visit. */
#define IDLE_SECONDS 3600
#define COUNTDOWN_SECONDS 3
#define AGREEMENT_CHOICES 6  /* "no answer" and 1–5, per statement */

struct _KuuCycles
{
  KuuApplication *app;
  char           *dir;
  char           *database;
  sqlite3        *reader;     /* a connection of our own, to count */
  GtkWindow      *window;
  GtkStack       *stack;
  guint           frames;     /* painted so far */
  guint           done;       /* visits so far */
  gint64          submissions;  /* in the store, as far as we know */
  GPtrArray      *typed;      /* what the current resident typed */
  guint           wait_seconds;

  KuuCyclesFunc   func;
  gpointer        user_data;

  const char       *flow;      /* the one the resident started */
  KuuCyclesTapFunc  tap_func;
  gpointer          tap_data;
};

typedef gboolean (*Match) (GtkWidget     *widget,
                           gconstpointer  data);

/* --- finding what a resident sees ---------------------------------------- */

/* Widgets matching @match under @root that are on screen, in order. */
static void
collect_shown (GtkWidget     *root,
               Match          match,
               gconstpointer  data,
               GPtrArray     *out)
{
  if (!gtk_widget_get_visible (root))
    return;
  if (match (root, data))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shown (child, match, data, out);
}

static GPtrArray *
find_all (KuuCycles     *self,
          Match          match,
          gconstpointer  data)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_shown (gtk_stack_get_visible_child (self->stack), match, data, found);
  return found;
}

static GtkWidget *
find_nth (KuuCycles     *self,
          Match          match,
          gconstpointer  data,
          guint          n)
{
  g_autoptr(GPtrArray) found = find_all (self, match, data);

  if (n >= found->len)
    g_error ("visit %u: the page shows %u of what is looked for, not %u",
             self->done, found->len, n + 1);
  return g_ptr_array_index (found, n);
}

static gboolean
is_button_with_class (GtkWidget     *widget,
                      gconstpointer  css_class)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, css_class);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* "win.start::feedback" matches a button for win.start with "feedback". */
static gboolean
is_button_for_action (GtkWidget     *widget,
                      gconstpointer  detailed)
{
  g_autofree char *name = NULL;
  g_autoptr(GVariant) target = NULL;
  const char *action;
  GVariant *own;

  if (!GTK_IS_BUTTON (widget) || (action = gtk_actionable_get_action_name (GTK_ACTIONABLE (widget))) == NULL)
    return FALSE;
  g_action_parse_detailed_name (detailed, &name, &target, NULL);
  own = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
  return g_str_equal (action, name) && (target == NULL || (own != NULL && g_variant_equal (own, target)));
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

#define OF_TYPE(type) is_of_type, GSIZE_TO_POINTER (type)

/* --- waiting for the main loop ------------------------------------------- */

static gboolean
on_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_until (KuuCycles  *self,
            gboolean  (*done) (KuuCycles *self),
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + self->wait_seconds * G_USEC_PER_SEC;
  /* The loop blocks for at most this long, so the deadline is noticed. */
  guint wake = g_timeout_add (100, on_wake_cb, NULL);

  while (!done (self))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("visit %u: %s did not happen within %u s", self->done, what, self->wait_seconds);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   KuuCycles     *self)
{
  self->frames++;
}

static gboolean
painted_since (KuuCycles *self,
               guint      frames)
{
  return self->frames > frames;
}

static gboolean
painted_next (KuuCycles *self)
{
  return painted_since (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self->window), "kuu-frames")));
}

/* What a resident sees has been drawn, with whatever that allocates. */
/* The calling thread's CPU time: on a loaded machine the wall time of a
 * frame is mostly waiting for a core. */
static double
thread_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
}

/* painted_next() is true once a frame is painted after this. */
static void
mark_frames (KuuCycles *self)
{
  g_object_set_data (G_OBJECT (self->window), "kuu-frames", GUINT_TO_POINTER (self->frames));
}

static void
wait_for_frame (KuuCycles *self)
{
  mark_frames (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->window));
  wait_until (self, painted_next, "a frame");
}

static const char *
page_name (KuuCycles *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

static gboolean
shows_welcome (KuuCycles *self)
{
  return g_strcmp0 (page_name (self), "welcome") == 0 &&
         gtk_stack_get_child_by_name (self->stack, "flow") == NULL;
}

static gboolean
shows_thanks (KuuCycles *self)
{
  return g_strcmp0 (page_name (self), "thanks") == 0;
}

/* --- a resident's hands -------------------------------------------------- */

/* A press's step, for figure 7: what the resident sees it as. */
static char *
step_name (KuuCycles *self,
           GtkWidget *button)
{
  const char *action = gtk_actionable_get_action_name (GTK_ACTIONABLE (button));
  GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
  const char *label = gtk_button_get_label (GTK_BUTTON (button));

  if (g_strcmp0 (action, "win.start") == 0 && target != NULL)
    {
      const char *flow = g_variant_get_string (target, NULL);

      return g_strdup_printf ("start %s", g_str_equal (flow, "answers") ? "board" : flow);
    }
  if (action != NULL)
    return g_strdup (action + strlen ("win."));
  if (gtk_widget_has_css_class (button, "topic-button"))
    return g_strdup ("goal");
  if (gtk_widget_has_css_class (button, "score-button"))
    return g_strdup ("score");
  if (gtk_widget_has_css_class (button, "agreement-button"))
    return g_strdup ("statement");
  if (gtk_widget_has_css_class (button, "choice-grid-button"))
    return g_strdup_printf ("%s choice", self->flow);
  if (g_strcmp0 (label, "Next") == 0)
    return g_strdup ("why");
  return g_ascii_strdown (label != NULL ? label : "button", -1);
}

/* The time from the press to the after-paint of the next frame: the one
 * that shows what the press changed, when the press changes it at once. */
static void
press (KuuCycles *self,
       GtkWidget *button)
{
  g_autofree char *step = NULL;
  gint64 start;
  double cpu;

  if (!gtk_widget_is_sensitive (button))
    g_error ("visit %u: a button to press is insensitive", self->done);
  if (self->tap_func != NULL)
    step = step_name (self, button);
  mark_frames (self);
  cpu = thread_cpu_ms ();
  start = g_get_monotonic_time ();
  g_signal_emit_by_name (button, "clicked");
  if (self->tap_func != NULL)
    {
      wait_until (self, painted_next, "a frame after a press");
      self->tap_func (self, step, (g_get_monotonic_time () - start) / 1000.0,
                      thread_cpu_ms () - cpu, self->tap_data);
    }
}

static void
press_nth (KuuCycles     *self,
           Match          match,
           gconstpointer  data,
           guint          n)
{
  press (self, find_nth (self, match, data, n));
}

/* Typed into the nth text field (GtkEntry) or text area (GtkTextView) on
 * the page; remembered, to look for after the resident has gone. */
static void
type_into (KuuCycles  *self,
           GType       type,
           guint       n,
           const char *text)
{
  GtkWidget *field = find_nth (self, OF_TYPE (type), n);

  gtk_widget_grab_focus (field);
  if (GTK_IS_TEXT_VIEW (field))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (field), text);
  g_ptr_array_add (self->typed, g_strdup (text));
}

static void
type_printf (KuuCycles  *self,
             GType       type,
             guint       n,
             const char *format,
             ...) G_GNUC_PRINTF (4, 5);

static void
type_printf (KuuCycles  *self,
             GType       type,
             guint       n,
             const char *format,
             ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  type_into (self, type, n, text);
}

/* The start page in English, then one of its choices. */
static void
start (KuuCycles  *self,
       const char *flow)
{
  g_autofree char *choice = g_strdup_printf ("win.start::%s", flow);

  self->flow = flow;
  press_nth (self, is_button_for_action, "win.language::en", 0);
  wait_for_frame (self);
  press_nth (self, is_button_for_action, choice, 0);
  if (g_strcmp0 (page_name (self), "flow") != 0)
    g_error ("visit %u: “%s” did not start", self->done, flow);
}

/* --- the visits ---------------------------------------------------------- */

static void
fill_statements (KuuCycles *self)
{
  g_autoptr(GPtrArray) choices = find_all (self, is_button_with_class, "agreement-button");

  g_assert_cmpuint (choices->len % AGREEMENT_CHOICES, ==, 0);
  for (guint row = 0; row < choices->len / AGREEMENT_CHOICES; row++)
    press (self, g_ptr_array_index (choices, row * AGREEMENT_CHOICES + (self->done + row) % AGREEMENT_CHOICES));
}

static void
fill_recommendation (KuuCycles *self)
{
  g_autoptr(GPtrArray) topics = NULL;

  start (self, "recommend");
  topics = find_all (self, is_button_with_class, "topic-button");
  press (self, g_ptr_array_index (topics, self->done % topics->len));
  press_nth (self, is_button_with_class, "score-button", self->done % 11);
  fill_statements (self);
  press_nth (self, is_button_labelled, "Next", 0);
  type_printf (self, GTK_TYPE_TEXT_VIEW, 0, "Visit %u: the nurse had time for me (why %u)",
               self->done, self->done);
  wait_for_frame (self);
}

/* Name, e-mail and phone are the last three entries on either page. */
static void
fill_contact (KuuCycles *self,
              guint      first_entry)
{
  type_printf (self, GTK_TYPE_ENTRY, first_entry, "Aino Asukas %u", self->done);
  type_printf (self, GTK_TYPE_ENTRY, first_entry + 1, "aino.%u@example.fi", self->done);
  type_printf (self, GTK_TYPE_ENTRY, first_entry + 2, "040 555 %04u", self->done % 10000);
  press_nth (self, is_button_labelled, "I have read the privacy notice", 0);
}

static void
fill_feedback (KuuCycles *self)
{
  g_autoptr(GPtrArray) topics = NULL;

  start (self, "feedback");
  topics = find_all (self, is_button_with_class, "choice-grid-button");
  press (self, g_ptr_array_index (topics, self->done % topics->len));
  type_printf (self, GTK_TYPE_TEXT_VIEW, 0, "Visit %u: the waiting room was cold (feedback %u)",
               self->done, self->done);
  if (self->done % 8 == 1)
    {
      press_nth (self, is_button_labelled, "I would like a reply", 0);
      fill_contact (self, 0);
    }
  wait_for_frame (self);
}

static void
fill_initiative (KuuCycles *self)
{
  g_autoptr(GPtrArray) municipalities = NULL;

  start (self, "initiative");
  type_printf (self, GTK_TYPE_ENTRY, 0, "Visit %u: a bench at the bus stop", self->done);
  type_printf (self, GTK_TYPE_TEXT_VIEW, 0, "Visit %u: older people wait there standing (initiative %u)",
               self->done, self->done);
  municipalities = find_all (self, is_button_with_class, "choice-grid-button");
  press (self, g_ptr_array_index (municipalities, self->done % municipalities->len));
  fill_contact (self, 1);
  wait_for_frame (self);
}

static void
send (KuuCycles *self)
{
  gint64 start = g_get_monotonic_time ();
  double cpu = thread_cpu_ms ();

  press_nth (self, is_button_labelled, "Send", 0);
  wait_until (self, shows_thanks, "the thanks page");
  self->submissions++;
  if (self->tap_func != NULL)
    {
      /* The thanks is shown once the save has committed (a worker
       * thread): the frame after that is the one that shows it. */
      mark_frames (self);
      wait_until (self, painted_next, "the thanks painted");
      self->tap_func (self, "send → thanks", (g_get_monotonic_time () - start) / 1000.0,
                      thread_cpu_ms () - cpu, self->tap_data);
    }
  wait_for_frame (self);
  press_nth (self, is_button_for_action, "win.home", 0);
}

/* One of the window's timeouts (idle or countdown) made due now, and
 * dispatched: then it is gone or waits for its next second. */
static gboolean
fire_window_timeout (KuuCycles *self)
{
  GSource *source = g_main_context_find_source_by_funcs_user_data (NULL, &g_timeout_funcs, self->window);

  if (source == NULL)
    return FALSE;
  g_source_ref (source);
  g_source_set_ready_time (source, 0);
  while (!g_source_is_destroyed (source) && g_source_get_ready_time (source) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_unref (source);
  return TRUE;
}

/* The window's idle timeout, then each second of its countdown, fire
 * one after the other, as they would with nobody touching the screen. */
static void
walk_away (KuuCycles *self)
{
  guint fired = 0;

  while (!shows_welcome (self))
    {
      if (!fire_window_timeout (self))
        g_error ("visit %u: the kiosk has no idle timer running", self->done);
      fired++;
    }
  /* The idle timeout and every second of the countdown. */
  g_assert_cmpuint (fired, ==, 1 + COUNTDOWN_SECONDS);
}

static void
check_forgotten (KuuCycles *self)
{
  g_autoptr(GString) shown = g_string_new (NULL);

  collect_all_text (GTK_WIDGET (self->window), shown);
  for (guint i = 0; i < self->typed->len; i++)
    if (strstr (shown->str, g_ptr_array_index (self->typed, i)) != NULL)
      g_error ("visit %u: the next resident still sees “%s”", self->done,
               (char *)g_ptr_array_index (self->typed, i));
  g_ptr_array_set_size (self->typed, 0);
}

/* Counted on a connection of our own with a small cache: the app's
 * memory is what is measured, not ours. */
static gint64
count_stored (KuuCycles *self)
{
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  if (sqlite3_prepare_v2 (self->reader, "SELECT count(*) FROM submissions", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

static void
check_stored (KuuCycles *self)
{
  gint64 count = count_stored (self);

  if (count != self->submissions)
    g_error ("visit %u: the store holds %" G_GINT64_FORMAT " submissions, not %" G_GINT64_FORMAT " (%s)",
             self->done, count, self->submissions, sqlite3_errmsg (self->reader));
}

static void
run_one (KuuCycles *self)
{
  switch (self->done % 4)
    {
    case 0:
      fill_recommendation (self);
      send (self);
      break;
    case 1:
      fill_feedback (self);
      send (self);
      break;
    case 2:
      fill_initiative (self);
      send (self);
      break;
    default:
      if (self->done % 8 == 3)
        fill_recommendation (self);
      else
        fill_initiative (self);
      walk_away (self);
      break;
    }
  wait_until (self, shows_welcome, "the start page");
  wait_for_frame (self);
  check_forgotten (self);
  check_stored (self);
  self->done++;
}

/**
 * kuu_cycles_run_some:
 * @n: how many residents come
 *
 * Each uses the kiosk and goes; aborts on anything that does not happen
 * as it should.
 */
void
kuu_cycles_run_some (KuuCycles *self,
                     guint      n)
{
  for (guint i = 0; i < n; i++)
    run_one (self);
}

/**
 * kuu_cycles_visit_board:
 *
 * A resident reads the initiatives board and goes back to the start.
 */
void
kuu_cycles_visit_board (KuuCycles *self)
{
  start (self, "answers");
  wait_for_frame (self);
  press_nth (self, is_button_labelled, "Cancel", 0);
  wait_until (self, shows_welcome, "the start page");
  wait_for_frame (self);
}

/**
 * kuu_cycles_set_tap_func:
 *
 * Every press from now on waits for the frame after it and reports the
 * time to @func (figure 7); %NULL stops it.
 */
void
kuu_cycles_set_tap_func (KuuCycles        *self,
                         KuuCyclesTapFunc  func,
                         gpointer          user_data)
{
  self->tap_func = func;
  self->tap_data = user_data;
}

GtkWindow *
kuu_cycles_get_window (KuuCycles *self)
{
  return self->window;
}

guint
kuu_cycles_get_done (KuuCycles *self)
{
  return self->done;
}

gint64
kuu_cycles_get_submissions (KuuCycles *self)
{
  return self->submissions;
}

/* --- the application ----------------------------------------------------- */

/* As main.c: the schema if there is one, in the backend the environment
 * names (memory, in tests and the bench). */
static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static gboolean
window_mapped (KuuCycles *self)
{
  self->window = gtk_application_get_active_window (GTK_APPLICATION (self->app));
  return self->window != NULL && gtk_widget_get_mapped (GTK_WIDGET (self->window));
}

static GtkStack *
find_stack (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "welcome") != NULL)
    return GTK_STACK (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStack *stack = find_stack (child);

      if (stack != NULL)
        return stack;
    }
  return NULL;
}

static gboolean
on_drive_cb (gpointer user_data)
{
  KuuCycles *self = user_data;

  wait_until (self, window_mapped, "the kiosk window");
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (self->window)), "after-paint",
                    G_CALLBACK (on_after_paint_cb), self);
  self->stack = find_stack (GTK_WIDGET (self->window));
  g_assert_nonnull (self->stack);
  wait_for_frame (self);
  g_assert_cmpint (sqlite3_open_v2 (self->database, &self->reader, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_exec (self->reader, "PRAGMA cache_size = -64", NULL, NULL, NULL);

  self->func (self, self->user_data);

  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (self->window)),
                                        on_after_paint_cb, self);
  gtk_window_destroy (self->window);
  g_application_quit (G_APPLICATION (self->app));
  return G_SOURCE_REMOVE;
}

static void
on_activate_cb (KuuCycles *self)
{
  g_idle_add_once ((GSourceOnceFunc)on_drive_cb, self);
}

/* Answers of earlier residents, written before the kiosk starts, as a
 * kiosk in use for months has them. */
static void
add_earlier (const char  *database,
             KuuStrategy *strategy,
             guint        n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = kuu_store_open (database, &error);
  g_autoptr(GPtrArray) earlier = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_submission_free);
  g_autoptr(KuuTopic) goal = g_list_model_get_item (kuu_strategy_get_goals (strategy), 0);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      KuuSubmission *submission = kuu_submission_new_recommendation (KUU_TOPIC_GOAL, kuu_topic_get_id (goal), i % 11);

      kuu_submission_set_place (submission, kuu_strategy_get_id (strategy), "Cycles", KUU_LANGUAGE_FI);
      g_ptr_array_add (earlier, submission);
    }
  _kuu_store_add_all (store, earlier, &error);
  g_assert_no_error (error);
}

/**
 * kuu_cycles_run:
 * @region: a bundled region's id
 * @earlier: how many recommendations the database holds at start
 * @func: what to do with the kiosk once it shows
 *
 * Runs the kiosk on a new database of its own, calls @func, then quits.
 *
 * Returns: the application's exit status
 */
int
kuu_cycles_run (const char    *region,
                guint          earlier,
                KuuCyclesFunc  func,
                gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_region (region, &error);
  g_autoptr(GSettings) settings = load_settings ();
  g_autoptr(GPtrArray) typed = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = g_dir_make_tmp ("kuulolla-cycles-XXXXXX", &error);
  g_autofree char *database = NULL;
  KuuCycles self = { .func = func, .user_data = user_data, .typed = typed, .dir = dir, .submissions = earlier };
  char *argv[] = { (char *)"kuulolla", NULL };
  int status;

  g_assert_no_error (error);
  /* valgrind runs everything some 50 times slower. */
  self.wait_seconds = g_getenv ("KUULOLLA_CYCLES_WAIT") ? atoi (g_getenv ("KUULOLLA_CYCLES_WAIT")) : 60;
  self.database = database = g_build_filename (dir, "kiosk.db", NULL);
  if (earlier > 0)
    add_earlier (database, strategy, earlier);
  self.app = kuu_application_new (strategy, settings, database, "Cycles", TRUE);
  kuu_application_set_idle_times (self.app, IDLE_SECONDS, COUNTDOWN_SECONDS);
  g_signal_connect_swapped (self.app, "activate", G_CALLBACK (on_activate_cb), &self);

  status = g_application_run (G_APPLICATION (self.app), 1, argv);

  g_clear_object (&self.app);
  g_clear_pointer (&self.reader, sqlite3_close);
  kuu_test_remove_tree (dir);
  return status;
}
