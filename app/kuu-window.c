/* kuu-window.c
 *
 * The window holds one page at a time: the welcome page, a flow
 * (recommend, ...), or the thanks. Pages are built anew for each language
 * and each resident: strings are read from gettext when a page is built,
 * and a page built fresh holds nothing of anyone before.
 *
 * On a kiosk the window also watches for idleness: after the idle time it
 * counts down, offering to continue, and then wipes everything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
# include <malloc.h>
#endif

#include "kuu-answers-page.h"
#include "kuu-feedback-page.h"
#include "kuu-i18n.h"
#include "kuu-initiative-page.h"
#include "kuu-keyboard.h"
#include "kuu-narrator.h"
#include "kuu-personnel-page.h"
#include "kuu-pin-page.h"
#include "kuu-flow-page.h"
#include "kuu-recommend-page.h"
#include "kuu-staff-page.h"
#include "kuu-thanks-page.h"
#include "kuu-welcome-page.h"
#include "kuu-window.h"

/* 96 dpi × 1.3: "larger text" scales every font, strategy texts included. */
#define LARGE_TEXT_DPI ((int)(96 * 1.3 * 1024))

struct _KuuWindow
{
  AdwApplicationWindow  parent_instance;

  KuuContext           *context;  /* NULL on the error window */
  KuuPin               *pin;      /* a kiosk's staff PIN; one per store */

  guint                 idle_id;
  guint                 countdown_id;
  guint                 countdown_left;
  guint                 trim_id;
  gboolean              dirty;    /* someone has touched it since the last wipe */
  char                 *flow;     /* the flow on screen, or NULL */

  AdwHeaderBar         *header_bar;
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  GtkWidget            *idle_box;
  GtkLabel             *idle_title;
  GtkLabel             *idle_label;
  GtkButton            *continue_button;
  GtkWidget            *access_bar;
  GtkWidget            *keyboard_holder;
  KuuKeyboard          *keyboard;  /* only on a kiosk */
  KuuNarrator          *narrator;  /* speech output, only on a kiosk */
  GtkButton            *easy_language_button;
  GtkButton            *large_text_button;
  GtkButton            *high_contrast_button;
  GtkWidget            *staff_button;  /* only on a desktop */
};

G_DEFINE_FINAL_TYPE (KuuWindow, kuu_window, ADW_TYPE_APPLICATION_WINDOW)

static void note_activity   (KuuWindow *self);
static void show_staff_page (KuuWindow *self);

static void
remove_page (KuuWindow  *self,
             const char *name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, name);

  if (page != NULL)
    gtk_stack_remove (self->stack, page);
}

/* Larger text and high contrast are for residents: on staff pages they
 * only took room from the figures. The header's Staff mode button is not
 * shown where staff mode already is (it said “Staff mode” twice). */
static void
show_chrome_for (KuuWindow  *self,
                 const char *name)
{
  gboolean staff = g_str_equal (name, "staff");

  gtk_widget_set_visible (self->access_bar, !staff);
  if (self->staff_button != NULL)
    gtk_widget_set_visible (self->staff_button, !staff);
}

/* One resident page exists at a time: what is not on screen is gone, not
 * hidden, so neither a screen reader nor the next person finds it. */
static void
show_page (KuuWindow  *self,
           GtkWidget  *page,
           const char *name)
{
  gtk_stack_add_named (self->stack, page, name);
  gtk_stack_set_visible_child (self->stack, page);
  note_activity (self);
  if (!g_str_equal (name, "flow"))
    g_clear_pointer (&self->flow, g_free);
  for (const char * const *old = (const char * const[]) { "welcome", "flow", "thanks", "pin", "staff", NULL }; *old; old++)
    if (!g_str_equal (*old, name))
      remove_page (self, *old);
  show_chrome_for (self, name);
}

/* The window outlives language switches; its own strings are set here. */
static void
update_window_texts (KuuWindow *self)
{
  gtk_label_set_text (self->idle_title, _("Are you still there?"));
  gtk_button_set_label (self->continue_button, _("Continue"));
  gtk_button_set_label (self->easy_language_button, _("Easy language"));
  gtk_button_set_label (self->large_text_button, _("Larger text"));
  gtk_button_set_label (self->high_contrast_button, _("High contrast"));
  if (self->staff_button != NULL)
    gtk_button_set_label (GTK_BUTTON (self->staff_button), _("Staff mode"));
}

/* Built anew with the pages: its key names follow the language, and no
 * shift state is left from anyone. */
static void
rebuild_keyboard (KuuWindow *self)
{
  if (!kuu_context_get_kiosk (self->context))
    return;

  if (self->keyboard != NULL)
    gtk_box_remove (GTK_BOX (self->keyboard_holder), GTK_WIDGET (self->keyboard));
  self->keyboard = KUU_KEYBOARD (kuu_keyboard_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->keyboard), TRUE);
  gtk_box_append (GTK_BOX (self->keyboard_holder), GTK_WIDGET (self->keyboard));
  gtk_widget_set_visible (self->keyboard_holder, FALSE);
}

/* The start page is where a new strategy from the server comes in: no
 * resident is mid-flow there. The old strategy lives until the pages
 * built from it are gone. */
static void
rebuild_pages (KuuWindow *self)
{
  g_autoptr(KuuStrategy) previous = g_object_ref (kuu_context_get_strategy (self->context));

  if (kuu_context_apply_next_strategy (self->context))
    g_message ("kuulolla: the region file from the server is in use now");
  kuu_i18n_use_easy_language (kuu_context_get_language (self->context),
                              kuu_context_get_easy_language (self->context));
  update_window_texts (self);
  rebuild_keyboard (self);
  gtk_window_set_title (GTK_WINDOW (self),
                        kuu_context_text (self->context,
                                          kuu_strategy_get_name (kuu_context_get_strategy (self->context))));
  remove_page (self, "welcome");
  show_page (self, kuu_welcome_page_new (self->context), "welcome");
}

/* A visit's pages are freed when it ends, but glibc keeps the freed
 * memory, scattered between blocks still in use, and the resident set
 * stays at the most any visit needed. Handing the free pages back at the
 * end of each visit took 4 MB off it after 1,000 visits, for about 0.3 ms
 * a visit (docs/performance.md, "Memory"); in an idle callback, once the
 * start page is drawn. */
static gboolean
on_trim_cb (gpointer user_data)
{
  KuuWindow *self = KUU_WINDOW (user_data);

  self->trim_id = 0;
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

static void
release_memory (KuuWindow *self)
{
  if (self->trim_id == 0)
    self->trim_id = g_idle_add_full (G_PRIORITY_LOW, on_trim_cb, self, NULL);
}

static void
go_home (KuuWindow *self)
{
  rebuild_pages (self);
  release_memory (self);
}

/* Nobody at the start page: the new strategy shows at once; anyone else
 * gets it when they are done (go_home) or at the idle reset (wipe). */
static void
on_next_strategy_cb (KuuWindow *self)
{
  GtkWidget *welcome = gtk_stack_get_child_by_name (self->stack, "welcome");

  if (kuu_context_get_next_strategy (self->context) == NULL || self->dirty ||
      welcome == NULL || gtk_stack_get_visible_child (self->stack) != welcome)
    return;

  rebuild_pages (self);
  /* A page built for nobody is not someone's visit. */
  g_clear_handle_id (&self->idle_id, g_source_remove);
  self->dirty = FALSE;
}

static void
on_saved_cb (KuuWindow     *self,
             KuuSubmission *submission)
{
  show_page (self, kuu_thanks_page_new (self->context, submission), "thanks");
  /* Committed: on its way now, without the thanks waiting for it. */
  kuu_context_sync_now (self->context);
}

static void
start_flow (KuuWindow  *self,
            const char *flow)
{
  GtkWidget *page = NULL;

  if (g_str_equal (flow, "recommend"))
    page = kuu_recommend_page_new (self->context);
  else if (g_str_equal (flow, "feedback"))
    page = kuu_feedback_page_new (self->context);
  else if (g_str_equal (flow, "initiative"))
    page = kuu_initiative_page_new (self->context);
  else if (g_str_equal (flow, "answers"))
    page = kuu_answers_page_new (self->context);
  else if (g_str_equal (flow, "personnel"))
    page = kuu_personnel_page_new (self->context);

  if (page == NULL)
    {
      g_warning ("No flow called “%s”", flow);
      return;
    }

  /* Every flow is a KuuFlowPage: those that write nothing never say ::saved. */
  g_assert (KUU_IS_FLOW_PAGE (page));
  g_signal_connect_object (page, "saved", G_CALLBACK (on_saved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "cancelled", G_CALLBACK (go_home), self, G_CONNECT_SWAPPED);
  show_page (self, page, "flow");
  g_free (self->flow);
  self->flow = g_strdup (flow);
}

static void
set_action_state (KuuWindow  *self,
                  const char *name,
                  GVariant   *state)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_state (G_SIMPLE_ACTION (action), state);
}

static void
apply_large_text (KuuWindow *self,
                  gboolean   large)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));

  if (large)
    g_object_set (settings, "gtk-xft-dpi", LARGE_TEXT_DPI, NULL);
  else
    gtk_settings_reset_property (settings, "gtk-xft-dpi");
  set_action_state (self, "large-text", g_variant_new_boolean (large));
  note_activity (self);
}

static void
set_easy_language (KuuWindow *self,
                   gboolean   easy)
{
  kuu_context_set_easy_language (self->context, easy);
  set_action_state (self, "easy-language", g_variant_new_boolean (easy));
}

/* The page on screen is built again in easy language, or back: the start
 * page, or the flow from its first step (what was entered in it is not
 * carried over: the toggle is meant for the start of a visit). Other
 * pages take it from the next page on. */
static void
apply_easy_language (KuuWindow *self,
                     gboolean   easy)
{
  g_autofree char *flow = g_strdup (self->flow);

  if (easy == kuu_context_get_easy_language (self->context))
    return;
  set_easy_language (self, easy);
  note_activity (self);
  kuu_i18n_use_easy_language (kuu_context_get_language (self->context), easy);
  update_window_texts (self);
  if (flow != NULL)
    start_flow (self, flow);
  else if (gtk_stack_get_visible_child (self->stack) == gtk_stack_get_child_by_name (self->stack, "welcome"))
    rebuild_pages (self);
}

static void
apply_high_contrast (KuuWindow *self,
                     gboolean   high)
{
  if (high)
    gtk_widget_add_css_class (GTK_WIDGET (self), "high-contrast");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "high-contrast");
  set_action_state (self, "high-contrast", g_variant_new_boolean (high));
  note_activity (self);
}

/* --- idle reset --------------------------------------------------------- */

static void
clear_clipboards (KuuWindow *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));

  gdk_clipboard_set_content (gdk_display_get_clipboard (display), NULL);
  gdk_clipboard_set_content (gdk_display_get_primary_clipboard (display), NULL);
}

static void
stop_countdown (KuuWindow *self)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  gtk_widget_set_visible (self->idle_box, FALSE);
}

/* Everything of the last person goes: pages, text, selections, the
 * language and display choices, the clipboard. */
static void
wipe (KuuWindow *self)
{
  KuuLanguage language = kuu_context_get_start_language (self->context);

  /* Speech was this person's: the next one turns it on if they need it. */
  kuu_narrator_set_enabled (self->narrator, FALSE);
  stop_countdown (self);

  clear_clipboards (self);
  apply_large_text (self, FALSE);
  apply_high_contrast (self, FALSE);
  set_easy_language (self, FALSE);
  set_action_state (self, "language", g_variant_new_string (kuu_language_to_code (language)));
  kuu_context_set_language (self->context, language);
  rebuild_pages (self);
  release_memory (self);

  /* Pristine again: nothing to count down for until someone comes. */
  g_clear_handle_id (&self->idle_id, g_source_remove);
  self->dirty = FALSE;
}

static void
update_countdown_label (KuuWindow *self)
{
  g_autofree char *text =
    g_strdup_printf (ngettext (
                                  "To protect your privacy, the screen is cleared in %u second.",
                                  "To protect your privacy, the screen is cleared in %u seconds.",
                                  self->countdown_left),
                     self->countdown_left);

  gtk_label_set_text (self->idle_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->continue_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static gboolean
on_countdown_tick_cb (gpointer user_data)
{
  KuuWindow *self = KUU_WINDOW (user_data);

  if (--self->countdown_left > 0)
    {
      update_countdown_label (self);
      return G_SOURCE_CONTINUE;
    }

  self->countdown_id = 0;
  wipe (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_idle_cb (gpointer user_data)
{
  KuuWindow *self = KUU_WINDOW (user_data);

  self->idle_id = 0;
  if (!self->dirty)
    return G_SOURCE_REMOVE;

  self->countdown_left = kuu_context_get_countdown_seconds (self->context);
  update_countdown_label (self);
  gtk_widget_set_visible (self->idle_box, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->continue_button));
  self->countdown_id = g_timeout_add_seconds (1, on_countdown_tick_cb, self);

  return G_SOURCE_REMOVE;
}

static void
restart_idle_timer (KuuWindow *self)
{
  g_clear_handle_id (&self->idle_id, g_source_remove);
  self->idle_id = g_timeout_add_seconds (kuu_context_get_idle_seconds (self->context),
                                         on_idle_cb, self);
}

/* Input, or a change made some other way (a screen reader's action, an
 * accessibility toggle): either leaves something of the person on screen. */
static void
note_activity (KuuWindow *self)
{
  if (self->context == NULL || !kuu_context_get_kiosk (self->context))
    return;

  self->dirty = TRUE;
  restart_idle_timer (self);
}

static gboolean
on_input_cb (GtkEventControllerLegacy *controller,
             GdkEvent                 *event,
             KuuWindow                *self)
{
  switch ((int)gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_KEY_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_SCROLL:
    case GDK_MOTION_NOTIFY:
      break;
    default:
      return GDK_EVENT_PROPAGATE;
    }

  note_activity (self);

  /* While the countdown shows, any touch means "I am still here". */
  if (self->countdown_id != 0)
    {
      stop_countdown (self);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

/* The keyboard shows while a text field has the focus. Its keys never take
 * the focus, so a touch on them keeps it where it is. */
static void
on_focus_changed_cb (KuuWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean typing = kuu_keyboard_accepts (focus);

  if (self->keyboard == NULL)
    return;

  kuu_keyboard_set_target (self->keyboard, typing ? focus : NULL);
  gtk_widget_set_visible (self->keyboard_holder, typing);
}

/* The inspector would let anyone see and change everything. */
static gboolean
on_kiosk_key_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 KuuWindow             *self)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();

  if (mods == (GDK_CONTROL_MASK | GDK_SHIFT_MASK) &&
      (keyval == GDK_KEY_I || keyval == GDK_KEY_i || keyval == GDK_KEY_D || keyval == GDK_KEY_d))
    return GDK_EVENT_STOP;
  if ((mods & GDK_ALT_MASK) && keyval == GDK_KEY_F4)
    return GDK_EVENT_STOP;

  return GDK_EVENT_PROPAGATE;
}

static void
setup_kiosk (KuuWindow *self)
{
  g_autoptr(KuuSpeaker) speaker = kuu_speaker_new_default ();
  GtkEventController *controller;

  self->narrator = kuu_narrator_new (GTK_WINDOW (self), self->stack, self->context, speaker);

  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), FALSE);
  gtk_window_set_deletable (GTK_WINDOW (self), FALSE);
  gtk_window_fullscreen (GTK_WINDOW (self));
  gtk_window_set_interactive_debugging (FALSE);

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (on_input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_kiosk_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect_swapped (self, "notify::focus-widget", G_CALLBACK (on_focus_changed_cb), self);
}

/* On a desktop the window is staff mode; the resident pages are a button
 * away, e.g. for an answer given by telephone. */
static void
setup_desktop (KuuWindow *self)
{
  GtkWidget *button = gtk_button_new_with_label (_("Staff mode"));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.staff");
  gtk_widget_set_tooltip_text (button, _("Results, initiatives, settings and export"));
  adw_header_bar_pack_start (self->header_bar, button);
  self->staff_button = button;
  show_staff_page (self);
}

/* --- actions ------------------------------------------------------------ */

static void
on_language_changed_cb (GSimpleAction *action,
                        GVariant      *state,
                        gpointer       user_data)
{
  KuuWindow *self = KUU_WINDOW (user_data);
  KuuLanguage language;

  if (!kuu_language_from_code (g_variant_get_string (state, NULL), &language))
    return;

  g_simple_action_set_state (action, state);
  if (language == kuu_context_get_language (self->context))
    return;

  kuu_context_set_language (self->context, language);
  rebuild_pages (self);
}

static void
on_start_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  start_flow (KUU_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static void
on_home_cb (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  go_home (KUU_WINDOW (user_data));
}

static void
on_continue_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  KuuWindow *self = KUU_WINDOW (user_data);

  stop_countdown (self);
  restart_idle_timer (self);
}

static void
show_staff_page (KuuWindow *self)
{
  show_page (self, kuu_staff_page_new (self->context), "staff");
}

/* The entry point of staff mode. On a desktop the window is staff mode;
 * at a kiosk the PIN comes first, every time: the idle reset (wipe) takes
 * staff mode away like any page, so the next visit asks again. */
static void
on_staff_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  KuuWindow *self = KUU_WINDOW (user_data);
  GtkWidget *page;

  if (!kuu_context_get_kiosk (self->context))
    {
      show_staff_page (self);
      return;
    }

  if (self->pin == NULL)
    self->pin = kuu_pin_new (kuu_context_get_store (self->context));
  page = kuu_pin_page_new (self->context, self->pin);
  g_signal_connect_object (page, "unlocked", G_CALLBACK (show_staff_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "cancelled", G_CALLBACK (go_home), self, G_CONNECT_SWAPPED);
  show_page (self, page, "pin");
}

static void
on_large_text_cb (GSimpleAction *action,
                  GVariant      *state,
                  gpointer       user_data)
{
  apply_large_text (KUU_WINDOW (user_data), g_variant_get_boolean (state));
}

static void
on_easy_language_cb (GSimpleAction *action,
                     GVariant      *state,
                     gpointer       user_data)
{
  apply_easy_language (KUU_WINDOW (user_data), g_variant_get_boolean (state));
}

static void
on_high_contrast_cb (GSimpleAction *action,
                     GVariant      *state,
                     gpointer       user_data)
{
  apply_high_contrast (KUU_WINDOW (user_data), g_variant_get_boolean (state));
}

static void
add_actions (KuuWindow *self)
{
  KuuLanguage language = kuu_context_get_language (self->context);
  const GActionEntry entries[] = {
    { "start", on_start_cb, "s" },
    { "home", on_home_cb },
    { "continue", on_continue_cb },
    { "staff", on_staff_cb },
    { "easy-language", NULL, NULL, "false", on_easy_language_cb },
    { "large-text", NULL, NULL, "false", on_large_text_cb },
    { "high-contrast", NULL, NULL, "false", on_high_contrast_cb },
  };
  g_autoptr(GSimpleAction) action = NULL;

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);

  action = g_simple_action_new_stateful ("language", G_VARIANT_TYPE_STRING,
                                         g_variant_new_string (kuu_language_to_code (language)));
  g_signal_connect_object (action, "change-state", G_CALLBACK (on_language_changed_cb), self, 0);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
}

/* A resident must not be able to close the kiosk. */
static gboolean
kuu_window_close_request (GtkWindow *window)
{
  KuuWindow *self = KUU_WINDOW (window);

  if (self->context != NULL && kuu_context_get_kiosk (self->context))
    return TRUE;

  return GTK_WINDOW_CLASS (kuu_window_parent_class)->close_request (window);
}

static void
kuu_window_dispose (GObject *object)
{
  KuuWindow *self = (KuuWindow *)object;

  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  g_clear_handle_id (&self->trim_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_WINDOW);
  g_clear_object (&self->narrator);
  g_clear_pointer (&self->flow, g_free);
  g_clear_object (&self->pin);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kuu_window_parent_class)->dispose (object);
}

static void
kuu_window_class_init (KuuWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kuu_window_dispose;
  window_class->close_request = kuu_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/kuu-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, KuuWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, KuuWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, KuuWindow, idle_box);
  gtk_widget_class_bind_template_child (widget_class, KuuWindow, idle_title);
  gtk_widget_class_bind_template_child (widget_class, KuuWindow, idle_label);
  gtk_widget_class_bind_template_child (widget_class, KuuWindow, continue_button);
  gtk_widget_class_bind_template_child (widget_class, KuuWindow, access_bar);
  gtk_widget_class_bind_template_child (widget_class, KuuWindow, keyboard_holder);
  gtk_widget_class_bind_template_child (widget_class, KuuWindow, easy_language_button);
  gtk_widget_class_bind_template_child (widget_class, KuuWindow, large_text_button);
  gtk_widget_class_bind_template_child (widget_class, KuuWindow, high_contrast_button);
}

static void
kuu_window_init (KuuWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KuuWindow *
kuu_window_new (KuuApplication *application,
                KuuContext     *context)
{
  KuuWindow *self;

  g_return_val_if_fail (KUU_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_WINDOW, "application", application, NULL);
  self->context = g_object_ref (context);

  add_actions (self);
  rebuild_pages (self);
  g_signal_connect_object (context, "notify::next-strategy", G_CALLBACK (on_next_strategy_cb),
                           self, G_CONNECT_SWAPPED);

  if (kuu_context_get_kiosk (context))
    setup_kiosk (self);
  else
    setup_desktop (self);

  /* Building the first page is not someone's visit. */
  g_clear_handle_id (&self->idle_id, g_source_remove);
  self->dirty = FALSE;

  return self;
}

/* Shown when the database cannot be opened: staff need the reason. */
KuuWindow *
kuu_window_new_for_error (KuuApplication *application,
                          const GError   *error,
                          gboolean        retrying)
{
  KuuWindow *self;
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (KUU_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = g_object_new (KUU_TYPE_WINDOW, "application", application, NULL);
  gtk_window_set_title (GTK_WINDOW (self), _("Kuulolla"));
  gtk_widget_set_visible (self->access_bar, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_page), TRUE);
  /* The description is markup; a path may hold “&”. */
  escaped = g_markup_escape_text (error->message, -1);
  if (retrying)
    {
      g_autofree char *text = g_strdup_printf ("%s\n\n%s", escaped,
                                               _("Kuulolla tries again every few seconds "
                                                 "and starts by itself once it can."));

      adw_status_page_set_description (self->error_page, text);
    }
  else
    adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->error_page));

  return self;
}
