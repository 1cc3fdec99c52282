/* kuu-tls.h: the TLS policy of both ends, the kiosk and the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TLS 1.2 or 1.3, forward-secret key exchange and AEAD ciphers only (no
 * CBC, no SHA-1 MACs, no RSA key transport), a server's order first.
 * GnuTLS's own default (Debian 12) also completes TLS 1.0 and 1.1
 * handshakes. */
#define KUU_TLS_PRIORITY "NORMAL:%SERVER_PRECEDENCE:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:" \
                         "-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:" \
                         "-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA"

gboolean kuu_tls_use_policy (void);

G_END_DECLS
