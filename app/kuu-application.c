/* kuu-application.c
 *
 * KuuApplication does the GTK jobs: it makes the device's session
 * (kuu-device-session, in core: the store, enrolment, the sync, the
 * region files) and the context, shows the window (the error window when
 * the database does not open, replaced once a retry opens it), says the
 * session's problems on stderr in the interface's words, and works around
 * a GTK 4.8 leak.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-application.h"
#include "kuu-first-frame.h"
#include "kuu-context.h"
#include "kuu-device-session.h"
#include "kuu-window.h"

struct _KuuApplication
{
  AdwApplication    parent_instance;

  KuuStrategy      *strategy;
  GSettings        *settings;
  char             *unit;
  gboolean          kiosk;
  guint             idle_seconds;
  gboolean          audience_fixed;
  KuuAudience       audience;
  guint             countdown_seconds;

  KuuDeviceSession *session;
  KuuContext       *context;     /* NULL until the store is open */
  GError           *store_error; /* why it is not */
};

G_DEFINE_FINAL_TYPE (KuuApplication, kuu_application, ADW_TYPE_APPLICATION)

/* The device's own problem, said where staff look: on stderr now and on
 * the device status page, in its language then, later. */
static void
on_problem_changed_cb (KuuApplication *self)
{
  g_autofree char *text = NULL;

  if (self->context != NULL && (text = kuu_context_describe_sync_problem (self->context)) != NULL)
    g_printerr ("kuulolla: %s\n", text);
}

static void
on_enrolled_cb (KuuApplication *self)
{
  KuuDevice *device = kuu_device_session_get_device (self->session);

  g_print (_("kuulolla: enrolled with %s; the credentials are in %s\n"),
           kuu_device_get_server_url (device), kuu_device_get_path (device));
}

static void
use_store (KuuApplication *self)
{
  self->context = kuu_context_new_for_session (self->strategy, self->session, self->settings,
                                               self->unit, self->kiosk);
  kuu_context_set_idle_times (self->context, self->idle_seconds, self->countdown_seconds);
  if (self->audience_fixed)
    kuu_context_set_audience (self->context, self->audience);
  g_signal_connect_object (self->session, "notify::problem", G_CALLBACK (on_problem_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "enrolled", G_CALLBACK (on_enrolled_cb),
                           self, G_CONNECT_SWAPPED);
  kuu_device_session_start (self->session, kuu_strategy_get_id (self->strategy), self->unit);
}

/* A retry opened the database: the new window first, so the application
 * never has none. */
static void
on_store_opened_cb (KuuApplication *self)
{
  GtkWindow *old_window;
  GtkWindow *window;

  if (self->context != NULL || kuu_device_session_get_store (self->session) == NULL)
    return;

  g_printerr ("kuulolla: %s\n", _("The database opened after all."));
  g_clear_error (&self->store_error);
  use_store (self);

  old_window = gtk_application_get_active_window (GTK_APPLICATION (self));
  window = GTK_WINDOW (kuu_window_new (self, self->context));
  gtk_window_present (window);
  if (old_window != NULL)
    gtk_window_destroy (old_window);
}

static void
open_context (KuuApplication *self)
{
  g_signal_connect_object (self->session, "notify::store", G_CALLBACK (on_store_opened_cb),
                           self, G_CONNECT_SWAPPED);
  if (!kuu_device_session_open (self->session, &self->store_error))
    {
      g_warning ("%s", self->store_error->message);
      return;
    }
  use_store (self);
}

/* GTK 4.8's GtkScrolledWindow connects to its GtkSettings'
 * notify::gtk-overlay-scrolling when it is realized, and at unrealize
 * disconnects a different function: the handler stays behind, one for
 * every scrolled window ever shown, and would call into a freed widget if
 * the setting changed. A kiosk builds its pages anew for every resident,
 * so they piled up with each visit (docs/performance.md, "Memory"). This
 * hook disconnects the one GTK leaves, by its detail and the widget it was
 * connected with. */
static gboolean
on_unrealize_hook_cb (GSignalInvocationHint *hint,
                      guint                  n_params,
                      const GValue          *params,
                      gpointer               user_data)
{
  GObject *widget = g_value_get_object (&params[0]);

  if (GTK_IS_SCROLLED_WINDOW (widget))
    g_signal_handlers_disconnect_matched (gtk_widget_get_settings (GTK_WIDGET (widget)),
                                          G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DETAIL | G_SIGNAL_MATCH_DATA,
                                          g_signal_lookup ("notify", G_TYPE_OBJECT),
                                          g_quark_from_static_string ("gtk-overlay-scrolling"),
                                          NULL, NULL, widget);
  return TRUE;  /* stay for every unrealize */
}

static void
work_around_gtk (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      /* The signal exists once the class does. */
      g_autoptr(GTypeClass) klass = g_type_class_ref (GTK_TYPE_WIDGET);

      g_signal_add_emission_hook (g_signal_lookup ("unrealize", GTK_TYPE_WIDGET), 0,
                                  on_unrealize_hook_cb, NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}

static void
kuu_application_startup (GApplication *app)
{
  KuuApplication *self = KUU_APPLICATION (app);

  G_APPLICATION_CLASS (kuu_application_parent_class)->startup (app);

  work_around_gtk ();

  open_context (self);
}

static void
kuu_application_shutdown (GApplication *app)
{
  KuuApplication *self = KUU_APPLICATION (app);

  /* Whatever is on its way stays queued for the next start. */
  kuu_device_session_stop (self->session);

  G_APPLICATION_CLASS (kuu_application_parent_class)->shutdown (app);
}

static void
kuu_application_activate (GApplication *app)
{
  KuuApplication *self = KUU_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      if (self->context != NULL)
        window = GTK_WINDOW (kuu_window_new (self, self->context));
      else
        window = GTK_WINDOW (kuu_window_new_for_error (self, self->store_error,
                                                         kuu_device_session_is_retrying (self->session)));
    }

  kuu_first_frame_watch (window);
  gtk_window_present (window);
}

static void
kuu_application_finalize (GObject *object)
{
  KuuApplication *self = (KuuApplication *)object;

  g_clear_object (&self->context);
  g_clear_object (&self->session);
  g_clear_object (&self->strategy);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->unit, g_free);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (kuu_application_parent_class)->finalize (object);
}

static void
kuu_application_class_init (KuuApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = kuu_application_finalize;
  app_class->startup = kuu_application_startup;
  app_class->activate = kuu_application_activate;
  app_class->shutdown = kuu_application_shutdown;
}

static void
kuu_application_init (KuuApplication *self)
{
}

KuuApplication *
kuu_application_new (KuuStrategy *strategy,
                     GSettings   *settings,
                     const char  *database_path,
                     const char  *unit,
                     gboolean     kiosk)
{
  KuuApplication *self;

  g_return_val_if_fail (KUU_IS_STRATEGY (strategy), NULL);
  g_return_val_if_fail (database_path != NULL, NULL);
  g_return_val_if_fail (unit != NULL, NULL);

  /* A kiosk is one process owning its screen; on a desktop a second
   * launch raises the first window. */
  self = g_object_new (KUU_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", kiosk ? G_APPLICATION_NON_UNIQUE : G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
  self->strategy = g_object_ref (strategy);
  g_set_object (&self->settings, settings);
  self->session = kuu_device_session_new (database_path);
  self->unit = g_strdup (unit);
  self->kiosk = kiosk;

  return self;
}

/* Before the application runs: the window reads them from the context. */
void
kuu_application_set_idle_times (KuuApplication *self,
                                guint           idle_seconds,
                                guint           countdown_seconds)
{
  g_return_if_fail (KUU_IS_APPLICATION (self));
  g_return_if_fail (idle_seconds > 0 && countdown_seconds > 0);

  self->idle_seconds = idle_seconds;
  self->countdown_seconds = countdown_seconds;
}

/* Before the application runs: who the device asks, over the setting. */
void
kuu_application_set_audience (KuuApplication *self,
                              KuuAudience     audience)
{
  g_return_if_fail (KUU_IS_APPLICATION (self));

  self->audience_fixed = TRUE;
  self->audience = audience;
}

/**
 * kuu_application_set_server:
 * @server_url: (nullable): the region server; %NULL: the one the device
 *   is enrolled with, if any
 * @enrol_code: (nullable): a one-time code to enrol with @server_url at
 *   start
 * @tls_ca_file: (nullable): the region's own certificate authority (PEM)
 *   to check the server's certificate with; %NULL: the system's
 *
 * Before the application runs.
 */
void
kuu_application_set_server (KuuApplication *self,
                            const char     *server_url,
                            const char     *enrol_code,
                            const char     *tls_ca_file)
{
  g_return_if_fail (KUU_IS_APPLICATION (self));
  g_return_if_fail (enrol_code == NULL || server_url != NULL);

  kuu_device_session_set_server (self->session, server_url, enrol_code, tls_ca_file);
}
