/* kuu-nps.c
 *
 * Each answer counts as +1 (promoter), 0 (passive) or −1 (detractor); the
 * index is their mean × 100. Its standard error follows from the variance
 * of that three-valued variable, so the margin is
 *   1.96 × √((p + d − (p − d)²) / (n − 1)) × 100
 * with p and d the shares of promoters and detractors. n − 1 (the sample
 * variance) keeps small samples from looking more certain than they are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kuu-nps.h"

#include <math.h>

#define Z_95 1.959963984540054

/* Below this many answers an index mostly reflects chance: staff see it
 * marked as indicative. */
#define SMALL_SAMPLE 30

void
kuu_nps_counts_add (KuuNpsCounts *counts,
                    guint         score)
{
  g_return_if_fail (counts != NULL);
  g_return_if_fail (score <= 10);

  if (score >= 9)
    counts->promoters++;
  else if (score >= 7)
    counts->passives++;
  else
    counts->detractors++;
}

void
kuu_nps_compute (const KuuNpsCounts *counts,
                 KuuNps             *out_nps)
{
  double n, p, d, variance;

  g_return_if_fail (counts != NULL);
  g_return_if_fail (out_nps != NULL);

  out_nps->total = counts->promoters + counts->passives + counts->detractors;
  out_nps->index = NAN;
  out_nps->margin = NAN;
  if (out_nps->total == 0)
    return;

  n = out_nps->total;
  p = counts->promoters / n;
  d = counts->detractors / n;
  out_nps->index = (p - d) * 100.0;
  if (out_nps->total < 2)
    return;

  variance = (p + d - (p - d) * (p - d)) * n / (n - 1);
  out_nps->margin = Z_95 * sqrt (variance / n) * 100.0;
}

gboolean
kuu_nps_is_small_sample (const KuuNps *nps)
{
  g_return_val_if_fail (nps != NULL, TRUE);

  return nps->total < SMALL_SAMPLE;
}
