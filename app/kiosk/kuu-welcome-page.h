/* kuu-welcome-page.h: the first screen — the region's vision, mission and
 * strategic goals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"

G_BEGIN_DECLS

#define KUU_TYPE_WELCOME_PAGE (kuu_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuWelcomePage, kuu_welcome_page, KUU, WELCOME_PAGE, GtkWidget)

GtkWidget *kuu_welcome_page_new (KuuContext *context);

G_END_DECLS
