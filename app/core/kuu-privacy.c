/* kuu-privacy.c: the small-group rule (see kuu-privacy.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kuu-privacy.h"

KuuCellVisibility
kuu_privacy_cell_visibility (KuuAudience audience,
                             guint       n_answers)
{
  if (audience == KUU_AUDIENCE_PERSONNEL && n_answers < KUU_PRIVACY_MIN_PERSONNEL)
    return KUU_CELL_HIDDEN;

  if (n_answers < KUU_PRIVACY_MIN_ANSWERS)
    return KUU_CELL_COUNT_ONLY;

  return KUU_CELL_FULL;
}
