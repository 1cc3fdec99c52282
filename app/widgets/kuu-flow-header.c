/* kuu-flow-header.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-flow-header.h"

struct _KuuFlowHeader
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *back_button;
  GtkWidget *cancel_button;
  GtkLabel  *title_label;
};

G_DEFINE_FINAL_TYPE (KuuFlowHeader, kuu_flow_header, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

enum {
  BACK,
  CANCEL,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
on_back_clicked_cb (KuuFlowHeader *self)
{
  g_signal_emit (self, signals[BACK], 0);
}

static void
on_cancel_clicked_cb (KuuFlowHeader *self)
{
  g_signal_emit (self, signals[CANCEL], 0);
}

void
kuu_flow_header_set_back_visible (KuuFlowHeader *self,
                                  gboolean       visible)
{
  g_return_if_fail (KUU_IS_FLOW_HEADER (self));

  gtk_widget_set_visible (self->back_button, visible);
}

/* While a submission is being written, the person waits for it. */
void
kuu_flow_header_set_sensitive (KuuFlowHeader *self,
                               gboolean       sensitive)
{
  g_return_if_fail (KUU_IS_FLOW_HEADER (self));

  gtk_widget_set_sensitive (self->back_button, sensitive);
  gtk_widget_set_sensitive (self->cancel_button, sensitive);
}

static void
kuu_flow_header_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KuuFlowHeader *self = KUU_FLOW_HEADER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, gtk_label_get_text (self->title_label));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kuu_flow_header_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KuuFlowHeader *self = KUU_FLOW_HEADER (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      gtk_label_set_text (self->title_label, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kuu_flow_header_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KUU_TYPE_FLOW_HEADER);

  G_OBJECT_CLASS (kuu_flow_header_parent_class)->dispose (object);
}

static void
kuu_flow_header_class_init (KuuFlowHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_flow_header_dispose;
  object_class->get_property = kuu_flow_header_get_property;
  object_class->set_property = kuu_flow_header_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CANCEL] = g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/widgets/kuu-flow-header.ui");
  gtk_widget_class_bind_template_child (widget_class, KuuFlowHeader, box);
  gtk_widget_class_bind_template_child (widget_class, KuuFlowHeader, back_button);
  gtk_widget_class_bind_template_child (widget_class, KuuFlowHeader, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KuuFlowHeader, title_label);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kuu_flow_header_init (KuuFlowHeader *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
