/* kuu-desk-sign-in-page.h: the desk's sign-in, server address and code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-desk-client.h"

G_BEGIN_DECLS

#define KUU_TYPE_DESK_SIGN_IN_PAGE (kuu_desk_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuDeskSignInPage, kuu_desk_sign_in_page, KUU, DESK_SIGN_IN_PAGE, GtkWidget)

GtkWidget *kuu_desk_sign_in_page_new          (void);
void       kuu_desk_sign_in_page_fill         (KuuDeskSignInPage *self,
                                               const char        *server_url,
                                               const char        *code);
void       kuu_desk_sign_in_page_say          (KuuDeskSignInPage *self,
                                               const char        *message);
void       kuu_desk_sign_in_page_submit       (KuuDeskSignInPage *self);

G_END_DECLS
