/* bench-percentile.c: the percentiles every benchmark reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-percentile.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* Nearest rank over doubles; sorts @values. */
double
bench_percentile (GArray *values,
                  double  p)
{
  if (values->len == 0)
    return 0.0;
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, (guint)(p * (values->len - 1) + 0.5));
}
