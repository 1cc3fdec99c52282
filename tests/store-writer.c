/* store-writer.c: writes recommendations one transaction at a time and
 * prints each UUID only after its commit returned — test-store kills it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include "kuu-store.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KuuStore) store = NULL;
  g_autoptr(GError) error = NULL;
  long count;

  if (argc != 3)
    {
      g_printerr ("usage: store-writer DATABASE COUNT\n");
      return 2;
    }

  count = strtol (argv[2], NULL, 10);
  if (!(store = kuu_store_open (argv[1], &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (long i = 0; i < count; i++)
    {
      g_autoptr(KuuSubmission) submission =
        kuu_submission_new_recommendation (KUU_TOPIC_GOAL, "goal-a", i % 11);
      g_autofree char *why = g_strdup_printf ("answer %ld", i);

      kuu_submission_set_place (submission, "kainuu", "writer", KUU_LANGUAGE_FI);
      kuu_submission_add_answer (submission, "felt-safe", 1 + i % 5);
      submission->text = g_steal_pointer (&why);
      if (!kuu_store_add (store, submission, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      printf ("%s\n", submission->uuid);
      fflush (stdout);
    }

  return 0;
}
