/* kuu-i18n.h: the language the interface speaks, and how it writes
 * numbers, dates and times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-language.h"

G_BEGIN_DECLS

typedef enum
{
  KUU_I18N_DAY,
  KUU_I18N_MINUTE,
  KUU_I18N_SECOND,
} KuuI18nPrecision;

void         kuu_i18n_use_language     (KuuLanguage  language);
void         kuu_i18n_use_easy_language (KuuLanguage language,
                                         gboolean    easy);
KuuLanguage  kuu_i18n_get_language     (void);

char        *kuu_i18n_format_decimal   (double       value,
                                        guint        digits);
char        *kuu_i18n_format_count     (guint64      count);
char        *kuu_i18n_format_percent   (double       percent,
                                        guint        digits);
char        *kuu_i18n_format_index     (double       index);
char        *kuu_i18n_format_margin    (double       margin);
char        *kuu_i18n_format_date      (const char  *iso_date);
char        *kuu_i18n_format_date_time (GDateTime        *time,
                                        KuuI18nPrecision  precision);
char        *kuu_i18n_format_unix      (gint64            unix_seconds,
                                        KuuI18nPrecision  precision);

G_END_DECLS
