/* kuu-initiatives.c
 *
 * Only initiatives the region has taken up are listed: one received at
 * this kiosk a minute ago is the last person's words, not yet public.
 * Sync fills in the statuses and answers from the region's server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "kuu-initiatives.h"
#include "kuu-json.h"
#include "kuu-store-private.h"
#include "kuu-submission.h"
#include "kuu-wire.h"

#define MAX_ID_LENGTH      64
#define MAX_ANSWER_LENGTH  10000
#define MAX_CURSOR_LENGTH  1024
#define CURSOR_KEY         "initiatives-cursor"

G_DEFINE_QUARK (kuu-initiatives-error-quark, kuu_initiatives_error)

static const char * const status_names[] = {
  [KUU_INITIATIVE_RECEIVED] = "received",
  [KUU_INITIATIVE_IN_PROGRESS] = "in_progress",
  [KUU_INITIATIVE_ANSWERED] = "answered",
};

const char *
kuu_initiative_status_to_string (KuuInitiativeStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), NULL);

  return status_names[status];
}

gboolean
kuu_initiative_status_from_string (const char          *name,
                                   KuuInitiativeStatus *out_status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    {
      if (g_strcmp0 (name, status_names[i]) == 0)
        {
          *out_status = i;
          return TRUE;
        }
    }
  return FALSE;
}

void
kuu_initiative_free (KuuInitiative *initiative)
{
  if (initiative == NULL)
    return;

  g_free (initiative->uuid);
  g_free (initiative->title);
  g_free (initiative->body);
  g_free (initiative->municipality);
  g_free (initiative->received_on);
  g_free (initiative->answer);
  g_free (initiative->updated_at);
  g_free (initiative);
}

/**
 * kuu_initiatives_list_published:
 *
 * The initiatives in progress or answered, newest first. Blocks on the
 * database: call it from a worker thread in the UI.
 *
 * Returns: (transfer full) (element-type KuuInitiative): the list, or
 *   %NULL with @error set
 */
GPtrArray *
kuu_initiatives_list_published (KuuStore  *store,
                                GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_initiative_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);

  db = _kuu_store_lock (store);
  /* The server's copy wins: it knows the status the region gave. */
  rc = sqlite3_prepare_v2 (db,
                           "SELECT uuid, title, body, municipality, received_on, status, answer, updated_at"
                           "  FROM published_initiatives"
                           " UNION ALL "
                           "SELECT s.uuid, i.title, i.body, i.municipality, i.received_on, i.status, i.answer, NULL"
                           "  FROM initiatives i JOIN submissions s ON s.id = i.submission_id"
                           " WHERE i.status IN ('in_progress', 'answered')"
                           "   AND s.uuid NOT IN (SELECT uuid FROM published_initiatives)"
                           " ORDER BY 5 DESC, 1",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KuuInitiative *initiative = g_new0 (KuuInitiative, 1);

      initiative->uuid = kuu_sqlite_column_dup (stmt, 0);
      initiative->title = kuu_sqlite_column_dup (stmt, 1);
      initiative->body = kuu_sqlite_column_dup (stmt, 2);
      initiative->municipality = kuu_sqlite_column_dup (stmt, 3);
      initiative->received_on = kuu_sqlite_column_dup (stmt, 4);
      kuu_initiative_status_from_string ((const char *)sqlite3_column_text (stmt, 5), &initiative->status);
      initiative->answer = kuu_sqlite_column_dup (stmt, 6);
      initiative->updated_at = kuu_sqlite_column_dup (stmt, 7);
      g_ptr_array_add (list, initiative);
    }
  if (rc != SQLITE_DONE)
    goto failed;

  _kuu_store_unlock (store);
  return g_steal_pointer (&list);

failed:
  _kuu_store_fail (store, db, rc, "list initiatives", error);
  _kuu_store_unlock (store);
  return NULL;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *list = kuu_initiatives_list_published (KUU_STORE (source_object), &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify)g_ptr_array_unref);
}

void
kuu_initiatives_list_published_async (KuuStore            *store,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KUU_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, kuu_initiatives_list_published_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
kuu_initiatives_list_published_finish (KuuStore      *store,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- from the server ------------------------------------------------------ */

void
kuu_initiatives_page_free (KuuInitiativesPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->initiatives, g_ptr_array_unref);
  g_free (page->cursor);
  g_free (page->invalid_reason);
  g_free (page);
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/* A string of 1 to @max characters, valid UTF-8, not only blanks; on
 * failure @reason names the member. */
static const char *
read_text (JsonObject  *object,
           const char  *member,
           glong        max,
           GString     *reason)
{
  const char *text = kuu_wire_get_string (object, member);

  if (text == NULL)
    g_string_printf (reason, "%s: missing or not a string", member);
  else if (!g_utf8_validate (text, -1, NULL))
    g_string_printf (reason, "%s: not valid UTF-8", member);
  else if (is_blank (text))
    g_string_printf (reason, "%s: empty", member);
  else if (g_utf8_strlen (text, -1) > max)
    g_string_printf (reason, "%s: longer than %ld characters", member, max);
  else
    return text;
  return NULL;
}

static gboolean
is_id (const char *id)
{
  gsize length = strlen (id);

  if (length == 0 || length > MAX_ID_LENGTH || !g_ascii_islower (id[0]))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_islower (id[i]) && !g_ascii_isdigit (id[i]) && id[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
is_date (const char *text)
{
  unsigned year, month, day;
  char end;

  return strlen (text) == 10 && text[4] == '-' && text[7] == '-' &&
         sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) == 3 &&
         g_date_valid_dmy (day, month, year);
}

/* Stored in UTC and one format, so that times compare as text. */
static char *
normalise_time (const char *text)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return NULL;
  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
read_status (JsonObject    *object,
             KuuInitiative *initiative,
             GString       *reason)
{
  const char *status = kuu_wire_get_string (object, "status");
  JsonNode *answer = json_object_get_member (object, "answer");

  if (g_strcmp0 (status, "in_progress") == 0)
    initiative->status = KUU_INITIATIVE_IN_PROGRESS;
  else if (g_strcmp0 (status, "answered") == 0)
    initiative->status = KUU_INITIATIVE_ANSWERED;
  else
    {
      g_string_printf (reason, "status: not “in_progress” or “answered”");
      return FALSE;
    }

  if (answer == NULL || JSON_NODE_HOLDS_NULL (answer))
    {
      if (initiative->status == KUU_INITIATIVE_ANSWERED)
        g_string_printf (reason, "answer: missing for an answered initiative");
      return initiative->status != KUU_INITIATIVE_ANSWERED;
    }

  initiative->answer = g_strdup (read_text (object, "answer", MAX_ANSWER_LENGTH, reason));
  return initiative->answer != NULL;
}

/* One initiative from the server, every member checked; NULL with @reason. */
static KuuInitiative *
read_initiative (JsonNode *node,
                 GString  *reason)
{
  g_autoptr(KuuInitiative) initiative = g_new0 (KuuInitiative, 1);
  JsonObject *object;
  const char *text;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_string_printf (reason, "not an object");
      return NULL;
    }
  object = json_node_get_object (node);

  text = kuu_wire_get_string (object, "uuid");
  if (text == NULL || !g_uuid_string_is_valid (text))
    {
      g_string_printf (reason, "uuid: not a UUID");
      return NULL;
    }
  initiative->uuid = g_ascii_strdown (text, -1);

  if (!(text = read_text (object, "title", KUU_MAX_TITLE_LENGTH, reason)))
    return NULL;
  initiative->title = g_strdup (text);
  if (!(text = read_text (object, "text", KUU_MAX_INITIATIVE_LENGTH, reason)))
    return NULL;
  initiative->body = g_strdup (text);

  text = kuu_wire_get_string (object, "municipality");
  if (text == NULL || !is_id (text))
    {
      g_string_printf (reason, "municipality: not an id");
      return NULL;
    }
  initiative->municipality = g_strdup (text);

  text = kuu_wire_get_string (object, "received_on");
  if (text == NULL || !is_date (text))
    {
      g_string_printf (reason, "received_on: not a date YYYY-MM-DD");
      return NULL;
    }
  initiative->received_on = g_strdup (text);

  if (!read_status (object, initiative, reason))
    return NULL;

  text = kuu_wire_get_string (object, "updated_at");
  if (text == NULL || !(initiative->updated_at = normalise_time (text)))
    {
      g_string_printf (reason, "updated_at: not an RFC 3339 time with a zone");
      return NULL;
    }

  return g_steal_pointer (&initiative);
}

static gboolean
bad_answer (GError     **error,
            const char  *what)
{
  g_set_error (error, KUU_INITIATIVES_ERROR, KUU_INITIATIVES_ERROR_BAD_ANSWER,
               "The server's list of initiatives was not what the protocol says: %s", what);
  return FALSE;
}

/**
 * kuu_initiatives_parse_page:
 * @bytes: the body of a 200 answer to GET /api/v1/initiatives
 *
 * Reads and checks the server's answer. An answer of the wrong shape, or
 * without a cursor, is refused whole; an initiative that breaks a rule is
 * left out and counted in n_invalid, so that one bad entry cannot hold up
 * every other answer for ever.
 *
 * Returns: (transfer full): the page, or %NULL with @error set
 */
KuuInitiativesPage *
kuu_initiatives_parse_page (GBytes  *bytes,
                            GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(KuuInitiativesPage) page = g_new0 (KuuInitiativesPage, 1);
  g_autoptr(GString) reason = g_string_new (NULL);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonNode *list, *more;
  JsonObject *object;
  const char *cursor;

  if (!(root = kuu_json_parse (data, size, NULL)) || !JSON_NODE_HOLDS_OBJECT (root))
    {
      bad_answer (error, "not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);
  list = json_object_get_member (object, "initiatives");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      bad_answer (error, "no array “initiatives”");
      return NULL;
    }
  cursor = kuu_wire_get_string (object, "cursor");
  if (cursor == NULL || *cursor == '\0' || strlen (cursor) > MAX_CURSOR_LENGTH ||
      !g_utf8_validate (cursor, -1, NULL))
    {
      bad_answer (error, "no cursor, or a cursor too long");
      return NULL;
    }
  more = json_object_get_member (object, "more");
  if (more != NULL && (!JSON_NODE_HOLDS_VALUE (more) || json_node_get_value_type (more) != G_TYPE_BOOLEAN))
    {
      bad_answer (error, "“more” is not true or false");
      return NULL;
    }

  page->cursor = g_strdup (cursor);
  /* Without "more", a page with something in it may have more behind it. */
  page->more = more != NULL ? json_node_get_boolean (more)
                            : json_array_get_length (json_node_get_array (list)) > 0;
  page->initiatives = g_ptr_array_new_with_free_func ((GDestroyNotify)kuu_initiative_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      KuuInitiative *initiative = read_initiative (json_array_get_element (json_node_get_array (list), i), reason);

      if (initiative != NULL)
        g_ptr_array_add (page->initiatives, initiative);
      else if (page->n_invalid++ == 0)
        page->invalid_reason = g_strdup_printf ("initiative %u: %s", i + 1, reason->str);
    }
  return g_steal_pointer (&page);
}

static int
upsert (sqlite3_stmt        *stmt,
        const KuuInitiative *initiative)
{
  int rc;

  sqlite3_bind_text (stmt, 1, initiative->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, initiative->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, initiative->body, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, initiative->municipality, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, initiative->received_on, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, status_names[initiative->status], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, initiative->answer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, initiative->updated_at, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int
save_cursor (sqlite3    *db,
             const char *cursor)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (db,
                               "INSERT INTO sync_state (key, value) VALUES (?, ?)"
                               " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_text (stmt, 1, CURSOR_KEY, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, cursor, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/**
 * kuu_initiatives_store_page:
 * @out_changed: (out) (optional): how many initiatives were new or changed
 *
 * Stores the page's initiatives by uuid and its cursor, in one
 * transaction: the cursor never runs ahead of what is stored. The server
 * lists changes in order, so a later copy replaces an earlier one (§ 7);
 * an unchanged copy counts as no change. Blocks on the database.
 */
gboolean
kuu_initiatives_store_page (KuuStore            *store,
                            KuuInitiativesPage  *page,
                            guint               *out_changed,
                            GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint changed = 0;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), FALSE);
  g_return_val_if_fail (page != NULL && page->cursor != NULL, FALSE);

  db = _kuu_store_lock (store);
  rc = sqlite3_prepare_v2 (db,
                           "INSERT INTO published_initiatives"
                           " (uuid, title, body, municipality, received_on, status, answer, updated_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                           " ON CONFLICT (uuid) DO UPDATE SET"
                           "  title = excluded.title, body = excluded.body, municipality = excluded.municipality,"
                           "  received_on = excluded.received_on, status = excluded.status,"
                           "  answer = excluded.answer, updated_at = excluded.updated_at"
                           " WHERE (title, body, municipality, received_on, status, answer, updated_at)"
                           "    IS NOT (excluded.title, excluded.body, excluded.municipality, excluded.received_on,"
                           "            excluded.status, excluded.answer, excluded.updated_at)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < page->initiatives->len; i++)
    {
      rc = upsert (stmt, g_ptr_array_index (page->initiatives, i));
      changed += rc == SQLITE_OK ? (guint)sqlite3_changes (db) : 0;
    }
  if (rc == SQLITE_OK)
    rc = save_cursor (db, page->cursor);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _kuu_store_fail (store, db, rc, "store the region's initiatives", error);
      if (!sqlite3_get_autocommit (db))
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }
  _kuu_store_unlock (store);

  if (out_changed != NULL)
    *out_changed = changed;
  return rc == SQLITE_OK;
}

/**
 * kuu_initiatives_get_cursor:
 *
 * Returns: (transfer full) (nullable): the cursor the server gave last,
 *   %NULL before the first answer or with @error set
 */
char *
kuu_initiatives_get_cursor (KuuStore  *store,
                            GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  char *cursor = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), NULL);

  db = _kuu_store_lock (store);
  rc = sqlite3_prepare_v2 (db, "SELECT value FROM sync_state WHERE key = ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, CURSOR_KEY, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_ROW)
    cursor = kuu_sqlite_column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    _kuu_store_fail (store, db, rc, "read the initiatives cursor", error);
  _kuu_store_unlock (store);

  return cursor;
}

/**
 * kuu_initiatives_forget_cursor:
 *
 * For a server that no longer knows the cursor (a restored database): the
 * next pull starts from the beginning; stored copies are replaced by uuid.
 */
gboolean
kuu_initiatives_forget_cursor (KuuStore  *store,
                               GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KUU_IS_STORE (store), FALSE);

  db = _kuu_store_lock (store);
  rc = sqlite3_prepare_v2 (db, "DELETE FROM sync_state WHERE key = ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, CURSOR_KEY, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_DONE)
    _kuu_store_fail (store, db, rc, "forget the initiatives cursor", error);
  _kuu_store_unlock (store);

  return rc == SQLITE_DONE;
}
