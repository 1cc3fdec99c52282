/* kuu-language.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kuu-language.h"

#include <string.h>

static const char * const codes[KUU_N_LANGUAGES] = { "fi", "sv", "en" };

/* Each language names itself: a resident looks for their own language's name. */
static const char * const native_names[KUU_N_LANGUAGES] = { "Suomi", "Svenska", "English" };

gboolean
kuu_language_from_code (const char  *code,
                        KuuLanguage *out_language)
{
  g_return_val_if_fail (code != NULL, FALSE);

  for (guint i = 0; i < KUU_N_LANGUAGES; i++)
    {
      if (strcmp (code, codes[i]) == 0)
        {
          if (out_language != NULL)
            *out_language = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
kuu_language_to_code (KuuLanguage language)
{
  g_return_val_if_fail (language < KUU_N_LANGUAGES, NULL);

  return codes[language];
}

const char *
kuu_language_get_native_name (KuuLanguage language)
{
  g_return_val_if_fail (language < KUU_N_LANGUAGES, NULL);

  return native_names[language];
}

/* The desktop's language, for staff; residents choose theirs at the kiosk. */
KuuLanguage
kuu_language_from_locale (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      KuuLanguage language;
      char code[3] = { 0 };

      if (strlen (names[i]) < 2)
        continue;
      memcpy (code, names[i], 2);
      if (kuu_language_from_code (code, &language))
        return language;
    }

  return KUU_LANGUAGE_EN;
}
