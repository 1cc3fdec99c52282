/* kuu-send-row.h: the end of a form — what went wrong, and Send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KUU_TYPE_SEND_ROW (kuu_send_row_get_type ())

G_DECLARE_FINAL_TYPE (KuuSendRow, kuu_send_row, KUU, SEND_ROW, GtkWidget)

void kuu_send_row_set_busy   (KuuSendRow *self,
                              gboolean    busy);
void kuu_send_row_set_can_send (KuuSendRow *self,
                                gboolean    can_send);
void kuu_send_row_show_error (KuuSendRow *self,
                              const char *message);
void kuu_send_row_refuse     (KuuSendRow *self,
                              GtkWidget  *field,
                              GtkLabel   *field_error,
                              const char *message);

/* Shown when the store could not write: the form keeps what was typed. */
#define KUU_SEND_FAILED_MESSAGE \
  _("Your answer could not be saved. Please try again in a moment, " \
    "or tell the staff. Nothing you entered has been lost.")

/* Trying again will not help until staff make room: say so. */
#define KUU_SEND_FULL_MESSAGE \
  _("Your answer could not be saved because this device’s storage is full. " \
    "Please tell the staff. What you entered is still here, and you can send it once they have made room.")

G_END_DECLS
