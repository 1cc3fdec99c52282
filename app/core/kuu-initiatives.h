/* kuu-initiatives.h: the region's initiatives as residents may read them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-store.h"

G_BEGIN_DECLS

typedef enum
{
  KUU_INITIATIVE_RECEIVED,     /* in the store, not yet taken up */
  KUU_INITIATIVE_IN_PROGRESS,  /* the region has said who handles it */
  KUU_INITIATIVE_ANSWERED,     /* the region has published its answer */
} KuuInitiativeStatus;

typedef struct
{
  char                *uuid;
  char                *title;
  char                *body;
  char                *municipality;  /* an id from the region's list */
  char                *received_on;   /* YYYY-MM-DD */
  KuuInitiativeStatus  status;
  char                *answer;        /* NULL until answered */
} KuuInitiative;

void        kuu_initiative_free           (KuuInitiative  *initiative);
gboolean    kuu_initiative_status_from_string (const char          *name,
                                               KuuInitiativeStatus *out_status);

GPtrArray  *kuu_initiatives_list_published   (KuuStore             *store,
                                              GError              **error);
void        kuu_initiatives_list_published_async  (KuuStore            *store,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray  *kuu_initiatives_list_published_finish (KuuStore            *store,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuInitiative, kuu_initiative_free)

G_END_DECLS
