/* kuu-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-application.h"
#include "kuu-context.h"
#include "kuu-window.h"

struct _KuuApplication
{
  AdwApplication  parent_instance;

  KuuStrategy    *strategy;
  GSettings      *settings;
  char           *database_path;
  char           *unit;
  gboolean        kiosk;
  guint           idle_seconds;
  guint           countdown_seconds;

  KuuContext     *context;     /* NULL until the store is open */
  GError         *store_error; /* why it is not */
};

G_DEFINE_FINAL_TYPE (KuuApplication, kuu_application, ADW_TYPE_APPLICATION)

static void
open_context (KuuApplication *self)
{
  g_autoptr(KuuStore) store = NULL;

  /* The start-up quick_check reads the database once; it is small on a
   * kiosk and the window cannot show anything useful before it anyway. */
  store = kuu_store_open (self->database_path, &self->store_error);
  if (store == NULL)
    {
      g_warning ("%s", self->store_error->message);
      return;
    }

  self->context = kuu_context_new (self->strategy, store, self->settings,
                                   self->unit, self->kiosk);
  kuu_context_set_idle_times (self->context, self->idle_seconds, self->countdown_seconds);
}

static void
kuu_application_startup (GApplication *app)
{
  KuuApplication *self = KUU_APPLICATION (app);

  G_APPLICATION_CLASS (kuu_application_parent_class)->startup (app);

  open_context (self);
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
        window = GTK_WINDOW (kuu_window_new_for_error (self, self->store_error));
    }

  gtk_window_present (window);
}

static void
kuu_application_finalize (GObject *object)
{
  KuuApplication *self = (KuuApplication *)object;

  g_clear_object (&self->context);
  g_clear_object (&self->strategy);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->database_path, g_free);
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
  self->database_path = g_strdup (database_path);
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
