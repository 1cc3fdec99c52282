/* kuu-send-row.c
 *
 * The error is an alert, so a screen reader says it when it appears.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-send-row.h"

struct _KuuSendRow
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkLabel   *error_label;
  GtkSpinner *spinner;
  GtkWidget  *send_button;
  GtkLabel   *field_error;  /* the one shown, not owned */
};

G_DEFINE_FINAL_TYPE (KuuSendRow, kuu_send_row, GTK_TYPE_WIDGET)

enum {
  SEND,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_send_clicked_cb (KuuSendRow *self)
{
  g_signal_emit (self, signals[SEND], 0);
}

void
kuu_send_row_set_busy (KuuSendRow *self,
                       gboolean    busy)
{
  g_return_if_fail (KUU_IS_SEND_ROW (self));

  gtk_widget_set_sensitive (self->send_button, !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

/* Send itself, not only the row, goes insensitive: GTK 4.8 tells a
 * screen reader only of a widget's own sensitivity. */
void
kuu_send_row_set_can_send (KuuSendRow *self,
                           gboolean    can_send)
{
  g_return_if_fail (KUU_IS_SEND_ROW (self));

  gtk_widget_set_sensitive (self->send_button, can_send);
}

/* NULL hides the error. */
void
kuu_send_row_show_error (KuuSendRow *self,
                         const char *message)
{
  g_return_if_fail (KUU_IS_SEND_ROW (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (self->field_error != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->field_error), FALSE);
      g_object_remove_weak_pointer (G_OBJECT (self->field_error), (gpointer *)&self->field_error);
      self->field_error = NULL;
    }
}

/* Points at the field to fix: the message goes next to it (an alert, so a
 * screen reader says it) and the focus moves to the field. */
void
kuu_send_row_refuse (KuuSendRow *self,
                     GtkWidget  *field,
                     GtkLabel   *field_error,
                     const char *message)
{
  g_return_if_fail (KUU_IS_SEND_ROW (self));
  g_return_if_fail (GTK_IS_LABEL (field_error));

  kuu_send_row_show_error (self, NULL);
  gtk_label_set_text (field_error, message);
  gtk_widget_set_visible (GTK_WIDGET (field_error), TRUE);
  self->field_error = field_error;
  g_object_add_weak_pointer (G_OBJECT (field_error), (gpointer *)&self->field_error);
  gtk_widget_grab_focus (field);
}

static void
kuu_send_row_dispose (GObject *object)
{
  KuuSendRow *self = (KuuSendRow *)object;

  if (self->field_error != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->field_error), (gpointer *)&self->field_error);
  self->field_error = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (object), KUU_TYPE_SEND_ROW);

  G_OBJECT_CLASS (kuu_send_row_parent_class)->dispose (object);
}

static void
kuu_send_row_class_init (KuuSendRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_send_row_dispose;

  signals[SEND] = g_signal_new ("send", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/widgets/kuu-send-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuSendRow, box);
  gtk_widget_class_bind_template_child (widget_class, KuuSendRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, KuuSendRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, KuuSendRow, send_button);
  gtk_widget_class_bind_template_callback (widget_class, on_send_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kuu_send_row_init (KuuSendRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
