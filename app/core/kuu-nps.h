/* kuu-nps.h: the recommendation index and its margin of error
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fewer answers than this and the index is not shown: with two answers,
 * the second person could work out what the first one gave. */
#define KUU_MIN_ANSWERS_FOR_RESULT 10

typedef struct
{
  guint  promoters;   /* 9–10 */
  guint  passives;    /* 7–8 */
  guint  detractors;  /* 0–6 */
} KuuNpsCounts;

typedef struct
{
  guint   total;
  double  index;   /* -100…100; NAN when there are no answers */
  double  margin;  /* half-width of the 95 % confidence interval, in index points; NAN when total < 2 */
} KuuNps;

void      kuu_nps_counts_add  (KuuNpsCounts       *counts,
                               guint               score);
void      kuu_nps_compute     (const KuuNpsCounts *counts,
                               KuuNps             *out_nps);
gboolean  kuu_nps_is_small_sample (const KuuNps   *nps);

G_END_DECLS
