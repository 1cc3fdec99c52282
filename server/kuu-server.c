/* kuu-server.c
 *
 * Never trusts a client: the body size is checked from the headers before
 * the body is read, every record goes through kuu-wire's validation and
 * then against the region's own ids, a request without a valid token gets
 * 401 before anything else is looked at, every query string is checked
 * against the names its path takes, and every client is held to a
 * request rate.
 *
 * Every request is logged as one line on stderr when it finishes: time,
 * method, path (never the query), status, device (or '-'), duration. No
 * token and no contact detail is ever logged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "kuu-json.h"
#include "kuu-server-private.h"
#include "kuu-strategy.h"
#include "kuu-wire.h"

#define STARTED_KEY "kuu-started"
#define DEVICE_KEY  "kuu-device"
#define ADMIN_KEY   "kuu-admin"
#define REMOTE_KEY  "kuu-remote"
#define CHECKED_KEY "kuu-token-checked"  /* the token was looked up from the headers */
#define PRINCIPAL_KEY "kuu-principal"    /* … and found valid: whose it is */

G_DEFINE_FINAL_TYPE (KuuServer, kuu_server, G_TYPE_OBJECT)

void
_kuu_server_respond_json (SoupServerMessage *msg,
                          guint              status,
                          JsonNode          *body)
{
  g_autofree char *text = json_to_string (body, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

void
_kuu_server_respond_error (SoupServerMessage *msg,
                           guint              status,
                           const char        *code,
                           const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  kuu_wire_add_string (builder, "error", code);
  kuu_wire_add_string (builder, "message", message);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  _kuu_server_respond_json (msg, status, body);
}

gboolean
_kuu_server_check_method (SoupServerMessage *msg,
                          const char        *method)
{
  const char *got = soup_server_message_get_method (msg);
  g_autofree char *message = NULL;

  if (g_strcmp0 (got, method) == 0 || (g_strcmp0 (method, "GET") == 0 && g_strcmp0 (got, "HEAD") == 0))
    return TRUE;
  message = g_strdup_printf ("Use %s.", method);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", method);
  _kuu_server_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method", message);
  return FALSE;
}

/* A name or value from the query, percent-decoded ('+' is a space, as in
 * a form); NULL for a broken escape, %00 or text that is not UTF-8. */
static char *
decode_query_part (const char *part,
                   gsize       length)
{
  g_autofree char *plus = g_strndup (part, length);
  g_autofree char *text = NULL;

  g_strdelimit (plus, "+", ' ');
  text = g_uri_unescape_string (plus, NULL);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  return g_steal_pointer (&text);
}

static gboolean
refuse_query (SoupServerMessage *msg,
              const char        *message)
{
  _kuu_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message);
  return FALSE;
}

/* A client's name in a message: never longer than 40 characters. */
static char *
shorten (const char *name)
{
  return g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), 40));
}

/* One "name=value" of the query into @table, or FALSE with the response
 * set. */
static gboolean
add_query_parameter (SoupServerMessage  *msg,
                     const char         *piece,
                     const char * const *allowed,
                     GHashTable         *table)
{
  const char *equals = strchr (piece, '=');
  g_autofree char *name = decode_query_part (piece, equals != NULL ? (gsize)(equals - piece) : strlen (piece));
  g_autofree char *value = equals != NULL ? decode_query_part (equals + 1, strlen (equals + 1)) : g_strdup ("");
  g_autofree char *shown = NULL;
  g_autofree char *message = NULL;

  if (name == NULL || value == NULL)
    return refuse_query (msg, "The query string is not percent-encoded UTF-8.");
  if (*name == '\0')
    return refuse_query (msg, "A query parameter has no name.");
  shown = shorten (name);
  if (allowed == NULL)
    message = g_strdup_printf ("This path takes no query parameters; remove “%s”.", shown);
  else if (!g_strv_contains (allowed, name))
    message = g_strdup_printf ("Unknown parameter “%s”.", shown);
  else if (g_hash_table_contains (table, name))
    message = g_strdup_printf ("The parameter “%s” is given more than once; give it once.", shown);
  if (message != NULL)
    return refuse_query (msg, message);
  g_hash_table_insert (table, g_steal_pointer (&name), g_steal_pointer (&value));
  return TRUE;
}

/**
 * _kuu_server_parse_query:
 * @allowed: (nullable) (array zero-terminated=1): the names this path
 *   takes; %NULL when it takes none
 * @out_query: (out) (transfer full) (optional): name → decoded value
 *
 * Reads the query string as sent. libsoup's own table keeps the last of a
 * repeated parameter: "contacts=1&contacts=0" and "contacts=0&contacts=1"
 * would answer differently, and a proxy or a log may have read the other
 * one. So a repeated, unknown or undecodable parameter is refused, as is
 * any parameter where a path takes none: a client that sends what the
 * server ignores is told, not left to believe it had an effect.
 *
 * Returns: %FALSE with a 400 `bad_request` response set
 */
gboolean
_kuu_server_parse_query (SoupServerMessage   *msg,
                         const char * const  *allowed,
                         GHashTable         **out_query)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = uri != NULL ? g_uri_get_query (uri) : NULL;
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) pieces = NULL;

  if (query != NULL && *query != '\0')
    {
      pieces = g_strsplit (query, "&", 0);
      for (guint i = 0; pieces[i] != NULL; i++)
        if (!add_query_parameter (msg, pieces[i], allowed, table))
          return FALSE;
    }
  if (out_query != NULL)
    *out_query = g_steal_pointer (&table);
  return TRUE;
}

char *
_kuu_server_format_time (gint64 seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

/* The path as sent, but never longer than a line should be and never
 * with a character that could forge another line; "-" for a request too
 * broken to have one. */
static char *
printable_path (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *cut = NULL;

  if (uri == NULL)
    return g_strdup ("-");
  cut = g_strndup (g_uri_get_path (uri), 200);
  return g_strescape (cut, NULL);
}

static void
log_request (SoupServerMessage *msg,
             const char        *outcome)
{
  gint64 *started = g_object_get_data (G_OBJECT (msg), STARTED_KEY);
  const char *device = g_object_get_data (G_OBJECT (msg), DEVICE_KEY);
  const char *admin = g_object_get_data (G_OBJECT (msg), ADMIN_KEY);
  const char *remote = g_object_get_data (G_OBJECT (msg), REMOTE_KEY);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_autofree char *path = printable_path (msg);
  const char *method = soup_server_message_get_method (msg);
  double duration = started != NULL ? (g_get_monotonic_time () - *started) / 1000.0 : 0.0;

  /* %f gives microseconds: milliseconds are enough. */
  time[23] = 'Z';
  time[24] = '\0';
  g_printerr ("%s method=%s path=%s status=%u device=%s%s%s duration_ms=%.1f remote=%s%s\n",
              time, method != NULL ? method : "-", path, soup_server_message_get_status (msg),
              device != NULL ? device : "-", admin != NULL ? " admin=" : "", admin != NULL ? admin : "",
              duration, remote != NULL ? remote : "-", outcome);
}

static void
on_request_started_cb (SoupServer        *soup,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  gint64 *started = g_new (gint64, 1);

  *started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), STARTED_KEY, started, g_free);
  /* One request a connection. libsoup 3.2.2 never closes a kept-alive
   * connection that the client closes while it is idle: its socket, and
   * the file descriptor, stay open for good, and a client that connects
   * and leaves again and again would run the server out of descriptors
   * (found with fuzz/fuzz-request.c; fixed upstream in libsoup 3.3.0). A
   * connection the server closes itself after the answer is freed. A
   * kiosk sends a few requests a minute: a new connection for each costs
   * next to nothing. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

/* The address is read once the headers are in, while the client is surely
 * still connected: asked later, libsoup may only warn that it is gone. */
static void
remember_remote (SoupServerMessage *msg)
{
  g_object_set_data_full (G_OBJECT (msg), REMOTE_KEY,
                          g_strdup (soup_server_message_get_remote_host (msg)), g_free);
}

static void
on_request_finished_cb (SoupServer        *soup,
                        SoupServerMessage *msg,
                        gpointer           user_data)
{
  log_request (msg, "");
}

static void
on_request_aborted_cb (SoupServer        *soup,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  log_request (msg, " aborted");
}

/* The body as JSON, or NULL with the response set. */
static JsonNode *
read_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size > KUU_SERVER_MAX_BODY)
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", "The body is larger than 1 MiB.");
      return NULL;
    }
  /* Strict (kuu-json.c): json-glib recursed once a level, and a body
   * nested 100 000 deep overflowed the stack (on /enrol: without a token). */
  root = kuu_json_parse (data, size, &error);
  if (root == NULL)
    message = g_strdup_printf ("The body is not JSON as RFC 8259 has it (nested at most 64 deep, "
                               "no member name twice, no \\u0000): %s.", error->message);
  else if (!JSON_NODE_HOLDS_OBJECT (root))
    message = g_strdup ("The body is not a JSON object.");
  if (message != NULL)
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_json", message);
      return NULL;
    }
  return g_steal_pointer (&root);
}

/* SoupServer hands a handler every path under its own ("/api/v1/region"
 * gets "/api/v1/regionx" too): only these exact paths exist. */
static const char * const known_paths[] = {
  "/healthz",
  "/api/v1/enrol",
  "/api/v1/submissions",
  "/api/v1/region",
  "/api/v1/initiatives",
  "/api/v1/reports/nps",
  "/api/v1/reports/answers.csv",
  NULL
};

static void
respond_not_found (SoupServerMessage *msg)
{
  _kuu_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "There is nothing at this path.");
}

/* SoupServer reads a body to its end before it answers (unless the client
 * sent Expect: 100-continue): what is beyond the limit is not kept. */
static void
refuse_too_large (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  _kuu_server_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", "The body is larger than 1 MiB.");
}

/* A chunked body has no length up front: it is counted as it comes. */
static void
on_got_chunk_cb (SoupServerMessage *msg,
                 GBytes            *chunk,
                 gpointer           user_data)
{
  if (soup_server_message_get_status (msg) == 0 &&
      soup_server_message_get_request_body (msg)->length > KUU_SERVER_MAX_BODY)
    refuse_too_large (msg);
}

static void check_token (KuuServer         *self,
                         SoupServerMessage *msg);

/* An unknown path, or a body too large by its Content-Length, is refused
 * from the headers. */
static void
on_early_cb (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  remember_remote (msg);
  if (!g_strv_contains (known_paths, path))
    respond_not_found (msg);
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
           soup_message_headers_get_content_length (headers) > KUU_SERVER_MAX_BODY)
    refuse_too_large (msg);
  else
    {
      g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk_cb), NULL);
      check_token (user_data, msg);
    }
}

static void
on_not_found_cb (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  respond_not_found (msg);
}

static void
on_healthz_cb (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  g_autoptr(JsonNode) body = NULL;

  if (!_kuu_server_check_method (msg, "GET") || !_kuu_server_parse_query (msg, NULL, NULL))
    return;
  body = json_from_string ("{\"status\": \"ok\"}", NULL);
  _kuu_server_respond_json (msg, SOUP_STATUS_OK, body);
}

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
static gboolean
take_client (KuuServer         *self,
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
static gboolean
client_is_blocked (KuuServer         *self,
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

static KuuPrincipal *
find_principal (KuuServer         *self,
                SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_list (headers, "Authorization");
  const char *token = bearer_token (authorization);

  if (token == NULL)
    return NULL;
  return kuu_server_store_authenticate (self->store, token);
}

/* The token is looked up as soon as the headers are in, so that a valid
 * client's connection is kept from then on while its body comes, whatever
 * others at its address do (kuu-connection-guard.c); the handler uses
 * what was found. */
static void
check_token (KuuServer         *self,
             SoupServerMessage *msg)
{
  KuuPrincipal *principal;

  g_object_set_data (G_OBJECT (msg), CHECKED_KEY, GINT_TO_POINTER (TRUE));
  if (!(principal = find_principal (self, msg)))
    return;
  g_object_set_data_full (G_OBJECT (msg), PRINCIPAL_KEY, principal, (GDestroyNotify)kuu_principal_free);
  kuu_connection_guard_trust (self->guard, msg);
}

static void
remember_principal (SoupServerMessage  *msg,
                    const KuuPrincipal *principal)
{
  g_object_set_data_full (G_OBJECT (msg), principal->role == KUU_ROLE_DEVICE ? DEVICE_KEY : ADMIN_KEY,
                          g_strdup (principal->id), g_free);
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
  principal = g_object_get_data (G_OBJECT (msg), CHECKED_KEY) != NULL
              ? g_object_steal_data (G_OBJECT (msg), PRINCIPAL_KEY)
              : find_principal (self, msg);
  if (principal == NULL)
    {
      if (take_client (self, msg))
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "WWW-Authenticate", "Bearer realm=\"kuulolla\"");
          _kuu_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "A valid token is needed.");
        }
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

static void
respond_enrolled (SoupServerMessage *msg,
                  const char        *device_id,
                  const char        *token,
                  const char        *region)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;

  json_builder_begin_object (builder);
  kuu_wire_add_string (builder, "device_id", device_id);
  kuu_wire_add_string (builder, "token", token);
  kuu_wire_add_string (builder, "region", region);
  json_builder_end_object (builder);
  response = json_builder_get_root (builder);
  _kuu_server_respond_json (msg, SOUP_STATUS_CREATED, response);
}

static void
on_enrol_cb (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  KuuServer *self = user_data;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *region = NULL;
  const char *code;

  /* Every try counts against the address: codes cannot be guessed fast. */
  if (client_is_blocked (self, msg) || !take_client (self, msg) || !_kuu_server_check_method (msg, "POST") ||
      !_kuu_server_parse_query (msg, NULL, NULL) || !(request = read_body (msg)))
    return;
  code = kuu_wire_get_string (json_node_get_object (request), "code");
  if (code == NULL || strlen (code) > 64)
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "An enrolment needs a code.");
      return;
    }

  if (!kuu_server_store_enrol (self->store, code, &device_id, &token, &region, &error))
    {
      /* A wrong code is the client's mistake, a database error ours. */
      if (g_error_matches (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_CODE_USED))
        _kuu_server_respond_error (msg, SOUP_STATUS_CONFLICT, "code_used", error->message);
      else
        {
          _kuu_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                     "The server could not enrol the device.");
          g_warning ("enrol failed: %s", error->message);
        }
      return;
    }

  g_object_set_data_full (G_OBJECT (msg), DEVICE_KEY, g_strdup (device_id), g_free);
  respond_enrolled (msg, device_id, token, region);
}

static gboolean
has_entry (GPtrArray  *entries,
           const char *id)
{
  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (((KuuEntry *)g_ptr_array_index (entries, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

/* A stolen token must not file records for any date it likes (issue
 * 14): a record is at most an hour ahead of the server's clock (a kiosk
 * whose clock drifts a little) and at most a year behind it (a kiosk
 * that was offline for months). */
static char *
check_created_at (const KuuSubmission *record)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (record->created_at > now + KUU_SERVER_MAX_AHEAD)
    return g_strdup ("created_at: more than an hour ahead of the server's clock; check the kiosk's clock");
  if (record->created_at < now - KUU_SERVER_MAX_BEHIND)
    return g_strdup ("created_at: more than 365 days ago; the server takes no older records");
  return NULL;
}

/* The ids in a record must be the region's own. The unit is not checked
 * here: the server stores the one the device was enrolled for. */
static char *
check_against_region (KuuServer           *self,
                      const char          *device_region,
                      const KuuSubmission *record)
{
  KuuStrategy *strategy;
  char *reason;

  if ((reason = check_created_at (record)))
    return reason;
  if (g_strcmp0 (record->region, device_region) != 0)
    return g_strdup_printf ("region: this device belongs to “%s”", device_region);
  strategy = kuu_server_regions_get_strategy (self->regions, record->region);
  if (strategy == NULL)
    return g_strdup_printf ("region: the server has no region “%s”", record->region);
  if (record->has_topic && kuu_strategy_find_topic (strategy, record->topic_kind, record->topic_id) == NULL)
    return g_strdup_printf ("topic.id: no %s “%s” in %s", kuu_topic_kind_to_string (record->topic_kind),
                            record->topic_id, record->region);
  for (guint i = 0; i < record->answers->len; i++)
    {
      const KuuStatementAnswer *answer = &g_array_index (record->answers, KuuStatementAnswer, i);

      /* The personnel survey's 1–5 question is no resident statement. */
      if (record->audience == KUU_AUDIENCE_PERSONNEL &&
          g_strcmp0 (answer->statement_id, KUU_STATEMENT_FUNCTIONING) == 0)
        continue;
      if (!has_entry (kuu_strategy_get_statements (strategy), answer->statement_id))
        return g_strdup_printf ("answers[%u].statement: no statement “%s”", i, answer->statement_id);
    }
  if (record->kind == KUU_SUBMISSION_INITIATIVE &&
      !has_entry (kuu_strategy_get_municipalities (strategy), record->municipality))
    return g_strdup_printf ("initiative.municipality: no municipality “%s” in %s",
                            record->municipality, record->region);
  return NULL;
}

/* Every text here came in a body checked as UTF-8, or is the server's
 * own: should one still not be, it goes as null rather than break the
 * answer. */
static void
append_text (GString    *out,
             const char *value)
{
  if (!kuu_wire_append_string (out, value))
    g_string_append (out, "null");
}

static void
add_result (GString    *out,
            const char *uuid,
            const char *status,
            const char *reason)
{
  g_string_append (out, "{\"uuid\":");
  append_text (out, uuid);
  g_string_append (out, ",\"status\":");
  append_text (out, status);
  if (reason != NULL)
    {
      g_string_append (out, ",\"reason\":");
      append_text (out, reason);
    }
  g_string_append_c (out, '}');
}

/* One record of a batch as read: valid and the region's own (@record
 * set, to be stored), or refused at once (@reason). */
typedef struct
{
  char          *uuid;    /* (nullable): as sent, for the answer */
  KuuSubmission *record;  /* (nullable) (unowned): in Pending.valid */
  char          *reason;  /* (nullable) */
} Slot;

/* A batch between its request and the answer: the writer thread stores
 * the valid records while the request waits, paused. */
typedef struct
{
  KuuServer         *server;
  SoupServerMessage *msg;
  GArray            *slots;  /* Slot, one a record, in the request's order */
  GPtrArray         *valid;  /* KuuSubmission, the ones to store */
} Pending;

static void
slot_clear (Slot *slot)
{
  g_free (slot->uuid);
  g_free (slot->reason);
}

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->server);
  g_object_unref (pending->msg);
  g_array_unref (pending->slots);
  g_ptr_array_unref (pending->valid);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

/* Reads and checks one record: either to be stored, or refused now. */
static void
check_record (KuuServer  *self,
              const char *device_region,
              JsonNode   *node,
              Pending    *pending)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuSubmission) record = kuu_wire_submission_from_json (node, &error);
  Slot slot = { NULL, NULL, NULL };

  if (JSON_NODE_HOLDS_OBJECT (node))
    slot.uuid = g_strdup (kuu_wire_get_string (json_node_get_object (node), "uuid"));
  if (record == NULL)
    slot.reason = g_strdup (error->message);
  else if (!(slot.reason = check_against_region (self, device_region, record)))
    {
      slot.record = record;
      g_ptr_array_add (pending->valid, g_steal_pointer (&record));
    }
  g_array_append_val (pending->slots, slot);
}

static const char *
outcome_to_status (KuuRecordOutcome outcome)
{
  return outcome == KUU_RECORD_ACCEPTED ? "accepted"
         : outcome == KUU_RECORD_DUPLICATE ? "duplicate" : "rejected";
}

/* One result a record, in the request's order; written straight to text
 * (a json-glib tree for 500 results cost more than storing them). */
static void
respond_results (Pending *pending,
                 GArray  *outcomes)
{
  g_autoptr(GString) out = g_string_sized_new (64 + pending->slots->len * 80);
  guint stored = 0;
  gsize size;

  g_string_append (out, "{\"results\":[");
  for (guint i = 0; i < pending->slots->len; i++)
    {
      const Slot *slot = &g_array_index (pending->slots, Slot, i);
      KuuRecordOutcome outcome;

      if (i > 0)
        g_string_append_c (out, ',');
      if (slot->record == NULL)
        {
          add_result (out, slot->uuid, "rejected", slot->reason);
          continue;
        }
      outcome = g_array_index (outcomes, KuuRecordOutcome, stored++);
      add_result (out, slot->record->uuid, outcome_to_status (outcome),
                  outcome == KUU_RECORD_CONFLICT ? "uuid: already stored with different content" : NULL);
    }
  g_string_append (out, "]}");

  size = out->len;
  soup_server_message_set_status (pending->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (pending->msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (g_steal_pointer (&out), FALSE), size);
}

/* The batch's records, or NULL with the response set. */
static JsonArray *
get_records (SoupServerMessage *msg,
             JsonNode          *request)
{
  JsonNode *records = json_object_get_member (json_node_get_object (request), "records");
  JsonArray *array;

  if (records == NULL || !JSON_NODE_HOLDS_ARRAY (records))
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "A batch is {\"records\": [...]}.");
      return NULL;
    }
  array = json_node_get_array (records);
  if (json_array_get_length (array) > KUU_SERVER_MAX_BATCH)
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "batch_too_large",
                                 "At most 500 records a batch.");
      return NULL;
    }
  return array;
}

/* The batch is committed, or failed: the request gets its answer now. */
static void
on_batch_stored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) outcomes = kuu_server_writer_store_finish (pending->server->writer, result, &error);

  /* The whole batch is stored and acknowledged together, or not at all
   * (the client sends it again). */
  if (outcomes == NULL)
    {
      g_warning ("storing a batch failed: %s", error->message);
      _kuu_server_respond_error (pending->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                 "The server could not store the batch.");
    }
  else
    respond_results (pending, outcomes);
  soup_server_message_unpause (pending->msg);
}

static void
on_submissions_cb (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  KuuServer *self = user_data;
  g_autoptr(KuuPrincipal) device = NULL;
  g_autoptr(JsonNode) request = NULL;
  JsonArray *array;
  Pending *pending;

  if (!(device = _kuu_server_authorize (self, msg, KUU_ALLOW_DEVICE)) ||
      !_kuu_server_check_method (msg, "POST") ||
      !_kuu_server_parse_query (msg, NULL, NULL) ||
      !(request = read_body (msg)) ||
      !(array = get_records (msg, request)))
    return;

  pending = g_new0 (Pending, 1);
  pending->server = g_object_ref (self);
  pending->msg = g_object_ref (msg);
  pending->slots = g_array_sized_new (FALSE, FALSE, sizeof (Slot), json_array_get_length (array));
  g_array_set_clear_func (pending->slots, (GDestroyNotify)slot_clear);
  pending->valid = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_submission_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    check_record (self, device->region, json_array_get_element (array, i), pending);

  /* Nothing to store: a batch refused whole does not queue for the
   * writer behind the kiosks that have something to store. */
  if (pending->valid->len == 0)
    {
      g_autoptr(Pending) refused = pending;

      respond_results (refused, NULL);
      return;
    }

  soup_server_message_pause (msg);
  kuu_server_writer_store_async (self->writer, device->id, pending->valid, on_batch_stored_cb, pending);
}

/* If-None-Match is a list of ETags or "*"; a weak one (W/) matches too,
 * as RFC 9110 has it for GET. */
static gboolean
etag_matches (const char *if_none_match,
              const char *etag)
{
  g_auto(GStrv) tags = NULL;

  if (if_none_match == NULL)
    return FALSE;
  tags = g_strsplit (if_none_match, ",", 64);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_strcmp0 (tag, "*") == 0 || g_strcmp0 (tag, etag) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
on_region_cb (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  KuuServer *self = user_data;
  g_autoptr(KuuPrincipal) device = NULL;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *etag = NULL;
  GBytes *bytes;

  if (!(device = _kuu_server_authorize (self, msg, KUU_ALLOW_DEVICE)) || !_kuu_server_check_method (msg, "GET") ||
      !_kuu_server_parse_query (msg, NULL, NULL))
    return;
  if (!(bytes = kuu_server_regions_get_file (self->regions, device->region, &etag)))
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "no_region",
                                 "This server does not serve the device's region.");
      return;
    }

  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  if (etag_matches (soup_message_headers_get_one (request_headers, "If-None-Match"), etag))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
kuu_server_dispose (GObject *object)
{
  KuuServer *self = (KuuServer *)object;

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->socket);
  g_clear_object (&self->writer);
  g_clear_object (&self->store);
  g_clear_object (&self->regions);
  g_clear_object (&self->token_limit);
  g_clear_object (&self->client_limit);
  g_clear_object (&self->guard);

  G_OBJECT_CLASS (kuu_server_parent_class)->dispose (object);
}

static void
kuu_server_class_init (KuuServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kuu_server_dispose;
}

static void
kuu_server_init (KuuServer *self)
{
  kuu_server_set_rate_limits (self, KUU_SERVER_DEFAULT_TOKEN_RATE, KUU_SERVER_DEFAULT_CLIENT_RATE,
                              KUU_SERVER_MAX_RATE_KEYS);
  self->guard = kuu_connection_guard_new (KUU_CONNECTION_GUARD_DEFAULT_TIMEOUT,
                                          KUU_CONNECTION_GUARD_DEFAULT_PER_ADDRESS);
}

/**
 * kuu_server_set_connection_limits:
 * @request_timeout: seconds a client has to send a whole request, the
 *   wait on a kept-alive connection included
 * @per_address: connections one address (an IPv6 /64) may hold at once
 *
 * Call before kuu_server_listen().
 */
void
kuu_server_set_connection_limits (KuuServer *self,
                                  guint      request_timeout,
                                  guint      per_address)
{
  g_return_if_fail (KUU_IS_SERVER (self));
  g_return_if_fail (self->soup == NULL);

  g_clear_object (&self->guard);
  self->guard = kuu_connection_guard_new (request_timeout, per_address);
}

KuuServer *
kuu_server_new (KuuServerStore   *store,
                KuuServerRegions *regions)
{
  KuuServer *self = g_object_new (KUU_TYPE_SERVER, NULL);

  self->store = g_object_ref (store);
  self->regions = g_object_ref (regions);
  return self;
}

/**
 * kuu_server_set_rate_limits:
 * @per_token: requests a minute for each device or admin token
 * @per_client: requests a minute for each client address that shows no
 *   valid token (enrolment, a wrong, unknown or revoked token)
 * @max_keys: how many tokens and how many addresses are remembered, each
 */
void
kuu_server_set_rate_limits (KuuServer *self,
                            guint      per_token,
                            guint      per_client,
                            guint      max_keys)
{
  g_return_if_fail (KUU_IS_SERVER (self));
  g_return_if_fail (per_token > 0 && per_client > 0 && max_keys > 0);

  g_clear_object (&self->token_limit);
  g_clear_object (&self->client_limit);
  self->token_limit = kuu_rate_limit_new (per_token, max_keys);
  self->client_limit = kuu_rate_limit_new (per_client, max_keys);
}

static void
add_handlers (KuuServer *self)
{
  /* SoupServer runs only the early handler of the most specific path. */
  soup_server_add_early_handler (self->soup, NULL, on_early_cb, self, NULL);
  for (guint i = 0; known_paths[i] != NULL; i++)
    soup_server_add_early_handler (self->soup, known_paths[i], on_early_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_not_found_cb, self, NULL);
  soup_server_add_handler (self->soup, "/healthz", on_healthz_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/enrol", on_enrol_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/submissions", on_submissions_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/region", on_region_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/initiatives", _kuu_server_on_initiatives_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/reports/nps", _kuu_server_on_nps_report_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/reports/answers.csv", _kuu_server_on_answers_csv_cb, self, NULL);

  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_aborted_cb), self);
}

/* SoupServer listens with GSocket's backlog of 10 pending connections:
 * when more kiosks than that connect at the same moment (all of a region's
 * after a network outage; 50 in bench/bench-ingest) the kernel drops the
 * rest, and they see their connection reset or wait seconds for a
 * retransmitted SYN. The kernel caps the backlog at net.core.somaxconn. */
static GSocket *
listening_socket (GSocketAddress  *address,
                  GError         **error)
{
  g_autoptr(GSocket) socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);

  if (socket == NULL)
    return NULL;
  g_socket_set_listen_backlog (socket, KUU_SERVER_LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

/**
 * kuu_server_listen:
 * @address: "host:port"; port 0 takes a free one (see kuu_server_get_uri())
 * @certificate: (nullable): for HTTPS; without it the server speaks plain
 *   HTTP, for a TLS proxy in front of it or for tests
 */
gboolean
kuu_server_listen (KuuServer        *self,
                   const char       *address,
                   GTlsCertificate  *certificate,
                   GError          **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocket) socket = NULL;

  connectable = g_network_address_parse (address, 0, error);
  if (connectable == NULL)
    return FALSE;
  enumerator = g_socket_connectable_enumerate (connectable);
  socket_address = g_socket_address_enumerator_next (enumerator, NULL, error);
  if (socket_address == NULL)
    return FALSE;

  if (!(socket = listening_socket (socket_address, error)))
    return FALSE;
  if (self->writer == NULL && !(self->writer = kuu_server_writer_new (self->store, error)))
    return FALSE;

  self->soup = soup_server_new ("server-header", "kuulolla-server", NULL);
  kuu_connection_guard_attach (self->guard, self->soup);
  add_handlers (self);
  self->socket = g_object_ref (socket);
  self->https = certificate != NULL;

  /* Over TLS the guard accepts: libsoup 3.2 would show it a connection
   * only after its handshake, however long that takes. */
  if (certificate != NULL)
    return kuu_connection_guard_listen_tls (self->guard, self->soup, socket, certificate, error);
  return soup_server_listen_socket (self->soup, socket, 0, error);
}

char *
kuu_server_get_uri (KuuServer *self)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *host = NULL;
  GInetSocketAddress *inet;

  /* Not soup_server_get_uris(): libsoup 3.2 leaks the local address it
   * takes of each listener (a LeakSanitizer report at every exit); and
   * over TLS libsoup does not listen itself. */
  if (self->socket == NULL)
    return NULL;
  address = g_socket_get_local_address (self->socket, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;
  inet = G_INET_SOCKET_ADDRESS (address);
  host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
  return g_uri_join (G_URI_FLAGS_NONE, self->https ? "https" : "http",
                     NULL, host, g_inet_socket_address_get_port (inet), "/", NULL, NULL);
}
