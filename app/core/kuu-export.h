/* kuu-export.h: the answers of a period as CSV, for staff to open in a
 * spreadsheet program
 *
 * The file:
 * - UTF-8 with a byte order mark, so spreadsheet programs read Ä, Ö and Å
 *   right; RFC 4180: fields with a comma, a quote or a line break are
 *   quoted, quotes doubled; every record ends in CRLF; line breaks inside
 *   a text stay as they were typed (LF), inside the quotes.
 * - A header row of fixed machine names (not translated, so a sheet built
 *   on the file keeps working in every language):
 *   uuid, kind, created_at, unit, language, audience, topic_kind, topic_id,
 *   score, statements, text, title, municipality, channel, received_on,
 *   signatories, status — and name, email, phone only with
 *   %KUU_EXPORT_CONTACTS. Without it the contact columns are not in the
 *   file at all.
 * - created_at is ISO 8601 in local time with its offset
 *   (2026-01-15T14:00:00+02:00), or in UTC (…Z) for the rare past time
 *   whose offset has seconds; received_on is the date the initiative
 *   arrived (YYYY-MM-DD).
 * - statements is one compact column, "id=answer;id=answer" (1–5) sorted
 *   by statement id, e.g. "functioning=4;got_service=5": it holds every
 *   answer even when the region's statements change between periods.
 * - Fields that do not apply to a kind are empty.
 * - A text cell that begins with = + - @, a tab or a carriage return gets
 *   a leading apostrophe ('=HYPERLINK(…)), so that a spreadsheet program
 *   shows it as text instead of running it as a formula (CSV injection).
 *   Phone numbers such as +358… are therefore written '+358….
 *
 * - With %KUU_EXPORT_SEMICOLONS the fields are separated by semicolons
 *   instead of commas (quoting as above, a field with a semicolon quoted):
 *   what Excel expects when a file is double-clicked on a computer with
 *   Finnish or Swedish regional settings, whose decimal mark is the comma.
 *
 * Records are chosen by when they were stored (created_at) in local days,
 * and by audience: one file never mixes residents and personnel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-store.h"

G_BEGIN_DECLS

typedef enum
{
  KUU_EXPORT_NONE     = 0,
  /* Add name, email and phone. Only after the staff member has confirmed
   * that the file may hold personal data. */
  KUU_EXPORT_CONTACTS = 1 << 0,
  /* Semicolons between the fields, for Excel with Nordic settings. */
  KUU_EXPORT_SEMICOLONS = 1 << 1,
} KuuExportFlags;

typedef struct
{
  KuuAudience     audience;
  GDate           since;  /* first local day; invalid (cleared): from the start */
  GDate           until;  /* first local day *not* included; invalid: up to now */
  KuuExportFlags  flags;
} KuuExportQuery;

void      kuu_export_query_init            (KuuExportQuery        *query,
                                            KuuAudience            audience);
gboolean  kuu_export_csv                   (KuuStore              *store,
                                            const KuuExportQuery  *query,
                                            GOutputStream         *stream,
                                            guint64               *out_records,
                                            GCancellable          *cancellable,
                                            GError               **error);
void      kuu_export_csv_async             (KuuStore              *store,
                                            const KuuExportQuery  *query,
                                            GOutputStream         *stream,
                                            GCancellable          *cancellable,
                                            GAsyncReadyCallback    callback,
                                            gpointer               user_data);
void      kuu_export_csv_to_file_async     (KuuStore              *store,
                                            const KuuExportQuery  *query,
                                            GFile                 *file,
                                            GCancellable          *cancellable,
                                            GAsyncReadyCallback    callback,
                                            gpointer               user_data);
gboolean  kuu_export_csv_finish            (KuuStore              *store,
                                            GAsyncResult          *result,
                                            guint64               *out_records,
                                            GError               **error);

G_END_DECLS
