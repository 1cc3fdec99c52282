/* kuu-server-writer.h: stores batches of records in a thread of its own,
 * many batches to a commit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kuu-server-storage.h"

G_BEGIN_DECLS

#define KUU_TYPE_SERVER_WRITER (kuu_server_writer_get_type ())

G_DECLARE_FINAL_TYPE (KuuServerWriter, kuu_server_writer, KUU, SERVER_WRITER, GObject)

KuuServerWriter *kuu_server_writer_new          (KuuServerStorage     *store,
                                                 GError              **error);
void             kuu_server_writer_store_async  (KuuServerWriter      *self,
                                                 const char           *device_id,
                                                 GPtrArray            *records,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GArray          *kuu_server_writer_store_finish (KuuServerWriter      *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
