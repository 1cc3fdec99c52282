/* kuu-narrator.h: the kiosk's own screen reader — speaks page titles,
 * questions and the focused control, on when a resident asks for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kuu-context.h"
#include "kuu-speaker.h"

G_BEGIN_DECLS

#define KUU_TYPE_NARRATOR (kuu_narrator_get_type ())

G_DECLARE_FINAL_TYPE (KuuNarrator, kuu_narrator, KUU, NARRATOR, GObject)

KuuNarrator *kuu_narrator_new         (GtkWindow   *window,
                                       GtkStack    *pages,
                                       KuuContext  *context,
                                       KuuSpeaker  *speaker);
gboolean     kuu_narrator_get_enabled (KuuNarrator *self);
void         kuu_narrator_set_enabled (KuuNarrator *self,
                                       gboolean     enabled);
void         kuu_narrator_toggle      (KuuNarrator *self);

G_END_DECLS
