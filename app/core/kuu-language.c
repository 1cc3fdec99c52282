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

/**
 * kuu_language_from_locale:
 *
 * The desktop's language, if it is one of ours: a staff desktop starts in
 * it. Residents choose theirs at the kiosk.
 */
gboolean
kuu_language_from_locale (KuuLanguage *out_language)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      char code[3] = { 0 };

      /* "C" and "POSIX" are no language: the desktop has not said. */
      if (strlen (names[i]) < 2 || g_str_equal (names[i], "POSIX"))
        continue;
      memcpy (code, names[i], 2);
      if (kuu_language_from_code (code, out_language))
        return TRUE;
    }

  return FALSE;
}
