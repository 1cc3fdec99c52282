/* kuu-paper-page-private.h: what the files of KuuPaperPage share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kuu-choice-grid.h"
#include "kuu-paper-page.h"
#include "kuu-staff-entries.h"
#include "kuu-text-area.h"

G_BEGIN_DECLS

struct _KuuPaperPage
{
  GtkWidget       parent_instance;

  KuuContext     *context;
  GSignalGroup   *sync_signals;  /* follows the context's sync, whichever it is */
  GCancellable   *cancellable;
  KuuStaffEntry  *editing;     /* a copy; NULL for a new one */
  char           *shown;       /* what the list shows, to rebuild it only on a change */
  gboolean        read_only;
  gboolean        saving;
  gboolean        showing_date;  /* setting the calendar, not a choice */
  GtkWidget      *revealing;     /* a message to scroll into view */
  guint           reveal_id;
  guint           reveal_ticks;

  GtkStack       *stack;
  GtkListBox     *entry_list;
  GtkLabel       *list_status;
  GtkLabel       *list_error;
  GtkButton      *new_button;

  GtkScrolledWindow *editor_scroller;
  GtkLabel       *editor_title;
  GtkLabel       *read_only_note;
  GtkEntry       *title_entry;
  GtkLabel       *title_error;
  GtkBox         *text_holder;
  KuuTextArea    *text_area;
  GtkLabel       *text_error;
  GtkBox         *municipality_holder;
  GtkLabel       *municipality_label;
  KuuChoiceGrid  *municipality_grid;  /* made anew for each initiative */
  GtkLabel       *municipality_error;
  GtkToggleButton *paper_check;
  GtkToggleButton *email_check;
  GtkEntry       *date_entry;
  GtkMenuButton  *date_button;
  GtkPopover     *date_popover;
  GtkCalendar    *calendar;
  GtkLabel       *date_hint;
  GtkLabel       *date_error;
  GtkSpinButton  *signatories_spin;
  GtkWidget      *contact_box;
  GtkEntry       *name_entry;
  GtkLabel       *name_error;
  GtkEntry       *email_entry;
  GtkLabel       *email_error;
  GtkEntry       *phone_entry;
  GtkLabel       *phone_error;
  GtkLabel       *editor_error;
  GtkButton      *cancel_button;
  GtkButton      *save_button;
  GtkSpinner     *spinner;
};

/* kuu-paper-page-texts.c */
char                *_kuu_paper_page_format_date       (GDateTime           *date);
GDateTime           *_kuu_paper_page_parse_date        (const char          *text);
char                *_kuu_paper_page_display_iso_date  (const char          *iso);
GDateTime           *_kuu_paper_page_today             (void);
int                  _kuu_paper_page_municipality_index (KuuPaperPage *self,
                                                         const char   *id);
char                *_kuu_paper_page_details_text      (KuuPaperPage        *self,
                                                        const KuuSubmission *submission);
char                *_kuu_paper_page_state_text        (const KuuStaffEntry *entry);

/* kuu-paper-page-list.c */
const KuuStaffEntry *_kuu_paper_page_find_entry        (KuuPaperPage        *self,
                                                        const char          *uuid);
void                 _kuu_paper_page_show_list_message (KuuPaperPage        *self,
                                                        GtkLabel            *label,
                                                        const char          *message);
void                 _kuu_paper_page_reload            (KuuPaperPage        *self);
void                 _kuu_paper_page_on_sync_notify_cb (KuuPaperPage        *self,
                                                        GParamSpec          *pspec);
void                 _kuu_paper_page_on_context_sync_changed_cb (KuuPaperPage *self);

G_END_DECLS
