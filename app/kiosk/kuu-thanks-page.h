/* kuu-thanks-page.h: what a resident sees once their answer is saved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"

G_BEGIN_DECLS

#define KUU_TYPE_THANKS_PAGE (kuu_thanks_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuThanksPage, kuu_thanks_page, KUU, THANKS_PAGE, GtkWidget)

GtkWidget *kuu_thanks_page_new (KuuContext          *context,
                                const KuuSubmission *submission);

G_END_DECLS
