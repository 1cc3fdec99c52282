/* kuu-initiative-page.h: a resident's initiative, with the name and contact it needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"
#include "kuu-flow-page.h"

G_BEGIN_DECLS

#define KUU_TYPE_INITIATIVE_PAGE (kuu_initiative_page_get_type ())

G_DECLARE_FINAL_TYPE (KuuInitiativePage, kuu_initiative_page, KUU, INITIATIVE_PAGE, KuuFlowPage)

GtkWidget *kuu_initiative_page_new (KuuContext *context);

G_END_DECLS
