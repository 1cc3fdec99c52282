/* kuu-enrol.c
 *
 * Enrolment: a device presents the one-time code IT gave it and the unit
 * it serves, and the server's 201 gives its bearer token, with its device
 * id and region (docs/protocol.md § 3). One request on a session of its
 * own: no KuuSync exists before the token does. The token is a password,
 * wiped when freed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "kuulolla-sync"

#include "config.h"

#include <sodium.h>

#include "kuu-enrol.h"
#include "kuu-json.h"
#include "kuu-sync-private.h"
#include "kuu-wire.h"

#define MAX_ID_LENGTH 128

G_DEFINE_BOXED_TYPE (KuuEnrolment, kuu_enrolment, kuu_enrolment_copy, kuu_enrolment_free)

KuuEnrolment *
kuu_enrolment_copy (const KuuEnrolment *enrolment)
{
  KuuEnrolment *copy = g_new0 (KuuEnrolment, 1);

  copy->token = g_strdup (enrolment->token);
  copy->device_id = g_strdup (enrolment->device_id);
  copy->region = g_strdup (enrolment->region);
  return copy;
}

void
kuu_enrolment_free (KuuEnrolment *enrolment)
{
  if (enrolment == NULL)
    return;
  /* Not memset(): the compiler may drop a write to memory freed next. */
  if (enrolment->token != NULL)
    sodium_memzero (enrolment->token, strlen (enrolment->token));
  g_free (enrolment->token);
  g_free (enrolment->device_id);
  g_free (enrolment->region);
  g_free (enrolment);
}

/* The device id and region go to device.ini and on screen: only a short
 * printable value is taken (both are ids, such as a UUID). */
static const char *
short_id (JsonObject *object,
          const char *name)
{
  const char *value = kuu_wire_get_string (object, name);

  if (value == NULL || !_kuu_is_visible_ascii (value, MAX_ID_LENGTH))
    return NULL;
  return value;
}

/* The body of the server's 201 to an enrolment. Not static:
 * fuzz/fuzz-response.c feeds it. */
KuuEnrolment *
_kuu_sync_parse_enrolment (GBytes  *bytes,
                           GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  KuuEnrolment *enrolment;
  JsonObject *answer = NULL;
  const char *token = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if ((root = kuu_json_parse (data, size, NULL)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      answer = json_node_get_object (root);
      token = kuu_wire_get_string (answer, "token");
    }
  if (token == NULL)
    {
      g_set_error (error, KUU_SYNC_ERROR, KUU_SYNC_ERROR_BAD_ANSWER,
                   "The server's answer to the enrolment had no token");
      return NULL;
    }

  enrolment = g_new0 (KuuEnrolment, 1);
  enrolment->token = g_strdup (token);
  enrolment->device_id = g_strdup (short_id (answer, "device_id"));
  enrolment->region = g_strdup (short_id (answer, "region"));
  return enrolment;
}

static void
on_enrolled_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  KuuEnrolment *enrolment;

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (soup_message_get_status (message) != SOUP_STATUS_CREATED)
    {
      g_task_return_new_error (task, KUU_SYNC_ERROR, KUU_SYNC_ERROR_REFUSED,
                               "The server refused the enrolment code (%u)", soup_message_get_status (message));
      return;
    }
  if (!(enrolment = _kuu_sync_parse_enrolment (bytes, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, enrolment, (GDestroyNotify)kuu_enrolment_free);
}

static GBytes *
build_body (const char *code,
            const char *unit)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "unit");
  json_builder_add_string_value (builder, unit);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

/**
 * kuu_enrol_async:
 * @base_uri: the server, e.g. "https://kuulolla.kainuu.fi"
 * @code: the one-time enrolment code
 * @unit: the unit the device serves
 * @ca_file: (nullable): the region's own CA, as for
 *   kuu_sync_set_tls_ca_file(); %NULL for the system's store
 *
 * Presents the code; finish with kuu_enrol_finish(). Errors are in
 * %KUU_SYNC_ERROR (a refused code, an answer without a token, an unusable
 * CA file) or from the network.
 */
void
kuu_enrol_async (const char          *base_uri,
                 const char          *code,
                 const char          *unit,
                 const char          *ca_file,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", KUU_SYNC_HTTP_TIMEOUT, NULL);
  g_autofree char *uri = g_strconcat (base_uri, "/api/v1/enrol", NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  SoupMessage *message;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_enrol_async);
  if (ca_file != NULL && !(database = g_tls_file_database_new (ca_file, &error)))
    {
      g_task_return_new_error (task, KUU_SYNC_ERROR, KUU_SYNC_ERROR_TLS,
                               "The region's CA file “%s” cannot be used: %s", ca_file, error->message);
      return;
    }
  if (database != NULL)
    soup_session_set_tls_database (session, database);
  if (!(message = soup_message_new ("POST", uri)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not a valid server address: %s", base_uri);
      return;
    }
  g_task_set_task_data (task, message, g_object_unref);

  body = build_body (code, unit);
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, cancellable,
                                    on_enrolled_cb, g_steal_pointer (&task));
}

/**
 * kuu_enrol_finish:
 *
 * Returns: (transfer full) (nullable): the token with the device id and
 *   region the server gave, or %NULL with @error set
 */
KuuEnrolment *
kuu_enrol_finish (GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kuu_enrol_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- the names of before kuu-enrol.c, kept for their callers ------------ */

/**
 * kuu_sync_enrol_async:
 *
 * kuu_enrol_async() without a CA file of the region's own.
 */
void
kuu_sync_enrol_async (const char          *base_uri,
                      const char          *code,
                      const char          *unit,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  kuu_enrol_async (base_uri, code, unit, NULL, cancellable, callback, user_data);
}

/**
 * kuu_sync_enrol_with_ca_async:
 *
 * As kuu_enrol_async().
 */
void
kuu_sync_enrol_with_ca_async (const char          *base_uri,
                              const char          *code,
                              const char          *unit,
                              const char          *ca_file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  kuu_enrol_async (base_uri, code, unit, ca_file, cancellable, callback, user_data);
}

/**
 * kuu_sync_enrol_finish:
 *
 * Returns: (transfer full) (nullable): the token alone; see
 *   kuu_enrol_finish() for the device id and region too
 */
char *
kuu_sync_enrol_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_autoptr(KuuEnrolment) enrolment = kuu_enrol_finish (result, error);

  return enrolment != NULL ? g_steal_pointer (&enrolment->token) : NULL;
}

/**
 * kuu_sync_enrol_finish_full:
 *
 * As kuu_enrol_finish().
 */
KuuEnrolment *
kuu_sync_enrol_finish_full (GAsyncResult  *result,
                            GError       **error)
{
  return kuu_enrol_finish (result, error);
}
