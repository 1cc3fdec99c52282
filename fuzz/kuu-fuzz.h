/* kuu-fuzz.h: what the fuzz targets share (docs/fuzzing.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kuu-strategy.h"

G_BEGIN_DECLS

void  kuu_fuzz_init            (void);
char *kuu_fuzz_temp_path       (const char  *name);
void  kuu_fuzz_check_text      (const char  *text);
void  kuu_fuzz_touch_strategy  (KuuStrategy *strategy);

/* A check of the target's own failed: libFuzzer reports the input. */
#define kuu_fuzz_assert(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      { \
        fprintf (stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #expr); \
        abort (); \
      } \
  } G_STMT_END

G_END_DECLS
