/* kuu-server-writer.c
 *
 * One batch a transaction made every kiosk wait for every other kiosk's
 * fsync, one after another, on the main loop: with 50 devices sending at
 * once the server took in barely more than with one (bench/bench-ingest,
 * docs/performance.md). Here the batches that arrive while a commit is
 * under way wait in a queue, and the next transaction stores all of them:
 * one fsync for the group ("group commit"). The thread has its own
 * connection, so the main loop goes on reading and checking the next
 * requests meanwhile, on the other core.
 *
 * Nothing changes for a client: a batch is answered only after the
 * transaction holding it has committed, and if that transaction fails,
 * every batch in it gets the error (and the kiosks send them again).
 * Batches in one group are stored in the order they came, so a record
 * sent twice in one group is "duplicate" the second time, as it would be
 * one transaction later.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-server-writer.h"

/* At most so many batches (of at most 500 records) to a transaction. */
#define MAX_GROUP 64

struct _KuuServerWriter
{
  GObject         parent_instance;

  KuuServerStorage *store;   /* the thread's own connection */
  GAsyncQueue      *queue;   /* GTask, or the stop mark */
  GThread          *thread;
};

G_DEFINE_FINAL_TYPE (KuuServerWriter, kuu_server_writer, G_TYPE_OBJECT)

typedef struct
{
  char      *device_id;
  GPtrArray *records;   /* KuuSubmission */
} Job;

static char stop_mark;

static void
job_free (Job *job)
{
  g_free (job->device_id);
  g_ptr_array_unref (job->records);
  g_free (job);
}

/* The outcomes of one batch, or FALSE when the store failed. */
static gboolean
store_job (KuuServerStorage  *store,
           Job               *job,
           GArray            *outcomes,
           GError           **error)
{
  for (guint i = 0; i < job->records->len; i++)
    {
      KuuRecordOutcome outcome;

      if (!kuu_server_storage_add_record (store, job->device_id, g_ptr_array_index (job->records, i),
                                          &outcome, error))
        return FALSE;
      g_array_append_val (outcomes, outcome);
    }
  return TRUE;
}

/* One transaction for the whole group; then every task is answered. */
static void
store_group (KuuServerStorage *store,
             GPtrArray        *tasks)
{
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
  g_autoptr(GError) error = NULL;
  gboolean ok = kuu_server_storage_begin_batch (store, &error);

  for (guint i = 0; i < tasks->len; i++)
    {
      Job *job = g_task_get_task_data (g_ptr_array_index (tasks, i));

      g_ptr_array_add (outcomes, g_array_sized_new (FALSE, FALSE, sizeof (KuuRecordOutcome), job->records->len));
      ok = ok && store_job (store, job, g_ptr_array_index (outcomes, i), &error);
    }
  if (!kuu_server_storage_end_batch (store, ok, ok ? &error : NULL))
    ok = FALSE;

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (ok)
        g_task_return_pointer (task, g_array_ref (g_ptr_array_index (outcomes, i)), (GDestroyNotify)g_array_unref);
      else
        g_task_return_new_error (task, KUU_SERVER_STORE_ERROR, KUU_SERVER_STORE_ERROR_FAILED,
                                 "%s", error != NULL ? error->message : "Could not store the batch");
    }
}

/* Waits for a batch, takes every other one waiting too (up to
 * MAX_GROUP), stores them, and so on until the stop mark. */
static gpointer
writer_thread (gpointer data)
{
  KuuServerWriter *self = data;
  gboolean stopping = FALSE;

  while (!stopping)
    {
      g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
      gpointer item = g_async_queue_pop (self->queue);

      while (item != NULL)
        {
          if (item == &stop_mark)
            {
              stopping = TRUE;
              break;
            }
          g_ptr_array_add (tasks, item);
          item = tasks->len < MAX_GROUP ? g_async_queue_try_pop (self->queue) : NULL;
        }
      if (tasks->len > 0)
        store_group (self->store, tasks);
    }
  return NULL;
}

static void
kuu_server_writer_finalize (GObject *object)
{
  KuuServerWriter *self = (KuuServerWriter *)object;

  /* The batches still queued are stored first: the mark comes after. */
  if (self->thread != NULL)
    {
      g_async_queue_push (self->queue, &stop_mark);
      g_thread_join (self->thread);
    }
  g_async_queue_unref (self->queue);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kuu_server_writer_parent_class)->finalize (object);
}

static void
kuu_server_writer_class_init (KuuServerWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kuu_server_writer_finalize;
}

static void
kuu_server_writer_init (KuuServerWriter *self)
{
  self->queue = g_async_queue_new ();
}

/**
 * kuu_server_writer_new:
 * @store: the server's store; the writer opens its own connection to it
 *
 * Returns: (transfer full): a writer, its thread running, or %NULL with
 *   @error set
 */
KuuServerWriter *
kuu_server_writer_new (KuuServerStorage  *store,
                       GError           **error)
{
  g_autoptr(KuuServerWriter) self = g_object_new (KUU_TYPE_SERVER_WRITER, NULL);

  g_return_val_if_fail (KUU_IS_SERVER_STORAGE (store), NULL);

  if (!(self->store = kuu_server_storage_open_writer (store, error)))
    return NULL;
  /* The thread borrows self: finalize stops it before anything goes. */
  self->thread = g_thread_new ("kuu-server-writer", writer_thread, self);
  return g_steal_pointer (&self);
}

/**
 * kuu_server_writer_store_async:
 * @records: (element-type KuuSubmission): valid records of one batch, all
 *   from @device_id; not changed until the answer
 *
 * Stores the records once each (kuu_server_store_add_record()). The
 * callback runs in the thread-default main context of the caller, after
 * the transaction holding them has committed or failed.
 */
void
kuu_server_writer_store_async (KuuServerWriter     *self,
                               const char          *device_id,
                               GPtrArray           *records,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  Job *job;

  g_return_if_fail (KUU_IS_SERVER_WRITER (self));
  g_return_if_fail (device_id != NULL && records != NULL);

  job = g_new0 (Job, 1);
  job->device_id = g_strdup (device_id);
  job->records = g_ptr_array_ref (records);
  /* No source object: the writer's last reference must never be dropped
   * in its own thread, which could not join itself. */
  task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, kuu_server_writer_store_async);
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);
  g_async_queue_push (self->queue, task);
}

/**
 * kuu_server_writer_store_finish:
 *
 * Returns: (transfer full) (element-type KuuRecordOutcome): one outcome a
 *   record, in order, or %NULL with @error set (nothing of the batch was
 *   stored)
 */
GArray *
kuu_server_writer_store_finish (KuuServerWriter  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (KUU_IS_SERVER_WRITER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
