/* kuu-store.h: the kiosk's SQLite database — every answer lands here first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kuu-submission.h"

G_BEGIN_DECLS

#define KUU_STORE_ERROR (kuu_store_error_quark ())

typedef enum
{
  KUU_STORE_ERROR_OPEN,       /* cannot open or create the file */
  KUU_STORE_ERROR_CORRUPT,    /* not a database, or damaged */
  KUU_STORE_ERROR_READ_ONLY,  /* the file or its folder cannot be written */
  KUU_STORE_ERROR_FULL,       /* the disk is full */
  KUU_STORE_ERROR_BUSY,       /* another program holds the database */
  KUU_STORE_ERROR_TOO_NEW,    /* made by a newer Kuulolla */
  KUU_STORE_ERROR_INVALID,    /* the record breaks a rule */
  KUU_STORE_ERROR_NOT_FOUND,
  KUU_STORE_ERROR_FAILED,
} KuuStoreError;

#define KUU_STORE_SCHEMA_VERSION 7

#define KUU_TYPE_STORE (kuu_store_get_type ())

G_DECLARE_FINAL_TYPE (KuuStore, kuu_store, KUU, STORE, GObject)

GQuark          kuu_store_error_quark     (void);
KuuStore       *kuu_store_open            (const char           *path,
                                           GError              **error);
const char     *kuu_store_get_path        (KuuStore             *self);
gboolean        kuu_store_add             (KuuStore             *self,
                                           const KuuSubmission  *submission,
                                           GError              **error);
void            kuu_store_add_async       (KuuStore             *self,
                                           const KuuSubmission  *submission,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean        kuu_store_add_finish      (KuuStore             *self,
                                           GAsyncResult         *result,
                                           GError              **error);
KuuSubmission  *kuu_store_get             (KuuStore             *self,
                                           const char           *uuid,
                                           GError              **error);
gint64          kuu_store_count           (KuuStore             *self,
                                           int                   kind,
                                           GError              **error);
gboolean        kuu_store_check_integrity (KuuStore             *self,
                                           GError              **error);

G_END_DECLS
