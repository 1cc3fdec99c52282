/* kuu-outbox.h: the records still to deliver, and what the server said
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-store.h"

G_BEGIN_DECLS

typedef enum
{
  KUU_DELIVERY_ACCEPTED,
  KUU_DELIVERY_DUPLICATE,
  KUU_DELIVERY_REJECTED,
} KuuDelivery;

typedef struct
{
  char        *uuid;
  KuuDelivery  delivery;
  char        *reason;  /* for a rejected one */
} KuuDeliveryResult;

void        kuu_delivery_result_free (KuuDeliveryResult *result);

GPtrArray  *kuu_outbox_next_batch    (KuuStore   *store,
                                      guint       limit,
                                      GError    **error);
gboolean    kuu_outbox_settle        (KuuStore   *store,
                                      GPtrArray  *results,
                                      GError    **error);
void        kuu_outbox_release       (KuuStore   *store,
                                      GPtrArray  *uuids);
gboolean    kuu_outbox_is_in_flight  (KuuStore   *store,
                                      const char *uuid);
gint64      kuu_outbox_count_pending (KuuStore   *store,
                                      GError    **error);
gint64      kuu_outbox_count_rejected (KuuStore  *store,
                                       GError   **error);
GPtrArray  *kuu_outbox_list_rejected  (KuuStore  *store,
                                       GError   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KuuDeliveryResult, kuu_delivery_result_free)

G_END_DECLS
