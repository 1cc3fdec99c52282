/* kuu-target.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kuu-target.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (KuuTarget, kuu_target, kuu_target_copy, kuu_target_free)

static const struct {
  const char *name;
  double min;
  double max;
} metrics[] = {
  [KUU_METRIC_NPS] = { "nps", -100, 100 },
  [KUU_METRIC_ENPS] = { "enps", -100, 100 },
  [KUU_METRIC_SHARE_AGREE] = { "share_agree", 0, 100 },
  [KUU_METRIC_MEAN] = { "mean", 1, 5 },
};

static const char * const audiences[] = {
  [KUU_AUDIENCE_RESIDENTS] = "residents",
  [KUU_AUDIENCE_PERSONNEL] = "personnel",
};

KuuTarget *
kuu_target_copy (const KuuTarget *self)
{
  KuuTarget *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->id = g_strdup (self->id);
  copy->statement = g_strdup (self->statement);
  copy->question = g_strdup (self->question);
  copy->goal = g_strdup (self->goal);
  copy->label = self->label ? kuu_text_copy (self->label) : NULL;

  return copy;
}

void
kuu_target_free (KuuTarget *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->statement);
  g_free (self->question);
  g_free (self->goal);
  g_clear_pointer (&self->label, kuu_text_free);
  g_free (self);
}

gboolean
kuu_target_is_met (const KuuTarget *self,
                   double           measured)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->comparison == KUU_COMPARISON_GT)
    return measured > self->value;
  return measured >= self->value;
}

gboolean
kuu_metric_from_string (const char *name,
                        KuuMetric  *out_metric)
{
  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      if (g_strcmp0 (name, metrics[i].name) == 0)
        {
          *out_metric = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
kuu_metric_to_string (KuuMetric metric)
{
  g_return_val_if_fail (metric < G_N_ELEMENTS (metrics), NULL);

  return metrics[metric].name;
}

void
kuu_metric_get_scale (KuuMetric  metric,
                      double    *out_min,
                      double    *out_max)
{
  g_return_if_fail (metric < G_N_ELEMENTS (metrics));

  *out_min = metrics[metric].min;
  *out_max = metrics[metric].max;
}

gboolean
kuu_audience_from_string (const char  *name,
                          KuuAudience *out_audience)
{
  for (guint i = 0; i < G_N_ELEMENTS (audiences); i++)
    {
      if (g_strcmp0 (name, audiences[i]) == 0)
        {
          *out_audience = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
kuu_audience_to_string (KuuAudience audience)
{
  g_return_val_if_fail (audience < G_N_ELEMENTS (audiences), NULL);

  return audiences[audience];
}
