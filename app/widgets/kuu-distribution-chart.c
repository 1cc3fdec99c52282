/* kuu-distribution-chart.c
 *
 * Eleven bars, one a score. Colour alone must not carry the meaning (a
 * colour-blind reader, a grey-scale print, high contrast): detractors'
 * bars are hatched, passives' dotted, promoters' solid, each bar has its
 * count above it and its score below, and a bracket under each group
 * names it. In high contrast every bar gets a strong outline in the text
 * colour. The figures themselves are in the accessible description, set
 * by the page, and in its visible list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kuu-distribution-chart.h"

#define N_SCORES 11
#define TOP_PAD 26      /* the counts above the bars */
#define BOTTOM_PAD 76   /* the scores and the group names, on up to two lines */
#define BAR_GAP 6

struct _KuuDistributionChart
{
  GtkWidget parent_instance;

  guint     scores[N_SCORES];
};

G_DEFINE_FINAL_TYPE (KuuDistributionChart, kuu_distribution_chart, GTK_TYPE_WIDGET)

typedef enum { DETRACTOR, PASSIVE, PROMOTER } Group;

static Group
group_of (guint score)
{
  return score >= 9 ? PROMOTER : score >= 7 ? PASSIVE : DETRACTOR;
}

static const char * const group_names[] = {
  /* Translators: the group of 0–6 answers under the distribution chart */
  N_("Detractors 0–6"),
  /* Translators: the group of 7–8 answers; wrapped under its two bars if it is wider */
  N_("Passives 7–8"),
  /* Translators: the group of 9–10 answers; wrapped under its two bars if it is wider */
  N_("Promoters 9–10"),
};
static const guint group_first[] = { 0, 7, 9 }, group_last[] = { 6, 8, 10 };

/* High contrast: the window's own switch, or a high-contrast theme. */
static gboolean
is_high_contrast (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *theme = NULL;

  if (root != NULL && gtk_widget_has_css_class (GTK_WIDGET (root), "high-contrast"))
    return TRUE;
  g_object_get (gtk_widget_get_settings (widget), "gtk-theme-name", &theme, NULL);
  return theme != NULL && strstr (theme, "HighContrast") != NULL;
}

static void
group_colour (Group     group,
              gboolean  high_contrast,
              GdkRGBA  *out)
{
  /* GNOME palette; brighter ones on the black of high contrast. */
  static const char * const normal[] = { "#c01c28", "#c88800", "#26a269" };
  static const char * const bright[] = { "#ff7b7b", "#ffd24d", "#57e389" };

  gdk_rgba_parse (out, (high_contrast ? bright : normal)[group]);
}

static void
pattern (cairo_t *cr,
         Group    group,
         double   x,
         double   y,
         double   w,
         double   h,
         const GdkRGBA *ink)
{
  if (group == PROMOTER || h < 1)
    return;

  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, ink);
  if (group == DETRACTOR)
    {
      /* diagonal hatching */
      cairo_set_line_width (cr, 2);
      for (double d = -h; d < w; d += 8)
        {
          cairo_move_to (cr, x + d, y + h);
          cairo_line_to (cr, x + d + h, y);
        }
      cairo_stroke (cr);
    }
  else
    {
      /* dots */
      for (double dy = y + h - 5; dy > y; dy -= 8)
        for (double dx = x + 4; dx < x + w; dx += 8)
          {
            cairo_new_sub_path (cr);
            cairo_arc (cr, dx, dy, 1.6, 0, 2 * G_PI);
          }
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

static void
draw_text (GtkWidget   *widget,
           GtkSnapshot *snapshot,
           const char  *text,
           double       centre_x,
           double       top,
           gboolean     bold,
           const GdkRGBA *colour)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  int width, height;

  if (bold)
    {
      g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>", text);
      pango_layout_set_markup (layout, markup, -1);
    }
  else
    pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (centre_x - width / 2.0, top));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

/* A group's name fits under its bracket: the names of the two-bar groups
 * are wider than their bars in Finnish at 1280 px (“Passiiviset
 * 7–8Suosittelijat 9–10” ran together), so each wraps within its own
 * span, centred, and the spans never overlap. */
static PangoLayout *
group_label_layout (GtkWidget *widget,
                    guint      group)
{
  double slot = gtk_widget_get_width (widget) / (double)N_SCORES;
  double span = (group_last[group] - group_first[group] + 1) * slot - BAR_GAP;
  /* “9–10” is one thing: joined, the name wraps before it, not after the dash */
  g_auto(GStrv) parts = g_strsplit (_(group_names[group]), "–", -1);
  g_autofree char *joined = g_strjoinv ("\u2060–\u2060", parts);
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, joined);

  pango_layout_set_width (layout, (int)MAX (span, 1) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  return layout;
}

/* Where @layout is drawn (its top left), under the bracket. */
static graphene_point_t
group_label_origin (GtkWidget *widget,
                    guint      group)
{
  double slot = gtk_widget_get_width (widget) / (double)N_SCORES;
  double base = gtk_widget_get_height (widget) - BOTTOM_PAD;

  return GRAPHENE_POINT_INIT (group_first[group] * slot + BAR_GAP / 2.0, base + 30);
}

static void
kuu_distribution_chart_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  KuuDistributionChart *self = KUU_DISTRIBUTION_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  gboolean high_contrast = is_high_contrast (widget);
  double slot = width / N_SCORES;
  double bar_w = slot - BAR_GAP;
  double base = height - BOTTOM_PAD;
  double plot_h = base - TOP_PAD;
  guint max = 0;
  GdkRGBA fg;
  cairo_t *cr;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  if (width < 1 || plot_h < 1)
    return;
  for (guint s = 0; s < N_SCORES; s++)
    max = MAX (max, self->scores[s]);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  for (guint s = 0; s < N_SCORES; s++)
    {
      Group group = group_of (s);
      double h = max > 0 ? plot_h * self->scores[s] / max : 0;
      double x = s * slot + BAR_GAP / 2.0;
      double y = base - h;
      GdkRGBA fill, ink;

      group_colour (group, high_contrast, &fill);
      gdk_cairo_set_source_rgba (cr, &fill);
      cairo_rectangle (cr, x, y, bar_w, h);
      cairo_fill (cr);

      /* The pattern in black on the colour: dark enough on all three. */
      ink = (GdkRGBA) { 0, 0, 0, high_contrast ? 0.9 : 0.55 };
      pattern (cr, group, x, y, bar_w, h, &ink);

      if (h >= 1)
        {
          gdk_cairo_set_source_rgba (cr, &fg);
          cairo_set_line_width (cr, high_contrast ? 3 : 1);
          cairo_rectangle (cr, x + 0.5, y + 0.5, bar_w - 1, h - 1);
          cairo_stroke (cr);
        }
    }

  /* the base line and a bracket under each group */
  gdk_cairo_set_source_rgba (cr, &fg);
  cairo_set_line_width (cr, high_contrast ? 3 : 1.5);
  cairo_move_to (cr, 0, base + 0.5);
  cairo_line_to (cr, width, base + 0.5);
  cairo_stroke (cr);
  for (guint g = 0; g < 3; g++)
    {
      double x0 = group_first[g] * slot + BAR_GAP;
      double x1 = (group_last[g] + 1) * slot - BAR_GAP;
      double y = base + 26;

      cairo_move_to (cr, x0, y - 4);
      cairo_line_to (cr, x0, y);
      cairo_line_to (cr, x1, y);
      cairo_line_to (cr, x1, y - 4);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);

  for (guint s = 0; s < N_SCORES; s++)
    {
      g_autofree char *count = g_strdup_printf ("%u", self->scores[s]);
      g_autofree char *score = g_strdup_printf ("%u", s);
      double h = max > 0 ? plot_h * self->scores[s] / max : 0;
      double centre = s * slot + slot / 2;

      draw_text (widget, snapshot, count, centre, base - h - 20, FALSE, &fg);
      draw_text (widget, snapshot, score, centre, base + 4, TRUE, &fg);
    }
  for (guint g = 0; g < 3; g++)
    {
      g_autoptr(PangoLayout) layout = group_label_layout (widget, g);
      graphene_point_t origin = group_label_origin (widget, g);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &origin);
      gtk_snapshot_append_layout (snapshot, layout, &fg);
      gtk_snapshot_restore (snapshot);
    }
}

static void
kuu_distribution_chart_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = N_SCORES * 30;
      *natural = N_SCORES * 52;
    }
  else
    {
      *minimum = 200;
      *natural = 260;
    }
}

static void
kuu_distribution_chart_class_init (KuuDistributionChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = kuu_distribution_chart_snapshot;
  widget_class->measure = kuu_distribution_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "distributionchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
kuu_distribution_chart_init (KuuDistributionChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Distribution of the answers 0–10"),
                                  -1);
}

GtkWidget *
kuu_distribution_chart_new (void)
{
  return g_object_new (KUU_TYPE_DISTRIBUTION_CHART, NULL);
}

/**
 * kuu_distribution_chart_set_scores:
 * @scores: (array fixed-size=11): the answers of each score 0…10
 */
void
kuu_distribution_chart_set_scores (KuuDistributionChart *self,
                                   const guint          *scores)
{
  g_return_if_fail (KUU_IS_DISTRIBUTION_CHART (self));

  if (scores != NULL)
    memcpy (self->scores, scores, sizeof self->scores);
  else
    memset (self->scores, 0, sizeof self->scores);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
kuu_distribution_chart_get_count (KuuDistributionChart *self,
                                  guint                 score)
{
  g_return_val_if_fail (KUU_IS_DISTRIBUTION_CHART (self), 0);
  g_return_val_if_fail (score < N_SCORES, 0);

  return self->scores[score];
}

/**
 * kuu_distribution_chart_get_group_label_box:
 * @group: 0 for detractors, 1 passives, 2 promoters
 * @out: (out): where the group's name is drawn, in the chart's
 *   coordinates, as laid out at its present size
 *
 * For the tests: that the names never run into each other.
 */
void
kuu_distribution_chart_get_group_label_box (KuuDistributionChart *self,
                                            guint                 group,
                                            graphene_rect_t      *out)
{
  g_autoptr(PangoLayout) layout = NULL;
  graphene_point_t origin;
  PangoRectangle ink;

  g_return_if_fail (KUU_IS_DISTRIBUTION_CHART (self));
  g_return_if_fail (group < G_N_ELEMENTS (group_names));

  layout = group_label_layout (GTK_WIDGET (self), group);
  origin = group_label_origin (GTK_WIDGET (self), group);
  pango_layout_get_pixel_extents (layout, &ink, NULL);
  graphene_rect_init (out, origin.x + ink.x, origin.y + ink.y, ink.width, ink.height);
}
