/* kuu-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-i18n.h"
#include "kuu-welcome-page.h"
#include "kuu-window.h"

struct _KuuWindow
{
  AdwApplicationWindow  parent_instance;

  KuuContext           *context;  /* NULL on the error window */

  AdwHeaderBar         *header_bar;
  GtkStack             *stack;
  AdwStatusPage        *error_page;
};

G_DEFINE_FINAL_TYPE (KuuWindow, kuu_window, ADW_TYPE_APPLICATION_WINDOW)

/* Pages are built anew for each language and each resident: strings are
 * read from gettext when a page is built, and a page built fresh holds
 * nothing of anyone before. */
static void
rebuild_pages (KuuWindow *self)
{
  GtkWidget *old = gtk_stack_get_child_by_name (self->stack, "welcome");
  GtkWidget *welcome;

  kuu_i18n_use_language (kuu_context_get_language (self->context));
  gtk_window_set_title (GTK_WINDOW (self),
                        kuu_context_text (self->context,
                                          kuu_strategy_get_name (kuu_context_get_strategy (self->context))));
  welcome = kuu_welcome_page_new (self->context);
  if (old != NULL)
    gtk_stack_remove (self->stack, old);
  gtk_stack_add_named (self->stack, welcome, "welcome");
  gtk_stack_set_visible_child (self->stack, welcome);
}

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
add_actions (KuuWindow *self)
{
  KuuLanguage language = kuu_context_get_language (self->context);
  g_autoptr(GSimpleAction) action = NULL;

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

  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_WINDOW);
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

  if (kuu_context_get_kiosk (context))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->header_bar), FALSE);
      gtk_window_set_deletable (GTK_WINDOW (self), FALSE);
      gtk_window_fullscreen (GTK_WINDOW (self));
    }

  return self;
}

/* Shown when the database cannot be opened: staff need the reason. */
KuuWindow *
kuu_window_new_for_error (KuuApplication *application,
                          const GError   *error)
{
  KuuWindow *self;
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (KUU_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = g_object_new (KUU_TYPE_WINDOW, "application", application, NULL);
  gtk_window_set_title (GTK_WINDOW (self), _("Kuulolla"));
  /* The description is markup; a path may hold “&”. */
  escaped = g_markup_escape_text (error->message, -1);
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->error_page));

  return self;
}
