/* kuu-server.c
 *
 * Never trusts a client: the body size is checked from the headers before
 * the body is read, every record goes through kuu-wire's validation and
 * then against the region's own ids, and a request without a valid token
 * gets 401 before anything else is looked at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-server.h"
#include "kuu-strategy.h"
#include "kuu-wire.h"

struct _KuuServer
{
  GObject         parent_instance;

  SoupServer     *soup;
  KuuServerStore *store;
  GHashTable     *regions;  /* id → KuuStrategy */
};

G_DEFINE_FINAL_TYPE (KuuServer, kuu_server, G_TYPE_OBJECT)

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *body)
{
  g_autofree char *text = json_to_string (body, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  respond_json (msg, status, body);
}

static void
log_request (SoupServerMessage *msg,
             const char        *device)
{
  g_message ("request method=%s path=%s status=%u device=%s remote=%s",
             soup_server_message_get_method (msg),
             g_uri_get_path (soup_server_message_get_uri (msg)),
             soup_server_message_get_status (msg),
             device != NULL ? device : "-",
             soup_server_message_get_remote_host (msg));
}

/* The body as JSON, or NULL with the response set. */
static JsonNode *
read_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size > KUU_SERVER_MAX_BODY)
    {
      respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", "The body is larger than 1 MiB.");
      return NULL;
    }
  if (!g_utf8_validate (data, size, NULL) || !json_parser_load_from_data (parser, data, size, &error) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_json", "The body is not a JSON object.");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

/* An oversized body is refused from its headers, before it is read. */
static void
on_early_cb (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > KUU_SERVER_MAX_BODY)
    {
      respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", "The body is larger than 1 MiB.");
      log_request (msg, NULL);
    }
}

static void
on_healthz_cb (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  g_autoptr(JsonNode) body = json_from_string ("{\"status\": \"ok\"}", NULL);

  respond_json (msg, SOUP_STATUS_OK, body);
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
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *region = NULL;
  const char *code;

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    {
      respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method", "Use POST.");
      return;
    }
  if (!(request = read_body (msg)))
    return;
  code = kuu_wire_get_string (json_node_get_object (request), "code");
  if (code == NULL || strlen (code) > 64)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "An enrolment needs a code.");
      return;
    }

  if (!kuu_server_store_enrol (self->store, code, &device_id, &token, &region, &error))
    {
      /* A wrong code is the client's mistake, a database error ours. */
      if (g_error_matches (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_CODE_USED))
        {
          respond_error (msg, SOUP_STATUS_CONFLICT, "code_used", error->message);
          g_message ("enrol refused: %s", error->message);
        }
      else
        {
          respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", "The server could not enrol the device.");
          g_warning ("enrol failed: %s", error->message);
        }
      log_request (msg, NULL);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, device_id);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder, region);
  json_builder_end_object (builder);
  response = json_builder_get_root (builder);
  respond_json (msg, SOUP_STATUS_CREATED, response);
  log_request (msg, device_id);
}

/* The device behind the request's bearer token, or NULL with a 401 set. */
static char *
authenticate (KuuServer         *self,
              SoupServerMessage *msg,
              char             **out_region)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  char *device = NULL;

  if (authorization != NULL && g_str_has_prefix (authorization, "Bearer ") && strlen (authorization) < 200)
    device = kuu_server_store_find_device (self->store, authorization + strlen ("Bearer "), out_region);

  if (device == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"kuulolla\"");
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "A valid device token is needed.");
    }
  return device;
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

/* The ids in a record must be the region's own. */
static char *
check_against_region (KuuServer           *self,
                      const char          *device_region,
                      const KuuSubmission *record)
{
  KuuStrategy *strategy;

  if (g_strcmp0 (record->region, device_region) != 0)
    return g_strdup_printf ("region: this device belongs to “%s”", device_region);
  strategy = g_hash_table_lookup (self->regions, record->region);
  if (strategy == NULL)
    return g_strdup_printf ("region: the server has no region “%s”", record->region);
  if (record->has_topic && kuu_strategy_find_topic (strategy, record->topic_kind, record->topic_id) == NULL)
    return g_strdup_printf ("topic.id: no %s “%s” in %s", kuu_topic_kind_to_string (record->topic_kind),
                            record->topic_id, record->region);
  for (guint i = 0; i < record->answers->len; i++)
    {
      const KuuStatementAnswer *answer = &g_array_index (record->answers, KuuStatementAnswer, i);

      if (!has_entry (kuu_strategy_get_statements (strategy), answer->statement_id))
        return g_strdup_printf ("answers[%u].statement: no statement “%s”", i, answer->statement_id);
    }
  if (record->kind == KUU_SUBMISSION_INITIATIVE &&
      !has_entry (kuu_strategy_get_municipalities (strategy), record->municipality))
    return g_strdup_printf ("initiative.municipality: no municipality “%s” in %s",
                            record->municipality, record->region);
  return NULL;
}

static void
add_result (JsonBuilder *builder,
            const char  *uuid,
            const char  *status,
            const char  *reason)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "uuid");
  if (uuid != NULL)
    json_builder_add_string_value (builder, uuid);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  if (reason != NULL)
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, reason);
    }
  json_builder_end_object (builder);
}

/* One record: its result goes into @builder. FALSE when the store failed,
 * and the whole batch must be answered with 500 so the client retries. */
static gboolean
take_record (KuuServer   *self,
             const char  *device,
             const char  *device_region,
             JsonNode    *node,
             JsonBuilder *builder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuSubmission) record = kuu_wire_submission_from_json (node, &error);
  g_autofree char *reason = NULL;
  const char *uuid = NULL;
  KuuRecordOutcome outcome;

  if (JSON_NODE_HOLDS_OBJECT (node))
    uuid = kuu_wire_get_string (json_node_get_object (node), "uuid");
  if (record == NULL)
    {
      add_result (builder, uuid, "rejected", error->message);
      return TRUE;
    }
  if ((reason = check_against_region (self, device_region, record)))
    {
      add_result (builder, record->uuid, "rejected", reason);
      return TRUE;
    }
  if (!kuu_server_store_add_record (self->store, device, record, &outcome, &error))
    {
      g_warning ("storing %s failed: %s", record->uuid, error->message);
      return FALSE;
    }

  add_result (builder, record->uuid,
              outcome == KUU_RECORD_ACCEPTED ? "accepted"
              : outcome == KUU_RECORD_DUPLICATE ? "duplicate" : "rejected",
              outcome == KUU_RECORD_CONFLICT ? "uuid: already stored with different content" : NULL);
  return TRUE;
}

static void
on_submissions_cb (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  KuuServer *self = user_data;
  g_autofree char *device = NULL;
  g_autofree char *device_region = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) response = NULL;
  JsonNode *records;
  JsonArray *array;

  if (!(device = authenticate (self, msg, &device_region)))
    {
      log_request (msg, NULL);
      return;
    }
  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    {
      respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method", "Use POST.");
      return;
    }
  if (!(request = read_body (msg)))
    {
      log_request (msg, device);
      return;
    }

  records = json_object_get_member (json_node_get_object (request), "records");
  if (records == NULL || !JSON_NODE_HOLDS_ARRAY (records))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "A batch is {\"records\": [...]}.");
      log_request (msg, device);
      return;
    }
  array = json_node_get_array (records);
  if (json_array_get_length (array) > KUU_SERVER_MAX_BATCH)
    {
      respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "batch_too_large", "At most 500 records a batch.");
      log_request (msg, device);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (!take_record (self, device, device_region, json_array_get_element (array, i), builder))
        {
          respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", "The server could not store the batch.");
          log_request (msg, device);
          return;
        }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  response = json_builder_get_root (builder);
  respond_json (msg, SOUP_STATUS_OK, response);
  log_request (msg, device);
}

static void
kuu_server_dispose (GObject *object)
{
  KuuServer *self = (KuuServer *)object;

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_pointer (&self->regions, g_hash_table_unref);

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
}

KuuServer *
kuu_server_new (KuuServerStore *store,
                GHashTable     *regions)
{
  KuuServer *self = g_object_new (KUU_TYPE_SERVER, NULL);

  self->store = g_object_ref (store);
  self->regions = g_hash_table_ref (regions);
  return self;
}

/**
 * kuu_server_listen:
 * @address: "host:port"; port 0 takes a free one (see kuu_server_get_uri())
 * @certificate: (nullable): for HTTPS
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

  connectable = g_network_address_parse (address, 0, error);
  if (connectable == NULL)
    return FALSE;
  enumerator = g_socket_connectable_enumerate (connectable);
  socket_address = g_socket_address_enumerator_next (enumerator, NULL, error);
  if (socket_address == NULL)
    return FALSE;

  self->soup = soup_server_new ("server-header", "kuulolla-server", NULL);
  if (certificate != NULL)
    soup_server_set_tls_certificate (self->soup, certificate);
  soup_server_add_early_handler (self->soup, NULL, on_early_cb, self, NULL);
  soup_server_add_handler (self->soup, "/healthz", on_healthz_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/enrol", on_enrol_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/submissions", on_submissions_cb, self, NULL);

  return soup_server_listen (self->soup, socket_address,
                             certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

char *
kuu_server_get_uri (KuuServer *self)
{
  GSList *uris = soup_server_get_uris (self->soup);
  char *text = uris != NULL ? g_uri_to_string (uris->data) : NULL;

  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return text;
}
