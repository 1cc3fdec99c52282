/* kuu-choice-grid.c
 *
 * A drop-down is fiddly on a touch screen and, in GTK 4.8, has no action a
 * screen reader can invoke; a grid of grouped toggle buttons is neither.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-choice-grid.h"

struct _KuuChoiceGrid
{
  GtkWidget   parent_instance;

  GtkFlowBox *flow;
  GPtrArray  *buttons;  /* GtkToggleButton*, not owned */
};

G_DEFINE_FINAL_TYPE (KuuChoiceGrid, kuu_choice_grid, GTK_TYPE_WIDGET)

void
kuu_choice_grid_append (KuuChoiceGrid *self,
                        const char    *label)
{
  GtkWidget *button;
  GtkWidget *child;
  GtkWidget *text;

  g_return_if_fail (KUU_IS_CHOICE_GRID (self));
  g_return_if_fail (label != NULL);

  /* A label that wraps: with larger text two unwrapped labels side by
   * side made the page wider than the screen. */
  text = gtk_label_new (label);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (text), GTK_JUSTIFY_CENTER);
  button = gtk_toggle_button_new ();
  gtk_button_set_child (GTK_BUTTON (button), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_add_css_class (button, "choice-grid-button");
  if (self->buttons->len > 0)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), g_ptr_array_index (self->buttons, 0));
  g_ptr_array_add (self->buttons, button);

  gtk_flow_box_append (self->flow, button);
  /* Only the button takes focus, not the flow box child around it. */
  child = gtk_widget_get_parent (button);
  gtk_widget_set_focusable (child, FALSE);
}

/* Returns: the index of the chosen button, or -1 */
int
kuu_choice_grid_get_selected (KuuChoiceGrid *self)
{
  g_return_val_if_fail (KUU_IS_CHOICE_GRID (self), -1);

  for (guint i = 0; i < self->buttons->len; i++)
    if (gtk_toggle_button_get_active (g_ptr_array_index (self->buttons, i)))
      return (int)i;

  return -1;
}

void
kuu_choice_grid_set_selected (KuuChoiceGrid *self,
                              int            index)
{
  g_return_if_fail (KUU_IS_CHOICE_GRID (self));
  g_return_if_fail (index >= 0 && (guint)index < self->buttons->len);

  gtk_toggle_button_set_active (g_ptr_array_index (self->buttons, index), TRUE);
}

/* Focus goes to the chosen button, or the first. */
static gboolean
kuu_choice_grid_grab_focus (GtkWidget *widget)
{
  KuuChoiceGrid *self = KUU_CHOICE_GRID (widget);
  int selected = kuu_choice_grid_get_selected (self);

  if (self->buttons->len == 0)
    return FALSE;

  return gtk_widget_grab_focus (g_ptr_array_index (self->buttons, MAX (selected, 0)));
}

static void
kuu_choice_grid_dispose (GObject *object)
{
  KuuChoiceGrid *self = (KuuChoiceGrid *)object;

  g_clear_pointer ((GtkWidget **)&self->flow, gtk_widget_unparent);
  g_clear_pointer (&self->buttons, g_ptr_array_unref);

  G_OBJECT_CLASS (kuu_choice_grid_parent_class)->dispose (object);
}

static void
kuu_choice_grid_class_init (KuuChoiceGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_choice_grid_dispose;
  widget_class->grab_focus = kuu_choice_grid_grab_focus;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "choicegrid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kuu_choice_grid_init (KuuChoiceGrid *self)
{
  self->buttons = g_ptr_array_new ();
  self->flow = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_flow_box_set_selection_mode (self->flow, GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (self->flow, TRUE);
  gtk_flow_box_set_min_children_per_line (self->flow, 2);
  gtk_flow_box_set_max_children_per_line (self->flow, 4);
  gtk_flow_box_set_column_spacing (self->flow, 8);
  gtk_flow_box_set_row_spacing (self->flow, 8);
  gtk_widget_set_parent (GTK_WIDGET (self->flow), GTK_WIDGET (self));
}

GtkWidget *
kuu_choice_grid_new (void)
{
  return g_object_new (KUU_TYPE_CHOICE_GRID, NULL);
}
