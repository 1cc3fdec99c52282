/* bench-results.c: figure 8, a region-wide results refresh on the
 * server over COUNT records (1,000,000 by default; the figure is
 * 10,000,000), against a bare SQLite GROUP BY over the same rows, on the
 * same file with the same pragmas.
 *
 * The database is the server's own (kuu_server_store_open migrates it),
 * filled outside the timing in one transaction through SQL: Keski-
 * Uusimaa's goals and service areas, 14 units of different sizes, two
 * years of records, a tenth of them personnel, each with one or two
 * statement answers in its stored JSON, as the kiosks send them.
 *
 * A refresh is what GET /api/v1/results does after its parameters are
 * checked (kuu_results_make(), on a read-only reader of its own): the
 * desk's default view — from the first of the month eleven months ago
 * until today, by month — and as many days before, every topic's
 * total, trend, units and statements, and the targets; then the JSON
 * written out. The baseline counts the scores of the same period's
 * residents' recommendations of the region, grouped by score: the least
 * any result over those rows has to read. Each round times both in turn;
 * prints the median and the 99th percentile of each and their ratio.
 *
 * Usage: bench-results DIR [COUNT] [ROUNDS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "kuu-results.h"
#include "kuu-server-store.h"
#include "kuu-strategy-loader.h"
#include "bench-percentile.h"

#define REGION "keski-uusimaa"
#define N_DAYS 730
#define BASELINE_SQL \
  "SELECT score, count(*) FROM records WHERE kind = 'recommendation' AND audience = 'residents'" \
  " AND region = ?1 AND created_at >= ?2 AND created_at < ?3 GROUP BY score"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static const struct { const char *name; int weight; } units[] = {
  { "Hyvinkää sote-keskus", 14 }, { "Järvenpää sote-keskus", 13 },
  { "Kerava sote-keskus", 11 }, { "Nurmijärvi sote-keskus", 10 },
  { "Tuusula sote-keskus", 10 }, { "Mäntsälä sote-keskus", 7 },
  { "Hyvinkää perhekeskus", 6 }, { "Järvenpää perhekeskus", 6 },
  { "Kerava perhekeskus", 5 }, { "Klaukkala terveysasema", 5 },
  { "Jokela terveysasema", 4 }, { "Pornainen terveysasema", 3 },
  { "Hyvinkään sairaala", 9 }, { "Kotihoito, Tuusula", 2 },
};

static const char * const statements[] = {
  "easy-to-deal", "help-when-needed", "got-needed-service", "felt-safe", "treated-with-respect",
  "understandable-information",
};

static gint64
today_start (void)
{
  return g_get_real_time () / G_USEC_PER_SEC / 86400 * 86400;
}

static const char *
pick_unit (GRand *rand)
{
  int total = 0, pick;

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    total += units[i].weight;
  pick = g_rand_int_range (rand, 0, total);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if ((pick -= units[i].weight) < 0)
      return units[i].name;
  return units[0].name;
}

static gboolean
add_devices (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "INSERT INTO devices (id, token_hash, region, unit, created_at)"
                              " VALUES ('device-' || ?1, 'hash-' || ?1, '" REGION "', ?2, 0)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      sqlite3_bind_int (stmt, 1, i);
      sqlite3_bind_text (stmt, 2, units[i].name, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return FALSE;
      sqlite3_reset (stmt);
    }
  return TRUE;
}

static void
bind_record (sqlite3_stmt *stmt,
             GRand        *rand,
             GPtrArray    *topics,
             guint         n)
{
  const KuuResultsTopic *topic = g_ptr_array_index (topics, g_rand_int_range (rand, 0, topics->len));
  gboolean personnel = g_rand_int_range (rand, 0, 10) == 0;
  gint64 created = today_start () - g_rand_int_range (rand, 0, N_DAYS * 86400);
  int score = MIN (10, g_rand_int_range (rand, 0, 11) + g_rand_int_range (rand, 0, 3));
  g_autofree char *uuid = g_strdup_printf ("00000000-0000-4000-8000-%012x", n);
  g_autofree char *record = NULL;

  record = personnel
           ? g_strdup_printf ("{\"uuid\":\"%s\",\"answers\":[{\"statement\":\"functioning\",\"answer\":%d}]}",
                              uuid, g_rand_int_range (rand, 1, 6))
           : g_strdup_printf ("{\"uuid\":\"%s\",\"answers\":[{\"statement\":\"%s\",\"answer\":%d},"
                              "{\"statement\":\"%s\",\"answer\":%d}]}", uuid,
                              statements[g_rand_int_range (rand, 0, 6)], g_rand_int_range (rand, 1, 6),
                              statements[g_rand_int_range (rand, 0, 6)], g_rand_int_range (rand, 1, 6));
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, g_rand_int_range (rand, 0, G_N_ELEMENTS (units)));
  sqlite3_bind_text (stmt, 3, record, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, created);
  sqlite3_bind_text (stmt, 5, personnel ? "personnel" : "residents", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, pick_unit (rand), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, topic->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, topic->id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 9, score);
}

/* COUNT records, in one transaction, on the server's schema. */
static gboolean
fill (const char     *path,
      guint           count,
      KuuResultsPlan *plan)
{
  sqlite3 *db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);
  gboolean ok;

  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db, "PRAGMA journal_mode = WAL; BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
      !add_devices (db) ||
      sqlite3_prepare_v2 (db, "INSERT INTO records (uuid, device_id, received_at, kind, region, record, created_at,"
                              " audience, unit, topic_kind, topic_id, score)"
                              " VALUES (?1, 'device-' || ?2, 0, 'recommendation', '" REGION "', ?3, ?4, ?5, ?6,"
                              " ?7, ?8, ?9)", -1, &stmt, NULL) != SQLITE_OK)
    {
      fprintf (stderr, "bench-results: %s\n", sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }
  for (guint n = 0; n < count; n++)
    {
      bind_record (stmt, rand, plan->topics, n);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        break;
      sqlite3_reset (stmt);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  ok = sqlite3_exec (db, "COMMIT; ANALYZE", NULL, NULL, NULL) == SQLITE_OK;
  if (!ok)
    fprintf (stderr, "bench-results: %s\n", sqlite3_errmsg (db));
  sqlite3_close (db);
  return ok;
}

static double
time_results (KuuServerStorage     *reader,
              const KuuResultsPlan *plan)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = kuu_results_make (reader, plan, &error);
  g_autofree char *text = NULL;

  if (body == NULL)
    {
      fprintf (stderr, "bench-results: %s\n", error->message);
      exit (1);
    }
  text = json_to_string (body, FALSE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
time_baseline (sqlite3 *db,
               gint64   since,
               gint64   until)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 total = 0;

  if (sqlite3_prepare_v2 (db, BASELINE_SQL, -1, &stmt, NULL) != SQLITE_OK)
    exit (1);
  sqlite3_bind_text (stmt, 1, REGION, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, until);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    total += sqlite3_column_int64 (stmt, 1);
  g_assert (total > 0);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* As the desk asks by default: from the first day of the month eleven
 * months ago until today, by month. */
static KuuResultsPlan *
make_plan (KuuStrategy *strategy)
{
  KuuResultsPlan *plan = kuu_results_plan_new ();
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_julian (&today, today_start () / 86400 + 719163);
  plan->region = g_strdup (REGION);
  plan->audience = KUU_AUDIENCE_RESIDENTS;
  plan->period = KUU_BUCKET_MONTH;
  plan->until = today;
  plan->since = plan->until;
  g_date_set_day (&plan->since, 1);
  g_date_subtract_months (&plan->since, 11);
  plan->previous_since = plan->since;
  g_date_subtract_days (&plan->previous_since, g_date_days_between (&plan->since, &plan->until) + 1);
  kuu_results_plan_fill (plan, strategy);
  return plan;
}

static void
report (const char *name,
        GArray     *values,
        GArray     *baseline,
        double      p)
{
  double value = bench_percentile (values, p), base = bench_percentile (baseline, p);

  printf ("%s %.2f %.2f %.2f\n", name, value, base, value / base);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = NULL;
  g_autoptr(KuuResultsPlan) plan = NULL;
  g_autoptr(KuuServerStore) store = NULL;
  g_autoptr(KuuServerStorage) reader = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GArray) results = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) baseline = g_array_new (FALSE, FALSE, sizeof (double));
  guint count = argc > 2 ? atoi (argv[2]) : 1000000;
  guint rounds = argc > 3 ? atoi (argv[3]) : 20;
  sqlite3 *db = NULL;

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-results DIR [COUNT] [ROUNDS]\n");
      return 2;
    }
  path = g_build_filename (argv[1], "results.db", NULL);
  if (!(strategy = kuu_strategy_load_region (REGION, &error)) ||
      !(store = kuu_server_store_open (path, &error)))
    {
      fprintf (stderr, "bench-results: %s\n", error->message);
      return 1;
    }
  plan = make_plan (strategy);
  if (!fill (path, count, plan) ||
      !(reader = kuu_server_storage_open_reader (KUU_SERVER_STORAGE (store), &error)) ||
      sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return 1;

  for (guint i = 0; i < rounds; i++)
    {
      double ms = time_results (reader, plan);

      g_array_append_val (results, ms);
      ms = time_baseline (db, kuu_results_date_seconds (&plan->since),
                          kuu_results_date_seconds (&plan->until) + 86400);
      g_array_append_val (baseline, ms);
    }
  report ("results-median-ms", results, baseline, 0.5);
  report ("results-p99-ms", results, baseline, 0.99);
  sqlite3_close (db);
  return 0;
}
