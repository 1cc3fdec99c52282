/* kuu-choice-grid.h: one choice out of many, as large touch buttons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KUU_TYPE_CHOICE_GRID (kuu_choice_grid_get_type ())

G_DECLARE_FINAL_TYPE (KuuChoiceGrid, kuu_choice_grid, KUU, CHOICE_GRID, GtkWidget)

GtkWidget *kuu_choice_grid_new          (void);
void       kuu_choice_grid_append       (KuuChoiceGrid *self,
                                         const char    *label);
int        kuu_choice_grid_get_selected (KuuChoiceGrid *self);
void       kuu_choice_grid_set_selected (KuuChoiceGrid *self,
                                         int            index);

G_END_DECLS
