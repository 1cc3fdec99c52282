/* kuu-fuzz-server.h: the reference server in-process, for the batch and
 * request targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The region the fuzz device is enrolled for: the corpora's records are
 * Kainuu's. */
#define KUU_FUZZ_REGION "kainuu"

GBytes     *kuu_fuzz_server_exchange         (const guint8 *request,
                                              gsize         size,
                                              gboolean      placeholders);
const char *kuu_fuzz_server_get_device_token (void);

G_END_DECLS
