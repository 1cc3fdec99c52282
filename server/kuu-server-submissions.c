/* kuu-server-submissions.c
 *
 * POST /api/v1/submissions: a device's batch of records. Each record goes
 * through kuu-wire's validation, then its date and its ids are checked
 * against the server's clock and the device's region; the valid ones are
 * stored together by the writer thread (kuu-server-writer.c), and the
 * answer gives each record its own outcome.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kuu-json.h"
#include "kuu-server-private.h"
#include "kuu-strategy.h"
#include "kuu-wire.h"

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

void
_kuu_server_on_submissions_cb (SoupServer        *soup,
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
      !(request = _kuu_server_read_body (msg)) ||
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
