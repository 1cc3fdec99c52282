/* kuu-server-initiatives.c: GET /api/v1/initiatives — the initiatives a
 * device's region has taken up, with their statuses and answers
 *
 * The cursor is the change sequence number of the last initiative in the
 * page, as a decimal string; a client treats it as opaque. A change to an
 * initiative (taken up, answered, answered again) gives it a new number,
 * so it comes again after any cursor that was given before the change.
 *
 * A cursor beyond the region's newest change was never given by this
 * database: most likely it was restored from a backup, and the kiosk's
 * cursor runs ahead of it. Answering such a cursor with an empty page
 * would let the kiosk miss every change until the sequence caught up, so
 * it gets 400 bad_cursor and starts over from the beginning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-server-private.h"
#include "kuu-wire.h"

static const char * const parameters_known[] = { "since", NULL };

/* Decimal digits only (no sign, no space), up to 18: no more than a
 * gint64 holds. */
static gboolean
parse_cursor (const char *text,
              gint64     *out_after)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0')
    {
      *out_after = 0;
      return TRUE;
    }
  if (strlen (text) > 18 || strspn (text, "0123456789") != strlen (text) ||
      !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;
  *out_after = value;
  return TRUE;
}

static gboolean
refuse_cursor (SoupServerMessage *msg)
{
  _kuu_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_cursor",
                             "since: this server never gave that cursor; ask again without it, from the start.");
  return FALSE;
}

/* A cursor this server could have given the device: a number no later
 * than its region's newest change. FALSE with the response set. */
static gboolean
check_cursor (KuuServer          *self,
              SoupServerMessage  *msg,
              const KuuPrincipal *device,
              GHashTable         *query,
              gint64             *out_after)
{
  g_autoptr(GError) error = NULL;
  gint64 last;

  if (!parse_cursor (g_hash_table_lookup (query, "since"), out_after))
    return refuse_cursor (msg);
  if (*out_after == 0)
    return TRUE;
  if ((last = kuu_server_storage_last_initiative_change (self->store, device->region, &error)) < 0)
    {
      g_warning ("reading the initiatives' last change failed: %s", error->message);
      _kuu_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                 "The server could not list the initiatives.");
      return FALSE;
    }
  return *out_after <= last || refuse_cursor (msg);
}

static void
add_initiative (JsonBuilder               *builder,
                const KuuServerInitiative *initiative)
{
  g_autofree char *updated_at = _kuu_server_format_time (initiative->updated_at);

  json_builder_begin_object (builder);
  kuu_wire_add_string (builder, "uuid", initiative->uuid);
  kuu_wire_add_string (builder, "title", initiative->title);
  kuu_wire_add_string (builder, "text", initiative->text);
  kuu_wire_add_string (builder, "municipality", initiative->municipality);
  kuu_wire_add_string (builder, "received_on", initiative->received_on);
  kuu_wire_add_string (builder, "status", kuu_initiative_status_to_string (initiative->status));
  kuu_wire_add_string (builder, "answer", initiative->answer);
  kuu_wire_add_string (builder, "updated_at", updated_at);
  json_builder_end_object (builder);
}

static JsonNode *
build_page (GPtrArray *list,
            gint64     after)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *cursor = NULL;
  gboolean more = list->len > KUU_SERVER_INITIATIVES_PAGE;
  guint n = MIN (list->len, KUU_SERVER_INITIATIVES_PAGE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "initiatives");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    add_initiative (builder, g_ptr_array_index (list, i));
  json_builder_end_array (builder);

  if (n > 0)
    after = ((KuuServerInitiative *)g_ptr_array_index (list, n - 1))->seq;
  cursor = g_strdup_printf ("%" G_GINT64_FORMAT, after);
  kuu_wire_add_string (builder, "cursor", cursor);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, more);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
_kuu_server_on_initiatives_cb (SoupServer        *soup,
                               SoupServerMessage *msg,
                               const char        *path,
                               GHashTable        *query,
                               gpointer           user_data)
{
  KuuServer *self = user_data;
  g_autoptr(KuuPrincipal) device = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(GHashTable) parameters = NULL;
  gint64 after;

  if (!(device = _kuu_server_authorize (self, msg, KUU_ALLOW_DEVICE)) || !_kuu_server_check_method (msg, "GET") ||
      !_kuu_server_parse_query (msg, parameters_known, &parameters) ||
      !check_cursor (self, msg, device, parameters, &after))
    return;

  /* One more than a page, to know whether there is more. */
  list = kuu_server_storage_list_initiatives (self->store, device->region, after,
                                              KUU_SERVER_INITIATIVES_PAGE + 1, &error);
  if (list == NULL)
    {
      g_warning ("listing initiatives failed: %s", error->message);
      _kuu_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                 "The server could not list the initiatives.");
      return;
    }
  page = build_page (list, after);
  _kuu_server_respond_json (msg, SOUP_STATUS_OK, page);
}
