/* kuu-desk-results-page-figures.c: the region's figures drawn from the server's answer
 *
 * One card a goal or service area: the index with its answers and margin,
 * the change since the previous period (news only where the server says
 * it exceeds the margin), the targets on it, the 0–10 distribution, the
 * trend, the units side by side as the server ranked them, and the 1–5
 * statements. Then workplace functioning and every target with its
 * verdict. A count-only cell says there are too few answers for an index;
 * a hidden cell says nothing at all. Every figure is text a screen reader
 * reads; numbers in the reader's locale (decimal comma in fi and sv).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kuu-desk-results-page-private.h"
#include "kuu-distribution-chart.h"
#include "kuu-entry.h"
#include "kuu-target.h"
#include "kuu-topic.h"
#include "kuu-trend-chart.h"

/* --- reading the answer ---------------------------------------------------- */

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

static gboolean
number_member (JsonObject *object,
               const char *name,
               double     *out)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  GType type = node && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

static guint
count_member (JsonObject *object,
              const char *name)
{
  double value = 0;

  return number_member (object, name, &value) && value >= 0 && value < G_MAXUINT ? (guint)value : 0;
}

/* An element of the answer that should be an object, or NULL. */
static JsonObject *
element_object (JsonArray *array,
                guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static double
element_count (JsonArray *array,
               guint      index)
{
  JsonNode *node = json_array_get_element (array, index);
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  double value = type == G_TYPE_INT64 || type == G_TYPE_DOUBLE ? json_node_get_double (node) : 0;

  return isfinite (value) && value >= 0 && value < G_MAXUINT ? value : 0;
}

static gboolean
cell_is (JsonObject *cell,
         const char *visibility)
{
  return g_strcmp0 (string_member (cell, "visibility"), visibility) == 0;
}

/* --- texts ------------------------------------------------------------------ */

/* A number in the reader's way: a decimal comma in Finnish and Swedish
 * whatever LC_NUMERIC says (a desktop in C.UTF-8 with LANGUAGE=fi is
 * common), a point in English. */
static char *
decimal (KuuDeskResultsPage *self,
         double              value,
         int                 decimals)
{
  char format[8];
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  char *point;

  g_snprintf (format, sizeof format, "%%.%df", CLAMP (decimals, 0, 3));
  g_ascii_formatd (text, sizeof text, format, value);
  if (self->language != KUU_LANGUAGE_EN && (point = strchr (text, '.')) != NULL)
    *point = ',';
  return g_strdup (text);
}

static char *
signed_number (KuuDeskResultsPage *self,
               double              value,
               int                 decimals)
{
  g_autofree char *magnitude = decimal (self, fabs (value), decimals);

  /* A real minus sign, as the device's Results page writes it. */
  return g_strconcat (value < 0 && strcmp (magnitude, "0") != 0 ? "−" : "+", magnitude, NULL);
}

static char *
cell_text (KuuDeskResultsPage *self,
           JsonObject         *cell,
           guint               min_answers)
{
  double index = 0, margin = 0;
  guint n = count_member (cell, "n");
  g_autofree char *figure = NULL;
  g_autofree char *plus_minus = NULL;

  if (cell_is (cell, "full") && number_member (cell, "index", &index) && number_member (cell, "margin", &margin))
    {
      figure = signed_number (self, round (index), 0);
      plus_minus = decimal (self, margin, 1);
      return g_strdup_printf (ngettext ("%s from %u answer, ±%s", "%s from %u answers, ±%s", n),
                              figure, n, plus_minus);
    }
  if (cell_is (cell, "count_only") && n == 0)
    return g_strdup (_("No answers"));
  if (cell_is (cell, "count_only"))
    return g_strdup_printf (ngettext ("%u answer: too few for an index (at least %u needed)",
                                      "%u answers: too few for an index (at least %u needed)", n),
                            n, min_answers);
  if (cell_is (cell, "hidden"))
    return g_strdup (_("Not shown: too few people in this group"));
  return g_strdup (_("No answers"));
}

static char *
scale_text (KuuDeskResultsPage *self,
            JsonObject         *cell,
            guint               min_answers)
{
  double share = 0, mean = 0;
  guint n = count_member (cell, "n");

  if (cell_is (cell, "full") && number_member (cell, "share_agree", &share) && number_member (cell, "mean", &mean))
    {
      g_autofree char *share_text = decimal (self, share, 1);
      g_autofree char *mean_text = decimal (self, mean, 2);

      return g_strdup_printf (ngettext ("%s %% agree (4 or 5), mean %s, from %u answer",
                                        "%s %% agree (4 or 5), mean %s, from %u answers", n),
                              share_text, mean_text, n);
    }
  if (cell_is (cell, "count_only") && n == 0)
    return g_strdup (_("No answers"));
  if (cell_is (cell, "count_only"))
    return g_strdup_printf (ngettext ("%u answer: too few for figures (at least %u needed)",
                                      "%u answers: too few for figures (at least %u needed)", n),
                            n, min_answers);
  if (cell_is (cell, "hidden"))
    return g_strdup (_("Not shown: too few people in this group"));
  return g_strdup (_("No answers"));
}

static char *
change_text (KuuDeskResultsPage *self,
             JsonObject         *change)
{
  double delta = 0, margin = 0;
  g_autofree char *figure = NULL;
  g_autofree char *plus_minus = NULL;

  if (change == NULL || !number_member (change, "delta", &delta) || !number_member (change, "margin", &margin))
    return NULL;
  figure = signed_number (self, delta, 1);
  plus_minus = decimal (self, margin, 1);
  /* The server decides what is real (beyond the margin): never the desk. */
  if (json_object_get_boolean_member_with_default (change, "significant", FALSE))
    return g_strdup_printf (_("Change since the previous period: %s (±%s) — a real change"), figure, plus_minus);
  return g_strdup_printf (_("Change since the previous period: %s (±%s) — within the margin of error, "
                            "not a real change"), figure, plus_minus);
}

static const char *
verdict_text (const char *verdict)
{
  if (g_strcmp0 (verdict, "met") == 0)
    return _("met");
  if (g_strcmp0 (verdict, "not_met") == 0)
    return _("not met");
  if (g_strcmp0 (verdict, "uncertain") == 0)
    return _("uncertain: the target is within the margin of error");
  if (g_strcmp0 (verdict, "too_few") == 0)
    return _("too few answers to say");
  return _("not shown: too few people in this group");
}

static const KuuTarget *
find_target (KuuDeskResultsPage *self,
             const char         *id)
{
  GPtrArray *targets = self->strategy ? kuu_strategy_get_targets (self->strategy) : NULL;

  for (guint i = 0; targets != NULL && i < targets->len; i++)
    {
      const KuuTarget *target = g_ptr_array_index (targets, i);

      if (g_strcmp0 (target->id, id) == 0)
        return target;
    }
  return NULL;
}

static char *
target_text (KuuDeskResultsPage *self,
             JsonObject         *target)
{
  const char *id = string_member (target, "id");
  const KuuTarget *known = find_target (self, id);
  const char *label = known && known->label ? kuu_text_get (known->label, self->language) : id;
  double actual = 0, margin = 0;
  g_autofree char *figures = NULL;

  if (number_member (target, "actual", &actual) && number_member (target, "margin", &margin))
    {
      g_autofree char *actual_text = decimal (self, actual, 1);
      g_autofree char *margin_text = decimal (self, margin, 1);

      figures = g_strdup_printf (ngettext (" (now %s ±%s, from %u answer)", " (now %s ±%s, from %u answers)",
                                           count_member (target, "n")),
                                 actual_text, margin_text, count_member (target, "n"));
    }
  return g_strdup_printf (_("Target: %s — %s%s"), label ? label : "?",
                          verdict_text (string_member (target, "verdict")), figures ? figures : "");
}

static const char *
topic_title (KuuDeskResultsPage *self,
             JsonObject         *topic)
{
  KuuTopicKind kind;
  KuuTopic *known = NULL;
  const char *id = string_member (topic, "id");

  if (self->strategy != NULL && kuu_topic_kind_from_string (string_member (topic, "kind"), &kind))
    known = kuu_strategy_find_topic (self->strategy, kind, id);
  return known ? kuu_text_get (kuu_topic_get_title (known), self->language) : id;
}

static const char *
statement_text (KuuDeskResultsPage *self,
                const char         *id)
{
  GPtrArray *statements = self->strategy ? kuu_strategy_get_statements (self->strategy) : NULL;

  for (guint i = 0; statements != NULL && i < statements->len; i++)
    {
      KuuEntry *entry = g_ptr_array_index (statements, i);

      if (g_strcmp0 (entry->id, id) == 0)
        return kuu_text_get (entry->name, self->language);
    }
  return id;
}

/* “2026-11” → “11/2026” (Finnish, Swedish) or “Nov 2026”; “2026-W48” →
 * “Week 48”. Month names would follow LC_TIME, not the desk's language. */
static char *
period_label (KuuDeskResultsPage *self,
              const char         *period)
{
  int year = 0, number = 0;

  if (period != NULL && sscanf (period, "%d-W%d", &year, &number) == 2)
    return g_strdup_printf (_("Week %d"), number);
  if (period != NULL && sscanf (period, "%d-%d", &year, &number) == 2 && number >= 1 && number <= 12)
    {
      g_autoptr(GDateTime) month = g_date_time_new_local (year, number, 1, 0, 0, 0);

      if (month == NULL)
        return g_strdup (period);
      return g_date_time_format (month, self->language == KUU_LANGUAGE_EN ? "%b %Y" : "%-m/%Y");
    }
  return g_strdup (period ? period : "?");
}

/* --- widgets ----------------------------------------------------------------- */

static GtkWidget *
add_label (GtkBox     *box,
           const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (box, label);
  return label;
}

static void
add_heading (GtkBox     *box,
             const char *text,
             const char *css_class)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL, "label", text, "xalign", 0.0f, "wrap", TRUE,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING, NULL);

  gtk_widget_add_css_class (label, css_class);
  gtk_box_append (box, label);
}

static GtkBox *
new_card (GtkBox *parent)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "desk-card");
  gtk_box_append (parent, card);
  return GTK_BOX (card);
}

static void
add_distribution (GtkBox     *card,
                  JsonObject *cell)
{
  JsonArray *counts = array_member (cell, "distribution");
  guint scores[11] = { 0 };
  GtkWidget *chart;

  if (!cell_is (cell, "full") || counts == NULL || json_array_get_length (counts) != 11)
    return;
  for (guint i = 0; i < 11; i++)
    {
      scores[i] = (guint)element_count (counts, i);
    }
  chart = kuu_distribution_chart_new ();
  kuu_distribution_chart_set_scores (KUU_DISTRIBUTION_CHART (chart), scores);
  gtk_box_append (card, chart);
}

static void
add_trend (KuuDeskResultsPage *self,
           GtkBox             *card,
           JsonArray          *trend,
           const KuuTarget    *target)
{
  GtkWidget *chart = kuu_trend_chart_new ();

  for (guint i = 0; trend != NULL && i < json_array_get_length (trend); i++)
    {
      JsonObject *point = element_object (trend, i);
      JsonObject *cell = object_member (point, "cell");
      g_autofree char *label = period_label (self, string_member (point, "period"));
      double index = 0;

      /* Only full cells have an index: the others are gaps. */
      if (cell_is (cell, "full") && number_member (cell, "index", &index))
        kuu_trend_chart_add_point (KUU_TREND_CHART (chart), label, index, count_member (cell, "n"));
    }
  if (kuu_trend_chart_get_n_points (KUU_TREND_CHART (chart)) == 0)
    {
      g_object_ref_sink (chart);
      g_object_unref (chart);
      return;
    }
  if (target != NULL)
    kuu_trend_chart_set_target (KUU_TREND_CHART (chart), target->value,
                                target->label ? kuu_text_get (target->label, self->language) : target->id);
  gtk_box_append (card, chart);
}

/* The units as the server ranked them, each with its own margin. */
static void
add_units (KuuDeskResultsPage *self,
           GtkBox             *card,
           JsonArray          *units,
           guint               min_answers)
{
  GtkWidget *grid;
  guint row = 0;

  if (units == NULL || json_array_get_length (units) == 0)
    return;
  add_heading (card, _("Units side by side"), "heading");
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 3);
  for (guint i = 0; i < json_array_get_length (units); i++)
    {
      JsonObject *unit = element_object (units, i);
      const char *name = string_member (unit, "unit");
      g_autofree char *rank = g_strdup_printf ("%u.", row + 1);
      g_autofree char *figures = cell_text (self, object_member (unit, "cell"), min_answers);
      g_autofree char *line = g_strdup_printf ("%s %s: %s", rank, name ? name : "?", figures);
      GtkWidget *label = gtk_label_new (line);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_grid_attach (GTK_GRID (grid), label, 0, row++, 1, 1);
      if (name != NULL && gtk_drop_down_get_selected (self->unit_drop) == 0)
        {
          gboolean known = FALSE;

          for (guint u = 1; u < g_list_model_get_n_items (G_LIST_MODEL (self->units)); u++)
            known = known || g_strcmp0 (gtk_string_list_get_string (self->units, u), name) == 0;
          if (!known)
            gtk_string_list_append (self->units, name);
        }
    }
  gtk_box_append (card, grid);
}

static void
add_scale_distribution (KuuDeskResultsPage *self,
                        GtkBox             *card,
                        JsonObject         *cell)
{
  JsonArray *counts = array_member (cell, "distribution");
  g_autoptr(GString) text = g_string_new (NULL);

  if (!cell_is (cell, "full") || counts == NULL || json_array_get_length (counts) != 5)
    return;
  for (guint i = 0; i < 5; i++)
    {
      const KuuText *name = self->strategy ? kuu_strategy_get_agreement_label (self->strategy, i + 1) : NULL;

      g_string_append_printf (text, "%s%u %s: %u", i > 0 ? " · " : "", i + 1,
                              name ? kuu_text_get (name, self->language) : "",
                              (guint)element_count (counts, i));
    }
  add_label (card, text->str, "dim-label");
}

static void
add_statements (KuuDeskResultsPage *self,
                GtkBox             *card,
                JsonArray          *statements,
                guint               min_answers)
{
  if (statements == NULL || json_array_get_length (statements) == 0)
    return;
  add_heading (card, _("Statements (1–5)"), "heading");
  for (guint i = 0; i < json_array_get_length (statements); i++)
    {
      JsonObject *statement = element_object (statements, i);
      JsonObject *cell = object_member (statement, "cell");
      g_autofree char *figures = scale_text (self, cell, min_answers);

      add_label (card, statement_text (self, string_member (statement, "id")), "heading");
      add_label (card, figures, NULL);
      add_scale_distribution (self, card, cell);
    }
}

/* The recommendation target set on this topic, for the trend's line. */
static const KuuTarget *
index_target_for (KuuDeskResultsPage *self,
                  const char         *topic_id)
{
  GPtrArray *targets = self->strategy ? kuu_strategy_get_targets (self->strategy) : NULL;

  for (guint i = 0; targets != NULL && i < targets->len; i++)
    {
      const KuuTarget *target = g_ptr_array_index (targets, i);

      if ((target->metric == KUU_METRIC_NPS || target->metric == KUU_METRIC_ENPS) &&
          (target->goal == NULL || g_strcmp0 (target->goal, topic_id) == 0))
        return target;
    }
  return NULL;
}

static void
add_topic (KuuDeskResultsPage *self,
           JsonObject         *entry,
           JsonArray          *targets,
           guint               min_answers)
{
  JsonObject *topic = object_member (entry, "topic");
  const char *id = string_member (topic, "id");
  GtkBox *card = new_card (self->figures_box);
  g_autofree char *total = cell_text (self, object_member (entry, "total"), min_answers);
  g_autofree char *change = change_text (self, object_member (entry, "change"));

  add_heading (card, topic_title (self, topic), "title-3");
  add_label (card, total, "desk-figure");
  if (change != NULL)
    add_label (card, change,
               json_object_get_boolean_member_with_default (object_member (entry, "change"), "significant", FALSE)
                 ? "warning" : "dim-label");
  for (guint i = 0; targets != NULL && i < json_array_get_length (targets); i++)
    {
      JsonObject *target = element_object (targets, i);
      const KuuTarget *known = find_target (self, string_member (target, "id"));

      if (known != NULL && known->goal != NULL && g_strcmp0 (known->goal, id) == 0)
        {
          g_autofree char *text = target_text (self, target);

          add_label (card, text, NULL);
        }
    }
  add_distribution (card, object_member (entry, "total"));
  add_trend (self, card, array_member (entry, "trend"), index_target_for (self, id));
  add_units (self, card, array_member (entry, "units"), min_answers);
  add_statements (self, card, array_member (entry, "statements"), min_answers);
}

static void
clear_figures (KuuDeskResultsPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->figures_box))) != NULL)
    gtk_box_remove (self->figures_box, child);
}

/* Draws the server's answer; what it lacks is left out, never guessed. */
void
_kuu_desk_results_page_show (KuuDeskResultsPage *self,
                             JsonNode           *response)
{
  JsonObject *root = JSON_NODE_HOLDS_OBJECT (response) ? json_node_get_object (response) : NULL;
  JsonObject *rule = object_member (root, "rule");
  JsonArray *topics = array_member (root, "topics");
  JsonArray *targets = array_member (root, "targets");
  JsonObject *functioning = object_member (root, "functioning");
  gboolean personnel = g_strcmp0 (string_member (root, "audience"), "personnel") == 0;
  guint min_answers = count_member (rule, "min_answers");
  GtkBox *card;

  clear_figures (self);
  if (min_answers == 0)
    min_answers = 10;
  for (guint i = 0; topics != NULL && i < json_array_get_length (topics); i++)
    add_topic (self, element_object (topics, i), targets, min_answers);
  if (topics == NULL || json_array_get_length (topics) == 0)
    add_label (self->figures_box, _("No answers in this period."), "dim-label");
  if (personnel || functioning != NULL)
    {
      g_autofree char *text = scale_text (self, functioning, count_member (rule, "min_personnel"));

      card = new_card (self->figures_box);
      add_heading (card, _("Workplace functioning (1–5)"), "title-3");
      add_label (card, text, "desk-figure");
      add_scale_distribution (self, card, functioning);
    }
  if (targets == NULL || json_array_get_length (targets) == 0)
    return;
  card = new_card (self->figures_box);
  add_heading (card, _("The strategy’s targets"), "title-3");
  for (guint i = 0; i < json_array_get_length (targets); i++)
    {
      g_autofree char *text = target_text (self, element_object (targets, i));

      add_label (card, text, NULL);
    }
}
