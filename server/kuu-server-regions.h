/* kuu-server-regions.h: the region files the server serves, each with the
 * strategy loaded from it and its ETag
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-strategy.h"

G_BEGIN_DECLS

#define KUU_TYPE_SERVER_REGIONS (kuu_server_regions_get_type ())

G_DECLARE_FINAL_TYPE (KuuServerRegions, kuu_server_regions, KUU, SERVER_REGIONS, GObject)

KuuServerRegions *kuu_server_regions_new          (void);
gboolean          kuu_server_regions_add          (KuuServerRegions  *self,
                                                   const char        *id_or_path,
                                                   GError           **error);
gboolean          kuu_server_regions_add_dir      (KuuServerRegions  *self,
                                                   const char        *path,
                                                   GError           **error);
gboolean          kuu_server_regions_add_bundled  (KuuServerRegions  *self,
                                                   GError           **error);
gboolean          kuu_server_regions_is_id        (const char        *text);
const char       *kuu_server_regions_add_for_enrol (KuuServerRegions  *self,
                                                   const char        *id_or_path,
                                                   GError           **error);
guint             kuu_server_regions_get_n_regions (KuuServerRegions *self);
KuuStrategy      *kuu_server_regions_get_strategy (KuuServerRegions  *self,
                                                   const char        *id);
GBytes           *kuu_server_regions_get_file     (KuuServerRegions  *self,
                                                   const char        *id,
                                                   const char       **out_etag);

G_END_DECLS
