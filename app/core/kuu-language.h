/* kuu-language.h: the languages every text is written in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  KUU_LANGUAGE_FI,
  KUU_LANGUAGE_SV,
  KUU_LANGUAGE_EN,
  KUU_N_LANGUAGES  /*< skip >*/
} KuuLanguage;

gboolean     kuu_language_from_code (const char  *code,
                                     KuuLanguage *out_language);
const char  *kuu_language_to_code   (KuuLanguage  language);
const char  *kuu_language_get_native_name (KuuLanguage language);
gboolean     kuu_language_from_locale (KuuLanguage *out_language);

G_END_DECLS
