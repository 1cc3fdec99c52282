/* kuu-narrator.c
 *
 * Speech output for residents who cannot see the screen: a kiosk has
 * no screen reader of its own, and nobody can bring theirs to it. Off
 * until a resident turns it on without seeing the screen — by holding
 * down the Escape key (top left of every keyboard) for HOLD_MS, or by
 * holding a finger on any corner of the screen for a second — and off again
 * at the idle reset, for the next person. While on, it says each page's
 * title and the step's question when they change, then the focused
 * control with its role and state, and a toggle's new state when it
 * changes; always in the page's language. The words come from the
 * widgets themselves (kuu-narrator-describe.c).
 *
 * It follows the window from outside — its focus, its stack of pages —
 * so the pages need nothing of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-narrator-private.h"
#include "kuu-narrator.h"

/* Long enough that no one does it by chance, short enough to find. */
#define HOLD_MS 1500
/* A screen corner's square, in application pixels. */
#define CORNER_PX 120

struct _KuuNarrator
{
  GObject      parent_instance;

  GtkWindow   *window;   /* weak: the window owns the narrator */
  GtkStack    *pages;    /* weak */
  KuuContext  *context;
  KuuSpeaker  *speaker;
  gboolean     enabled;

  guint        refresh_id;
  guint        hold_id;
  gboolean     hold_done;  /* toggled; wait for the key to come up */

  /* What was said last, compared by address only (weak pointers). */
  GtkWidget   *last_page;
  GtkWidget   *last_step;
  GtkWidget   *last_focus;
  GtkWidget   *last_group;
  GtkWidget   *watched;    /* the focused toggle whose state is followed */
  gulong       watched_id;
};

G_DEFINE_FINAL_TYPE (KuuNarrator, kuu_narrator, G_TYPE_OBJECT)

static void
say (KuuNarrator *self,
     const char  *text)
{
  kuu_speaker_speak (self->speaker, kuu_context_get_language (self->context), text);
}

static void
say_all (KuuNarrator *self,
         GPtrArray   *texts)
{
  for (guint i = 0; i < texts->len; i++)
    say (self, g_ptr_array_index (texts, i));
}

/* The handler goes with its widget when that is gone first. */
static void
unwatch (KuuNarrator *self)
{
  if (self->watched != NULL)
    g_clear_signal_handler (&self->watched_id, self->watched);
  self->watched_id = 0;
  g_clear_weak_pointer (&self->watched);
}

static void
forget (KuuNarrator *self)
{
  unwatch (self);
  g_clear_weak_pointer (&self->last_page);
  g_clear_weak_pointer (&self->last_step);
  g_clear_weak_pointer (&self->last_focus);
  g_clear_weak_pointer (&self->last_group);
}

static void
on_watched_active_cb (GtkWidget   *control,
                      GParamSpec  *pspec,
                      KuuNarrator *self)
{
  g_autofree char *state = _kuu_narrator_state (control);

  if (self->enabled && state != NULL)
    say (self, state);
}

static void
watch (KuuNarrator *self,
       GtkWidget   *control)
{
  GParamSpec *active = g_object_class_find_property (G_OBJECT_GET_CLASS (control), "active");

  unwatch (self);
  g_set_weak_pointer (&self->watched, control);
  if (active != NULL && active->value_type == G_TYPE_BOOLEAN)
    self->watched_id = g_signal_connect_object (control, "notify::active",
                                                G_CALLBACK (on_watched_active_cb), self, 0);
}

/* The page and the step on screen: a page's title the first time, a
 * step's headings (its question) each time the step changes. */
static void
speak_place (KuuNarrator *self,
             GtkWidget   *page,
             GtkWidget   *step)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  gboolean outside = !gtk_widget_is_ancestor (step, page) && step != page;

  if (page != self->last_page && !outside)
    _kuu_narrator_headings (page, FALSE, FALSE, texts);
  /* Outside the page (the countdown) every line counts. */
  if (step != page && (page != self->last_page || step != self->last_step))
    _kuu_narrator_headings (step, TRUE, outside, texts);
  say_all (self, texts);
  g_set_weak_pointer (&self->last_page, page);
  g_set_weak_pointer (&self->last_step, step);
}

static void
speak_focus (KuuNarrator *self,
             GtkWidget   *focus,
             GtkWidget   *step)
{
  GtkWidget *control = _kuu_narrator_control (focus);
  GtkWidget *group = _kuu_narrator_group (control);
  g_autofree char *description = NULL;

  if (group != self->last_group)
    {
      g_autofree char *label = _kuu_narrator_group_label (control, step);

      if (label != NULL)
        say (self, label);
      g_set_weak_pointer (&self->last_group, group);
    }
  description = _kuu_narrator_describe (control);
  say (self, description);
  g_set_weak_pointer (&self->last_focus, focus);
  watch (self, control);
}

/* The outermost container of @focus that is not around @page: the
 * countdown's box, the display toggles' bar. */
static GtkWidget *
outside_place (KuuNarrator *self,
               GtkWidget   *focus,
               GtkWidget   *page)
{
  GtkWidget *place = focus;
  GtkWidget *parent;

  while ((parent = gtk_widget_get_parent (place)) != NULL &&
         parent != GTK_WIDGET (self->window) && !gtk_widget_is_ancestor (page, parent))
    place = parent;
  return place;
}

static gboolean
on_refresh_cb (gpointer user_data)
{
  KuuNarrator *self = KUU_NARRATOR (user_data);
  GtkWidget *page = self->pages != NULL ? gtk_stack_get_visible_child (self->pages) : NULL;
  GtkWidget *focus = self->window != NULL ? gtk_root_get_focus (GTK_ROOT (self->window)) : NULL;
  GtkWidget *step;

  self->refresh_id = 0;
  if (!self->enabled || page == NULL)
    return G_SOURCE_REMOVE;

  /* A focus outside the page (the countdown's Continue) is its own place. */
  if (focus != NULL && !gtk_widget_is_ancestor (focus, page))
    step = outside_place (self, focus, page);
  else if (focus != NULL)
    step = _kuu_narrator_step_of (focus, page);
  else
    step = page;
  /* A focus outside the steps (the header's Cancel) is still at the
   * step on screen. */
  if (step == page)
    step = _kuu_narrator_inner_step (page);

  speak_place (self, page, step);
  if (focus != NULL && focus != self->last_focus)
    speak_focus (self, focus, step);
  return G_SOURCE_REMOVE;
}

/* After the change has settled: a page swap moves the focus more than
 * once, and only where it ends is said. */
static void
queue_refresh (KuuNarrator *self)
{
  if (self->enabled && self->refresh_id == 0)
    self->refresh_id = g_idle_add (on_refresh_cb, self);
}

static void
on_hold_cb (gpointer user_data)
{
  KuuNarrator *self = KUU_NARRATOR (user_data);

  self->hold_id = 0;
  self->hold_done = TRUE;
  kuu_narrator_toggle (self);
}

/* Escape held: the key repeats without coming up, so only its first
 * press starts the count. A short press is Escape as ever. */
static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   KuuNarrator           *self)
{
  if (keyval == GDK_KEY_Escape && self->hold_id == 0 && !self->hold_done)
    self->hold_id = g_timeout_add_once (HOLD_MS, on_hold_cb, self);
  return GDK_EVENT_PROPAGATE;
}

static void
on_key_released_cb (GtkEventControllerKey *controller,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    KuuNarrator           *self)
{
  if (keyval != GDK_KEY_Escape)
    return;
  g_clear_handle_id (&self->hold_id, g_source_remove);
  self->hold_done = FALSE;
}

static gboolean
in_corner (GtkWidget *window,
           double     x,
           double     y)
{
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  gboolean left = x < CORNER_PX, right = x > width - CORNER_PX;
  gboolean top = y < CORNER_PX, bottom = y > height - CORNER_PX;

  return (left || right) && (top || bottom);
}

/* A finger held on a corner; anywhere else the press is the page's. */
static void
on_long_pressed_cb (GtkGestureLongPress *gesture,
                    double               x,
                    double               y,
                    KuuNarrator         *self)
{
  if (self->window == NULL || !in_corner (GTK_WIDGET (self->window), x, y))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  kuu_narrator_toggle (self);
}

static void
attach (KuuNarrator *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkGesture *press = gtk_gesture_long_press_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self, 0);
  g_signal_connect_object (keys, "key-released", G_CALLBACK (on_key_released_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->window), keys);

  /* GTK's long press is 500 ms, and twice that its longest: 1 s in a
   * corner is deliberate enough. */
  gtk_gesture_long_press_set_delay_factor (GTK_GESTURE_LONG_PRESS (press), 2.0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (press), GTK_PHASE_CAPTURE);
  g_signal_connect_object (press, "pressed", G_CALLBACK (on_long_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->window), GTK_EVENT_CONTROLLER (press));

  g_signal_connect_object (self->window, "notify::focus-widget", G_CALLBACK (queue_refresh),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pages, "notify::visible-child", G_CALLBACK (queue_refresh),
                           self, G_CONNECT_SWAPPED);
}

static void
kuu_narrator_dispose (GObject *object)
{
  KuuNarrator *self = KUU_NARRATOR (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->hold_id, g_source_remove);
  forget (self);
  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->pages);
  g_clear_object (&self->context);
  g_clear_object (&self->speaker);

  G_OBJECT_CLASS (kuu_narrator_parent_class)->dispose (object);
}

static void
kuu_narrator_class_init (KuuNarratorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kuu_narrator_dispose;
}

static void
kuu_narrator_init (KuuNarrator *self)
{
}

/**
 * kuu_narrator_new:
 * @pages: the window's stack of pages, one on screen at a time
 * @speaker: (transfer none): what it speaks through
 *
 * Follows @window's focus and @pages, and listens for the key and the
 * touch that turn speech on. Off to begin with.
 */
KuuNarrator *
kuu_narrator_new (GtkWindow  *window,
                  GtkStack   *pages,
                  KuuContext *context,
                  KuuSpeaker *speaker)
{
  KuuNarrator *self;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  g_return_val_if_fail (GTK_IS_STACK (pages), NULL);
  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (KUU_IS_SPEAKER (speaker), NULL);

  self = g_object_new (KUU_TYPE_NARRATOR, NULL);
  g_set_weak_pointer (&self->window, window);
  g_set_weak_pointer (&self->pages, pages);
  self->context = g_object_ref (context);
  self->speaker = g_object_ref (speaker);
  attach (self);
  return self;
}

gboolean
kuu_narrator_get_enabled (KuuNarrator *self)
{
  g_return_val_if_fail (KUU_IS_NARRATOR (self), FALSE);

  return self->enabled;
}

/**
 * kuu_narrator_set_enabled:
 *
 * On: says how to use it, then the page from its title to the focus.
 * Off: silent at once (the idle reset; kuu_narrator_toggle() says so
 * first when a resident turns it off).
 */
void
kuu_narrator_set_enabled (KuuNarrator *self,
                          gboolean     enabled)
{
  g_return_if_fail (KUU_IS_NARRATOR (self));

  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  forget (self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  kuu_speaker_stop (self->speaker);
  if (!enabled)
    return;

  say (self, _("Speech on. Move with the Tab key, choose with the space bar. "
               "To turn speech off, hold down the Escape key."));
  queue_refresh (self);
}

void
kuu_narrator_toggle (KuuNarrator *self)
{
  g_return_if_fail (KUU_IS_NARRATOR (self));

  if (self->enabled)
    {
      kuu_narrator_set_enabled (self, FALSE);
      say (self, _("Speech off."));
    }
  else
    kuu_narrator_set_enabled (self, TRUE);
}
