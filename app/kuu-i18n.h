/* kuu-i18n.h: the language the interface speaks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-language.h"

G_BEGIN_DECLS

void  kuu_i18n_use_language      (KuuLanguage  language);
void  kuu_i18n_use_easy_language (KuuLanguage  language,
                                  gboolean     easy);
char *kuu_i18n_format_date  (const char  *iso_date);

G_END_DECLS
