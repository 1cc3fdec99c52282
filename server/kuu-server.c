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
 * This file holds the object, its listening socket, the handlers run on
 * every request (early checks, logging) and the small endpoints; the
 * token and rate checks are in kuu-server-auth.c, the query checker in
 * kuu-server-query.c, enrolment and batches in kuu-server-enrol.c and
 * kuu-server-submissions.c, the rest in kuu-server-<endpoint>.c.
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
  gint64 *started = g_object_get_data (G_OBJECT (msg), KUU_MSG_STARTED_KEY);
  const char *device = g_object_get_data (G_OBJECT (msg), KUU_MSG_DEVICE_KEY);
  const char *admin = g_object_get_data (G_OBJECT (msg), KUU_MSG_ADMIN_KEY);
  const char *remote = g_object_get_data (G_OBJECT (msg), KUU_MSG_REMOTE_KEY);
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
  g_object_set_data_full (G_OBJECT (msg), KUU_MSG_STARTED_KEY, started, g_free);
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
  g_object_set_data_full (G_OBJECT (msg), KUU_MSG_REMOTE_KEY,
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
JsonNode *
_kuu_server_read_body (SoupServerMessage *msg)
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
  "/api/v1/staff/sign-in",
  "/api/v1/staff/me",
  "/api/v1/staff/sign-out",
  "/api/v1/results",
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
      _kuu_server_check_token (user_data, msg);
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
kuu_server_new (KuuServerStorage *store,
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
  soup_server_add_handler (self->soup, "/api/v1/enrol", _kuu_server_on_enrol_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/submissions", _kuu_server_on_submissions_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/region", on_region_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/initiatives", _kuu_server_on_initiatives_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/reports/nps", _kuu_server_on_nps_report_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/reports/answers.csv", _kuu_server_on_answers_csv_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/staff/sign-in", _kuu_server_on_staff_sign_in_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/staff/me", _kuu_server_on_staff_me_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/staff/sign-out", _kuu_server_on_staff_sign_out_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/results", _kuu_server_on_results_cb, self, NULL);

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

