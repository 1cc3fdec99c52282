/* kuu-tls.c: the TLS policy of both ends, the kiosk and the server
 *
 * glib-networking's GnuTLS backend has no API for the protocol versions
 * or ciphers: it reads a GnuTLS priority string from
 * G_TLS_GNUTLS_PRIORITY when it makes its first TLS connection. So each
 * program sets it first thing in main(), while no other thread can read
 * the environment; an operator's own value is kept (and the server says
 * so at start).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-tls.h"

/**
 * kuu_tls_use_policy:
 *
 * Puts %KUU_TLS_PRIORITY in force for this process, unless
 * G_TLS_GNUTLS_PRIORITY is set already. Call it before anything makes a
 * TLS connection.
 *
 * Returns: whether the policy in force is Kuulolla's own
 */
gboolean
kuu_tls_use_policy (void)
{
  g_setenv ("G_TLS_GNUTLS_PRIORITY", KUU_TLS_PRIORITY, FALSE);
  return g_strcmp0 (g_getenv ("G_TLS_GNUTLS_PRIORITY"), KUU_TLS_PRIORITY) == 0;
}
