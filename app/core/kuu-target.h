/* kuu-target.h: a measurable target the region's strategy states
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-text.h"

G_BEGIN_DECLS

typedef enum
{
  KUU_METRIC_NPS,          /* residents' recommendation index, -100…100 */
  KUU_METRIC_ENPS,         /* personnel's recommendation index, -100…100 */
  KUU_METRIC_SHARE_AGREE,  /* per cent answering 4–5 to a statement, 0…100 */
  KUU_METRIC_MEAN,         /* mean of a 1–5 question */
} KuuMetric;

typedef enum
{
  KUU_AUDIENCE_RESIDENTS,
  KUU_AUDIENCE_PERSONNEL,
} KuuAudience;

typedef enum
{
  KUU_COMPARISON_GT,
  KUU_COMPARISON_GE,
} KuuComparison;

#define KUU_TYPE_TARGET (kuu_target_get_type ())

typedef struct _KuuTarget
{
  char          *id;
  KuuMetric      metric;
  KuuAudience    audience;
  KuuComparison  comparison;
  double         value;
  char          *statement;  /* for KUU_METRIC_SHARE_AGREE */
  char          *question;   /* for a personnel KUU_METRIC_MEAN */
  char          *goal;       /* may be NULL */
  KuuText       *label;
} KuuTarget;

GType       kuu_target_get_type (void) G_GNUC_CONST;
KuuTarget  *kuu_target_copy     (const KuuTarget *self);
void        kuu_target_free     (KuuTarget       *self);
gboolean    kuu_target_is_met   (const KuuTarget *self,
                                 double           measured);

gboolean    kuu_metric_from_string     (const char  *name,
                                        KuuMetric   *out_metric);
void        kuu_metric_get_scale       (KuuMetric    metric,
                                        double      *out_min,
                                        double      *out_max);
const char *kuu_metric_to_string       (KuuMetric    metric);
gboolean    kuu_audience_from_string   (const char  *name,
                                        KuuAudience *out_audience);
const char *kuu_audience_to_string     (KuuAudience  audience);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuTarget, kuu_target_free)

G_END_DECLS
