/* kuu-desk-sign-in-page.c: the desk's sign-in, server address and code
 *
 * Staff sign in once: the server's address and the one-time code the
 * region's IT made with `kuulolla-server admin staff add`. The token the
 * server gives goes to the keyring (kuu-desk-account) and the page emits
 * ::signed-in. Whatever goes wrong is said under the fields in the staff
 * member's language, with what to do; the fields keep what was typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-desk-account.h"
#include "kuu-desk-sign-in-page.h"

struct _KuuDeskSignInPage
{
  GtkWidget      parent_instance;

  GtkWidget     *scroller;
  GtkEntry      *server_entry;
  GtkEntry      *code_entry;
  GtkLabel      *message_label;
  GtkSpinner    *spinner;

  GCancellable  *cancellable;
  KuuDeskClient *client;   /* the one signing in */
  KuuDeskStaff  *staff;    /* who signed in, while the keyring stores */
};

G_DEFINE_FINAL_TYPE (KuuDeskSignInPage, kuu_desk_sign_in_page, GTK_TYPE_WIDGET)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_busy (KuuDeskSignInPage *self,
          gboolean           busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "desk.sign-in", !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->server_entry), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->code_entry), !busy);
}

/* Only http and https, with a host: anything else is a typing mistake. */
static gboolean
server_url_is_valid (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

  return uri != NULL && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0' &&
         (g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "http") == 0);
}

static void
finish_sign_in (KuuDeskSignInPage *self)
{
  g_autoptr(KuuDeskClient) client = g_steal_pointer (&self->client);
  g_autoptr(KuuDeskStaff) staff = g_steal_pointer (&self->staff);

  set_busy (self, FALSE);
  /* The code is used up: nothing to keep. */
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
  g_signal_emit (self, signals[SIGNED_IN], 0, client, staff);
}

static void
on_account_saved_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!kuu_desk_account_save_finish (result, &error))
    g_warning ("The desk's settings file was not written: %s", error->message);
}

static void
on_token_stored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  KuuDeskSignInPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kuu_desk_token_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Signed in all the same, for this session: the next start asks again. */
      g_warning ("The sign-in was not kept in the keyring: %s", error->message);
    }
  kuu_desk_account_save_async (kuu_desk_client_get_server_url (self->client), self->staff,
                               NULL, on_account_saved_cb, NULL);
  finish_sign_in (self);
}

static void
on_signed_in_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  KuuDeskClient *client = KUU_DESK_CLIENT (object);
  KuuDeskSignInPage *self = user_data;
  g_autoptr(GError) error = NULL;
  KuuDeskStaff *staff = kuu_desk_client_sign_in_finish (client, result, &error);

  if (staff == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->client);
      set_busy (self, FALSE);
      kuu_desk_sign_in_page_say (self, error->message);
      return;
    }
  self->staff = staff;
  kuu_desk_client_set_token (client, staff->token);
  kuu_desk_token_store_async (kuu_desk_client_get_server_url (client), staff->id, staff->token,
                              self->cancellable, on_token_stored_cb, self);
}

static void
sign_in_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KuuDeskSignInPage *self = KUU_DESK_SIGN_IN_PAGE (widget);
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_entry))));
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_entry))));

  if (!server_url_is_valid (url))
    {
      kuu_desk_sign_in_page_say (self, _("Give the server’s address as IT gave it, such as "
                                         "https://kuulolla.example.fi."));
      gtk_widget_grab_focus (GTK_WIDGET (self->server_entry));
      return;
    }
  if (code[0] == '\0')
    {
      kuu_desk_sign_in_page_say (self, _("Give the sign-in code the region’s IT gave you."));
      gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
  set_busy (self, TRUE);
  g_clear_object (&self->client);
  self->client = kuu_desk_client_new (url);
  kuu_desk_client_sign_in_async (self->client, code, self->cancellable, on_signed_in_cb, self);
}

static void
kuu_desk_sign_in_page_dispose (GObject *object)
{
  GtkWidget *child;
  KuuDeskSignInPage *self = KUU_DESK_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_DESK_SIGN_IN_PAGE);
  /* The template's root is not bound: unparented here, with what it holds. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->staff, kuu_desk_staff_free);

  G_OBJECT_CLASS (kuu_desk_sign_in_page_parent_class)->dispose (object);
}

static void
kuu_desk_sign_in_page_class_init (KuuDeskSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_desk_sign_in_page_dispose;

  /* The client and who signed in (a KuuDeskStaff *, the receiver copies it). */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                     KUU_TYPE_DESK_CLIENT, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/desk/kuu-desk-sign-in-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskSignInPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskSignInPage, server_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskSignInPage, code_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskSignInPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, KuuDeskSignInPage, spinner);
  gtk_widget_class_install_action (widget_class, "desk.sign-in", NULL, sign_in_activated);
}

static void
kuu_desk_sign_in_page_init (KuuDeskSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
kuu_desk_sign_in_page_new (void)
{
  return g_object_new (KUU_TYPE_DESK_SIGN_IN_PAGE, NULL);
}

/* What is known already: the last server, or what the command line gave. */
void
kuu_desk_sign_in_page_fill (KuuDeskSignInPage *self,
                            const char        *server_url,
                            const char        *code)
{
  g_return_if_fail (KUU_IS_DESK_SIGN_IN_PAGE (self));

  if (server_url != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_entry), server_url);
  if (code != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->code_entry), code);
  gtk_widget_grab_focus (GTK_WIDGET (server_url ? self->code_entry : self->server_entry));
}

/* Why the staff member is here (a revoked sign-in), or what went wrong. */
void
kuu_desk_sign_in_page_say (KuuDeskSignInPage *self,
                           const char        *message)
{
  g_return_if_fail (KUU_IS_DESK_SIGN_IN_PAGE (self));

  gtk_label_set_text (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

void
kuu_desk_sign_in_page_submit (KuuDeskSignInPage *self)
{
  g_return_if_fail (KUU_IS_DESK_SIGN_IN_PAGE (self));
  gtk_widget_activate_action (GTK_WIDGET (self), "desk.sign-in", NULL);
}
