/* kuu-i18n.c
 *
 * A kiosk switches language per resident, not per login, so the interface
 * language is chosen here rather than by the desktop's locale. Widgets built
 * after the switch read their strings in the new language.
 *
 * Numbers, dates and times are written here too, in the language the page
 * is shown in (decimal comma and 20.11.2026 in Finnish and Swedish), not by
 * the process's locale: LC_NUMERIC cannot follow a resident's language
 * switch (setlocale is not thread-safe), and a kiosk started in English may
 * show a Finnish page a minute later. One place for all of it, so no page
 * writes "±8.5" in Finnish.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kuu-i18n.h"

/* GNU gettext caches translations; bumping this counter invalidates them. */
extern int _nl_msg_cat_cntr;

/* The sign of a negative figure: a true minus, as Finnish and Swedish
 * typesetting and the charts use. */
#define MINUS "−"

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
 * kuu_i18n_get_language:
 *
 * The language gettext speaks now: the one kuu_i18n_use_language() chose,
 * else the desktop's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); English for
 * any other.
 */
KuuLanguage
kuu_i18n_get_language (void)
{
  const char * const *names = g_get_language_names ();
  KuuLanguage language;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *code = g_strndup (names[i], 2);

      if (g_str_equal (names[i], "C"))
        break;
      if (kuu_language_from_code (code, &language))
        return language;
    }
  return KUU_LANGUAGE_EN;
}

static gboolean
uses_decimal_comma (void)
{
  return kuu_i18n_get_language () != KUU_LANGUAGE_EN;
}

/**
 * kuu_i18n_format_decimal:
 * @value: a number
 * @digits: the digits after the separator
 *
 * "8,5" in Finnish and Swedish, "8.5" in English; a negative number with
 * a true minus.
 */
char *
kuu_i18n_format_decimal (double value,
                         guint  digits)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char *dot;

  g_return_val_if_fail (digits <= 6, NULL);

  /* %.*f in the C locale whatever the process's LC_NUMERIC says. */
  g_ascii_formatd (buffer, sizeof buffer, (const char *[]) { "%.0f", "%.1f", "%.2f", "%.3f",
                                                              "%.4f", "%.5f", "%.6f" }[digits],
                   fabs (value));
  if (uses_decimal_comma () && (dot = strchr (buffer, '.')) != NULL)
    *dot = ',';
  /* −0,0 is 0,0: what rounds to zero has no sign */
  if (value < 0 && strspn (buffer, "0.,") != strlen (buffer))
    return g_strconcat (MINUS, buffer, NULL);
  return g_strdup (buffer);
}

/**
 * kuu_i18n_format_count:
 * @count: a whole number
 *
 * Thousands grouped as the page's language groups them: "1 234" (a
 * no-break space) in Finnish and Swedish, "1,234" in English.
 */
char *
kuu_i18n_format_count (guint64 count)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  const char *group = uses_decimal_comma () ? "\u00a0" : ",";
  GString *out = g_string_new (NULL);
  gsize n = strlen (digits);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (out, group);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * kuu_i18n_format_percent:
 * @percent: a share in per cent (0…100)
 * @digits: the digits after the separator
 *
 * "45 %" in Finnish and Swedish (a no-break space before the sign, as
 * their style guides write it), "45%" in English.
 */
char *
kuu_i18n_format_percent (double percent,
                         guint  digits)
{
  g_autofree char *number = kuu_i18n_format_decimal (percent, digits);

  return g_strconcat (number, uses_decimal_comma () ? "\u00a0%" : "%", NULL);
}

/**
 * kuu_i18n_format_index:
 * @index: a recommendation index, −100…100
 *
 * Whole points with their sign, as the thanks page, the results and the
 * charts write it: +42, −7, 0.
 */
char *
kuu_i18n_format_index (double index)
{
  long rounded = lround (index);

  if (rounded > 0)
    return g_strdup_printf ("+%ld", rounded);
  if (rounded < 0)
    return g_strdup_printf (MINUS "%ld", -rounded);
  return g_strdup ("0");
}

/**
 * kuu_i18n_format_margin:
 * @margin: a margin of error, in index points
 *
 * "±8,5" (one decimal, in the page's language).
 */
char *
kuu_i18n_format_margin (double margin)
{
  g_autofree char *number = kuu_i18n_format_decimal (margin, 1);

  return g_strconcat ("±", number, NULL);
}

/* Numbers only: month names would come from the system locale, not from
 * the page's language. Finland's Swedish writes dates as Finnish does. */
static const char *
date_format (void)
{
  return kuu_i18n_get_language () == KUU_LANGUAGE_EN ? "%Y-%m-%d" : "%-d.%-m.%Y";
}

/**
 * kuu_i18n_format_date_time:
 * @time: a moment, in the time zone it is to be shown in
 * @precision: the day alone, or with hours and minutes, or seconds too
 *
 * "20.11.2026", "20.11.2026 14.05" or "20.11.2026 14.05.09" in Finnish
 * and Swedish (as Finland writes them), "2026-11-20 14:05:09" in English.
 */
char *
kuu_i18n_format_date_time (GDateTime        *time,
                           KuuI18nPrecision  precision)
{
  gboolean english = kuu_i18n_get_language () == KUU_LANGUAGE_EN;
  const char *clock[] = {
    [KUU_I18N_DAY] = "",
    [KUU_I18N_MINUTE] = english ? " %H:%M" : " %H.%M",
    [KUU_I18N_SECOND] = english ? " %H:%M:%S" : " %H.%M.%S",
  };
  g_autofree char *format = NULL;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (precision <= KUU_I18N_SECOND, NULL);

  format = g_strconcat (date_format (), clock[precision], NULL);
  return g_date_time_format (time, format);
}

/**
 * kuu_i18n_format_unix:
 * @unix_seconds: a moment, in seconds since 1970
 * @precision: as for kuu_i18n_format_date_time()
 *
 * As kuu_i18n_format_date_time(), in the local time zone.
 */
char *
kuu_i18n_format_unix (gint64           unix_seconds,
                      KuuI18nPrecision precision)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_seconds);

  return time != NULL ? kuu_i18n_format_date_time (time, precision) : g_strdup ("—");
}

/**
 * kuu_i18n_format_date:
 * @iso_date: a date as YYYY-MM-DD
 *
 * The date as a person of the interface's language writes it (2.10.2026 in
 * Finnish). A string that is not a date comes back as it is.
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

  return g_date_time_format (date, date_format ());
}
