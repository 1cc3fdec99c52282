/* kuu-speaker.c
 *
 * The interface the narrator speaks through, and the choice of backend:
 * with KUULOLLA_SPEECH_LOG set, every utterance is appended to that file
 * as a line "lang<TAB>text" (the tests' ears); otherwise speech-dispatcher,
 * when the build has it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-speaker-log.h"
#include "kuu-speaker-spd.h"
#include "kuu-speaker.h"

G_DEFINE_INTERFACE (KuuSpeaker, kuu_speaker, G_TYPE_OBJECT)

static void
kuu_speaker_default_init (KuuSpeakerInterface *iface)
{
}

/**
 * kuu_speaker_speak:
 * @text: what to say; empty says nothing
 *
 * Says @text in @language after whatever is queued.
 */
void
kuu_speaker_speak (KuuSpeaker  *self,
                   KuuLanguage  language,
                   const char  *text)
{
  g_return_if_fail (KUU_IS_SPEAKER (self));
  g_return_if_fail (language < KUU_N_LANGUAGES);
  g_return_if_fail (text != NULL);

  if (text[0] == '\0')
    return;
  KUU_SPEAKER_GET_IFACE (self)->speak (self, language, text);
}

void
kuu_speaker_stop (KuuSpeaker *self)
{
  g_return_if_fail (KUU_IS_SPEAKER (self));

  KUU_SPEAKER_GET_IFACE (self)->stop (self);
}

/**
 * kuu_speaker_new_default:
 *
 * Returns: (transfer full): the recording backend when
 *   KUULOLLA_SPEECH_LOG names a file, else speech-dispatcher's (which
 *   says in the log if it cannot speak)
 */
KuuSpeaker *
kuu_speaker_new_default (void)
{
  const char *log = g_getenv ("KUULOLLA_SPEECH_LOG");

  if (log != NULL && log[0] != '\0')
    return kuu_speaker_log_new (log);
  return kuu_speaker_spd_new ();
}
