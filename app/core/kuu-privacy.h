/* kuu-privacy.h: the small-group rule, one for the device, the server and
 * every export
 *
 * A cell (any figure over a group of answers: an index, a distribution,
 * a per-score count, a mean) is shown in full only from
 * KUU_PRIVACY_MIN_ANSWERS answers. Below that, residents' cells give their
 * count and nothing else. Personnel cells under KUU_PRIVACY_MIN_PERSONNEL
 * answers are not given at all, not even their count: a workplace of four
 * is four people a manager knows. docs/privacy.md says why and how the
 * server keeps differencing two filters from revealing them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "kuu-target.h"

G_BEGIN_DECLS

#define KUU_PRIVACY_MIN_ANSWERS   10
#define KUU_PRIVACY_MIN_PERSONNEL  5

typedef enum
{
  KUU_CELL_HIDDEN,      /* nothing, not even the count */
  KUU_CELL_COUNT_ONLY,  /* the number of answers, no figure */
  KUU_CELL_FULL,        /* index, margin, distribution, counts */
} KuuCellVisibility;

KuuCellVisibility  kuu_privacy_cell_visibility (KuuAudience audience,
                                                guint       n_answers);

G_END_DECLS
