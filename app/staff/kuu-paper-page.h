/* kuu-paper-page.h: staff enter initiatives that came on paper or by
 * e-mail, and correct them until they are sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"

G_BEGIN_DECLS

#define KUU_TYPE_PAPER_PAGE (kuu_paper_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuPaperPage, kuu_paper_page, KUU, PAPER_PAGE, GtkWidget)

GtkWidget *kuu_paper_page_new (KuuContext *context);

G_END_DECLS
