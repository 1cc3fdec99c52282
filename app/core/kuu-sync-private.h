/* kuu-sync-private.h: the parsers of the server's answers, for the fuzz
 * targets (fuzz/fuzz-response.c); the app reaches them only through
 * KuuSync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-sync.h"

G_BEGIN_DECLS

GPtrArray    *_kuu_sync_parse_results   (GBytes     *bytes,
                                         GPtrArray  *uuids,
                                         GError    **error);
KuuEnrolment *_kuu_sync_parse_enrolment (GBytes     *bytes,
                                         GError    **error);

G_END_DECLS
