/* kuu-desk-cache.h: the last results per filter, for when the server is away
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void      kuu_desk_cache_save_async  (const char          *server_url,
                                      const char          *query,
                                      GBytes              *body,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  kuu_desk_cache_save_finish (GAsyncResult  *result,
                                      GError       **error);
void      kuu_desk_cache_load_async  (const char          *server_url,
                                      const char          *query,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
JsonNode *kuu_desk_cache_load_finish (GAsyncResult  *result,
                                      GDateTime    **out_fetched,
                                      GError       **error);
char     *kuu_desk_cache_dir         (void);

G_END_DECLS
