/* kuu-speaker-log.h: a KuuSpeaker that writes down what it would say
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-speaker.h"

G_BEGIN_DECLS

#define KUU_TYPE_SPEAKER_LOG (kuu_speaker_log_get_type ())

G_DECLARE_FINAL_TYPE (KuuSpeakerLog, kuu_speaker_log, KUU, SPEAKER_LOG, GObject)

KuuSpeaker *kuu_speaker_log_new (const char *path);

G_END_DECLS
