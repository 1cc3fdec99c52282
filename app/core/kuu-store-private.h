/* kuu-store-private.h: for the modules that query the store in SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-sqlite.h"
#include "kuu-store.h"

G_BEGIN_DECLS

/* Hold the lock for as long as the handle is used. */
sqlite3  *_kuu_store_lock   (KuuStore   *self);
void      _kuu_store_unlock (KuuStore   *self);
gboolean  _kuu_store_fail   (KuuStore   *self,
                             sqlite3    *db,
                             int         rc,
                             const char *doing,
                             GError    **error);

/* With the lock held: the dashboard's counts brought up to date. */
gboolean   _kuu_store_count_up     (KuuStore  *self,
                                    GError   **error);
gboolean   _kuu_store_add_all      (KuuStore  *self,
                                    GPtrArray *submissions,
                                    GError   **error);
GPtrArray *_kuu_store_read_waiting (KuuStore  *self,
                                    guint      limit,
                                    GError   **error);

/* The outbox's records in flight: see kuu-outbox.c. */
void      _kuu_store_in_flight_add     (KuuStore   *self,
                                        GPtrArray  *uuids);
void      _kuu_store_in_flight_remove  (KuuStore   *self,
                                        const char *uuid);
gboolean  _kuu_store_is_in_flight      (KuuStore   *self,
                                        const char *uuid);

char     *_kuu_store_query_pragma (KuuStore   *self,
                                  const char *name,
                                  GError    **error);

G_END_DECLS
