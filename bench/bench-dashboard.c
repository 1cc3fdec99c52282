/* bench-dashboard.c: one refresh of the Results tab over a region's
 * kiosk store of COUNT answers (1,000,000 by default), against a bare
 * SQLite GROUP BY that reads every one of those answers once, on the same
 * file with the same pragmas.
 *
 * The store is made first, outside the timing: a region's goals and
 * service areas, 14 units of different sizes, 24 months of opening hours,
 * residents and personnel, scores leaning per topic, some whys, statement
 * answers and feedback texts; in one transaction through SQL on the
 * store's own schema (kuu_store_open migrates it first).
 *
 * A refresh is what the page's load_thread() (app/staff/kuu-dashboard-page.c)
 * reads for one view: the units, the index by topic, the chosen topic's,
 * the trend by week or month, workplace functioning for personnel, and
 * the 50 newest feedback texts. Each round times every view and the
 * baseline in turn, so that all see the same noise; prints the median and
 * the 99th percentile of each, with the baseline's and their ratio.
 *
 * Usage: bench-dashboard DIR [COUNT] [ROUNDS]
 *   leaves DIR/dashboard.db for bench-dashboard-page
 *        bench-dashboard --make DIR COUNT   (only makes the store)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "kuu-feedback-list.h"
#include "kuu-stats.h"
#include "kuu-store.h"
#include "kuu-strategy-loader.h"
#include "bench-percentile.h"

#define REGION "keski-uusimaa"
#define N_DAYS 730
#define FEEDBACK_LIMIT 50  /* as the page */
#define BASELINE_SQL "SELECT score, count (*) FROM recommendations GROUP BY score"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Service centres of Keski-Uusimaa, with how many answers each gets
 * relative to the others: a big health centre, a small library kiosk. */
static const struct { const char *name; int weight; } units[] = {
  { "Hyvinkää sote-keskus", 14 }, { "Järvenpää sote-keskus", 13 },
  { "Kerava sote-keskus", 11 }, { "Nurmijärvi sote-keskus", 10 },
  { "Tuusula sote-keskus", 10 }, { "Mäntsälä sote-keskus", 7 },
  { "Hyvinkää perhekeskus", 6 }, { "Järvenpää perhekeskus", 6 },
  { "Kerava perhekeskus", 5 }, { "Klaukkala terveysasema", 5 },
  { "Jokela terveysasema", 4 }, { "Pornainen terveysasema", 3 },
  { "Hyvinkään sairaala", 9 }, { "Kotihoito, Tuusula", 2 },
};

typedef struct
{
  const char  *name;
  KuuAudience  audience;
  const char  *unit;      /* NULL: all units */
  gboolean     by_month;
} View;

/* The page's default view first, then a unit, a month period, personnel. */
static const View views[] = {
  { "default", KUU_AUDIENCE_RESIDENTS, NULL, FALSE },
  { "unit-month", KUU_AUDIENCE_RESIDENTS, "Kerava sote-keskus", TRUE },
  { "month", KUU_AUDIENCE_RESIDENTS, NULL, TRUE },
  { "personnel-month", KUU_AUDIENCE_PERSONNEL, NULL, TRUE },
};

/* --- helpers -------------------------------------------------------------- */

static void
check (sqlite3    *db,
       int         rc,
       int         expected,
       const char *doing)
{
  if (rc != expected)
    g_error ("%s: %s", doing, sqlite3_errmsg (db));
}

static void
exec (sqlite3    *db,
      const char *sql)
{
  check (db, sqlite3_exec (db, sql, NULL, NULL, NULL), SQLITE_OK, sql);
}

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  check (db, sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK, sql);
  return stmt;
}

static void
step_reset (sqlite3      *db,
            sqlite3_stmt *stmt)
{
  check (db, sqlite3_step (stmt), SQLITE_DONE, sqlite3_sql (stmt));
  sqlite3_reset (stmt);
}

/* A connection as the store makes it: WAL, synchronous=FULL, foreign keys. */
static sqlite3 *
open_bare (const char *path)
{
  sqlite3 *db = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("%s: %s", path, sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 5000);
  exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
  return db;
}

/* --- the store -------------------------------------------------------------- */

typedef struct
{
  GRand        *rand;
  GPtrArray    *topic_kinds;  /* const char *, goals then service areas */
  GPtrArray    *topic_ids;
  GPtrArray    *statements;   /* the survey's statement ids */
  int           unit_total;
  sqlite3_stmt *submission;
  sqlite3_stmt *recommendation;
  sqlite3_stmt *answer;
  sqlite3_stmt *feedback;
} Seeder;

static const char *
pick_unit (Seeder *seeder)
{
  int n = g_rand_int_range (seeder->rand, 0, seeder->unit_total);

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if ((n -= units[i].weight) < 0)
      return units[i].name;
  g_assert_not_reached ();
}

/* Scores mostly high, each topic leaning its own way, with a tail of
 * every score, as real answers come. */
static int
pick_score (Seeder      *seeder,
            guint        topic,
            KuuAudience  audience)
{
  int lean = (int)(topic % 5) - 2 - (audience == KUU_AUDIENCE_PERSONNEL ? 1 : 0);
  int score;

  if (g_rand_int_range (seeder->rand, 0, 10) == 0)
    return g_rand_int_range (seeder->rand, 0, 11);
  score = g_rand_int_range (seeder->rand, 5, 12) + lean;
  return CLAMP (score, 0, 10);
}

static gint64
insert_submission (sqlite3     *db,
                   Seeder      *seeder,
                   guint        i,
                   const char  *kind,
                   KuuAudience  audience,
                   gint64       when,
                   gint64       now)
{
  char uuid[37];
  int language = g_rand_int_range (seeder->rand, 0, 100);

  g_snprintf (uuid, sizeof uuid, "%08x-0000-4000-8000-%012x", i, g_rand_int (seeder->rand));
  sqlite3_bind_text (seeder->submission, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (seeder->submission, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (seeder->submission, 3, kuu_audience_to_string (audience), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (seeder->submission, 4, when);
  sqlite3_bind_text (seeder->submission, 5, pick_unit (seeder), -1, SQLITE_STATIC);
  sqlite3_bind_text (seeder->submission, 6, language < 80 ? "fi" : language < 92 ? "sv" : "en", -1, SQLITE_STATIC);
  /* What the server has, a kiosk has marked synced: all but the last day. */
  if (when < now - 86400)
    sqlite3_bind_int64 (seeder->submission, 7, when + 60);
  else
    sqlite3_bind_null (seeder->submission, 7);
  step_reset (db, seeder->submission);
  return sqlite3_last_insert_rowid (db);
}

static void
insert_answer (sqlite3    *db,
               Seeder     *seeder,
               gint64      id,
               const char *statement,
               int         answer)
{
  sqlite3_bind_int64 (seeder->answer, 1, id);
  sqlite3_bind_text (seeder->answer, 2, statement, -1, SQLITE_STATIC);
  sqlite3_bind_int (seeder->answer, 3, answer);
  step_reset (db, seeder->answer);
}

static void
insert_recommendation (sqlite3 *db,
                       Seeder  *seeder,
                       guint    i,
                       gint64   when,
                       gint64   now)
{
  KuuAudience audience = g_rand_int_range (seeder->rand, 0, 100) < 15
                         ? KUU_AUDIENCE_PERSONNEL : KUU_AUDIENCE_RESIDENTS;
  /* The first topics (the goals) are asked about more often. */
  guint topic = MIN (g_rand_int_range (seeder->rand, 0, seeder->topic_ids->len),
                     g_rand_int_range (seeder->rand, 0, seeder->topic_ids->len));
  gint64 id = insert_submission (db, seeder, i, "recommendation", audience, when, now);

  sqlite3_bind_int64 (seeder->recommendation, 1, id);
  sqlite3_bind_text (seeder->recommendation, 2, seeder->topic_kinds->pdata[topic], -1, SQLITE_STATIC);
  sqlite3_bind_text (seeder->recommendation, 3, seeder->topic_ids->pdata[topic], -1, SQLITE_STATIC);
  sqlite3_bind_int (seeder->recommendation, 4, pick_score (seeder, topic, audience));
  if (g_rand_int_range (seeder->rand, 0, 100) < 8)
    sqlite3_bind_text (seeder->recommendation, 5, "Odotin pitkään, mutta hoito oli hyvää.", -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (seeder->recommendation, 5);
  step_reset (db, seeder->recommendation);

  if (audience == KUU_AUDIENCE_PERSONNEL && g_rand_int_range (seeder->rand, 0, 10) < 9)
    insert_answer (db, seeder, id, KUU_STATEMENT_FUNCTIONING, g_rand_int_range (seeder->rand, 1, 6));
  else if (audience == KUU_AUDIENCE_RESIDENTS && g_rand_int_range (seeder->rand, 0, 10) < 4)
    for (guint s = 0; s < MIN (seeder->statements->len, 2); s++)
      insert_answer (db, seeder, id, seeder->statements->pdata[s], g_rand_int_range (seeder->rand, 1, 6));
}

static void
insert_feedback (sqlite3 *db,
                 Seeder  *seeder,
                 guint    i,
                 gint64   when,
                 gint64   now)
{
  KuuAudience audience = i % 7 == 0 ? KUU_AUDIENCE_PERSONNEL : KUU_AUDIENCE_RESIDENTS;
  gint64 id = insert_submission (db, seeder, i, "feedback", audience, when, now);

  sqlite3_bind_int64 (seeder->feedback, 1, id);
  sqlite3_bind_text (seeder->feedback, 2, "Ajanvaraus oli vaikea löytää verkosta.", -1, SQLITE_STATIC);
  step_reset (db, seeder->feedback);
}

static void
seeder_init (Seeder      *seeder,
             sqlite3     *db,
             KuuStrategy *strategy)
{
  GListModel *models[] = { kuu_strategy_get_goals (strategy), kuu_strategy_get_service_areas (strategy) };
  GPtrArray *statements = kuu_strategy_get_statements (strategy);

  seeder->rand = g_rand_new_with_seed (20261202);
  seeder->topic_kinds = g_ptr_array_new ();
  seeder->topic_ids = g_ptr_array_new_with_free_func (g_free);
  seeder->statements = g_ptr_array_new_with_free_func (g_free);
  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    for (guint i = 0; i < g_list_model_get_n_items (models[m]); i++)
      {
        g_autoptr(KuuTopic) topic = g_list_model_get_item (models[m], i);

        g_ptr_array_add (seeder->topic_kinds, (gpointer)kuu_topic_kind_to_string (kuu_topic_get_kind (topic)));
        g_ptr_array_add (seeder->topic_ids, g_strdup (kuu_topic_get_id (topic)));
      }
  for (guint i = 0; statements != NULL && i < statements->len; i++)
    g_ptr_array_add (seeder->statements, g_strdup (((KuuEntry *)statements->pdata[i])->id));
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    seeder->unit_total += units[i].weight;

  seeder->submission = prepare (db, "INSERT INTO submissions (uuid, kind, audience, created_at, region, unit,"
                                    " language, synced_at) VALUES (?1, ?2, ?3, ?4, '" REGION "', ?5, ?6, ?7)");
  seeder->recommendation = prepare (db, "INSERT INTO recommendations (submission_id, topic_kind, topic_id, score, why)"
                                        " VALUES (?1, ?2, ?3, ?4, ?5)");
  seeder->answer = prepare (db, "INSERT INTO statement_answers (submission_id, statement_id, answer) VALUES (?1, ?2, ?3)");
  seeder->feedback = prepare (db, "INSERT INTO feedback (submission_id, body) VALUES (?1, ?2)");
}

static void
seeder_clear (Seeder *seeder)
{
  sqlite3_finalize (seeder->submission);
  sqlite3_finalize (seeder->recommendation);
  sqlite3_finalize (seeder->answer);
  sqlite3_finalize (seeder->feedback);
  g_ptr_array_unref (seeder->topic_kinds);
  g_ptr_array_unref (seeder->topic_ids);
  g_ptr_array_unref (seeder->statements);
  g_rand_free (seeder->rand);
}

/* COUNT answers over the last N_DAYS, oldest first as a kiosk saves them,
 * in opening hours (06–16 UTC, 8–19 in Finland); one feedback text for
 * every 50 answers. */
static void
make_store (const char  *path,
            KuuStrategy *strategy,
            guint        count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 first_day = (now / 86400 - N_DAYS + 1) * 86400;
  Seeder seeder = { 0 };
  sqlite3 *db;

  /* the schema and its migrations, exactly as the app makes them */
  if (!(store = kuu_store_open (path, &error)))
    g_error ("%s", error->message);
  g_clear_object (&store);

  db = open_bare (path);
  /* a big cache for making it only: the timed connections keep the default */
  exec (db, "PRAGMA cache_size = -262144");
  seeder_init (&seeder, db, strategy);
  exec (db, "BEGIN IMMEDIATE");
  for (guint i = 0; i < count; i++)
    {
      double at = (double)i / count * N_DAYS;
      gint64 day = (gint64)at;
      gint64 when = first_day + day * 86400 + 6 * 3600 + (gint64)((at - day) * 10 * 3600);

      if (when > now)
        when = now - (count - i);
      insert_recommendation (db, &seeder, i, when, now);
      if (i % 50 == 49)
        insert_feedback (db, &seeder, count + i, when + 1, now);
    }
  exec (db, "COMMIT");
  exec (db, "PRAGMA wal_checkpoint (TRUNCATE)");
  exec (db, "ANALYZE");
  seeder_clear (&seeder);
  sqlite3_close (db);
}

static int
make_only (const char *dir,
           guint       count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStrategy) strategy = NULL;
  g_autofree char *path = g_build_filename (dir, "dashboard.db", NULL);

  if (!(strategy = kuu_strategy_load_region (REGION, &error)))
    g_error ("%s", error->message);
  make_store (path, strategy, count);
  return 0;
}

/* Made in a process of its own with a large malloc top pad: each answer's
 * trigger frees a block at the top of a heap the 256 MB cache keeps
 * growing, and glibc gave the memory back and took it again (brk) at
 * every row, a TLB flush each time on this VM — a million answers took
 * over half an hour instead of a minute (perf: 58 % in the kernel under
 * __do_sys_brk). The timed process keeps glibc's defaults, as the app. */
static void
make_store_apart (const char *self,
                  const char *dir,
                  guint       count)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count_text = g_strdup_printf ("%u", count);
  const char *argv[] = { self, "--make", dir, count_text, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  int status;

  envp = g_environ_setenv (envp, "MALLOC_TOP_PAD_", "268435456", TRUE);
  envp = g_environ_setenv (envp, "MALLOC_TRIM_THRESHOLD_", "536870912", TRUE);
  if (!g_spawn_sync (NULL, (char **)argv, envp, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                     NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("making the store: %s", error->message);
}

/* --- one refresh, as the page makes it ---------------------------------------- */

/* The first day of the page's periods: make_periods() in the page. */
static gint64
view_since (gboolean by_month)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) first = NULL;

  if (by_month)
    {
      g_autoptr(GDateTime) month = g_date_time_new_local (g_date_time_get_year (now),
                                                          g_date_time_get_month (now), 1, 0, 0, 0);

      first = g_date_time_add_months (month, -11);
    }
  else
    {
      g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                          g_date_time_get_month (now),
                                                          g_date_time_get_day_of_month (now), 0, 0, 0);

      first = g_date_time_add_days (today, 1 - g_date_time_get_day_of_week (today) - 21);
    }
  return g_date_time_to_unix (first);
}

static void
check_rows (GPtrArray *rows,
            GError    *error)
{
  if (rows == NULL)
    g_error ("%s", error->message);
  g_ptr_array_unref (rows);
}

/* load_thread() in app/staff/kuu-dashboard-page.c, call for call. */
static void
refresh (KuuStore   *store,
         const View *view)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) unit_list = NULL;
  KuuStatsQuery query;

  kuu_stats_query_init_for (&query, view->audience);
  query.unit = view->unit;
  query.since = view_since (view->by_month);

  if (!(unit_list = kuu_stats_units (store, &error)))
    g_error ("%s", error->message);
  query.group = KUU_STATS_GROUP_TOPIC;
  check_rows (kuu_stats_nps (store, &query, &error), error);
  query.group = KUU_STATS_GROUP_NONE;
  check_rows (kuu_stats_nps (store, &query, &error), error);
  query.group = view->by_month ? KUU_STATS_GROUP_MONTH : KUU_STATS_GROUP_WEEK;
  check_rows (kuu_stats_nps (store, &query, &error), error);
  if (view->audience == KUU_AUDIENCE_PERSONNEL)
    {
      query.group = KUU_STATS_GROUP_NONE;
      check_rows (kuu_stats_scale (store, &query, KUU_STATEMENT_FUNCTIONING, &error), error);
    }
  check_rows (kuu_feedback_list (store, view->audience, view->unit, FEEDBACK_LIMIT, &error), error);
}

static void
baseline (sqlite3      *db,
          sqlite3_stmt *stmt)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  check (db, rc, SQLITE_DONE, BASELINE_SQL);
  sqlite3_reset (stmt);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
print_figure (const char *name,
              GArray     *times,
              GArray     *base_times)
{
  double median = bench_percentile (times, 0.5), p99 = bench_percentile (times, 0.99);
  double base_median = bench_percentile (base_times, 0.5), base_p99 = bench_percentile (base_times, 0.99);

  /* One line a figure: name, value, baseline, ratio (bench/run reads them). */
  g_print ("dashboard-%s-median-ms %.3f %.3f %.3f\n", name, median, base_median, median / base_median);
  g_print ("dashboard-%s-p99-ms %.3f %.3f %.3f\n", name, p99, base_p99, p99 / base_p99);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KuuStore) store = NULL;
  g_autofree char *path = NULL;
  GArray *times[G_N_ELEMENTS (views)];
  g_autoptr(GArray) base_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(sqlite3_stmt) base_stmt = NULL;
  sqlite3 *bare;
  guint count, rounds;
  gint64 start;

  if (argc < 2)
    {
      g_printerr ("usage: bench-dashboard DIR [COUNT] [ROUNDS]\n");
      return 2;
    }
  if (argc == 4 && g_str_equal (argv[1], "--make"))
    return make_only (argv[2], (guint)atoi (argv[3]));
  count = argc > 2 ? (guint)atoi (argv[2]) : 1000000;
  rounds = argc > 3 ? (guint)atoi (argv[3]) : 30;
  path = g_build_filename (argv[1], "dashboard.db", NULL);

  start = g_get_monotonic_time ();
  make_store_apart (argv[0], argv[1], count);
  g_printerr ("bench-dashboard: %u answers made in %.1f s\n", count, ms_since (start) / 1000);

  if (!(store = kuu_store_open (path, &error)))
    g_error ("%s", error->message);
  bare = open_bare (path);
  base_stmt = prepare (bare, BASELINE_SQL);

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    times[v] = g_array_new (FALSE, FALSE, sizeof (double));
  /* one round unmeasured: the first read brings the file into the page cache */
  refresh (store, &views[0]);
  baseline (bare, base_stmt);

  for (guint r = 0; r < rounds; r++)
    {
      double ms;

      for (guint v = 0; v < G_N_ELEMENTS (views); v++)
        {
          start = g_get_monotonic_time ();
          refresh (store, &views[v]);
          ms = ms_since (start);
          g_array_append_val (times[v], ms);
        }
      start = g_get_monotonic_time ();
      baseline (bare, base_stmt);
      ms = ms_since (start);
      g_array_append_val (base_times, ms);
    }

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      print_figure (views[v].name, times[v], base_times);
      g_array_unref (times[v]);
    }

  g_clear_pointer (&base_stmt, sqlite3_finalize);
  sqlite3_close (bare);
  return 0;
}
