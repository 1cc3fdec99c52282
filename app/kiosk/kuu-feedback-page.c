/* kuu-feedback-page.c
 *
 * Feedback is anonymous unless the person asks for a reply; only then are
 * the contact fields and the privacy notice shown, and only then is
 * anything of them stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-choice-grid.h"
#include "kuu-contact-form.h"
#include "kuu-feedback-page.h"
#include "kuu-flow-page.h"
#include "kuu-send-row.h"
#include "kuu-text-area.h"

struct _KuuFeedbackPage
{
  KuuFlowPage     parent_instance;

  KuuContext     *context;
  GPtrArray      *topics;  /* KuuTopic*, NULL first for "nothing in particular" */

  GtkWidget      *box;
  KuuFlowHeader  *header;
  KuuChoiceGrid  *topic_grid;
  GtkBox         *text_holder;
  KuuTextArea    *text_area;
  GtkLabel       *text_error;
  GtkToggleButton *reply_check;
  GtkRevealer    *contact_revealer;
  KuuContactForm *contact_form;
  KuuSendRow     *send_row;
};

G_DEFINE_FINAL_TYPE (KuuFeedbackPage, kuu_feedback_page, KUU_TYPE_FLOW_PAGE)

/* The first item is NULL, which g_object_unref() would not take. */
static void
unref_topic (gpointer topic)
{
  if (topic != NULL)
    g_object_unref (topic);
}

static void
add_topics (KuuFeedbackPage *self,
            GListModel      *topics)
{
  for (guint i = 0; i < g_list_model_get_n_items (topics); i++)
    {
      g_autoptr(KuuTopic) topic = g_list_model_get_item (topics, i);

      kuu_choice_grid_append (self->topic_grid, kuu_context_text (self->context, kuu_topic_get_title (topic)));
      g_ptr_array_add (self->topics, g_object_ref (topic));
    }
}

static void
fill_topics (KuuFeedbackPage *self)
{
  KuuStrategy *strategy = kuu_context_get_strategy (self->context);

  kuu_choice_grid_append (self->topic_grid, _("Nothing in particular"));
  g_ptr_array_add (self->topics, NULL);
  add_topics (self, kuu_strategy_get_goals (strategy));
  add_topics (self, kuu_strategy_get_service_areas (strategy));
  kuu_choice_grid_set_selected (self->topic_grid, 0);
}

static void
on_reply_toggled_cb (KuuFeedbackPage *self)
{
  gboolean reply = gtk_toggle_button_get_active (self->reply_check);

  /* Hidden, the fields are out of the focus chain and the AT-SPI tree. */
  gtk_widget_set_visible (GTK_WIDGET (self->contact_form), reply);
  gtk_revealer_set_reveal_child (self->contact_revealer, reply);
}

static void
on_send_cb (KuuFeedbackPage *self)
{
  g_autofree char *text = kuu_text_area_get_text (self->text_area);
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  KuuSubmission *submission;
  KuuTopic *topic;

  if (trimmed[0] == '\0')
    {
      kuu_send_row_refuse (self->send_row, GTK_WIDGET (self->text_area), self->text_error,
                           _("Please write your feedback first."));
      return;
    }
  if (gtk_toggle_button_get_active (self->reply_check) &&
      !kuu_contact_form_check (self->contact_form, self->send_row))
    return;

  submission = kuu_submission_new_feedback (text);
  topic = g_ptr_array_index (self->topics, MAX (kuu_choice_grid_get_selected (self->topic_grid), 0));
  if (topic != NULL)
    kuu_submission_set_topic (submission, kuu_topic_get_kind (topic), kuu_topic_get_id (topic));
  if (gtk_toggle_button_get_active (self->reply_check))
    kuu_contact_form_apply (self->contact_form, submission);

  kuu_flow_page_save (KUU_FLOW_PAGE (self), self->context, submission);
}

static void
on_cancel_cb (KuuFeedbackPage *self)
{
  kuu_flow_page_cancel (KUU_FLOW_PAGE (self));
}

static void
kuu_feedback_page_dispose (GObject *object)
{
  KuuFeedbackPage *self = (KuuFeedbackPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_FEEDBACK_PAGE);
  g_clear_object (&self->context);
  g_clear_pointer (&self->topics, g_ptr_array_unref);

  G_OBJECT_CLASS (kuu_feedback_page_parent_class)->dispose (object);
}

static void
kuu_feedback_page_class_init (KuuFeedbackPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_feedback_page_dispose;

  kuu_flow_page_class_set_template (widget_class, "kiosk/kuu-feedback-page.ui", "feedbackpage");
  gtk_widget_class_bind_template_child (widget_class, KuuFeedbackPage, box);
  gtk_widget_class_bind_template_child (widget_class, KuuFeedbackPage, header);
  gtk_widget_class_bind_template_child (widget_class, KuuFeedbackPage, topic_grid);
  gtk_widget_class_bind_template_child (widget_class, KuuFeedbackPage, text_holder);
  gtk_widget_class_bind_template_child (widget_class, KuuFeedbackPage, text_error);
  gtk_widget_class_bind_template_child (widget_class, KuuFeedbackPage, reply_check);
  gtk_widget_class_bind_template_child (widget_class, KuuFeedbackPage, contact_revealer);
  gtk_widget_class_bind_template_child (widget_class, KuuFeedbackPage, contact_form);
  gtk_widget_class_bind_template_child (widget_class, KuuFeedbackPage, send_row);
  gtk_widget_class_bind_template_callback (widget_class, on_reply_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_send_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_cb);
}

static void
kuu_feedback_page_init (KuuFeedbackPage *self)
{
  self->topics = g_ptr_array_new_with_free_func (unref_topic);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kuu_feedback_page_new (KuuContext *context)
{
  KuuFeedbackPage *self;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_FEEDBACK_PAGE, NULL);
  self->context = g_object_ref (context);

  fill_topics (self);
  self->text_area = KUU_TEXT_AREA (kuu_text_area_new (KUU_MAX_FEEDBACK_LENGTH));
  kuu_text_area_set_label (self->text_area, _("Your feedback"));
  gtk_box_append (self->text_holder, GTK_WIDGET (self->text_area));

  return GTK_WIDGET (self);
}
