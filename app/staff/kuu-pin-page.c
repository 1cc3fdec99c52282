/* kuu-pin-page.c
 *
 * The staff PIN in front of staff mode at a kiosk, reached by the staff
 * gesture on the welcome page. A keypad of large keys (a hardware
 * keyboard's digits work too) fills a password entry that shows dots;
 * the PIN is checked by kuu_pin_verify_async(), since Argon2 takes a
 * noticeable time, with a spinner meanwhile. A correct PIN emits
 * KuuPinPage::unlocked; a wrong one says how many tries are left; a
 * locked PIN counts down, with OK off until the end.
 *
 * A new device has no PIN: the page says the region's IT sets the first
 * one (kuulolla --set-pin) and offers only Cancel. A resident at the
 * kiosk must never be the one to set it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "kuu-pin-page.h"

struct _KuuPinPage
{
  GtkWidget     parent_instance;

  KuuContext   *context;
  KuuPin       *pin;
  GCancellable *cancellable;  /* the check in progress, if any */
  guint         lock_tick_id;
  gboolean      locked;

  GtkWidget    *box;
  GtkWidget    *cancel_button;
  GtkLabel     *prompt_label;
  GtkEditable  *entry;
  GtkLabel     *message_label;
  GtkSpinner   *spinner;
  GtkGrid      *keypad;
  GtkWidget    *first_key;
  GtkWidget    *ok_key;
};

G_DEFINE_FINAL_TYPE (KuuPinPage, kuu_pin_page, GTK_TYPE_WIDGET)

enum {
  UNLOCKED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_state (KuuPinPage *self);

/* --- texts and state ------------------------------------------------------ */

static void
show_message (KuuPinPage *self,
              const char *text)
{
  gtk_label_set_text (self->message_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
  /* Focus stays on the key just pressed: a screen reader hears the
   * message as that key's description. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ok_key),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text ? text : "",
                                  -1);
}

/* The PIN never stays on screen or in memory longer than one try. */
static void
clear_entry (KuuPinPage *self)
{
  gtk_editable_set_text (self->entry, "");
}

static gboolean
is_checking (KuuPinPage *self)
{
  return self->cancellable != NULL;
}

static void
update_sensitivity (KuuPinPage *self)
{
  gboolean idle = !is_checking (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.submit", idle && !self->locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.digit", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.backspace", idle);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), !idle);
  gtk_spinner_set_spinning (self->spinner, !idle);
}

static void
show_not_set (KuuPinPage *self)
{
  gtk_label_set_text (self->prompt_label, _("No staff PIN has been set on this device yet"));
  gtk_widget_set_visible (GTK_WIDGET (self->entry), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->keypad), FALSE);
  show_message (self, _("The region’s IT sets the first PIN with the command "
                        "“kuulolla --set-pin” on the device. Until then, staff mode "
                        "cannot be opened here."));
}

static gboolean
on_lock_tick_cb (gpointer user_data)
{
  KuuPinPage *self = KUU_PIN_PAGE (user_data);

  update_state (self);
  if (self->locked)
    return G_SOURCE_CONTINUE;

  self->lock_tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
show_locked (KuuPinPage *self,
             gint64      seconds)
{
  g_autofree char *text =
    g_strdup_printf (ngettext ("Too many wrong PINs. Try again in %u second.",
                               "Too many wrong PINs. Try again in %u seconds.",
                               (gulong)seconds),
                     (guint)seconds);

  show_message (self, text);
  if (self->lock_tick_id == 0)
    self->lock_tick_id = g_timeout_add_seconds (1, on_lock_tick_cb, self);
}

/* From the store each time: the lockout's end is kept there, so a
 * restarted kiosk and this page agree on it. */
static void
update_state (KuuPinPage *self)
{
  g_autoptr(GError) error = NULL;
  KuuPinStatus status = { 0 };
  gboolean was_locked = self->locked;

  if (!kuu_pin_get_status (self->pin, &status, &error))
    {
      show_message (self, error->message);
      return;
    }
  if (!status.is_set)
    {
      show_not_set (self);
      return;
    }

  self->locked = status.locked_seconds > 0;
  if (self->locked)
    show_locked (self, status.locked_seconds);
  else if (was_locked)
    show_message (self, _("You can try again now."));
  update_sensitivity (self);
}

/* --- checking ------------------------------------------------------------- */

static void
on_verified_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = kuu_pin_verify_finish (KUU_PIN (object), result, &error);
  KuuPinPage *self;

  /* Cancelled only when the page is gone: nothing left to show it on. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = KUU_PIN_PAGE (user_data);
  g_clear_object (&self->cancellable);
  clear_entry (self);
  update_sensitivity (self);
  if (ok)
    {
      show_message (self, NULL);
      g_signal_emit (self, signals[UNLOCKED], 0);
      return;
    }

  /* Wrong says how many tries are left; locked, how long to wait, and
   * update_state() then counts that down. */
  show_message (self, error->message);
  update_state (self);
}

static void
submit (KuuPinPage *self)
{
  g_autofree char *pin = g_strdup (gtk_editable_get_text (self->entry));

  clear_entry (self);
  /* Too short: said at once, and not counted as a try. In the app's own
   * words: app/core's _() is GLib's gi18n-lib one, which stays English in
   * a kiosk started in English and switched to Finnish later. */
  if (!kuu_pin_check_format (pin, NULL))
    {
      g_autofree char *text = g_strdup_printf (_("A PIN is %d to %d digits, with no letters or spaces."),
                                               KUU_PIN_MIN_LENGTH, KUU_PIN_MAX_LENGTH);

      show_message (self, text);
      return;
    }

  show_message (self, NULL);
  self->cancellable = g_cancellable_new ();
  update_sensitivity (self);
  kuu_pin_verify_async (self->pin, pin, self->cancellable, on_verified_cb, self);
  explicit_bzero (pin, strlen (pin));
}

static void
add_digit (KuuPinPage *self,
           const char *digit)
{
  const char *text = gtk_editable_get_text (self->entry);
  g_autofree char *longer = NULL;

  if (strlen (text) >= KUU_PIN_MAX_LENGTH)
    return;

  longer = g_strconcat (text, digit, NULL);
  gtk_editable_set_text (self->entry, longer);
  explicit_bzero (longer, strlen (longer));
}

static void
remove_digit (KuuPinPage *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (self->entry));
  size_t length = strlen (text);

  if (length == 0)
    return;

  text[length - 1] = '\0';
  gtk_editable_set_text (self->entry, text);
  explicit_bzero (text, length);
}

/* --- keypad ---------------------------------------------------------------- */

static GtkWidget *
make_key (const char *label,
          const char *action,
          GVariant   *target)
{
  GtkWidget *key = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (key), action);
  if (target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (key), target);
  gtk_widget_add_css_class (key, "pin-key");
  return key;
}

/* 1 2 3 / 4 5 6 / 7 8 9 / ⌫ 0 OK, as on a phone: built here because the
 * ten digit keys differ only in their digit. */
static void
build_keypad (KuuPinPage *self)
{
  GtkWidget *key;

  for (guint digit = 0; digit <= 9; digit++)
    {
      char text[2] = { (char)('0' + digit), '\0' };
      guint row = digit == 0 ? 3 : (digit - 1) / 3;
      guint column = digit == 0 ? 1 : (digit - 1) % 3;

      key = make_key (text, "pin.digit", g_variant_new_string (text));
      gtk_grid_attach (self->keypad, key, (int)column, (int)row, 1, 1);
      if (digit == 1)
        self->first_key = key;
    }

  key = make_key (NULL, "pin.backspace", NULL);
  gtk_button_set_icon_name (GTK_BUTTON (key), "edit-clear-symbolic");
  gtk_widget_set_tooltip_text (key, _("Delete the last digit"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Delete the last digit"), -1);
  gtk_grid_attach (self->keypad, key, 0, 3, 1, 1);

  self->ok_key = make_key (_("OK"), "pin.submit", NULL);
  gtk_widget_add_css_class (self->ok_key, "suggested-action");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ok_key), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("OK, open staff mode"), -1);
  gtk_grid_attach (self->keypad, self->ok_key, 2, 3, 1, 1);
}

/* --- callbacks --------------------------------------------------------------- */

/* Digits, Backspace and Enter from a hardware keyboard, wherever the focus
 * is on the page: the entry itself never takes the focus. */
static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   KuuPinPage            *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return GDK_EVENT_PROPAGATE;

  if (c >= '0' && c <= '9')
    {
      char digit[2] = { (char)c, '\0' };

      gtk_widget_activate_action (GTK_WIDGET (self), "pin.digit", "s", digit);
      return GDK_EVENT_STOP;
    }

  switch (keyval)
    {
    case GDK_KEY_BackSpace:
      gtk_widget_activate_action (GTK_WIDGET (self), "pin.backspace", NULL);
      return GDK_EVENT_STOP;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      /* Enter on a focused Cancel still cancels. */
      if (gtk_widget_has_focus (self->cancel_button))
        return GDK_EVENT_PROPAGATE;
      gtk_widget_activate_action (GTK_WIDGET (self), "pin.submit", NULL);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

/* A key pressed through a screen reader is no input event the kiosk's
 * idle timer sees, but someone is at the screen all the same. */
static void
note_presence (GtkWidget *widget)
{
  gtk_widget_activate_action (widget, "win.continue", NULL);
}

static void
digit_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  note_presence (widget);
  add_digit (KUU_PIN_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
backspace_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  note_presence (widget);
  remove_digit (KUU_PIN_PAGE (widget));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  note_presence (widget);
  submit (KUU_PIN_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  clear_entry (KUU_PIN_PAGE (widget));
  g_signal_emit (widget, signals[CANCELLED], 0);
}

/* --- overrides ------------------------------------------------------------- */

/* The keys need the focus inside the page to reach it. */
static void
kuu_pin_page_map (GtkWidget *widget)
{
  KuuPinPage *self = KUU_PIN_PAGE (widget);

  GTK_WIDGET_CLASS (kuu_pin_page_parent_class)->map (widget);
  if (gtk_widget_get_visible (GTK_WIDGET (self->keypad)))
    gtk_widget_grab_focus (self->first_key);
}

static void
kuu_pin_page_unmap (GtkWidget *widget)
{
  clear_entry (KUU_PIN_PAGE (widget));
  GTK_WIDGET_CLASS (kuu_pin_page_parent_class)->unmap (widget);
}

static void
kuu_pin_page_dispose (GObject *object)
{
  KuuPinPage *self = (KuuPinPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->lock_tick_id, g_source_remove);
  if (self->entry != NULL)
    clear_entry (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_PIN_PAGE);
  g_clear_object (&self->pin);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kuu_pin_page_parent_class)->dispose (object);
}

static void
kuu_pin_page_class_init (KuuPinPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_pin_page_dispose;
  widget_class->map = kuu_pin_page_map;
  widget_class->unmap = kuu_pin_page_unmap;

  /**
   * KuuPinPage::unlocked:
   *
   * The PIN was right: open staff mode.
   */
  signals[UNLOCKED] = g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * KuuPinPage::cancelled:
   *
   * Cancel was pressed: back to the start page.
   */
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "pin.digit", "s", digit_action);
  gtk_widget_class_install_action (widget_class, "pin.backspace", NULL, backspace_action);
  gtk_widget_class_install_action (widget_class, "pin.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "pin.cancel", NULL, cancel_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/staff/kuu-pin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuPinPage, box);
  gtk_widget_class_bind_template_child (widget_class, KuuPinPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KuuPinPage, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, KuuPinPage, entry);
  gtk_widget_class_bind_template_child (widget_class, KuuPinPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, KuuPinPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KuuPinPage, keypad);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pinpage");
}

static void
kuu_pin_page_init (KuuPinPage *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  build_keypad (self);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/**
 * kuu_pin_page_new:
 * @pin: the device's PIN (one #KuuPin per store)
 *
 * Returns: (transfer floating): the page, checking the PIN's state now
 */
GtkWidget *
kuu_pin_page_new (KuuContext *context,
                  KuuPin     *pin)
{
  KuuPinPage *self;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (KUU_IS_PIN (pin), NULL);

  self = g_object_new (KUU_TYPE_PIN_PAGE, NULL);
  self->context = g_object_ref (context);
  self->pin = g_object_ref (pin);
  update_state (self);

  return GTK_WIDGET (self);
}
