/* kuu-sync-initiatives.c
 *
 * The initiatives pull (docs/protocol.md § 7): pages asked for with the
 * change-sequence cursor the store keeps, each stored by uuid, the next
 * asked for at once while the server says there is more. A cursor the
 * server does not know (400 bad_cursor: it was restored from a backup) is
 * forgotten and the pull starts over. The steps: read the cursor (a worker
 * thread), fetch (the main loop), read and store the page (a worker
 * thread); the InitiativesPull carries what they share, and the sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "kuulolla-sync"

#include "config.h"

#include "kuu-initiatives.h"
#include "kuu-sync-private.h"

/* Pages a pull round asks for at most: a server that keeps saying "more"
 * or "bad cursor" is not asked for ever. */
#define MAX_PAGES 50

/* One page's pull, shared by its steps. */
typedef struct
{
  KuuSyncPull         pull;
  char               *cursor;    /* sent */
  GBytes             *answer;    /* received */
  KuuInitiativesPage *page;      /* read from it */
  guint               changed;
} InitiativesPull;

static void pull_page (KuuSync *self);

static void
initiatives_pull_clear (InitiativesPull *initiatives)
{
  g_free (initiatives->cursor);
  g_clear_pointer (&initiatives->answer, g_bytes_unref);
  g_clear_pointer (&initiatives->page, kuu_initiatives_page_free);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InitiativesPull, _kuu_sync_pull_unref)

static InitiativesPull *
initiatives_pull_new (KuuSync *self)
{
  return _kuu_sync_pull_new (self, sizeof (InitiativesPull), (GDestroyNotify)initiatives_pull_clear);
}

/* --- storing a page ------------------------------------------------------ */

static void
store_page_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  KuuSync *self = source_object;
  InitiativesPull *initiatives = task_data;
  GError *error = NULL;

  /* Up to 100 initiatives of 10 000 characters: read here, not on the
   * main loop. */
  if ((initiatives->page = kuu_initiatives_parse_page (initiatives->answer, &error)) &&
      kuu_initiatives_store_page (self->store, initiatives->page, &initiatives->changed, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Stored: the valid ones are shown, the others said to staff. */
static void
note_page (KuuSync            *self,
           KuuInitiativesPage *page)
{
  g_autofree char *message = NULL;

  _kuu_sync_note_success (self, KUU_SYNC_SOURCE_INITIATIVES);
  if (page->n_invalid == 0)
    return;
  message = g_strdup_printf ("The server sent %u initiatives that are not valid; they are not shown (%s)",
                             page->n_invalid, page->invalid_reason);
  g_message ("%s", message);
  _kuu_sync_set_last_error (self, KUU_SYNC_SOURCE_CONTENT, message);
}

static void
on_page_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KuuSync *self = KUU_SYNC (object);
  InitiativesPull *initiatives = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  KuuInitiativesPage *page;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("%s", error->message);
      _kuu_sync_pull_end (self, &self->initiatives.busy, KUU_SYNC_SOURCE_INITIATIVES, error);
      return;
    }
  self->initiatives.busy = FALSE;

  page = initiatives->page;
  note_page (self, page);
  if (initiatives->changed > 0)
    _kuu_sync_emit_initiatives_changed (self, initiatives->changed);

  /* A full page may have more behind it; a server that keeps giving the
   * same cursor is not asked for ever. */
  if (page->more && g_strcmp0 (page->cursor, initiatives->cursor) != 0 && ++self->initiatives.pages < MAX_PAGES)
    pull_page (self);
}

/* --- a cursor the server does not know ----------------------------------- */

static void
forget_cursor_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;

  if (kuu_initiatives_forget_cursor (KUU_SYNC (source_object)->store, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_cursor_forgotten_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  KuuSync *self = KUU_SYNC (object);
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  _kuu_sync_pull_end (self, &self->initiatives.busy, KUU_SYNC_SOURCE_INITIATIVES, error);
  if (error == NULL)
    pull_page (self);
}

/* --- fetching ------------------------------------------------------------ */

static void
on_initiatives_fetched_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(InitiativesPull) initiatives = user_data;
  KuuSync *self = initiatives->pull.sync;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (bytes != NULL && soup_message_get_status (message) == SOUP_STATUS_BAD_REQUEST &&
      initiatives->cursor != NULL && ++self->initiatives.pages < MAX_PAGES)
    {
      g_message ("The server does not know the initiatives cursor %s; starting over", initiatives->cursor);
      _kuu_sync_run_in_thread (self, NULL, NULL, forget_cursor_thread, on_cursor_forgotten_cb);
      return;
    }
  if (!_kuu_sync_pull_answer_usable (self, KUU_SYNC_SOURCE_INITIATIVES, message, bytes, error, "initiatives") ||
      soup_message_get_status (message) != SOUP_STATUS_OK)
    {
      self->initiatives.busy = FALSE;
      return;
    }

  initiatives->answer = g_steal_pointer (&bytes);
  _kuu_sync_pull_run_in_thread (g_steal_pointer (&initiatives), store_page_thread, on_page_stored_cb);
}

static void
read_cursor_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  KuuSync *self = source_object;
  InitiativesPull *initiatives = task_data;
  GError *error = NULL;

  initiatives->cursor = kuu_initiatives_get_cursor (self->store, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static SoupMessage *
new_page_message (KuuSync    *self,
                  const char *cursor)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  if (cursor == NULL)
    return _kuu_sync_new_message (self, "GET", "/api/v1/initiatives");
  escaped = g_uri_escape_string (cursor, NULL, FALSE);
  path = g_strconcat ("/api/v1/initiatives?since=", escaped, NULL);
  return _kuu_sync_new_message (self, "GET", path);
}

static void
on_cursor_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KuuSync *self = KUU_SYNC (object);
  InitiativesPull *initiatives = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      _kuu_sync_pull_end (self, &self->initiatives.busy, KUU_SYNC_SOURCE_INITIATIVES, error);
      return;
    }

  if (!(message = new_page_message (self, initiatives->cursor)))
    {
      self->initiatives.busy = FALSE;
      return;
    }
  _kuu_sync_pull_send (initiatives, message, on_initiatives_fetched_cb);
}

/* The next page, unless one is on. */
static void
pull_page (KuuSync *self)
{
  if (self->initiatives.busy)
    return;

  self->initiatives.busy = TRUE;
  _kuu_sync_pull_run_in_thread (initiatives_pull_new (self), read_cursor_thread, on_cursor_read_cb);
}

/* --- for kuu-sync.c ------------------------------------------------------ */

/* A pull round begins: the pages are counted from here. */
void
_kuu_sync_initiatives_pull (KuuSync *self)
{
  self->initiatives.pages = 0;
  pull_page (self);
}

/* A pull on is cancelled: the next may start at once. */
void
_kuu_sync_initiatives_stop (KuuSync *self)
{
  self->initiatives.busy = FALSE;
}
