/* kuu-paper-page-texts.c
 *
 * What the paper page shows in words: dates as staff type and read them
 * (the page language's order, one format for the entry and the list), the
 * channel and municipality names, an entry's details and its state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kuu-i18n.h"
#include "kuu-paper-page-private.h"

/* As every page writes dates (kuu-i18n): 20.11.2026 in Finnish and
 * Swedish, 2026-11-20 in English; both read back below. */
char *
_kuu_paper_page_format_date (GDateTime *date)
{
  return kuu_i18n_format_date_time (date, KUU_I18N_DAY);
}

/* Day, month and year in either order people write them here: 20.11.2026,
 * 20/11/2026, 2026-11-20. Returns: local midnight, or NULL. */
GDateTime *
_kuu_paper_page_parse_date (const char *text)
{
  int numbers[3] = { 0, 0, 0 };
  guint digits[3] = { 0, 0, 0 };
  guint count = 0;
  gboolean in_number = FALSE;
  int day, month, year;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (!in_number && count++ == 3)
            return NULL;
          in_number = TRUE;
          if (++digits[count - 1] > 4)
            return NULL;
          numbers[count - 1] = numbers[count - 1] * 10 + (*p - '0');
        }
      else if (strchr (".-/ ", *p) != NULL)
        in_number = FALSE;
      else
        return NULL;
    }
  if (count != 3)
    return NULL;

  if (digits[0] == 4)
    year = numbers[0], month = numbers[1], day = numbers[2];
  else if (digits[2] == 4)
    day = numbers[0], month = numbers[1], year = numbers[2];
  else
    return NULL;  /* a two-digit year is a guess */
  if (!g_date_valid_dmy (day, month, year))
    return NULL;
  return g_date_time_new_local (year, month, day, 0, 0, 0);
}

/* YYYY-MM-DD as stored and sent. */
static GDateTime *
parse_iso_date (const char *iso)
{
  int year, month, day;

  if (iso == NULL || sscanf (iso, "%4d-%2d-%2d", &year, &month, &day) != 3 ||
      !g_date_valid_dmy (day, month, year))
    return NULL;
  return g_date_time_new_local (year, month, day, 0, 0, 0);
}

char *
_kuu_paper_page_display_iso_date (const char *iso)
{
  g_autoptr(GDateTime) date = parse_iso_date (iso);

  return date != NULL ? _kuu_paper_page_format_date (date) : g_strdup (iso);
}

GDateTime *
_kuu_paper_page_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                g_date_time_get_day_of_month (now), 0, 0, 0);
}

/* --- texts ---------------------------------------------------------------- */

static const char *
channel_name (KuuChannel channel)
{
  return channel == KUU_CHANNEL_EMAIL ? _("E-mail") : _("Paper");
}

static const char *
municipality_name (KuuPaperPage *self,
                   const char   *id)
{
  GPtrArray *municipalities = kuu_strategy_get_municipalities (kuu_context_get_strategy (self->context));

  for (guint i = 0; i < municipalities->len; i++)
    {
      const KuuEntry *municipality = g_ptr_array_index (municipalities, i);

      if (g_strcmp0 (municipality->id, id) == 0)
        return kuu_context_text (self->context, municipality->name);
    }
  return id;
}

int
_kuu_paper_page_municipality_index (KuuPaperPage *self,
                                    const char   *id)
{
  GPtrArray *municipalities = kuu_strategy_get_municipalities (kuu_context_get_strategy (self->context));

  for (guint i = 0; i < municipalities->len; i++)
    if (g_strcmp0 (((const KuuEntry *)g_ptr_array_index (municipalities, i))->id, id) == 0)
      return (int)i;
  return -1;
}

char *
_kuu_paper_page_details_text (KuuPaperPage        *self,
                              const KuuSubmission *submission)
{
  g_autofree char *received = _kuu_paper_page_display_iso_date (submission->received_on);
  g_autofree char *received_text = NULL;
  g_autofree char *signatories = NULL;

  /* TRANSLATORS: %s is the date an initiative came to the region */
  received_text = g_strdup_printf (_("received %s"), received);
  signatories = g_strdup_printf (ngettext ("%d signatory", "%d signatories", submission->signatories),
                                 submission->signatories);
  return g_strjoin (" · ", channel_name (submission->channel), received_text, signatories,
                    municipality_name (self, submission->municipality), NULL);
}

char *
_kuu_paper_page_state_text (const KuuStaffEntry *entry)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *date = NULL;

  switch (entry->state)
    {
    case KUU_STAFF_ENTRY_SENT:
      when = g_date_time_new_from_unix_local (entry->synced_at);
      date = _kuu_paper_page_format_date (when);
      /* TRANSLATORS: %s is a date */
      return g_strdup_printf (_("Sent to the region’s server on %s. Changes are made on the server."), date);
    case KUU_STAFF_ENTRY_REJECTED:
      /* TRANSLATORS: %s is the server's reason, as it gave it */
      return g_strdup_printf (_("Refused by the region’s server: %s. It is kept on this device; "
                                "ask the region’s IT."), entry->rejected_reason);
    case KUU_STAFF_ENTRY_WAITING:
    default:
      return g_strdup (_("Waiting to be sent. You can still edit or delete it."));
    }
}
