/* kuu-contact-form.h: name, e-mail, phone and the privacy notice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-send-row.h"
#include "kuu-submission.h"

G_BEGIN_DECLS

#define KUU_TYPE_CONTACT_FORM (kuu_contact_form_get_type ())

G_DECLARE_FINAL_TYPE (KuuContactForm, kuu_contact_form, KUU, CONTACT_FORM, GtkWidget)

GtkWidget *kuu_contact_form_new   (void);
gboolean   kuu_contact_form_email_looks_valid (const char *email);
gboolean   kuu_contact_form_check (KuuContactForm *self,
                                   KuuSendRow     *send_row);
void       kuu_contact_form_apply (KuuContactForm *self,
                                   KuuSubmission  *submission);

G_END_DECLS
