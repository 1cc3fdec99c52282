/* kuu-speaker-spd.c
 *
 * Speech through speech-dispatcher (libspeechd; espeak-ng has Finnish,
 * Swedish and English voices). Every call into the library — the
 * connection, which may start the daemon and wait for it, and each
 * message — runs in one worker thread of a GThreadPool, in order, so the
 * main loop never waits for the speech daemon. The connection is made at
 * the first utterance, not at start: a kiosk whose residents never turn
 * speech on never talks to the daemon. Without the daemon the kiosk
 * works as before and the log says speech is unavailable; the
 * connection is tried again at most every RETRY_SECONDS.
 *
 * A stop drops what is still queued: each job carries the generation it
 * was queued in, and kuu_speaker_stop() starts a new one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#ifdef HAVE_SPEECHD
# include <libspeechd.h>
#endif

#include "kuu-speaker-spd.h"

#define RETRY_SECONDS 30

struct _KuuSpeakerSpd
{
  GObject        parent_instance;

  GThreadPool   *pool;
  gint           generation;  /* atomic */

  /* The worker's alone. */
#ifdef HAVE_SPEECHD
  SPDConnection *connection;
#endif
  gint64         failed_at;   /* monotonic µs of the last failed connect, or 0 */
};

typedef struct
{
  char        *text;  /* NULL: stop */
  KuuLanguage  language;
  gint         generation;
} Job;

static void kuu_speaker_spd_iface_init (KuuSpeakerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KuuSpeakerSpd, kuu_speaker_spd, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KUU_TYPE_SPEAKER, kuu_speaker_spd_iface_init))

static void
job_free (Job *job)
{
  g_free (job->text);
  g_free (job);
}

#ifdef HAVE_SPEECHD
/* In the worker. */
static gboolean
ensure_connection (KuuSpeakerSpd *self)
{
  char *error = NULL;

  if (self->connection != NULL)
    return TRUE;
  if (self->failed_at != 0 &&
      g_get_monotonic_time () - self->failed_at < RETRY_SECONDS * G_USEC_PER_SEC)
    return FALSE;

  self->connection = spd_open2 ("kuulolla", "kiosk", NULL, SPD_MODE_THREADED, NULL, TRUE, &error);
  if (self->connection == NULL)
    {
      g_message ("Speech is unavailable: cannot reach speech-dispatcher (%s)",
                 error != NULL ? error : "no reason given");
      free (error);
      self->failed_at = g_get_monotonic_time ();
      return FALSE;
    }
  self->failed_at = 0;
  return TRUE;
}

static void
run_job (Job           *job,
         KuuSpeakerSpd *self)
{
  if (job->text == NULL)
    {
      if (self->connection != NULL)
        spd_cancel (self->connection);
    }
  else if (job->generation == g_atomic_int_get (&self->generation) && ensure_connection (self))
    {
      spd_set_language (self->connection, kuu_language_to_code (job->language));
      /* MESSAGE: queued after what is being said, so a page's title,
       * question and focused control follow each other. */
      if (spd_say (self->connection, SPD_MESSAGE, job->text) < 0)
        g_message ("speech-dispatcher did not take a message");
    }
  job_free (job);
}
#else
static void
run_job (Job           *job,
         KuuSpeakerSpd *self)
{
  if (self->failed_at == 0)
    g_message ("Speech is unavailable: Kuulolla was built without speech-dispatcher");
  self->failed_at = 1;
  job_free (job);
}
#endif

static void
push (KuuSpeakerSpd *self,
      Job           *job)
{
  g_autoptr(GError) error = NULL;

  if (!g_thread_pool_push (self->pool, job, &error))
    {
      g_warning ("Cannot speak: %s", error->message);
      job_free (job);
    }
}

static void
kuu_speaker_spd_speak (KuuSpeaker  *speaker,
                       KuuLanguage  language,
                       const char  *text)
{
  KuuSpeakerSpd *self = KUU_SPEAKER_SPD (speaker);
  Job *job = g_new0 (Job, 1);

  job->text = g_strdup (text);
  job->language = language;
  job->generation = g_atomic_int_get (&self->generation);
  push (self, job);
}

static void
kuu_speaker_spd_stop (KuuSpeaker *speaker)
{
  KuuSpeakerSpd *self = KUU_SPEAKER_SPD (speaker);

  g_atomic_int_inc (&self->generation);
  push (self, g_new0 (Job, 1));
}

static void
kuu_speaker_spd_iface_init (KuuSpeakerInterface *iface)
{
  iface->speak = kuu_speaker_spd_speak;
  iface->stop = kuu_speaker_spd_stop;
}

/* Queued jobs are dropped; a running one is waited for. */
static void
kuu_speaker_spd_finalize (GObject *object)
{
  KuuSpeakerSpd *self = KUU_SPEAKER_SPD (object);

  g_thread_pool_free (self->pool, TRUE, TRUE);
#ifdef HAVE_SPEECHD
  g_clear_pointer (&self->connection, spd_close);
#endif

  G_OBJECT_CLASS (kuu_speaker_spd_parent_class)->finalize (object);
}

static void
kuu_speaker_spd_class_init (KuuSpeakerSpdClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kuu_speaker_spd_finalize;
}

static void
kuu_speaker_spd_init (KuuSpeakerSpd *self)
{
  /* One thread: messages keep their order. */
  /* job_free: the jobs still queued when the pool is freed (finalize)
   * are dropped, not run, and would leak otherwise. */
  self->pool = g_thread_pool_new_full ((GFunc) run_job, self, (GDestroyNotify) job_free, 1, FALSE, NULL);
}

KuuSpeaker *
kuu_speaker_spd_new (void)
{
  return g_object_new (KUU_TYPE_SPEAKER_SPD, NULL);
}
