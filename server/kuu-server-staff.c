/* kuu-server-staff.c: POST /api/v1/staff/sign-in, GET /api/v1/staff/me
 * and POST /api/v1/staff/sign-out, for the region desk
 *
 * A one-time code from `kuulolla-server admin staff add` becomes a staff
 * token (docs/protocol.md, "Staff"). A wrong, used or expired code get
 * one answer, bad_code, so that a guesser learns nothing from it, and
 * every try counts against the client's address, as enrolment's do.
 * Every sign-in, failed sign-in and sign-out goes to the audit log with
 * the client's address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kuu-server-private.h"
#include "kuu-wire.h"

static JsonNode *
staff_json (const char *token,
            const char *id,
            const char *name,
            KuuRole     role,
            const char *region)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (token != NULL)
    kuu_wire_add_string (builder, "token", token);
  kuu_wire_add_string (builder, "id", id);
  kuu_wire_add_string (builder, "name", name);
  kuu_wire_add_string (builder, "role", kuu_role_to_string (role));
  kuu_wire_add_string (builder, "region", region);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
sign_in_failed (KuuServer         *self,
                SoupServerMessage *msg,
                GError            *error)
{
  /* A wrong code is the client's mistake, a database error ours. */
  if (!g_error_matches (error, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_CODE_USED))
    {
      g_warning ("staff sign-in failed: %s", error->message);
      _kuu_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                 "The server could not sign you in; try again later.");
      return;
    }
  _kuu_server_audit (self, msg, NULL, "sign-in-failed", "", "wrong, used or expired code");
  _kuu_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_code",
                             "The sign-in code is wrong, used or expired; ask IT for a new one.");
}

void
_kuu_server_on_staff_sign_in_cb (SoupServer        *soup,
                                 SoupServerMessage *msg,
                                 const char        *path,
                                 GHashTable        *query,
                                 gpointer           user_data)
{
  KuuServer *self = user_data;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStaff) staff = NULL;
  g_autofree char *token = NULL;
  const char *code;

  /* Every try counts against the address: codes cannot be guessed fast. */
  if (_kuu_server_client_is_blocked (self, msg) || !_kuu_server_take_client (self, msg) ||
      !_kuu_server_check_method (msg, "POST") || !_kuu_server_parse_query (msg, NULL, NULL) ||
      !(request = _kuu_server_read_body (msg)))
    return;
  code = kuu_wire_get_string (json_node_get_object (request), "code");
  if (code == NULL || strlen (code) > 64)
    {
      _kuu_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "A sign-in needs a code.");
      return;
    }

  if (!(staff = kuu_server_storage_sign_in_staff (self->store, code, &token, &error)))
    {
      sign_in_failed (self, msg, error);
      return;
    }

  _kuu_server_audit (self, msg, &(KuuPrincipal) { .role = staff->role, .id = staff->id, .name = staff->name },
                     "sign-in", staff->id, NULL);
  g_object_set_data_full (G_OBJECT (msg), KUU_MSG_ADMIN_KEY, g_strdup (staff->id), g_free);
  response = staff_json (token, staff->id, staff->name, staff->role, staff->region);
  _kuu_server_respond_json (msg, SOUP_STATUS_OK, response);
}

void
_kuu_server_on_staff_me_cb (SoupServer        *soup,
                            SoupServerMessage *msg,
                            const char        *path,
                            GHashTable        *query,
                            gpointer           user_data)
{
  KuuServer *self = user_data;
  g_autoptr(KuuPrincipal) principal = NULL;
  g_autoptr(JsonNode) response = NULL;

  if (!(principal = _kuu_server_authorize (self, msg, KUU_ALLOW_STAFF)) ||
      !_kuu_server_check_method (msg, "GET") || !_kuu_server_parse_query (msg, NULL, NULL))
    return;
  response = staff_json (NULL, principal->id, principal->name, principal->role, principal->region);
  _kuu_server_respond_json (msg, SOUP_STATUS_OK, response);
}

void
_kuu_server_on_staff_sign_out_cb (SoupServer        *soup,
                                  SoupServerMessage *msg,
                                  const char        *path,
                                  GHashTable        *query,
                                  gpointer           user_data)
{
  KuuServer *self = user_data;
  g_autoptr(KuuPrincipal) principal = NULL;
  g_autoptr(GError) error = NULL;

  if (!(principal = _kuu_server_authorize (self, msg, KUU_ALLOW_STAFF)) ||
      !_kuu_server_check_method (msg, "POST") || !_kuu_server_parse_query (msg, NULL, NULL))
    return;
  if (!kuu_server_storage_sign_out_staff (self->store, _kuu_server_bearer_token (msg), &error))
    {
      g_warning ("staff sign-out failed: %s", error->message);
      _kuu_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                 "The server could not sign you out; try again.");
      return;
    }
  _kuu_server_audit (self, msg, principal, "sign-out", principal->id, NULL);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}
