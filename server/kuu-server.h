/* kuu-server.h: the reference region server's HTTP side (docs/protocol.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "kuu-server-regions.h"
#include "kuu-server-storage.h"

G_BEGIN_DECLS

#define KUU_TYPE_SERVER (kuu_server_get_type ())

G_DECLARE_FINAL_TYPE (KuuServer, kuu_server, KUU, SERVER, GObject)

/* The server's own limits: SoupServer has none. */
#define KUU_SERVER_MAX_BODY          (1024 * 1024)
#define KUU_SERVER_MAX_BATCH         500
#define KUU_SERVER_INITIATIVES_PAGE  100

/* How far a record's created_at may be from the server's clock, in
 * seconds: ahead, and behind (docs/protocol.md § 4). */
#define KUU_SERVER_MAX_AHEAD   (60 * 60)
#define KUU_SERVER_MAX_BEHIND  (365 * 24 * 60 * 60)

/* Requests a minute. A kiosk syncs a few times a minute at most, even
 * while it empties a long outbox; a client without a valid token gets far
 * fewer tries. */
#define KUU_SERVER_DEFAULT_TOKEN_RATE   600
#define KUU_SERVER_DEFAULT_CLIENT_RATE  60
#define KUU_SERVER_MAX_RATE_KEYS        10000

KuuServer *kuu_server_new             (KuuServerStorage *store,
                                       KuuServerRegions *regions);
void       kuu_server_set_connection_limits (KuuServer  *self,
                                             guint       request_timeout,
                                             guint       per_address);
void       kuu_server_set_rate_limits (KuuServer        *self,
                                       guint             per_token,
                                       guint             per_client,
                                       guint             max_keys);
gboolean   kuu_server_listen          (KuuServer        *self,
                                       const char       *address,
                                       GTlsCertificate  *certificate,
                                       GError          **error);
char      *kuu_server_get_uri         (KuuServer        *self);

G_END_DECLS
