/* kuu-text.h: a text written in every language the app speaks, and
 * optionally in easy language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "kuu-language.h"

G_BEGIN_DECLS

#define KUU_TYPE_TEXT (kuu_text_get_type ())

typedef struct _KuuText KuuText;

GType       kuu_text_get_type (void) G_GNUC_CONST;
KuuText    *kuu_text_new      (const char    *fi,
                               const char    *sv,
                               const char    *en);
KuuText    *kuu_text_copy     (const KuuText *self);
void        kuu_text_free     (KuuText       *self);
const char *kuu_text_get      (const KuuText *self,
                               KuuLanguage    language);
void        kuu_text_set      (KuuText       *self,
                               KuuLanguage    language,
                               const char    *text);
gboolean    kuu_text_is_complete (const KuuText *self);
const char *kuu_text_get_easy (const KuuText *self,
                               KuuLanguage    language);
void        kuu_text_set_easy (KuuText       *self,
                               KuuLanguage    language,
                               const char    *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuText, kuu_text_free)

G_END_DECLS
