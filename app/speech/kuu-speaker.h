/* kuu-speaker.h: what the kiosk's speech output speaks through — an
 * interface with a speech-dispatcher backend and a recording one for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "kuu-language.h"

G_BEGIN_DECLS

#define KUU_TYPE_SPEAKER (kuu_speaker_get_type ())

G_DECLARE_INTERFACE (KuuSpeaker, kuu_speaker, KUU, SPEAKER, GObject)

struct _KuuSpeakerInterface
{
  GTypeInterface parent_iface;

  /* Queued after what is being said; never blocks the caller. */
  void (*speak) (KuuSpeaker  *self,
                 KuuLanguage  language,
                 const char  *text);
  /* Silence now: what is being said and everything queued. */
  void (*stop)  (KuuSpeaker  *self);
};

void        kuu_speaker_speak       (KuuSpeaker  *self,
                                     KuuLanguage  language,
                                     const char  *text);
void        kuu_speaker_stop        (KuuSpeaker  *self);

KuuSpeaker *kuu_speaker_new_default (void);

G_END_DECLS
