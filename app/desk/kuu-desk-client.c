/* kuu-desk-client.c: the region desk's conversation with the server
 *
 * Staff sign in with a one-time code and get a bearer token; with it they
 * read the region's aggregates and download its answers as CSV
 * (docs/protocol.md, "Staff"). Every exchange is libsoup's async API on
 * the main loop; what comes back is parsed in a worker thread with the
 * strict reader (kuu-json), so a large answer never stalls a frame. Each
 * failure becomes a KUU_DESK_ERROR whose message says what to do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "kuu-desk-client.h"
#include "kuu-json.h"

struct _KuuDeskClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *server_url;  /* without a trailing slash */
  char        *token;       /* NULL until signed in; wiped when replaced */
};

/* One request and what came back, handed to the worker thread. */
typedef struct
{
  SoupMessage *message;
  GBytes      *body;
  guint        status;
  guint        retry_after;
} Exchange;

/* Larger answers than this are not the protocol (the whole region's
 * results are a few hundred kilobytes). */
#define MAX_JSON_BYTES (16 * 1024 * 1024)
#define TIMEOUT_SECONDS 30

G_DEFINE_FINAL_TYPE (KuuDeskClient, kuu_desk_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (kuu-desk-error-quark, kuu_desk_error)

static void
exchange_free (Exchange *exchange)
{
  g_clear_object (&exchange->message);
  g_clear_pointer (&exchange->body, g_bytes_unref);
  g_free (exchange);
}

static void
wipe_string (char **string)
{
  if (*string != NULL)
    memset (*string, 0, strlen (*string));
  g_clear_pointer (string, g_free);
}

/* Without the token: it stays where it is. */
KuuDeskStaff *
kuu_desk_staff_copy (const KuuDeskStaff *staff)
{
  KuuDeskStaff *copy = g_new0 (KuuDeskStaff, 1);

  copy->id = g_strdup (staff->id);
  copy->name = g_strdup (staff->name);
  copy->role = g_strdup (staff->role);
  copy->region = g_strdup (staff->region);
  return copy;
}

void
kuu_desk_staff_free (KuuDeskStaff *staff)
{
  if (staff == NULL)
    return;
  g_free (staff->id);
  g_free (staff->name);
  g_free (staff->role);
  g_free (staff->region);
  wipe_string (&staff->token);
  g_free (staff);
}

static SoupMessage *
new_message (KuuDeskClient *self,
             const char    *method,
             const char    *path_and_query)
{
  g_autofree char *url = g_strconcat (self->server_url, path_and_query, NULL);
  SoupMessage *message = soup_message_new (method, url);
  g_autofree char *bearer = NULL;

  if (message == NULL)
    return NULL;
  if (self->token != NULL)
    {
      bearer = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
      memset (bearer, 0, strlen (bearer));
    }
  return message;
}

/* The server's "error" (or "message") member, if its body is JSON with one. */
static char *
error_member_of (GBytes     *body,
                 const char *member)
{
  g_autoptr(JsonNode) node = NULL;
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  JsonObject *object;

  if (data == NULL || size == 0 || size > 65536)
    return NULL;
  node = kuu_json_parse (data, size, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  if (!json_object_has_member (object, member) ||
      json_node_get_value_type (json_object_get_member (object, member)) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_object_get_string_member (object, member));
}

/* What a refusal means to the person at the desk. */
static GError *
error_for_status (guint   status,
                  GBytes *body,
                  guint   retry_after)
{
  g_autofree char *code = error_member_of (body, "error");
  g_autofree char *detail = NULL;

  if (status == SOUP_STATUS_BAD_REQUEST && g_strcmp0 (code, "bad_code") == 0)
    return g_error_new_literal (KUU_DESK_ERROR, KUU_DESK_ERROR_BAD_CODE,
                                _("The server did not accept the code: it is wrong, already used or expired. "
                                  "Check it, or ask the region’s IT for a new one."));
  if (status == SOUP_STATUS_UNAUTHORIZED && g_strcmp0 (code, "revoked") == 0)
    return g_error_new_literal (KUU_DESK_ERROR, KUU_DESK_ERROR_REVOKED,
                                _("Your sign-in is no longer valid: it was revoked or signed out. "
                                  "Sign in again with a new code from the region’s IT."));
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return g_error_new_literal (KUU_DESK_ERROR, KUU_DESK_ERROR_UNAUTHORIZED,
                                _("The server does not know this sign-in. "
                                  "Sign in again with a new code from the region’s IT."));
  if (status == SOUP_STATUS_FORBIDDEN)
    return g_error_new_literal (KUU_DESK_ERROR, KUU_DESK_ERROR_FORBIDDEN,
                                _("Your role does not allow this. Ask the region’s IT if you need it."));
  if (status == 429)
    return g_error_new (KUU_DESK_ERROR, KUU_DESK_ERROR_RATE_LIMITED,
                        ngettext ("Too many tries. Wait %u second, then try again.",
                                  "Too many tries. Wait %u seconds, then try again.", MAX (retry_after, 1)),
                        MAX (retry_after, 1));
  /* The server's own words are English: they go in as the detail. */
  if (status == SOUP_STATUS_BAD_REQUEST && g_strcmp0 (code, "bad_request") == 0 &&
      (detail = error_member_of (body, "message")) != NULL)
    return g_error_new (KUU_DESK_ERROR, KUU_DESK_ERROR_SERVER,
                        _("The server did not take these filters (%s). Choose other dates or filters."),
                        detail);
  return g_error_new (KUU_DESK_ERROR, KUU_DESK_ERROR_SERVER,
                      _("The server answered with an error (HTTP %u%s%s). Try again later; "
                        "if it goes on, tell the region’s IT."),
                      status, code ? ", " : "", code ? code : "");
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Exchange *exchange = task_data;
  gsize size = 0;
  const char *data = exchange->body ? g_bytes_get_data (exchange->body, &size) : NULL;
  GError *error = NULL;
  JsonNode *node;

  if (!SOUP_STATUS_IS_SUCCESSFUL (exchange->status))
    {
      g_task_return_error (task, error_for_status (exchange->status, exchange->body, exchange->retry_after));
      return;
    }
  if (exchange->status == SOUP_STATUS_NO_CONTENT || size == 0)
    {
      g_task_return_pointer (task, json_node_new (JSON_NODE_NULL), (GDestroyNotify)json_node_unref);
      return;
    }
  node = size <= MAX_JSON_BYTES ? kuu_json_parse (data, size, &error) : NULL;
  if (node == NULL)
    {
      g_task_return_new_error (task, KUU_DESK_ERROR, KUU_DESK_ERROR_SERVER,
                               _("The server’s answer could not be read (%s). Tell the region’s IT."),
                               error ? error->message : _("too large"));
      g_clear_error (&error);
      return;
    }
  g_task_return_pointer (task, node, (GDestroyNotify)json_node_unref);
}

static GError *
unreachable_error (KuuDeskClient *self,
                   const GError  *cause)
{
  return g_error_new (KUU_DESK_ERROR, KUU_DESK_ERROR_UNREACHABLE,
                      _("The server at %s could not be reached (%s). Check the address and the network "
                        "connection, then try again."),
                      self->server_url, cause->message);
}

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *retry_after;

  exchange->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (exchange->body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, unreachable_error (g_task_get_source_object (task), error));
      return;
    }
  exchange->status = soup_message_get_status (exchange->message);
  retry_after = soup_message_headers_get_one (soup_message_get_response_headers (exchange->message), "Retry-After");
  exchange->retry_after = retry_after ? (guint)g_ascii_strtoull (retry_after, NULL, 10) : 0;
  g_task_run_in_thread (task, parse_thread);
}

/* Sends, reads the whole answer, parses it in a worker thread: the task
 * returns a JsonNode (a null node for 204). */
static void
exchange_async (KuuDeskClient       *self,
                const char          *method,
                const char          *path_and_query,
                const char          *json_body,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Exchange *exchange = g_new0 (Exchange, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, exchange, (GDestroyNotify)exchange_free);
  exchange->message = new_message (self, method, path_and_query);
  if (exchange->message == NULL)
    {
      g_task_return_new_error (task, KUU_DESK_ERROR, KUU_DESK_ERROR_UNREACHABLE,
                               _("“%s” is not a server address: give one like https://kuulolla.example.fi"),
                               self->server_url);
      return;
    }
  if (json_body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (exchange->message, "application/json", bytes);
    }
  soup_session_send_and_read_async (self->session, exchange->message, G_PRIORITY_DEFAULT,
                                    cancellable, on_read_cb, g_steal_pointer (&task));
}

static char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static KuuDeskStaff *
staff_from_node (JsonNode  *node,
                 gboolean   with_token,
                 GError   **error)
{
  g_autoptr(KuuDeskStaff) staff = g_new0 (KuuDeskStaff, 1);
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

  if (object != NULL)
    {
      staff->id = member_string (object, "id");
      staff->name = member_string (object, "name");
      staff->role = member_string (object, "role");
      staff->region = member_string (object, "region");
      staff->token = with_token ? member_string (object, "token") : NULL;
    }
  if (staff->id == NULL || staff->name == NULL || staff->role == NULL || staff->region == NULL ||
      (with_token && (staff->token == NULL || staff->token[0] == '\0')))
    {
      g_set_error_literal (error, KUU_DESK_ERROR, KUU_DESK_ERROR_SERVER,
                           _("The server’s answer to the sign-in was not complete. Tell the region’s IT."));
      return NULL;
    }
  return g_steal_pointer (&staff);
}

static void
kuu_desk_client_finalize (GObject *object)
{
  KuuDeskClient *self = (KuuDeskClient *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->server_url, g_free);
  wipe_string (&self->token);

  G_OBJECT_CLASS (kuu_desk_client_parent_class)->finalize (object);
}

static void
kuu_desk_client_class_init (KuuDeskClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kuu_desk_client_finalize;
}

static void
kuu_desk_client_init (KuuDeskClient *self)
{
  self->session = soup_session_new_with_options ("timeout", TIMEOUT_SECONDS,
                                                 "user-agent", "kuulolla-desk/" PACKAGE_VERSION,
                                                 NULL);
}

KuuDeskClient *
kuu_desk_client_new (const char *server_url)
{
  KuuDeskClient *self;
  gsize length;

  g_return_val_if_fail (server_url != NULL, NULL);

  self = g_object_new (KUU_TYPE_DESK_CLIENT, NULL);
  length = strlen (server_url);
  while (length > 0 && server_url[length - 1] == '/')
    length--;
  self->server_url = g_strndup (server_url, length);
  return self;
}

const char *
kuu_desk_client_get_server_url (KuuDeskClient *self)
{
  g_return_val_if_fail (KUU_IS_DESK_CLIENT (self), NULL);
  return self->server_url;
}

void
kuu_desk_client_set_token (KuuDeskClient *self,
                           const char    *token)
{
  g_return_if_fail (KUU_IS_DESK_CLIENT (self));

  wipe_string (&self->token);
  self->token = g_strdup (token);
}

gboolean
kuu_desk_client_has_token (KuuDeskClient *self)
{
  g_return_val_if_fail (KUU_IS_DESK_CLIENT (self), FALSE);
  return self->token != NULL;
}

void
kuu_desk_client_sign_in_async (KuuDeskClient       *self,
                               const char          *code,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (KUU_IS_DESK_CLIENT (self));
  g_return_if_fail (code != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  /* No old token goes with a sign-in. */
  wipe_string (&self->token);
  exchange_async (self, "POST", "/api/v1/staff/sign-in", body, kuu_desk_client_sign_in_async,
                  cancellable, callback, user_data);
}

KuuDeskStaff *
kuu_desk_client_sign_in_finish (KuuDeskClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  node = g_task_propagate_pointer (G_TASK (result), error);
  return node ? staff_from_node (node, TRUE, error) : NULL;
}

void
kuu_desk_client_sign_out_async (KuuDeskClient       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KUU_IS_DESK_CLIENT (self));
  exchange_async (self, "POST", "/api/v1/staff/sign-out", NULL, kuu_desk_client_sign_out_async,
                  cancellable, callback, user_data);
}

gboolean
kuu_desk_client_sign_out_finish (KuuDeskClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  node = g_task_propagate_pointer (G_TASK (result), error);
  return node != NULL;
}

void
kuu_desk_client_get_json_async (KuuDeskClient       *self,
                                const char          *path_and_query,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KUU_IS_DESK_CLIENT (self));
  g_return_if_fail (path_and_query != NULL && path_and_query[0] == '/');
  exchange_async (self, "GET", path_and_query, NULL, kuu_desk_client_get_json_async,
                  cancellable, callback, user_data);
}

/**
 * kuu_desk_client_get_json_finish:
 * @out_body: (out) (optional): the answer as it came, for the cache
 */
JsonNode *
kuu_desk_client_get_json_finish (KuuDeskClient  *self,
                                 GAsyncResult   *result,
                                 GBytes        **out_body,
                                 GError        **error)
{
  Exchange *exchange;
  JsonNode *node;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  exchange = g_task_get_task_data (G_TASK (result));
  node = g_task_propagate_pointer (G_TASK (result), error);
  if (node != NULL && out_body != NULL)
    *out_body = exchange->body ? g_bytes_ref (exchange->body) : g_bytes_new (NULL, 0);
  return node;
}

/* --- download ------------------------------------------------------------ */

typedef struct
{
  SoupMessage   *message;
  GFile         *destination;
  GInputStream  *input;
} Download;

static void
download_free (Download *download)
{
  g_clear_object (&download->message);
  g_clear_object (&download->destination);
  g_clear_object (&download->input);
  g_free (download);
}

static void
on_spliced_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, &error) < 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_replaced_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GFileOutputStream) output = g_file_replace_finish (G_FILE (object), result, &error);
  GCancellable *cancellable;

  if (output == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Not g_task_get_cancellable (task) in the call: the task is stolen
   * in the same argument list, in an order C does not fix. */
  cancellable = g_task_get_cancellable (task);
  g_output_stream_splice_async (G_OUTPUT_STREAM (output), download->input,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, cancellable, on_spliced_cb, g_steal_pointer (&task));
}

static void
on_refusal_read_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);

  g_task_return_error (task, error_for_status (soup_message_get_status (download->message), body, 0));
}

static void
on_download_sent_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  download->input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (download->input == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, unreachable_error (g_task_get_source_object (task), error));
      return;
    }
  if (soup_message_get_status (download->message) != SOUP_STATUS_OK)
    {
      g_input_stream_read_bytes_async (download->input, 65536, G_PRIORITY_DEFAULT, cancellable,
                                       on_refusal_read_cb, g_steal_pointer (&task));
      return;
    }
  /* Written to a temporary beside it and renamed: a failed download
   * leaves no half file under the chosen name. */
  g_file_replace_async (download->destination, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                        G_PRIORITY_DEFAULT, cancellable, on_replaced_cb, g_steal_pointer (&task));
}

/* Streams the answer into @destination: a region's CSV can be larger than
 * it is wise to hold in memory. */
void
kuu_desk_client_download_async (KuuDeskClient       *self,
                                const char          *path_and_query,
                                GFile               *destination,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Download *download;

  g_return_if_fail (KUU_IS_DESK_CLIENT (self));
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_desk_client_download_async);
  download = g_new0 (Download, 1);
  download->destination = g_object_ref (destination);
  download->message = new_message (self, "GET", path_and_query);
  g_task_set_task_data (task, download, (GDestroyNotify)download_free);
  if (download->message == NULL)
    {
      g_task_return_new_error (task, KUU_DESK_ERROR, KUU_DESK_ERROR_UNREACHABLE,
                               _("“%s” is not a server address: give one like https://kuulolla.example.fi"),
                               self->server_url);
      return;
    }
  soup_session_send_async (self->session, download->message, G_PRIORITY_DEFAULT, cancellable,
                           on_download_sent_cb, g_steal_pointer (&task));
}

gboolean
kuu_desk_client_download_finish (KuuDeskClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
