/* kuu-speaker-spd.h: a KuuSpeaker that speaks through speech-dispatcher
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-speaker.h"

G_BEGIN_DECLS

#define KUU_TYPE_SPEAKER_SPD (kuu_speaker_spd_get_type ())

G_DECLARE_FINAL_TYPE (KuuSpeakerSpd, kuu_speaker_spd, KUU, SPEAKER_SPD, GObject)

KuuSpeaker *kuu_speaker_spd_new (void);

G_END_DECLS
