/* kuu-server-auth.c
 *
 * Who sent a request and how often: the bearer token from the
 * Authorization header (looked up as soon as the headers are in, so that
 * a valid client's connection is trusted while its body comes), the role
 * an endpoint allows, and the rate limits — per token once one is valid,
 * per client address before. No token is ever logged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kuu-server-private.h"

/* A client's address as a rate-limit key: its /64 for IPv6. */
static char *
client_key (SoupServerMessage *msg)
{
  return kuu_connection_guard_address_key (soup_server_message_get_remote_address (msg));
}

static void
respond_too_many (SoupServerMessage *msg,
                  guint              retry_after)
{
  g_autofree char *seconds = g_strdup_printf ("%u", retry_after);
  g_autofree char *message = g_strdup_printf ("Too many requests; try again in %u s.", retry_after);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
  _kuu_server_respond_error (msg, KUU_STATUS_TOO_MANY_REQUESTS, "too_many_requests", message);
}

/* A request that shows no valid token counts against its address. */
gboolean
_kuu_server_take_client (KuuServer         *self,
                         SoupServerMessage *msg)
{
  g_autofree char *key = client_key (msg);
  guint retry_after = 0;

  if (kuu_rate_limit_take (self->client_limit, key, &retry_after))
    return TRUE;
  respond_too_many (msg, retry_after);
  return FALSE;
}

/* While an address has used up its tries, nothing it sends is looked at,
 * not even a token: guessing cannot go on at the rate of a valid client. */
gboolean
_kuu_server_client_is_blocked (KuuServer         *self,
                               SoupServerMessage *msg)
{
  g_autofree char *key = client_key (msg);
  guint retry_after = 0;

  if (!kuu_rate_limit_is_exhausted (self->client_limit, key, &retry_after))
    return FALSE;
  respond_too_many (msg, retry_after);
  return TRUE;
}

/* token68 (RFC 9110 § 11.2): what a bearer token may be made of. */
static gboolean
is_token68 (const char *text)
{
  const char *p = text;

  while (g_ascii_isalnum (*p) || (*p != '\0' && strchr ("-._~+/", *p) != NULL))
    p++;
  if (p == text)
    return FALSE;
  while (*p == '=')
    p++;
  return *p == '\0';
}

/* The token of "Bearer <token>", or NULL. The scheme is case-insensitive
 * and may be followed by several spaces (RFC 9110 § 11.4); two
 * Authorization headers come joined by a comma, which no token68 holds,
 * and are refused. */
static const char *
bearer_token (const char *authorization)
{
  const char *token;

  if (authorization == NULL || strlen (authorization) > 200 ||
      g_ascii_strncasecmp (authorization, "Bearer", strlen ("Bearer")) != 0 ||
      authorization[strlen ("Bearer")] != ' ')
    return NULL;
  for (token = authorization + strlen ("Bearer"); *token == ' '; token++)
    ;
  return is_token68 (token) ? token : NULL;
}

/**
 * _kuu_server_bearer_token:
 *
 * Returns: (transfer none) (nullable): the request's bearer token, as
 *   sent, or %NULL when it has none a token could be
 */
const char *
_kuu_server_bearer_token (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  return bearer_token (soup_message_headers_get_list (headers, "Authorization"));
}

static KuuPrincipal *
find_principal (KuuServer         *self,
                SoupServerMessage *msg)
{
  const char *token = _kuu_server_bearer_token (msg);

  if (token == NULL)
    return NULL;
  return kuu_server_storage_authenticate (self->store, token);
}

/* The token is looked up as soon as the headers are in, so that a valid
 * client's connection is kept from then on while its body comes, whatever
 * others at its address do (kuu-connection-guard.c); the handler uses
 * what was found. */
void
_kuu_server_check_token (KuuServer         *self,
                         SoupServerMessage *msg)
{
  KuuPrincipal *principal;

  g_object_set_data (G_OBJECT (msg), KUU_MSG_CHECKED_KEY, GINT_TO_POINTER (TRUE));
  if (!(principal = find_principal (self, msg)))
    return;
  g_object_set_data_full (G_OBJECT (msg), KUU_MSG_PRINCIPAL_KEY, principal, (GDestroyNotify)kuu_principal_free);
  kuu_connection_guard_trust (self->guard, msg);
}

static void
remember_principal (SoupServerMessage  *msg,
                    const KuuPrincipal *principal)
{
  g_object_set_data_full (G_OBJECT (msg), principal->role == KUU_ROLE_DEVICE ? KUU_MSG_DEVICE_KEY : KUU_MSG_ADMIN_KEY,
                          g_strdup (principal->id), g_free);
}

/* A staff token signed out or of a revoked account is told apart from an
 * unknown one, so that the desk can say to ask IT for a new code; the
 * look-up costs the address a try, as every request without a valid
 * token does. */
static void
respond_unauthorized (KuuServer         *self,
                      SoupServerMessage *msg)
{
  const char *token = _kuu_server_bearer_token (msg);

  if (!_kuu_server_take_client (self, msg))
    return;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer realm=\"kuulolla\"");
  if (token != NULL && kuu_server_storage_token_is_revoked (self->store, token))
    _kuu_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "revoked",
                               "This sign-in has ended (signed out or revoked); ask IT for a new sign-in code.");
  else
    _kuu_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "A valid token is needed.");
}

/* Every audit line a request leaves: who, from which address. */
void
_kuu_server_audit (KuuServer          *self,
                   SoupServerMessage  *msg,
                   const KuuPrincipal *principal,
                   const char         *action,
                   const char         *subject,
                   const char         *detail)
{
  g_autoptr(GError) error = NULL;
  KuuAuditEntry entry = {
    .action = (char *)action,
    .subject = (char *)subject,
    .detail = (char *)detail,
    .staff_id = principal != NULL ? principal->id : NULL,
    .staff_name = principal != NULL ? principal->name : NULL,
    .address = (char *)soup_server_message_get_remote_host (msg),
  };

  if (!kuu_server_storage_add_audit (self->store, &entry, &error))
    g_warning ("the audit line of %s could not be written: %s", action, error->message);
}

/**
 * _kuu_server_authorize:
 * @allow: the roles that may make this request
 *
 * Returns: (transfer full) (nullable): who sent the request, or %NULL
 *   with the response set: 401 without a valid token, 403 for a role not
 *   in @allow, 429 beyond the rate
 */
KuuPrincipal *
_kuu_server_authorize (KuuServer         *self,
                       SoupServerMessage *msg,
                       KuuAllow           allow)
{
  g_autoptr(KuuPrincipal) principal = NULL;
  guint retry_after = 0;

  /* A valid token goes on its own budget even while its address has used
   * up the one for requests without: many kiosks share a NAT, and one
   * client there must not stop the others. A token has 256 bits: being
   * answered on a guess at any rate does not make guessing one useful. */
  principal = g_object_get_data (G_OBJECT (msg), KUU_MSG_CHECKED_KEY) != NULL
              ? g_object_steal_data (G_OBJECT (msg), KUU_MSG_PRINCIPAL_KEY)
              : find_principal (self, msg);
  if (principal == NULL)
    {
      respond_unauthorized (self, msg);
      return NULL;
    }

  remember_principal (msg, principal);
  if (!kuu_rate_limit_take (self->token_limit, principal->id, &retry_after))
    {
      respond_too_many (msg, retry_after);
      return NULL;
    }
  if (!(allow & (1 << principal->role)))
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                 principal->role == KUU_ROLE_DEVICE
                                 ? "A device token cannot do this; an administrator's token is needed."
                                 : "This token's role cannot do this.");
      return NULL;
    }
  return g_steal_pointer (&principal);
}
