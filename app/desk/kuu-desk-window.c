/* kuu-desk-window.c: the region desk's window
 *
 * A normal window (never the kiosk's) holding one page: the sign-in or
 * the region's results. At start it reads who signed in last
 * (kuu-desk-account) and asks the keyring for their token; with none, or
 * with a sign-in code from the command line, it shows the sign-in. The
 * region's texts (topic names, statements, targets) come from the bundled
 * region file the server named at sign-in. Sign out tells the server,
 * then forgets the token; a revoked sign-in comes back here with the
 * reason shown on the sign-in page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "kuu-desk-account.h"
#include "kuu-desk-results-page.h"
#include "kuu-desk-sign-in-page.h"
#include "kuu-desk-window.h"
#include "kuu-strategy-loader.h"

struct _KuuDeskWindow
{
  AdwApplicationWindow  parent_instance;

  AdwWindowTitle       *title;
  GtkWidget            *sign_out_button;
  GtkStack             *stack;

  GCancellable         *cancellable;
  KuuDeskClient        *client;  /* NULL while signed out */
  KuuDeskStaff         *staff;
  char                 *server_url;
};

G_DEFINE_FINAL_TYPE (KuuDeskWindow, kuu_desk_window, ADW_TYPE_APPLICATION_WINDOW)

static void show_page (KuuDeskWindow *self, GtkWidget *page);

static const char *
role_name (const char *role)
{
  if (g_strcmp0 (role, "admin") == 0)
    return _("administrator");
  if (g_strcmp0 (role, "handler") == 0)
    return _("handler");
  return _("viewer");
}

static void
on_signed_in_cb (KuuDeskSignInPage *page,
                 KuuDeskClient     *client,
                 KuuDeskStaff      *staff,
                 KuuDeskWindow     *self);

static void
show_sign_in (KuuDeskWindow *self,
              const char    *code,
              const char    *message)
{
  GtkWidget *page = kuu_desk_sign_in_page_new ();

  g_clear_object (&self->client);
  g_clear_pointer (&self->staff, kuu_desk_staff_free);
  adw_window_title_set_subtitle (self->title, NULL);
  gtk_widget_set_visible (self->sign_out_button, FALSE);
  g_signal_connect_object (page, "signed-in", G_CALLBACK (on_signed_in_cb), self, 0);
  show_page (self, page);
  kuu_desk_sign_in_page_fill (KUU_DESK_SIGN_IN_PAGE (page), self->server_url, code);
  kuu_desk_sign_in_page_say (KUU_DESK_SIGN_IN_PAGE (page), message);
}

static void
on_token_forgotten_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!kuu_desk_token_clear_finish (result, &error))
    g_warning ("The sign-in was not removed from the keyring: %s", error->message);
}

/* Whatever the server said, the desk forgets the token. */
static void
forget_sign_in (KuuDeskWindow *self,
                const char    *message)
{
  kuu_desk_token_clear_async (self->server_url, NULL, on_token_forgotten_cb, NULL);
  kuu_desk_account_forget (self->server_url);
  show_sign_in (self, NULL, message);
}

static void
on_results_signed_out_cb (KuuDeskResultsPage *page,
                          const char         *message,
                          KuuDeskWindow      *self)
{
  forget_sign_in (self, message);
}

static void
show_results (KuuDeskWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_region (self->staff->region, &error);
  g_autofree char *subtitle = g_strdup_printf ("%s (%s) · %s", self->staff->name, role_name (self->staff->role),
                                               kuu_desk_client_get_server_url (self->client));
  GtkWidget *page;

  if (strategy == NULL)
    g_warning ("The region %s is not bundled, so topics show by their ids: %s",
               self->staff->region, error->message);
  adw_window_title_set_subtitle (self->title, subtitle);
  gtk_widget_set_visible (self->sign_out_button, TRUE);
  page = kuu_desk_results_page_new (self->client, self->staff, strategy);
  g_signal_connect_object (page, "signed-out", G_CALLBACK (on_results_signed_out_cb), self, 0);
  show_page (self, page);
  kuu_desk_results_page_refresh (KUU_DESK_RESULTS_PAGE (page));
}

static void
on_signed_in_cb (KuuDeskSignInPage *page,
                 KuuDeskClient     *client,
                 KuuDeskStaff      *staff,
                 KuuDeskWindow     *self)
{
  g_set_object (&self->client, client);
  g_clear_pointer (&self->staff, kuu_desk_staff_free);
  self->staff = kuu_desk_staff_copy (staff);
  g_free (self->server_url);
  self->server_url = g_strdup (kuu_desk_client_get_server_url (client));
  show_results (self);
}

/* The page on screen is the only one: a page not shown is destroyed. */
static void
show_page (KuuDeskWindow *self,
           GtkWidget     *page)
{
  GtkWidget *old = gtk_stack_get_visible_child (self->stack);

  gtk_stack_add_child (self->stack, page);
  gtk_stack_set_visible_child (self->stack, page);
  if (old != NULL)
    gtk_stack_remove (self->stack, old);
}

static void
on_signed_out_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KuuDeskWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Unreachable or already revoked: the token is forgotten all the same;
   * IT revokes it on the server if the computer is lost. */
  if (!kuu_desk_client_sign_out_finish (KUU_DESK_CLIENT (object), result, &error))
    g_message ("Signing out on the server failed: %s", error->message);
  forget_sign_in (self, error != NULL && !g_error_matches (error, KUU_DESK_ERROR, KUU_DESK_ERROR_REVOKED)
                          ? _("You are signed out on this computer. The server could not be told; "
                              "if the computer is lost, ask the region’s IT to revoke the sign-in.")
                          : _("You are signed out."));
}

static void
sign_out_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KuuDeskWindow *self = KUU_DESK_WINDOW (widget);

  if (self->client == NULL)
    return;
  gtk_widget_set_sensitive (self->sign_out_button, FALSE);
  kuu_desk_client_sign_out_async (self->client, NULL, on_signed_out_cb, g_object_ref (self));
}

static void
on_token_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KuuDeskWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  char *token = kuu_desk_token_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (token == NULL)
    {
      show_sign_in (self, NULL, error ? error->message : NULL);
      return;
    }
  self->client = kuu_desk_client_new (self->server_url);
  kuu_desk_client_set_token (self->client, token);
  secret_password_free (token);
  show_results (self);
}

static void
kuu_desk_window_dispose (GObject *object)
{
  KuuDeskWindow *self = KUU_DESK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_DESK_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->staff, kuu_desk_staff_free);
  g_clear_pointer (&self->server_url, g_free);

  G_OBJECT_CLASS (kuu_desk_window_parent_class)->dispose (object);
}

static void
kuu_desk_window_class_init (KuuDeskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_desk_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/desk/kuu-desk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuDeskWindow, title);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskWindow, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskWindow, stack);
  gtk_widget_class_install_action (widget_class, "desk.sign-out", NULL, sign_out_activated);
}

static void
kuu_desk_window_init (KuuDeskWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * kuu_desk_window_new:
 * @server_url: (nullable): the server to sign in to; %NULL: the last one
 * @sign_in_code: (nullable): a one-time code to sign in with at once
 */
GtkWidget *
kuu_desk_window_new (GtkApplication *application,
                     const char     *server_url,
                     const char     *sign_in_code)
{
  KuuDeskWindow *self = g_object_new (KUU_TYPE_DESK_WINDOW, "application", application, NULL);
  g_autofree char *last_server = NULL;
  g_autoptr(KuuDeskStaff) last = kuu_desk_account_load (&last_server);

  self->server_url = g_strdup (server_url ? server_url : last_server);
  if (sign_in_code != NULL && self->server_url != NULL)
    {
      show_sign_in (self, sign_in_code, NULL);
      kuu_desk_sign_in_page_submit (KUU_DESK_SIGN_IN_PAGE (gtk_stack_get_visible_child (self->stack)));
    }
  else if (last != NULL && g_strcmp0 (self->server_url, last_server) == 0)
    {
      GtkWidget *spinner = gtk_spinner_new ();

      /* The keyring may take a moment (or ask to be unlocked). */
      gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
      gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
      gtk_widget_set_size_request (spinner, 32, 32);
      show_page (self, spinner);
      self->staff = g_steal_pointer (&last);
      kuu_desk_token_lookup_async (self->server_url, self->cancellable, on_token_found_cb, self);
    }
  else
    show_sign_in (self, sign_in_code, NULL);
  return GTK_WIDGET (self);
}
