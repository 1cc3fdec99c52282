/* kuu-speaker-log.c
 *
 * The recording speech backend, for tests (KUULOLLA_SPEECH_LOG=path):
 * each utterance is appended to the file as one line "lang<TAB>text",
 * line breaks in the text made spaces; kuu_speaker_stop() appends
 * "-<TAB>stop". Written at once, in order, so that a test reading the
 * file sees what was said in the order it was said; a test file on a
 * local disk takes microseconds, and no kiosk sets the variable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "kuu-speaker-log.h"

struct _KuuSpeakerLog
{
  GObject  parent_instance;

  char    *path;
};

static void kuu_speaker_log_iface_init (KuuSpeakerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KuuSpeakerLog, kuu_speaker_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KUU_TYPE_SPEAKER, kuu_speaker_log_iface_init))

static void
append_line (KuuSpeakerLog *self,
             const char    *code,
             const char    *text)
{
  g_autofree char *flat = g_strdup (text);
  FILE *file;

  g_strdelimit (flat, "\r\n\t", ' ');
  file = fopen (self->path, "a");
  if (file == NULL)
    {
      g_warning ("Cannot write the speech log %s: %s", self->path, g_strerror (errno));
      return;
    }
  fprintf (file, "%s\t%s\n", code, flat);
  fclose (file);
}

static void
kuu_speaker_log_speak (KuuSpeaker  *speaker,
                       KuuLanguage  language,
                       const char  *text)
{
  append_line (KUU_SPEAKER_LOG (speaker), kuu_language_to_code (language), text);
}

static void
kuu_speaker_log_stop (KuuSpeaker *speaker)
{
  append_line (KUU_SPEAKER_LOG (speaker), "-", "stop");
}

static void
kuu_speaker_log_iface_init (KuuSpeakerInterface *iface)
{
  iface->speak = kuu_speaker_log_speak;
  iface->stop = kuu_speaker_log_stop;
}

static void
kuu_speaker_log_finalize (GObject *object)
{
  g_free (KUU_SPEAKER_LOG (object)->path);

  G_OBJECT_CLASS (kuu_speaker_log_parent_class)->finalize (object);
}

static void
kuu_speaker_log_class_init (KuuSpeakerLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kuu_speaker_log_finalize;
}

static void
kuu_speaker_log_init (KuuSpeakerLog *self)
{
}

KuuSpeaker *
kuu_speaker_log_new (const char *path)
{
  KuuSpeakerLog *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (KUU_TYPE_SPEAKER_LOG, NULL);
  self->path = g_strdup (path);
  return KUU_SPEAKER (self);
}
