/* kuu-recommend-page.c
 *
 * Steps: topic → score → statements → why. Each step not on screen is
 * hidden; the answers stay in the widgets until kuu_flow_page_save() writes them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-flow-page.h"
#include "kuu-recommend-page.h"
#include "kuu-send-row.h"
#include "kuu-text-area.h"

#define N_SCORES 11

struct _KuuRecommendPage
{
  KuuFlowPage    parent_instance;

  KuuContext    *context;
  KuuTopic      *topic;      /* the chosen one */
  int            score;
  GPtrArray     *statement_groups;  /* GtkToggleButton* [6] per statement */

  GtkWidget     *box;
  GtkStack      *steps;
  KuuFlowHeader *header;
  GtkFlowBox    *goals_box;
  GtkFlowBox    *areas_box;
  GtkLabel      *topic_label;
  GtkLabel      *question_label;
  GtkBox        *scores_box;
  GtkLabel      *low_label;
  GtkLabel      *high_label;
  GtkLabel      *statements_topic_label;
  GtkBox        *statements_box;
  GtkLabel      *why_label;
  GtkBox        *why_holder;
  KuuTextArea   *why_area;
  KuuSendRow    *send_row;
};

G_DEFINE_FINAL_TYPE (KuuRecommendPage, kuu_recommend_page, KUU_TYPE_FLOW_PAGE)

static const char *
text (KuuRecommendPage *self,
      const KuuText    *t)
{
  return kuu_context_text (self->context, t);
}

/* Steps not on screen are hidden, not just covered: GTK 4.8 would show
 * them all to a screen reader. */
static void
show_step (KuuRecommendPage *self,
           const char       *name)
{
  GtkWidget *step = gtk_stack_get_child_by_name (self->steps, name);

  gtk_widget_set_visible (step, TRUE);
  gtk_stack_set_visible_child (self->steps, step);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->steps));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != step)
      gtk_widget_set_visible (child, FALSE);

  kuu_flow_header_set_back_visible (self->header, g_strcmp0 (name, "topic") != 0);
}

static void
on_topic_clicked_cb (GtkButton        *button,
                     KuuRecommendPage *self)
{
  KuuTopic *topic = g_object_get_data (G_OBJECT (button), "kuu-topic");
  KuuStrategy *strategy = kuu_context_get_strategy (self->context);

  g_set_object (&self->topic, topic);
  gtk_label_set_text (self->topic_label, text (self, kuu_topic_get_title (topic)));
  gtk_label_set_text (self->statements_topic_label, text (self, kuu_topic_get_title (topic)));
  gtk_label_set_text (self->question_label, text (self, kuu_strategy_get_recommend_question (strategy)));
  show_step (self, "score");
}

static GtkWidget *
topic_button_new (KuuRecommendPage *self,
                  KuuTopic         *topic)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *title = gtk_label_new (text (self, kuu_topic_get_title (topic)));
  GtkWidget *summary = gtk_label_new (text (self, kuu_topic_get_summary (topic)));

  for (GtkWidget *label = title; label != NULL; label = label == title ? summary : NULL)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      /* The flow box lays buttons out at their natural width. */
      gtk_label_set_max_width_chars (GTK_LABEL (label), label == title ? 26 : 34);
      gtk_box_append (GTK_BOX (box), label);
    }
  gtk_widget_add_css_class (title, "topic-title");
  gtk_widget_add_css_class (summary, "topic-summary");
  gtk_widget_set_valign (box, GTK_ALIGN_START);

  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "topic-button");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text (self, kuu_topic_get_title (topic)),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text (self, kuu_topic_get_summary (topic)),
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "kuu-topic", g_object_ref (topic), g_object_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_topic_clicked_cb), self, 0);

  return button;
}

static void
fill_topics (KuuRecommendPage *self,
             GListModel       *topics,
             GtkFlowBox       *box)
{
  for (guint i = 0; i < g_list_model_get_n_items (topics); i++)
    {
      g_autoptr(KuuTopic) topic = g_list_model_get_item (topics, i);

      gtk_flow_box_append (box, topic_button_new (self, topic));
    }
}

/* The goals staff chose to ask about on this device (Settings); all of
 * them when the choice names none of this strategy's (another region's). */
static void
fill_goals (KuuRecommendPage *self,
            GListModel       *goals)
{
  guint n = g_list_model_get_n_items (goals);
  guint shown = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KuuTopic) goal = g_list_model_get_item (goals, i);

      if (kuu_context_shows_goal (self->context, kuu_topic_get_id (goal)))
        {
          gtk_flow_box_append (self->goals_box, topic_button_new (self, goal));
          shown++;
        }
    }
  if (shown == 0)
    fill_topics (self, goals, self->goals_box);
}

static void
on_score_clicked_cb (GtkButton        *button,
                     KuuRecommendPage *self)
{
  self->score = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "kuu-score"));
  show_step (self, "statements");
}

static void
fill_scores (KuuRecommendPage *self)
{
  KuuStrategy *strategy = kuu_context_get_strategy (self->context);
  const char *low = text (self, kuu_strategy_get_scale_low (strategy));
  const char *high = text (self, kuu_strategy_get_scale_high (strategy));

  gtk_label_set_text (self->low_label, low);
  gtk_label_set_text (self->high_label, high);

  for (int score = 0; score < N_SCORES; score++)
    {
      g_autofree char *label = g_strdup_printf ("%d", score);
      g_autofree char *accessible = NULL;
      GtkWidget *button = gtk_button_new_with_label (label);

      /* The ends carry their meaning for a screen reader. */
      if (score == 0)
        accessible = g_strdup_printf ("0 – %s", low);
      else if (score == N_SCORES - 1)
        accessible = g_strdup_printf ("10 – %s", high);
      else
        accessible = g_strdup (label);

      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);
      gtk_widget_set_hexpand (button, TRUE);
      gtk_widget_add_css_class (button, "score-button");
      g_object_set_data (G_OBJECT (button), "kuu-score", GINT_TO_POINTER (score));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_score_clicked_cb), self, 0);
      gtk_box_append (self->scores_box, button);
    }
}

/* Six toggles in a group: "no answer" first, then 1–5. */
static GtkWidget *
statement_row_new (KuuRecommendPage *self,
                   const KuuEntry   *statement)
{
  KuuStrategy *strategy = kuu_context_get_strategy (self->context);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *label = gtk_label_new (text (self, statement->name));
  GtkWidget *choices = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkToggleButton **group = g_new0 (GtkToggleButton *, KUU_AGREEMENT_SCALE_SIZE + 1);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "statement-text");
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_set_homogeneous (GTK_BOX (choices), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (choices),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text (self, statement->name),
                                  -1);

  for (guint answer = 0; answer <= KUU_AGREEMENT_SCALE_SIZE; answer++)
    {
      g_autofree char *caption = answer == 0
        ? g_strdup (_("No answer"))
        : g_strdup_printf ("%u\n%s", answer, text (self, kuu_strategy_get_agreement_label (strategy, answer)));
      g_autofree char *accessible = answer == 0
        ? g_strdup (_("No answer"))
        : g_strdup_printf ("%u – %s", answer, text (self, kuu_strategy_get_agreement_label (strategy, answer)));
      GtkWidget *toggle = gtk_toggle_button_new ();
      GtkWidget *caption_label = gtk_label_new (caption);

      gtk_label_set_wrap (GTK_LABEL (caption_label), TRUE);
      gtk_label_set_justify (GTK_LABEL (caption_label), GTK_JUSTIFY_CENTER);
      gtk_button_set_child (GTK_BUTTON (toggle), caption_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);
      gtk_widget_add_css_class (toggle, "agreement-button");
      if (answer > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (toggle), group[0]);
      else
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
      group[answer] = GTK_TOGGLE_BUTTON (toggle);
      gtk_box_append (GTK_BOX (choices), toggle);
    }

  g_object_set_data_full (G_OBJECT (row), "kuu-statement-id", g_strdup (statement->id), g_free);
  g_ptr_array_add (self->statement_groups, group);
  gtk_box_append (GTK_BOX (row), choices);
  gtk_widget_add_css_class (row, "statement-row");

  return row;
}

static void
fill_statements (KuuRecommendPage *self)
{
  GPtrArray *statements = kuu_strategy_get_statements (kuu_context_get_strategy (self->context));

  for (guint i = 0; i < statements->len; i++)
    gtk_box_append (self->statements_box, statement_row_new (self, g_ptr_array_index (statements, i)));
}

static KuuSubmission *
build_submission (KuuRecommendPage *self)
{
  GPtrArray *statements = kuu_strategy_get_statements (kuu_context_get_strategy (self->context));
  KuuSubmission *submission;
  g_autofree char *why = kuu_text_area_get_text (self->why_area);
  g_autofree char *trimmed = g_strstrip (g_strdup (why));

  submission = kuu_submission_new_recommendation (kuu_topic_get_kind (self->topic),
                                                  kuu_topic_get_id (self->topic),
                                                  self->score);

  for (guint i = 0; i < self->statement_groups->len; i++)
    {
      GtkToggleButton **group = g_ptr_array_index (self->statement_groups, i);
      const KuuEntry *statement = g_ptr_array_index (statements, i);

      for (int answer = 1; answer <= KUU_AGREEMENT_SCALE_SIZE; answer++)
        {
          if (gtk_toggle_button_get_active (group[answer]))
            kuu_submission_add_answer (submission, statement->id, answer);
        }
    }

  /* Only blank is "no reason given"; what was typed is kept as typed. */
  if (trimmed[0] != '\0')
    submission->text = g_steal_pointer (&why);

  return submission;
}

static void
send (KuuRecommendPage *self)
{
  if (self->topic == NULL)
    return;

  kuu_flow_page_save (KUU_FLOW_PAGE (self), self->context, build_submission (self));
}

static void
on_send_clicked_cb (KuuRecommendPage *self)
{
  send (self);
}

static void
on_next_clicked_cb (KuuRecommendPage *self)
{
  show_step (self, "why");
  gtk_widget_grab_focus (GTK_WIDGET (self->why_area));
}

static void
on_back_clicked_cb (KuuRecommendPage *self)
{
  const char *step = gtk_stack_get_visible_child_name (self->steps);

  if (g_strcmp0 (step, "why") == 0)
    show_step (self, "statements");
  else if (g_strcmp0 (step, "statements") == 0)
    show_step (self, "score");
  else
    show_step (self, "topic");
}

static void
on_cancel_clicked_cb (KuuRecommendPage *self)
{
  kuu_flow_page_cancel (KUU_FLOW_PAGE (self));
}

static void
kuu_recommend_page_dispose (GObject *object)
{
  KuuRecommendPage *self = (KuuRecommendPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), KUU_TYPE_RECOMMEND_PAGE);
  g_clear_object (&self->context);
  g_clear_object (&self->topic);
  g_clear_pointer (&self->statement_groups, g_ptr_array_unref);

  G_OBJECT_CLASS (kuu_recommend_page_parent_class)->dispose (object);
}

static void
kuu_recommend_page_class_init (KuuRecommendPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kuu_recommend_page_dispose;

  kuu_flow_page_class_set_template (widget_class, "kiosk/kuu-recommend-page.ui", "recommendpage");
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, box);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, steps);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, header);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, goals_box);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, areas_box);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, topic_label);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, question_label);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, scores_box);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, low_label);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, high_label);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, statements_topic_label);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, statements_box);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, why_label);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, why_holder);
  gtk_widget_class_bind_template_child (widget_class, KuuRecommendPage, send_row);
  gtk_widget_class_bind_template_callback (widget_class, on_send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
}

static void
kuu_recommend_page_init (KuuRecommendPage *self)
{
  self->statement_groups = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kuu_recommend_page_new (KuuContext *context)
{
  KuuRecommendPage *self;
  KuuStrategy *strategy;

  g_return_val_if_fail (KUU_IS_CONTEXT (context), NULL);

  self = g_object_new (KUU_TYPE_RECOMMEND_PAGE, NULL);
  self->context = g_object_ref (context);
  strategy = kuu_context_get_strategy (context);

  fill_goals (self, kuu_strategy_get_goals (strategy));
  fill_topics (self, kuu_strategy_get_service_areas (strategy), self->areas_box);
  fill_scores (self);
  fill_statements (self);

  gtk_label_set_text (self->why_label, text (self, kuu_strategy_get_why_prompt (strategy)));
  self->why_area = KUU_TEXT_AREA (kuu_text_area_new (KUU_MAX_WHY_LENGTH));
  kuu_text_area_set_label (self->why_area, text (self, kuu_strategy_get_why_prompt (strategy)));
  gtk_box_append (self->why_holder, GTK_WIDGET (self->why_area));
  show_step (self, "topic");

  return GTK_WIDGET (self);
}
