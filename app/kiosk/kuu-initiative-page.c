/* kuu-initiative-page.c
 *
 * An initiative (Laki hyvinvointialueesta 611/2021, § 30) needs the
 * initiator's name, municipality and a contact for the reply; the page says
 * why, and tells it apart from feedback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-choice-grid.h"
#include "kuu-contact-form.h"
#include "kuu-flow-page.h"
#include "kuu-initiative-page.h"
#include "kuu-send-row.h"
#include "kuu-text-area.h"

struct _KuuInitiativePage
{
  KuuFlowPage     parent_instance;

  KuuContext     *context;

  GtkWidget      *box;
  KuuFlowHeader  *header;
  GtkEntry       *title_entry;
  GtkBox         *text_holder;
  KuuTextArea    *text_area;
  KuuChoiceGrid  *municipality_grid;
  GtkLabel       *title_error;
  GtkLabel       *text_error;
  GtkLabel       *municipality_error;
  KuuContactForm *contact_form;
  KuuSendRow     *send_row;
};

G_DEFINE_FINAL_TYPE (KuuInitiativePage, kuu_initiative_page, KUU_TYPE_FLOW_PAGE)

/* None is chosen at first, so nobody's municipality is preset. */
static void
fill_municipalities (KuuInitiativePage *self)
{
  GPtrArray *municipalities = kuu_strategy_get_municipalities (kuu_context_get_strategy (self->context));

  for (guint i = 0; i < municipalities->len; i++)
    {
      const KuuEntry *municipality = g_ptr_array_index (municipalities, i);

      kuu_choice_grid_append (self->municipality_grid, kuu_context_text (self->context, municipality->name));
    }
}

static gboolean
refuse (KuuInitiativePage *self,
        gpointer           field,
        GtkLabel          *field_error,
        const char        *message)
{
  kuu_send_row_refuse (self->send_row, GTK_WIDGET (field), field_error, message);
  return FALSE;
}

static gboolean
check (KuuInitiativePage *self)
{
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_entry))));
  g_autofree char *text = kuu_text_area_get_text (self->text_area);

  if (title[0] == '\0')
    return refuse (self, self->title_entry, self->title_error, _("Please give your initiative a title."));
  if (g_strstrip (text)[0] == '\0')
    return refuse (self, self->text_area, self->text_error, _("Please write what you propose."));
  if (kuu_choice_grid_get_selected (self->municipality_grid) < 0)
    return refuse (self, self->municipality_grid, self->municipality_error,
                   _("Please choose your municipality: the right to make an initiative rests on it."));
  return kuu_contact_form_check (self->contact_form, self->send_row);
}

static void
on_send_cb (KuuInitiativePage *self)
{
  GPtrArray *municipalities = kuu_strategy_get_municipalities (kuu_context_get_strategy (self->context));
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  const KuuEntry *municipality;
  KuuSubmission *submission;

  if (!check (self))
    return;

  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_entry))));
  text = kuu_text_area_get_text (self->text_area);
  municipality = g_ptr_array_index (municipalities, kuu_choice_grid_get_selected (self->municipality_grid));
  submission = kuu_submission_new_initiative (title, text, municipality->id, KUU_CHANNEL_KIOSK);
  kuu_contact_form_apply (self->contact_form, submission);

  kuu_flow_page_save (KUU_FLOW_PAGE (self), self->context, submission);
}

static void
on_cancel_cb (KuuInitiativePage *self)
{
  kuu_flow_page_cancel (KUU_FLOW_PAGE (self));
}

static void
kuu_initiative_page_dispose (GObject *object)
{
  KuuInitiativePage *self = (KuuInitiativePage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_INITIATIVE_PAGE);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kuu_initiative_page_parent_class)->dispose (object);
}

static void
kuu_initiative_page_class_init (KuuInitiativePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_initiative_page_dispose;

  kuu_flow_page_class_set_template (widget_class, "kiosk/kuu-initiative-page.ui", "initiativepage");
  gtk_widget_class_bind_template_child (widget_class, KuuInitiativePage, box);
  gtk_widget_class_bind_template_child (widget_class, KuuInitiativePage, header);
  gtk_widget_class_bind_template_child (widget_class, KuuInitiativePage, title_entry);
  gtk_widget_class_bind_template_child (widget_class, KuuInitiativePage, text_holder);
  gtk_widget_class_bind_template_child (widget_class, KuuInitiativePage, municipality_grid);
  gtk_widget_class_bind_template_child (widget_class, KuuInitiativePage, contact_form);
  gtk_widget_class_bind_template_child (widget_class, KuuInitiativePage, send_row);
  gtk_widget_class_bind_template_child (widget_class, KuuInitiativePage, title_error);
  gtk_widget_class_bind_template_child (widget_class, KuuInitiativePage, text_error);
  gtk_widget_class_bind_template_child (widget_class, KuuInitiativePage, municipality_error);
  gtk_widget_class_bind_template_callback (widget_class, on_send_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_cb);
}

static void
kuu_initiative_page_init (KuuInitiativePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kuu_initiative_page_new (KuuContext *context)
{
  KuuInitiativePage *self;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_INITIATIVE_PAGE, NULL);
  self->context = g_object_ref (context);

  fill_municipalities (self);
  self->text_area = KUU_TEXT_AREA (kuu_text_area_new (KUU_MAX_INITIATIVE_LENGTH));
  kuu_text_area_set_label (self->text_area, _("What do you propose, and why?"));
  gtk_box_append (self->text_holder, GTK_WIDGET (self->text_area));

  return GTK_WIDGET (self);
}
