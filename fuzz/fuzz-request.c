/* fuzz-request.c: the server's request handling, from the raw bytes of an
 * HTTP request (kuu-fuzz-server.c has how, and why this way)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kuu-fuzz.h"
#include "kuu-fuzz-server.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The server starts here, not in the first input: its database and its
 * tokens take a while, which is no input's fault (libFuzzer's -timeout). */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  kuu_fuzz_server_get_device_token ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) answer = kuu_fuzz_server_exchange (data, size, TRUE);
  gsize length;
  const char *text = g_bytes_get_data (answer, &length);

  /* Whatever came in, what goes out is HTTP, and never a 500: the server
   * answers that only when its own database fails. */
  if (length > 0)
    {
      kuu_fuzz_assert (length >= 12 && memcmp (text, "HTTP/1.", 7) == 0);
      kuu_fuzz_assert (memcmp (text + 9, "500", 3) != 0);
    }
  return 0;
}
