/* fuzz-response.c: the app's readers of the server's answers (docs/protocol.md)
 *
 * The input's first line says which answer the rest is:
 *   "results N"    the results of a batch of N records (0–9; their UUIDs
 *                  are 00000000-0000-4000-8000-00000000000N, counted from 0)
 *   "enrol"        the 201 to an enrolment
 *   "initiatives"  a page of published initiatives, stored as the app does
 *   "region"       a region file from GET /api/v1/region
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kuu-fuzz.h"
#include "kuu-initiatives.h"
#include "kuu-outbox.h"
#include "kuu-strategy-loader.h"
#include "kuu-sync-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define STORE_USES 2000

static void
check_results (GBytes *body,
               guint   n_sent)
{
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_sent; i++)
    g_ptr_array_add (uuids, g_strdup_printf ("00000000-0000-4000-8000-%012u", i));
  results = _kuu_sync_parse_results (body, uuids, &error);
  kuu_fuzz_assert ((results == NULL) != (error == NULL));
  if (results == NULL)
    return;

  /* One result for each record sent, none for another. */
  kuu_fuzz_assert (results->len == n_sent);
  for (guint i = 0; i < results->len; i++)
    {
      KuuDeliveryResult *result = g_ptr_array_index (results, i);

      kuu_fuzz_assert (g_ptr_array_find_with_equal_func (uuids, result->uuid, g_str_equal, NULL));
      kuu_fuzz_assert (g_hash_table_add (seen, result->uuid));
      if (result->delivery == KUU_DELIVERY_REJECTED)
        {
          /* The reason is kept and shown to staff: text, and short. */
          kuu_fuzz_assert (result->reason != NULL && *result->reason != '\0');
          kuu_fuzz_check_text (result->reason);
          kuu_fuzz_assert (g_utf8_strlen (result->reason, -1) <= 1000);
        }
    }
}

static gboolean
is_short_printable (const char *text)
{
  if (text == NULL)
    return TRUE;
  if (*text == '\0' || strlen (text) > 128)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (*p < 0x21 || *p > 0x7e)
      return FALSE;
  return TRUE;
}

static void
check_enrolment (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuEnrolment) enrolment = _kuu_sync_parse_enrolment (body, &error);

  kuu_fuzz_assert ((enrolment == NULL) != (error == NULL));
  if (enrolment == NULL)
    return;
  kuu_fuzz_assert (enrolment->token != NULL);
  /* These go to device.ini, a line each, and on screen. */
  kuu_fuzz_assert (is_short_printable (enrolment->device_id));
  kuu_fuzz_assert (is_short_printable (enrolment->region));
}

static KuuStore *
get_store (void)
{
  static KuuStore *store;
  static guint uses, generation;

  if (store != NULL && ++uses >= STORE_USES)
    {
      g_autofree char *path = g_strdup (kuu_store_get_path (store));
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_clear_object (&store);
      remove (path);
      remove (wal);
      remove (shm);
    }
  if (store == NULL)
    {
      g_autofree char *name = g_strdup_printf ("app-%u.db", generation++);
      g_autofree char *path = kuu_fuzz_temp_path (name);
      g_autoptr(GError) error = NULL;

      if (!(store = kuu_store_open (path, &error)))
        {
          fprintf (stderr, "fuzz-response: %s\n", error->message);
          abort ();
        }
      uses = 0;
    }
  return store;
}

static void
check_initiative (const KuuInitiative *initiative)
{
  kuu_fuzz_assert (initiative->uuid != NULL && initiative->title != NULL && initiative->body != NULL);
  kuu_fuzz_check_text (initiative->uuid);
  kuu_fuzz_check_text (initiative->title);
  kuu_fuzz_check_text (initiative->body);
  kuu_fuzz_check_text (initiative->municipality);
  kuu_fuzz_check_text (initiative->received_on);
  kuu_fuzz_check_text (initiative->answer);
  kuu_fuzz_check_text (initiative->updated_at);
  /* An answered initiative shows its answer. */
  if (initiative->status == KUU_INITIATIVE_ANSWERED)
    kuu_fuzz_assert (initiative->answer != NULL);
}

static void
check_initiatives (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuInitiativesPage) page = kuu_initiatives_parse_page (body, &error);
  g_autoptr(GPtrArray) published = NULL;
  g_autofree char *cursor = NULL;
  KuuStore *store;

  kuu_fuzz_assert ((page == NULL) != (error == NULL));
  if (page == NULL)
    return;
  kuu_fuzz_assert (page->cursor != NULL);
  kuu_fuzz_check_text (page->cursor);
  kuu_fuzz_check_text (page->invalid_reason);
  for (guint i = 0; i < page->initiatives->len; i++)
    check_initiative (g_ptr_array_index (page->initiatives, i));

  /* Then as the app keeps it, and reads it back for the resident. */
  store = get_store ();
  kuu_fuzz_assert (kuu_initiatives_store_page (store, page, NULL, &error));
  kuu_fuzz_assert ((cursor = kuu_initiatives_get_cursor (store, &error)) != NULL);
  kuu_fuzz_assert (strcmp (cursor, page->cursor) == 0);
  kuu_fuzz_assert ((published = kuu_initiatives_list_published (store, &error)) != NULL);
  for (guint i = 0; i < published->len; i++)
    check_initiative (g_ptr_array_index (published, i));
}

static void
check_region (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = kuu_strategy_load_bytes (body, "kainuu.json", &error);

  kuu_fuzz_assert ((strategy == NULL) != (error == NULL));
  if (strategy != NULL)
    kuu_fuzz_touch_strategy (strategy);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *newline = memchr (data, '\n', size);
  g_autofree char *kind = NULL;
  g_autoptr(GBytes) body = NULL;

  kuu_fuzz_init ();
  if (newline == NULL)
    return 0;
  kind = g_strndup ((const char *)data, newline - data);
  body = g_bytes_new (newline + 1, size - (newline + 1 - data));

  if (g_str_has_prefix (kind, "results ") && g_ascii_isdigit (kind[8]) && kind[9] == '\0')
    check_results (body, kind[8] - '0');
  else if (strcmp (kind, "enrol") == 0)
    check_enrolment (body);
  else if (strcmp (kind, "initiatives") == 0)
    check_initiatives (body);
  else if (strcmp (kind, "region") == 0)
    check_region (body);
  return 0;
}
