/* kuu-server-enrol.c
 *
 * POST /api/v1/enrol: a one-time code from `kuulolla-server admin enrol`
 * becomes a device id and its token (docs/protocol.md). Every try counts
 * against the client's address, so codes cannot be guessed fast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kuu-server-private.h"
#include "kuu-wire.h"

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

void
_kuu_server_on_enrol_cb (SoupServer        *soup,
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
  if (_kuu_server_client_is_blocked (self, msg) || !_kuu_server_take_client (self, msg) || !_kuu_server_check_method (msg, "POST") ||
      !_kuu_server_parse_query (msg, NULL, NULL) || !(request = _kuu_server_read_body (msg)))
    return;
  code = kuu_wire_get_string (json_node_get_object (request), "code");
  if (code == NULL || strlen (code) > 64)
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "An enrolment needs a code.");
      return;
    }

  if (!kuu_server_storage_enrol (self->store, code, &device_id, &token, &region, &error))
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

  g_object_set_data_full (G_OBJECT (msg), KUU_MSG_DEVICE_KEY, g_strdup (device_id), g_free);
  respond_enrolled (msg, device_id, token, region);
}
