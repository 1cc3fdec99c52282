/* kuu-staff-entries.h: the initiatives staff entered on this device from
 * paper or e-mail, and their edits before they are sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kuu-store.h"
#include "kuu-submission.h"

G_BEGIN_DECLS

#define KUU_STAFF_ENTRIES_ERROR (kuu_staff_entries_error_quark ())

typedef enum
{
  KUU_STAFF_ENTRIES_ERROR_NOT_FOUND,   /* gone, or never on this device */
  KUU_STAFF_ENTRIES_ERROR_NOT_STAFF,   /* not an initiative entered by staff */
  KUU_STAFF_ENTRIES_ERROR_IN_FLIGHT,   /* being sent right now: try again */
  KUU_STAFF_ENTRIES_ERROR_SENT,        /* the server has it: change it there */
  KUU_STAFF_ENTRIES_ERROR_REJECTED,    /* the server refused it: kept as it was */
} KuuStaffEntriesError;

typedef enum
{
  KUU_STAFF_ENTRY_WAITING,
  KUU_STAFF_ENTRY_SENT,
  KUU_STAFF_ENTRY_REJECTED,
} KuuStaffEntryState;

typedef struct
{
  KuuSubmission      *submission;
  KuuStaffEntryState  state;
  gint64              synced_at;        /* Unix seconds, for a sent one */
  char               *rejected_reason;  /* the server's words, for a rejected one */
} KuuStaffEntry;

#define KUU_TYPE_STAFF_ENTRY (kuu_staff_entry_get_type ())

GQuark         kuu_staff_entries_error_quark (void);
GType          kuu_staff_entry_get_type      (void) G_GNUC_CONST;
KuuStaffEntry *kuu_staff_entry_copy          (const KuuStaffEntry *entry);
void           kuu_staff_entry_free          (KuuStaffEntry       *entry);

gboolean       kuu_staff_entries_is_staff_channel (KuuChannel channel);

GPtrArray     *kuu_staff_entries_list        (KuuStore            *store,
                                              GError             **error);
gboolean       kuu_staff_entries_replace     (KuuStore            *store,
                                              const KuuSubmission *submission,
                                              GError             **error);
gboolean       kuu_staff_entries_delete      (KuuStore            *store,
                                              const char          *uuid,
                                              GError             **error);

void           kuu_staff_entries_list_async    (KuuStore            *store,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray     *kuu_staff_entries_list_finish   (KuuStore            *store,
                                                GAsyncResult        *result,
                                                GError             **error);
void           kuu_staff_entries_replace_async (KuuStore            *store,
                                                const KuuSubmission *submission,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       kuu_staff_entries_replace_finish (KuuStore           *store,
                                                 GAsyncResult       *result,
                                                 GError            **error);
void           kuu_staff_entries_delete_async  (KuuStore            *store,
                                                const char          *uuid,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       kuu_staff_entries_delete_finish (KuuStore            *store,
                                                GAsyncResult        *result,
                                                GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuStaffEntry, kuu_staff_entry_free)

G_END_DECLS
