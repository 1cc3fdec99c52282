/* store-writer.c: writes recommendations one transaction at a time and
 * prints each UUID only after its commit returned — test-store kills it.
 * With COUNT_EVERY, it also brings the dashboard's counts up to date
 * after every so many saves, as a look at the Results tab does, so that
 * a kill can land in that transaction too (test-store-counts).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include "kuu-stats.h"
#include "kuu-store.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KuuStore) store = NULL;
  g_autoptr(GError) error = NULL;
  long count, count_every = 0;

  if (argc != 3 && argc != 4)
    {
      g_printerr ("usage: store-writer DATABASE COUNT [COUNT_EVERY]\n");
      return 2;
    }

  count = strtol (argv[2], NULL, 10);
  if (argc == 4)
    count_every = strtol (argv[3], NULL, 10);
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

      if (count_every > 0 && i % count_every == count_every - 1)
        {
          g_auto(GStrv) units = kuu_stats_units (store, &error);

          if (units == NULL)
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
        }
    }

  return 0;
}
