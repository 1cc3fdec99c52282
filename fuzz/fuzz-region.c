/* fuzz-region.c: the region file loader (kuu_strategy_load_bytes), as the
 * app runs it on a file from disk or from the region's server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kuu-fuzz.h"
#include "kuu-strategy-loader.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = NULL;

  kuu_fuzz_init ();
  strategy = kuu_strategy_load_bytes (bytes, "fuzz-region", &error);
  /* Exactly one of the two, and an error always says what was wrong. */
  if ((strategy == NULL) == (error == NULL) ||
      (error != NULL && (error->message == NULL || *error->message == '\0')))
    abort ();
  if (strategy != NULL)
    kuu_fuzz_touch_strategy (strategy);
  return 0;
}
