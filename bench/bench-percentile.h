/* bench-percentile.h: the percentiles every benchmark reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double bench_percentile (GArray *values,
                         double  p);

G_END_DECLS
