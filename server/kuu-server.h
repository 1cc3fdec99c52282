/* kuu-server.h: the reference region server's HTTP side (docs/protocol.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "kuu-server-store.h"

G_BEGIN_DECLS

#define KUU_TYPE_SERVER (kuu_server_get_type ())

G_DECLARE_FINAL_TYPE (KuuServer, kuu_server, KUU, SERVER, GObject)

/* The server's own limits: SoupServer has none. */
#define KUU_SERVER_MAX_BODY    (1024 * 1024)
#define KUU_SERVER_MAX_BATCH   500

KuuServer *kuu_server_new     (KuuServerStore  *store,
                               GHashTable      *regions);
gboolean   kuu_server_listen  (KuuServer       *self,
                               const char      *address,
                               GTlsCertificate *certificate,
                               GError         **error);
char      *kuu_server_get_uri (KuuServer       *self);

G_END_DECLS
