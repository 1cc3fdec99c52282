/* kuu-trend-chart.c
 *
 * The index from −100 to +100 for each period, left to right, joined by a
 * line; a period without answers leaves a gap rather than a made-up
 * value, and one with fewer answers than a result needs is drawn as a
 * hollow point. The target is a dashed line with its label written on
 * it. Each point carries its value as text, so the chart reads without
 * colour; the page sets the accessible description with the figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "kuu-nps.h"
#include "kuu-trend-chart.h"

#define LEFT_PAD 52
#define RIGHT_PAD 16
#define TOP_PAD 16
#define BOTTOM_PAD 46  /* two lines: the month and its year */

typedef struct
{
  char   *label;
  double  index;   /* NAN: no answers */
  guint   answers;
} Point;

struct _KuuTrendChart
{
  GtkWidget  parent_instance;

  GArray    *points;
  double     target;        /* NAN: none */
  char      *target_label;
};

G_DEFINE_FINAL_TYPE (KuuTrendChart, kuu_trend_chart, GTK_TYPE_WIDGET)

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

static char *
signed_text (double value)
{
  long rounded = lround (value);

  if (rounded > 0)
    return g_strdup_printf ("+%ld", rounded);
  if (rounded < 0)
    return g_strdup_printf ("−%ld", -rounded);
  return g_strdup ("0");
}

static void
draw_text (GtkWidget     *widget,
           GtkSnapshot   *snapshot,
           const char    *text,
           double         x,
           double         y,
           double         xalign,
           double         yalign,
           const GdkRGBA *colour)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - xalign * width, y - yalign * height));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

/* --- layout: where each thing is drawn, for the drawing and the tests --- */

static double
plot_height (GtkWidget *widget)
{
  return gtk_widget_get_height (widget) - TOP_PAD - BOTTOM_PAD;
}

static double
y_of (GtkWidget *widget,
      double     value)
{
  return TOP_PAD + plot_height (widget) * (100.0 - value) / 200.0;
}

static double
x_of (KuuTrendChart *self,
      guint          i)
{
  double plot_w = gtk_widget_get_width (GTK_WIDGET (self)) - LEFT_PAD - RIGHT_PAD;
  double slot = self->points->len > 0 ? plot_w / self->points->len : plot_w;

  return LEFT_PAD + slot * i + slot / 2;
}

static void
text_size (GtkWidget  *widget,
           const char *text,
           double     *width,
           double     *height)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  *width = w;
  *height = h;
}

/* A point's marker and its value written beside it (below the point
 * when it is near the top). */
static gboolean
point_box (KuuTrendChart   *self,
           guint            i,
           graphene_rect_t *out)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const Point *p = &g_array_index (self->points, Point, i);
  g_autofree char *value = NULL;
  double x, y, w, h;
  graphene_rect_t marker;

  if (isnan (p->index))
    return FALSE;
  value = signed_text (p->index);
  text_size (widget, value, &w, &h);
  x = x_of (self, i);
  y = y_of (widget, p->index);
  graphene_rect_init (&marker, x - 8, y - 8, 16, 16);
  if (p->index > 80)
    graphene_rect_init (out, x - w / 2, y + 10, w, h);
  else
    graphene_rect_init (out, x - w / 2, y - 10 - h, w, h);
  graphene_rect_union (out, &marker, out);
  return TRUE;
}

static gboolean
hits_a_point (KuuTrendChart         *self,
              const graphene_rect_t *box)
{
  for (guint i = 0; i < self->points->len; i++)
    {
      graphene_rect_t point;

      if (point_box (self, i, &point) && graphene_rect_intersection (box, &point, NULL))
        return TRUE;
    }
  return FALSE;
}

/* The target's label sits on its dashed line, at the right end above it
 * unless a point or its value is there; then below it, then at the left
 * end. It was drawn over a data point before. */
static gboolean
target_label_box (KuuTrendChart   *self,
                  graphene_rect_t *out)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double width = gtk_widget_get_width (widget);
  double w, h, line;
  graphene_rect_t candidates[4];

  if (isnan (self->target) || self->target_label == NULL)
    return FALSE;
  text_size (widget, self->target_label, &w, &h);
  line = y_of (widget, self->target);
  graphene_rect_init (&candidates[0], width - RIGHT_PAD - 4 - w, line - 4 - h, w, h);
  graphene_rect_init (&candidates[1], width - RIGHT_PAD - 4 - w, line + 4, w, h);
  graphene_rect_init (&candidates[2], LEFT_PAD + 4, line - 4 - h, w, h);
  graphene_rect_init (&candidates[3], LEFT_PAD + 4, line + 4, w, h);
  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    if (!hits_a_point (self, &candidates[c]))
      {
        *out = candidates[c];
        return TRUE;
      }
  *out = candidates[0];
  return TRUE;
}

static void
kuu_trend_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  KuuTrendChart *self = KUU_TREND_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double plot_w = width - LEFT_PAD - RIGHT_PAD;
  double plot_h = height - TOP_PAD - BOTTOM_PAD;
  gboolean high_contrast = is_high_contrast (widget);
  guint n = self->points->len;
  double slot = n > 0 ? plot_w / n : plot_w;
  GdkRGBA fg, grid, line, target_colour;
  gboolean pen_down = FALSE;
  graphene_rect_t label_box;
  cairo_t *cr;

#define Y_OF(v) (TOP_PAD + plot_h * (100.0 - (v)) / 200.0)
#define X_OF(i) (LEFT_PAD + slot * (i) + slot / 2)

  if (plot_w < 10 || plot_h < 10)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  grid = fg;
  grid.alpha = high_contrast ? 0.6 : 0.2;
  gdk_rgba_parse (&line, high_contrast ? "#ffffff" : "#1c71d8");
  gdk_rgba_parse (&target_colour, high_contrast ? "#ffd24d" : "#a51d2d");

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* the grid: −100, −50, 0, +50, +100; zero stronger */
  for (int v = -100; v <= 100; v += 50)
    {
      gdk_cairo_set_source_rgba (cr, v == 0 ? &fg : &grid);
      cairo_set_line_width (cr, v == 0 ? 1.5 : 1);
      cairo_move_to (cr, LEFT_PAD, round (Y_OF (v)) + 0.5);
      cairo_line_to (cr, width - RIGHT_PAD, round (Y_OF (v)) + 0.5);
      cairo_stroke (cr);
    }

  if (!isnan (self->target))
    {
      static const double dash[] = { 10, 6 };

      gdk_cairo_set_source_rgba (cr, &target_colour);
      cairo_set_line_width (cr, high_contrast ? 4 : 2.5);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_move_to (cr, LEFT_PAD, Y_OF (self->target));
      cairo_line_to (cr, width - RIGHT_PAD, Y_OF (self->target));
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  /* the line, broken where a period has no answers */
  gdk_cairo_set_source_rgba (cr, &line);
  cairo_set_line_width (cr, high_contrast ? 4 : 3);
  for (guint i = 0; i < n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if (isnan (p->index))
        {
          pen_down = FALSE;
          continue;
        }
      if (pen_down)
        cairo_line_to (cr, X_OF (i), Y_OF (p->index));
      else
        cairo_move_to (cr, X_OF (i), Y_OF (p->index));
      pen_down = TRUE;
    }
  cairo_stroke (cr);

  /* the points: filled when the figure is reliable, hollow when not */
  for (guint i = 0; i < n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if (isnan (p->index))
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, X_OF (i), Y_OF (p->index), 6, 0, 2 * G_PI);
      if (p->answers >= KUU_MIN_ANSWERS_FOR_RESULT)
        {
          gdk_cairo_set_source_rgba (cr, &line);
          cairo_fill_preserve (cr);
        }
      else
        {
          GdkRGBA bg = high_contrast ? (GdkRGBA) { 0, 0, 0, 1 } : (GdkRGBA) { 1, 1, 1, 1 };

          gdk_cairo_set_source_rgba (cr, &bg);
          cairo_fill_preserve (cr);
        }
      gdk_cairo_set_source_rgba (cr, high_contrast ? &fg : &line);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);

  for (int v = -100; v <= 100; v += 50)
    {
      g_autofree char *text = signed_text (v);

      draw_text (widget, snapshot, text, LEFT_PAD - 8, Y_OF (v), 1, 0.5, &fg);
    }
  for (guint i = 0; i < n; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      draw_text (widget, snapshot, p->label, X_OF (i), height - BOTTOM_PAD + 6, 0.5, 0, &fg);
      if (!isnan (p->index))
        {
          g_autofree char *value = signed_text (p->index);

          /* below the point when it is near the top */
          if (p->index > 80)
            draw_text (widget, snapshot, value, X_OF (i), Y_OF (p->index) + 10, 0.5, 0, &fg);
          else
            draw_text (widget, snapshot, value, X_OF (i), Y_OF (p->index) - 10, 0.5, 1, &fg);
        }
    }
  if (target_label_box (self, &label_box))
    draw_text (widget, snapshot, self->target_label, label_box.origin.x, label_box.origin.y,
               0, 0, &target_colour);

#undef X_OF
#undef Y_OF
}

static void
kuu_trend_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 320;
      *natural = 560;
    }
  else
    {
      *minimum = 220;
      *natural = 260;
    }
}

static void
clear_point (Point *point)
{
  g_free (point->label);
}

static void
kuu_trend_chart_finalize (GObject *object)
{
  KuuTrendChart *self = (KuuTrendChart *)object;

  g_array_unref (self->points);
  g_free (self->target_label);

  G_OBJECT_CLASS (kuu_trend_chart_parent_class)->finalize (object);
}

static void
kuu_trend_chart_class_init (KuuTrendChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = kuu_trend_chart_finalize;
  widget_class->snapshot = kuu_trend_chart_snapshot;
  widget_class->measure = kuu_trend_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "trendchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
kuu_trend_chart_init (KuuTrendChart *self)
{
  self->points = g_array_new (FALSE, TRUE, sizeof (Point));
  g_array_set_clear_func (self->points, (GDestroyNotify)clear_point);
  self->target = NAN;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Recommendation index over time"),
                                  -1);
}

GtkWidget *
kuu_trend_chart_new (void)
{
  return g_object_new (KUU_TYPE_TREND_CHART, NULL);
}

void
kuu_trend_chart_clear (KuuTrendChart *self)
{
  g_return_if_fail (KUU_IS_TREND_CHART (self));

  g_array_set_size (self->points, 0);
  self->target = NAN;
  g_clear_pointer (&self->target_label, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * kuu_trend_chart_add_point:
 * @index: the index of the period, or NAN when it has no answers
 */
void
kuu_trend_chart_add_point (KuuTrendChart *self,
                           const char    *label,
                           double         index,
                           guint          answers)
{
  Point point = { g_strdup (label), index, answers };

  g_return_if_fail (KUU_IS_TREND_CHART (self));

  g_array_append_val (self->points, point);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * kuu_trend_chart_set_target:
 * @value: the target, −100…100, or NAN for none
 * @label: (nullable): written on the line
 */
void
kuu_trend_chart_set_target (KuuTrendChart *self,
                            double         value,
                            const char    *label)
{
  g_return_if_fail (KUU_IS_TREND_CHART (self));

  self->target = value;
  g_free (self->target_label);
  self->target_label = g_strdup (label);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
kuu_trend_chart_get_n_points (KuuTrendChart *self)
{
  g_return_val_if_fail (KUU_IS_TREND_CHART (self), 0);

  return self->points->len;
}

/**
 * kuu_trend_chart_get_target_label_box:
 * @out: (out): where the target's label is drawn, at the chart's present size
 *
 * For the tests. Returns: %FALSE when there is no target.
 */
gboolean
kuu_trend_chart_get_target_label_box (KuuTrendChart   *self,
                                      graphene_rect_t *out)
{
  g_return_val_if_fail (KUU_IS_TREND_CHART (self), FALSE);

  return target_label_box (self, out);
}

/**
 * kuu_trend_chart_get_point_box:
 * @i: the point, from 0
 * @out: (out): its marker and its value as drawn
 *
 * For the tests. Returns: %FALSE for a gap (a period without a figure).
 */
gboolean
kuu_trend_chart_get_point_box (KuuTrendChart   *self,
                               guint            i,
                               graphene_rect_t *out)
{
  g_return_val_if_fail (KUU_IS_TREND_CHART (self), FALSE);
  g_return_val_if_fail (i < self->points->len, FALSE);

  return point_box (self, i, out);
}
