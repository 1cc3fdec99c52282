/* kuu-text.c
 *
 * A text in fi, sv and en, each optionally with an easy-language version
 * (selkokieli, lättläst: short sentences, common words) that a resident
 * can ask for at the kiosk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kuu-text.h"

struct _KuuText
{
  char *strings[KUU_N_LANGUAGES];
  char *easy[KUU_N_LANGUAGES];  /* NULL where there is none */
};

G_DEFINE_BOXED_TYPE (KuuText, kuu_text, kuu_text_copy, kuu_text_free)

KuuText *
kuu_text_new (const char *fi,
              const char *sv,
              const char *en)
{
  KuuText *self = g_new0 (KuuText, 1);

  self->strings[KUU_LANGUAGE_FI] = g_strdup (fi);
  self->strings[KUU_LANGUAGE_SV] = g_strdup (sv);
  self->strings[KUU_LANGUAGE_EN] = g_strdup (en);

  return self;
}

KuuText *
kuu_text_copy (const KuuText *self)
{
  KuuText *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = kuu_text_new (self->strings[KUU_LANGUAGE_FI],
                       self->strings[KUU_LANGUAGE_SV],
                       self->strings[KUU_LANGUAGE_EN]);
  for (guint i = 0; i < KUU_N_LANGUAGES; i++)
    copy->easy[i] = g_strdup (self->easy[i]);
  return copy;
}

void
kuu_text_free (KuuText *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < KUU_N_LANGUAGES; i++)
    {
      g_free (self->strings[i]);
      g_free (self->easy[i]);
    }
  g_free (self);
}

/* Never NULL: a missing translation falls back to English, then Finnish,
 * so a kiosk shows something rather than an empty card. The loader makes
 * sure that bundled texts are complete. */
const char *
kuu_text_get (const KuuText *self,
              KuuLanguage    language)
{
  g_return_val_if_fail (self != NULL, "");
  g_return_val_if_fail (language < KUU_N_LANGUAGES, "");

  if (self->strings[language] != NULL)
    return self->strings[language];
  if (self->strings[KUU_LANGUAGE_EN] != NULL)
    return self->strings[KUU_LANGUAGE_EN];
  if (self->strings[KUU_LANGUAGE_FI] != NULL)
    return self->strings[KUU_LANGUAGE_FI];
  return "";
}

void
kuu_text_set (KuuText     *self,
              KuuLanguage  language,
              const char  *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (language < KUU_N_LANGUAGES);

  g_free (self->strings[language]);
  self->strings[language] = g_strdup (text);
}

gboolean
kuu_text_is_complete (const KuuText *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < KUU_N_LANGUAGES; i++)
    {
      if (self->strings[i] == NULL || self->strings[i][0] == '\0')
        return FALSE;
    }

  return TRUE;
}

/**
 * kuu_text_get_easy:
 *
 * Returns: (nullable): the easy-language version in @language, or %NULL
 *   when the text has none in it
 */
const char *
kuu_text_get_easy (const KuuText *self,
                   KuuLanguage    language)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (language < KUU_N_LANGUAGES, NULL);

  return self->easy[language];
}

void
kuu_text_set_easy (KuuText     *self,
                   KuuLanguage  language,
                   const char  *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (language < KUU_N_LANGUAGES);

  g_free (self->easy[language]);
  self->easy[language] = g_strdup (text);
}
