/* kuu-strategy-loader.h: reads and validates a region file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kuu-strategy.h"

G_BEGIN_DECLS

#define KUU_STRATEGY_ERROR (kuu_strategy_error_quark ())

typedef enum
{
  KUU_STRATEGY_ERROR_NOT_FOUND,
  KUU_STRATEGY_ERROR_TOO_LARGE,
  KUU_STRATEGY_ERROR_INVALID_UTF8,
  KUU_STRATEGY_ERROR_INVALID_JSON,
  KUU_STRATEGY_ERROR_UNSUPPORTED_FORMAT,
  KUU_STRATEGY_ERROR_MISSING_FIELD,
  KUU_STRATEGY_ERROR_WRONG_TYPE,
  KUU_STRATEGY_ERROR_INVALID_VALUE,
  KUU_STRATEGY_ERROR_DUPLICATE_ID,
  KUU_STRATEGY_ERROR_UNKNOWN_LANGUAGE,
  KUU_STRATEGY_ERROR_MISSING_TRANSLATION,
  KUU_STRATEGY_ERROR_OUT_OF_SCALE,
  KUU_STRATEGY_ERROR_UNKNOWN_REFERENCE,
} KuuStrategyError;

/* A region file larger than this is refused before it is parsed. */
#define KUU_STRATEGY_MAX_FILE_SIZE (4 * 1024 * 1024)

GQuark        kuu_strategy_error_quark   (void);
KuuStrategy  *kuu_strategy_load_bytes    (GBytes      *bytes,
                                          const char  *file_name,
                                          GError     **error);
KuuStrategy  *kuu_strategy_load_file     (GFile       *file,
                                          GError     **error);
KuuStrategy  *kuu_strategy_load_region   (const char  *id_or_path,
                                          GError     **error);
char        **kuu_strategy_list_bundled  (void);

G_END_DECLS
