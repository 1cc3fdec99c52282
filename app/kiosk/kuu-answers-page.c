/* kuu-answers-page.c
 *
 * Read without typing: a scrolling list of cards, each a heading a screen
 * reader can jump between. Loaded in a worker thread, and again when the
 * sync brings new or changed initiatives while the page is open.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-answers-page.h"
#include "kuu-i18n.h"
#include "kuu-flow-page.h"
#include "kuu-initiatives.h"

struct _KuuAnswersPage
{
  KuuFlowPage    parent_instance;

  KuuContext    *context;
  gboolean       loading;
  gboolean       reload;     /* changed while loading: load once more */

  GtkWidget     *box;
  GtkSpinner    *spinner;
  GtkWidget     *empty_label;
  GtkBox        *list_box;
};

G_DEFINE_FINAL_TYPE (KuuAnswersPage, kuu_answers_page, KUU_TYPE_FLOW_PAGE)

static const char *
status_text (KuuInitiativeStatus status)
{
  switch (status)
    {
    case KUU_INITIATIVE_ANSWERED:
      return _("Answered");
    case KUU_INITIATIVE_IN_PROGRESS:
      return _("In progress");
    case KUU_INITIATIVE_RECEIVED:
    default:
      return _("Received");
    }
}

static const char *
municipality_name (KuuAnswersPage *self,
                   const char     *id)
{
  GPtrArray *municipalities = kuu_strategy_get_municipalities (kuu_context_get_strategy (self->context));

  for (guint i = 0; i < municipalities->len; i++)
    {
      const KuuEntry *municipality = g_ptr_array_index (municipalities, i);

      if (g_strcmp0 (municipality->id, id) == 0)
        return kuu_context_text (self->context, municipality->name);
    }
  return id;
}

static GtkWidget *
label_new (const char *text,
           const char *css_class)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "label", text,
                                   "accessible-role", g_str_equal (css_class, "answer-title")
                                                      ? GTK_ACCESSIBLE_ROLE_HEADING
                                                      : GTK_ACCESSIBLE_ROLE_LABEL,
                                   NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
card_new (KuuAnswersPage      *self,
          const KuuInitiative *initiative)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *title = label_new (initiative->title, "answer-title");
  g_autofree char *received = kuu_i18n_format_date (initiative->received_on);
  g_autofree char *meta =
    /* Translators: status · municipality · date received, e.g. "Answered · Kuhmo · received 2026-10-02" */
    g_strdup_printf (_("%s · %s · received %s"), status_text (initiative->status),
                     municipality_name (self, initiative->municipality), received);

  gtk_accessible_update_property (GTK_ACCESSIBLE (title),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  gtk_box_append (GTK_BOX (card), title);
  gtk_box_append (GTK_BOX (card), label_new (meta, "answer-meta"));
  gtk_box_append (GTK_BOX (card), label_new (initiative->body, "answer-body"));

  if (initiative->answer != NULL)
    {
      gtk_box_append (GTK_BOX (card), label_new (_("The region’s answer"), "answer-heading"));
      gtk_box_append (GTK_BOX (card), label_new (initiative->answer, "answer-text"));
    }

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "answer-card");
  return card;
}

static void load (KuuAnswersPage *self);

static void
clear_cards (KuuAnswersPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_box_remove (self->list_box, child);
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KuuAnswersPage) self = user_data;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  list = kuu_initiatives_list_published_finish (KUU_STORE (object), result, &error);
  if (g_cancellable_is_cancelled (kuu_flow_page_get_cancellable (KUU_FLOW_PAGE (self))))
    return;

  self->loading = FALSE;
  if (self->reload)
    {
      load (self);
      return;
    }

  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  if (list == NULL)
    {
      g_warning ("Could not list initiatives: %s", error->message);
      gtk_label_set_text (GTK_LABEL (self->empty_label),
                          _("The initiatives cannot be shown just now. Please ask the staff."));
      gtk_widget_set_visible (self->empty_label, TRUE);
      return;
    }

  clear_cards (self);
  gtk_widget_set_visible (self->empty_label, list->len == 0);
  for (guint i = 0; i < list->len; i++)
    gtk_box_append (self->list_box, card_new (self, g_ptr_array_index (list, i)));
}

static void
load (KuuAnswersPage *self)
{
  if (self->loading)
    {
      self->reload = TRUE;
      return;
    }
  self->loading = TRUE;
  self->reload = FALSE;
  kuu_initiatives_list_published_async (kuu_context_get_store (self->context),
                                        kuu_flow_page_get_cancellable (KUU_FLOW_PAGE (self)),
                                        on_listed_cb, g_object_ref (self));
}

static void
on_initiatives_changed_cb (KuuAnswersPage *self)
{
  load (self);
}

static void
on_cancel_cb (KuuAnswersPage *self)
{
  kuu_flow_page_cancel (KUU_FLOW_PAGE (self));
}

static void
kuu_answers_page_dispose (GObject *object)
{
  KuuAnswersPage *self = (KuuAnswersPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_ANSWERS_PAGE);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kuu_answers_page_parent_class)->dispose (object);
}

static void
kuu_answers_page_class_init (KuuAnswersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_answers_page_dispose;

  kuu_flow_page_class_set_template (widget_class, "kiosk/kuu-answers-page.ui", "answerspage");
  gtk_widget_class_bind_template_child (widget_class, KuuAnswersPage, box);
  gtk_widget_class_bind_template_child (widget_class, KuuAnswersPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KuuAnswersPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, KuuAnswersPage, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_cb);
}

static void
kuu_answers_page_init (KuuAnswersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kuu_answers_page_new (KuuContext *context)
{
  KuuAnswersPage *self;
  KuuSync *sync;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_ANSWERS_PAGE, NULL);
  self->context = g_object_ref (context);
  sync = kuu_device_session_get_sync (kuu_context_get_session (context));
  if (sync != NULL)
    g_signal_connect_object (sync, "initiatives-changed",
                             G_CALLBACK (on_initiatives_changed_cb), self, G_CONNECT_SWAPPED);
  load (self);

  return GTK_WIDGET (self);
}
