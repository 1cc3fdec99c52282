/* kuu-contact-form.c
 *
 * Asked only when a person wants a reply. The check says, in words a
 * resident understands, what is missing, and puts the focus there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-contact-form.h"

struct _KuuContactForm
{
  GtkWidget       parent_instance;

  GtkWidget      *box;
  GtkEntry       *name_entry;
  GtkEntry       *email_entry;
  GtkEntry       *phone_entry;
  GtkToggleButton *accept_check;
  GtkLabel       *name_error;
  GtkLabel       *email_error;
  GtkLabel       *phone_error;
  GtkLabel       *accept_error;
};

G_DEFINE_FINAL_TYPE (KuuContactForm, kuu_contact_form, GTK_TYPE_WIDGET)

typedef struct
{
  char *name;
  char *email;
  char *phone;
} Contact;

static void
contact_clear (Contact *contact)
{
  g_free (contact->name);
  g_free (contact->email);
  g_free (contact->phone);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Contact, contact_clear)

/* Trimmed text, or NULL when blank. */
static char *
entry_text (GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

/**
 * kuu_contact_form_email_looks_valid:
 *
 * Not a full RFC 5322 check: enough to catch a slip of the finger, such as
 * a missing “@” or a domain without a dot. Staff's paper-initiative editor
 * checks with it too.
 */
gboolean
kuu_contact_form_email_looks_valid (const char *email)
{
  const char *at = strchr (email, '@');

  return at != NULL && at != email && strchr (at + 1, '@') == NULL &&
         strchr (at + 1, '.') != NULL && at[1] != '.' &&
         email[strlen (email) - 1] != '.' && strpbrk (email, " \t<>,;") == NULL;
}

static void
read_contact (KuuContactForm *self,
              Contact        *contact)
{
  contact->name = entry_text (self->name_entry);
  contact->email = entry_text (self->email_entry);
  contact->phone = entry_text (self->phone_entry);
}

static gboolean
refuse (KuuSendRow *send_row,
        gpointer    field,
        GtkLabel   *field_error,
        const char *message)
{
  kuu_send_row_refuse (send_row, GTK_WIDGET (field), field_error, message);
  return FALSE;
}

/* Says next to the field what is missing or wrong, in words a resident
 * understands, and puts the focus there. */
gboolean
kuu_contact_form_check (KuuContactForm *self,
                        KuuSendRow     *send_row)
{
  g_auto(Contact) contact = { 0 };
  const char *email, *phone;

  g_return_val_if_fail (KUU_IS_CONTACT_FORM (self), FALSE);
  g_return_val_if_fail (KUU_IS_SEND_ROW (send_row), FALSE);

  read_contact (self, &contact);
  email = contact.email;
  phone = contact.phone;

  if (contact.name == NULL)
    return refuse (send_row, self->name_entry, self->name_error, _("Please write your name."));
  if (email == NULL && phone == NULL)
    return refuse (send_row, self->email_entry, self->email_error,
                   _("Please give an e-mail address or a phone number for the reply."));
  if (email != NULL && !kuu_contact_form_email_looks_valid (email))
    return refuse (send_row, self->email_entry, self->email_error,
                   _("The e-mail address does not look right. It has an “@” in it, like name@example.fi."));
  if (phone != NULL && strspn (phone, "+0123456789 -()") != strlen (phone))
    return refuse (send_row, self->phone_entry, self->phone_error,
                   _("The phone number can have only digits, spaces and a plus sign."));
  if (!gtk_toggle_button_get_active (self->accept_check))
    return refuse (send_row, self->accept_check, self->accept_error,
                   _("Please read the privacy notice and press “I have read the privacy notice”."));

  return TRUE;
}

void
kuu_contact_form_apply (KuuContactForm *self,
                        KuuSubmission  *submission)
{
  g_auto(Contact) contact = { 0 };

  g_return_if_fail (KUU_IS_CONTACT_FORM (self));
  g_return_if_fail (submission != NULL);

  read_contact (self, &contact);
  kuu_submission_set_contact (submission, contact.name, contact.email, contact.phone);
}

static void
kuu_contact_form_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KUU_TYPE_CONTACT_FORM);

  G_OBJECT_CLASS (kuu_contact_form_parent_class)->dispose (object);
}

static void
kuu_contact_form_class_init (KuuContactFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_contact_form_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/widgets/kuu-contact-form.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuContactForm, box);
  gtk_widget_class_bind_template_child (widget_class, KuuContactForm, name_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuContactForm, email_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuContactForm, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuContactForm, accept_check);
  gtk_widget_class_bind_template_child (widget_class, KuuContactForm, name_error);
  gtk_widget_class_bind_template_child (widget_class, KuuContactForm, email_error);
  gtk_widget_class_bind_template_child (widget_class, KuuContactForm, phone_error);
  gtk_widget_class_bind_template_child (widget_class, KuuContactForm, accept_error);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kuu_contact_form_init (KuuContactForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kuu_contact_form_new (void)
{
  return g_object_new (KUU_TYPE_CONTACT_FORM, NULL);
}
