/* kuu-connection-guard.h: bounds on how long a client may take to send a
 * request and on how many connections one address may hold
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define KUU_CONNECTION_GUARD_DEFAULT_TIMEOUT     60   /* seconds to send a request */
#define KUU_CONNECTION_GUARD_DEFAULT_PER_ADDRESS 256  /* many kiosks may share a NAT */

#define KUU_TYPE_CONNECTION_GUARD (kuu_connection_guard_get_type ())

G_DECLARE_FINAL_TYPE (KuuConnectionGuard, kuu_connection_guard, KUU, CONNECTION_GUARD, GObject)

KuuConnectionGuard *kuu_connection_guard_new          (guint               request_timeout,
                                                       guint               max_per_address);
void                kuu_connection_guard_attach       (KuuConnectionGuard *self,
                                                       SoupServer         *server);
gboolean            kuu_connection_guard_listen_tls   (KuuConnectionGuard *self,
                                                       SoupServer         *server,
                                                       GSocket            *socket,
                                                       GTlsCertificate    *certificate,
                                                       GError            **error);
void                kuu_connection_guard_trust        (KuuConnectionGuard *self,
                                                       SoupServerMessage  *msg);
guint               kuu_connection_guard_count        (KuuConnectionGuard *self,
                                                       const char         *address_key);
char               *kuu_connection_guard_address_key  (GSocketAddress     *address);

G_END_DECLS
