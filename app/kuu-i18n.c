/* kuu-i18n.c
 *
 * A kiosk switches language per resident, not per login, so the interface
 * language is chosen here rather than by the desktop's locale. Widgets built
 * after the switch read their strings in the new language.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "kuu-i18n.h"

/* GNU gettext caches translations; bumping this counter invalidates them. */
extern int _nl_msg_cat_cntr;

void
kuu_i18n_use_language (KuuLanguage language)
{
  kuu_i18n_use_easy_language (language, FALSE);
}

/**
 * kuu_i18n_use_easy_language:
 * @easy: whether the resident asked for easy language
 *
 * Easy language is a catalogue of its own, "fi@easy" beside "fi", with
 * only the messages that have an easy version (po/easy/); gettext looks
 * in it first, then in the language's own.
 */
void
kuu_i18n_use_easy_language (KuuLanguage language,
                            gboolean    easy)
{
  const char *code;
  g_autofree char *chain = NULL;

  g_return_if_fail (language < KUU_N_LANGUAGES);

  /* English is the source language: no catalogue is needed for it. */
  code = kuu_language_to_code (language);
  chain = easy ? g_strdup_printf ("%s@easy:%s", code, code) : g_strdup (code);
  g_setenv ("LANGUAGE", chain, TRUE);
  ++_nl_msg_cat_cntr;
}

/**
 * kuu_i18n_format_date:
 * @iso_date: a date as YYYY-MM-DD
 *
 * The date as a person of the interface's language writes it (2.10.2026 in
 * Finnish). Numbers only: month names would come from the system locale,
 * not from the resident's language. A string that is not a date comes
 * back as it is.
 */
char *
kuu_i18n_format_date (const char *iso_date)
{
  g_autoptr(GDateTime) date = NULL;
  int year, month, day;
  char end;

  g_return_val_if_fail (iso_date != NULL, NULL);

  if (sscanf (iso_date, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3 ||
      !(date = g_date_time_new_utc (year, month, day, 0, 0, 0)))
    return g_strdup (iso_date);

  /* TRANSLATORS: a date in g_date_time_format()'s notation, numbers only,
   * the usual way of your language: fi "%-d.%-m.%Y" */
  /* xgettext:no-c-format */
  return g_date_time_format (date, _("%Y-%m-%d"));
}
