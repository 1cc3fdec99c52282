/* kuu-rate-limit.h: token buckets by key (a device, a client address)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KUU_TYPE_RATE_LIMIT (kuu_rate_limit_get_type ())

G_DECLARE_FINAL_TYPE (KuuRateLimit, kuu_rate_limit, KUU, RATE_LIMIT, GObject)

KuuRateLimit *kuu_rate_limit_new         (guint         per_minute,
                                          guint         max_keys);
gboolean      kuu_rate_limit_take        (KuuRateLimit *self,
                                          const char   *key,
                                          guint        *out_retry_after);
gboolean      kuu_rate_limit_is_exhausted (KuuRateLimit *self,
                                          const char   *key,
                                          guint        *out_retry_after);
guint         kuu_rate_limit_get_n_keys  (KuuRateLimit *self);

G_END_DECLS
