/* kuu-desk-application.c: `kuulolla --desk`, the region desk as its own application
 *
 * The desk needs neither the kiosk's database nor its sync: it talks to
 * the region server alone. So it is an application of its own, started by
 * main.c for --desk, with no store, no PIN and no kiosk behaviour.
 * NON_UNIQUE: a staff-mode window of the same app id already open on the
 * computer must not swallow the desk's launch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kuu-desk-application.h"
#include "kuu-desk-window.h"

struct _KuuDeskApplication
{
  AdwApplication  parent_instance;

  char           *server_url;
  char           *sign_in_code;
};

G_DEFINE_FINAL_TYPE (KuuDeskApplication, kuu_desk_application, ADW_TYPE_APPLICATION)

static void
kuu_desk_application_activate (GApplication *app)
{
  KuuDeskApplication *self = KUU_DESK_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (kuu_desk_window_new (GTK_APPLICATION (app), self->server_url, self->sign_in_code));
      /* A code signs in once: it is used up now. */
      if (self->sign_in_code != NULL)
        memset (self->sign_in_code, 0, strlen (self->sign_in_code));
      g_clear_pointer (&self->sign_in_code, g_free);
    }
  gtk_window_present (window);
}

static void
kuu_desk_application_finalize (GObject *object)
{
  KuuDeskApplication *self = KUU_DESK_APPLICATION (object);

  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->sign_in_code, g_free);

  G_OBJECT_CLASS (kuu_desk_application_parent_class)->finalize (object);
}

static void
kuu_desk_application_class_init (KuuDeskApplicationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kuu_desk_application_finalize;
  G_APPLICATION_CLASS (klass)->activate = kuu_desk_application_activate;
}

static void
kuu_desk_application_init (KuuDeskApplication *self)
{
}

/**
 * kuu_desk_application_new:
 * @server_url: (nullable): the server; %NULL: the one signed in to last
 * @sign_in_code: (nullable): sign in with it at once
 */
KuuDeskApplication *
kuu_desk_application_new (const char *server_url,
                          const char *sign_in_code)
{
  KuuDeskApplication *self = g_object_new (KUU_TYPE_DESK_APPLICATION,
                                           "application-id", APP_ID,
                                           "flags", G_APPLICATION_NON_UNIQUE,
                                           "resource-base-path", RESOURCE_PREFIX,
                                           NULL);

  self->server_url = g_strdup (server_url);
  self->sign_in_code = g_strdup (sign_in_code);
  return self;
}
