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
  char                *updated_at;    /* RFC 3339, from the server; NULL for the store's own */
} KuuInitiative;

#define KUU_INITIATIVES_ERROR (kuu_initiatives_error_quark ())

typedef enum
{
  KUU_INITIATIVES_ERROR_BAD_ANSWER,  /* the server's list is not what the protocol says */
} KuuInitiativesError;

/* What one answer to GET /api/v1/initiatives brought (docs/protocol.md § 7). */
typedef struct
{
  GPtrArray  *initiatives;  /* (element-type KuuInitiative): the valid ones */
  char       *cursor;
  gboolean    more;         /* more to ask for at once */
  guint       n_invalid;    /* refused, with the first reason below */
  char       *invalid_reason;
} KuuInitiativesPage;

GQuark      kuu_initiatives_error_quark   (void);
void        kuu_initiative_free           (KuuInitiative  *initiative);
const char *kuu_initiative_status_to_string   (KuuInitiativeStatus  status);
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

void                kuu_initiatives_page_free    (KuuInitiativesPage  *page);
KuuInitiativesPage *kuu_initiatives_parse_page   (GBytes              *bytes,
                                                  GError             **error);
gboolean            kuu_initiatives_store_page   (KuuStore            *store,
                                                  KuuInitiativesPage  *page,
                                                  guint               *out_changed,
                                                  GError             **error);
char               *kuu_initiatives_get_cursor   (KuuStore            *store,
                                                  GError             **error);
gboolean            kuu_initiatives_forget_cursor (KuuStore           *store,
                                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuInitiative, kuu_initiative_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuInitiativesPage, kuu_initiatives_page_free)

G_END_DECLS
