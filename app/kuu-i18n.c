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

#include "kuu-i18n.h"

/* GNU gettext caches translations; bumping this counter invalidates them. */
extern int _nl_msg_cat_cntr;

void
kuu_i18n_use_language (KuuLanguage language)
{
  g_return_if_fail (language < KUU_N_LANGUAGES);

  /* English is the source language: no catalogue is needed for it. */
  g_setenv ("LANGUAGE", kuu_language_to_code (language), TRUE);
  ++_nl_msg_cat_cntr;
}
