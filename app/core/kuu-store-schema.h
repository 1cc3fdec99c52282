/* kuu-store-schema.h: the migrations, one per schema version
 *
 * Never edit a released migration: add the next one. Contact details live
 * in their own table so they can be erased without touching the answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

/* Migration 5 keeps the same counts by month and by week: one text each,
 * for a table name and the SQL of the answer's period. */
#define MONTH_OF(t) "strftime ('%Y-%m', " t ", 'unixepoch', 'localtime')"
#define WEEK_OF(t)  "date (" t ", 'unixepoch', 'localtime', '-6 days', 'weekday 1')"

#define SCORES "s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10"
#define SCORE_SUM "s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10"
#define SCORE_COLUMN(n) "  s" #n " INTEGER NOT NULL DEFAULT 0,"
#define SCORE_IS(e, n) e " = " #n
#define SCORES_ARE(e) \
  SCORE_IS (e, 0) ", " SCORE_IS (e, 1) ", " SCORE_IS (e, 2) ", " SCORE_IS (e, 3) ", " SCORE_IS (e, 4) ", " \
  SCORE_IS (e, 5) ", " SCORE_IS (e, 6) ", " SCORE_IS (e, 7) ", " SCORE_IS (e, 8) ", " SCORE_IS (e, 9) ", " SCORE_IS (e, 10)
#define SCORE_ADDED(n) "s" #n " = s" #n " + excluded.s" #n
#define SCORE_TAKEN(n) "s" #n " = s" #n " - (r.score = " #n ")"
#define SCORES_EACH(f) \
  f (0) ", " f (1) ", " f (2) ", " f (3) ", " f (4) ", " f (5) ", " f (6) ", " f (7) ", " f (8) ", " f (9) ", " f (10)

#define RECOMMENDATION_COUNTS(table) \
  "CREATE TABLE IF NOT EXISTS " table " (" \
  "  audience TEXT NOT NULL," \
  "  period TEXT NOT NULL," \
  "  topic_kind TEXT NOT NULL," \
  "  topic_id TEXT NOT NULL," \
  "  unit TEXT NOT NULL," \
  SCORE_COLUMN (0) SCORE_COLUMN (1) SCORE_COLUMN (2) SCORE_COLUMN (3) SCORE_COLUMN (4) SCORE_COLUMN (5) \
  SCORE_COLUMN (6) SCORE_COLUMN (7) SCORE_COLUMN (8) SCORE_COLUMN (9) SCORE_COLUMN (10) \
  "  PRIMARY KEY (audience, period, topic_kind, topic_id, unit)" \
  ") WITHOUT ROWID;"

#define STATEMENT_COUNTS(table) \
  "CREATE TABLE IF NOT EXISTS " table " (" \
  "  audience TEXT NOT NULL," \
  "  statement_id TEXT NOT NULL," \
  "  period TEXT NOT NULL," \
  "  topic_kind TEXT NOT NULL," \
  "  topic_id TEXT NOT NULL," \
  "  unit TEXT NOT NULL," \
  "  answers INTEGER NOT NULL DEFAULT 0," \
  "  total INTEGER NOT NULL DEFAULT 0,"  /* their sum, for the mean */ \
  "  agree INTEGER NOT NULL DEFAULT 0,"  /* answers of 4 or 5 */ \
  "  PRIMARY KEY (audience, statement_id, period, topic_kind, topic_id, unit)" \
  ") WITHOUT ROWID;"

#define COUNT_RECOMMENDATION(table, period) \
  "  INSERT INTO " table " (audience, period, topic_kind, topic_id, unit, " SCORES ")" \
  "  SELECT s.audience, " period ", NEW.topic_kind, NEW.topic_id, s.unit," \
  "         " SCORES_ARE ("NEW.score") \
  "    FROM submissions s WHERE s.id = NEW.submission_id" \
  "  ON CONFLICT DO UPDATE SET " SCORES_EACH (SCORE_ADDED) ";"

#define COUNT_STATEMENT(table, period) \
  "  INSERT INTO " table " (audience, statement_id, period, topic_kind, topic_id, unit, answers, total, agree)" \
  "  SELECT s.audience, NEW.statement_id, " period ", r.topic_kind, r.topic_id, s.unit," \
  "         1, NEW.answer, NEW.answer >= 4" \
  "    FROM recommendations r JOIN submissions s ON s.id = r.submission_id" \
  "   WHERE r.submission_id = NEW.submission_id" \
  "  ON CONFLICT DO UPDATE SET answers = answers + 1, total = total + excluded.total," \
  "                            agree = agree + excluded.agree;"

#define UNCOUNT_RECOMMENDATION(table, period) \
  "  UPDATE " table " SET " SCORES_EACH (SCORE_TAKEN) \
  "    FROM recommendations r" \
  "   WHERE r.submission_id = OLD.id AND " table ".audience = OLD.audience" \
  "     AND " table ".period = " period \
  "     AND " table ".topic_kind = r.topic_kind AND " table ".topic_id = r.topic_id AND " table ".unit = OLD.unit;"

#define UNCOUNT_STATEMENT(table, period) \
  "  UPDATE " table " SET answers = answers - 1, total = total - a.answer, agree = agree - (a.answer >= 4)" \
  "    FROM statement_answers a JOIN recommendations r ON r.submission_id = a.submission_id" \
  "   WHERE a.submission_id = OLD.id AND " table ".audience = OLD.audience" \
  "     AND " table ".statement_id = a.statement_id" \
  "     AND " table ".period = " period \
  "     AND " table ".topic_kind = r.topic_kind AND " table ".topic_id = r.topic_id AND " table ".unit = OLD.unit;"

#define RECOUNT_RECOMMENDATIONS(table, period) \
  "DELETE FROM " table ";" \
  "INSERT INTO " table " (audience, period, topic_kind, topic_id, unit, " SCORES ")" \
  "  SELECT s.audience, " period ", r.topic_kind, r.topic_id, s.unit," \
  "         sum (r.score = 0), sum (r.score = 1), sum (r.score = 2), sum (r.score = 3), sum (r.score = 4), sum (r.score = 5)," \
  " sum (r.score = 6), sum (r.score = 7), sum (r.score = 8), sum (r.score = 9), sum (r.score = 10)" \
  "    FROM recommendations r JOIN submissions s ON s.id = r.submission_id" \
  "   GROUP BY 1, 2, 3, 4, 5;"

#define RECOUNT_STATEMENTS(table, period) \
  "DELETE FROM " table ";" \
  "INSERT INTO " table " (audience, statement_id, period, topic_kind, topic_id, unit, answers, total, agree)" \
  "  SELECT s.audience, a.statement_id, " period ", r.topic_kind, r.topic_id, s.unit," \
  "         count (*), sum (a.answer), sum (a.answer >= 4)" \
  "    FROM statement_answers a JOIN recommendations r ON r.submission_id = a.submission_id" \
  "    JOIN submissions s ON s.id = r.submission_id" \
  "   GROUP BY 1, 2, 3, 4, 5, 6;"

/* The answers of the submissions after the mark (migration 7), added to
 * the counts: the same grouping as the recount above. */
#define NEW_SINCE_MARK "s.id > (SELECT through_id FROM counted WHERE id = 1)"

#define COUNT_NEW_RECOMMENDATIONS(table, period) \
  "INSERT INTO " table " (audience, period, topic_kind, topic_id, unit, " SCORES ")" \
  "  SELECT s.audience, " period ", r.topic_kind, r.topic_id, s.unit," \
  "         sum (r.score = 0), sum (r.score = 1), sum (r.score = 2), sum (r.score = 3), sum (r.score = 4), sum (r.score = 5)," \
  " sum (r.score = 6), sum (r.score = 7), sum (r.score = 8), sum (r.score = 9), sum (r.score = 10)" \
  "    FROM submissions s JOIN recommendations r ON r.submission_id = s.id" \
  "   WHERE " NEW_SINCE_MARK \
  "   GROUP BY 1, 2, 3, 4, 5" \
  "  ON CONFLICT DO UPDATE SET " SCORES_EACH (SCORE_ADDED) ";"

#define COUNT_NEW_STATEMENTS(table, period) \
  "INSERT INTO " table " (audience, statement_id, period, topic_kind, topic_id, unit, answers, total, agree)" \
  "  SELECT s.audience, a.statement_id, " period ", r.topic_kind, r.topic_id, s.unit," \
  "         count (*), sum (a.answer), sum (a.answer >= 4)" \
  "    FROM submissions s JOIN recommendations r ON r.submission_id = s.id" \
  "    JOIN statement_answers a ON a.submission_id = s.id" \
  "   WHERE " NEW_SINCE_MARK \
  "   GROUP BY 1, 2, 3, 4, 5, 6" \
  "  ON CONFLICT DO UPDATE SET answers = answers + excluded.answers, total = total + excluded.total," \
  "                            agree = agree + excluded.agree;"

static const char * const kuu_store_migrations[] = {
  /* 1 */
  "CREATE TABLE submissions ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE CHECK (length (uuid) = 36),"
  "  kind TEXT NOT NULL CHECK (kind IN ('recommendation', 'feedback', 'initiative')),"
  "  audience TEXT NOT NULL DEFAULT 'residents' CHECK (audience IN ('residents', 'personnel')),"
  "  created_at INTEGER NOT NULL,"
  "  region TEXT NOT NULL,"
  "  unit TEXT NOT NULL,"
  "  language TEXT NOT NULL CHECK (language IN ('fi', 'sv', 'en')),"
  "  synced_at INTEGER,"
  "  rejected_reason TEXT"
  ");"
  "CREATE INDEX submissions_unsynced ON submissions (id) WHERE synced_at IS NULL;"
  "CREATE TABLE recommendations ("
  "  submission_id INTEGER PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,"
  "  topic_kind TEXT NOT NULL CHECK (topic_kind IN ('goal', 'service_area')),"
  "  topic_id TEXT NOT NULL,"
  "  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),"
  "  why TEXT"
  ");"
  "CREATE INDEX recommendations_topic ON recommendations (topic_kind, topic_id);"
  "CREATE TABLE statement_answers ("
  "  submission_id INTEGER NOT NULL REFERENCES recommendations (submission_id) ON DELETE CASCADE,"
  "  statement_id TEXT NOT NULL,"
  "  answer INTEGER NOT NULL CHECK (answer BETWEEN 1 AND 5),"
  "  PRIMARY KEY (submission_id, statement_id)"
  ");"
  "CREATE TABLE feedback ("
  "  submission_id INTEGER PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,"
  "  topic_kind TEXT CHECK (topic_kind IN ('goal', 'service_area')),"
  "  topic_id TEXT,"
  "  body TEXT NOT NULL"
  ");"
  "CREATE TABLE initiatives ("
  "  submission_id INTEGER PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,"
  "  title TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  municipality TEXT NOT NULL,"
  "  channel TEXT NOT NULL CHECK (channel IN ('kiosk', 'paper', 'email', 'web')),"
  "  received_on TEXT NOT NULL,"
  "  signatories INTEGER NOT NULL DEFAULT 1 CHECK (signatories >= 1),"
  "  status TEXT NOT NULL DEFAULT 'received',"
  "  answer TEXT"
  ");"
  "CREATE TABLE contacts ("
  "  submission_id INTEGER PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL,"
  "  email TEXT,"
  "  phone TEXT,"
  "  CHECK (email IS NOT NULL OR phone IS NOT NULL)"
  ");",

  /* 2: the outbox and the rejected ones found without a scan (a kiosk
   * offline for weeks holds many thousands); initiatives the region's
   * server has published, upserted by uuid; the sync's own small state
   * (the initiatives cursor). */
  "CREATE INDEX submissions_outbox ON submissions (id)"
  "  WHERE synced_at IS NULL AND rejected_reason IS NULL;"
  "CREATE INDEX submissions_rejected ON submissions (id) WHERE rejected_reason IS NOT NULL;"
  "CREATE TABLE published_initiatives ("
  "  uuid TEXT PRIMARY KEY CHECK (length (uuid) = 36),"
  "  title TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  municipality TEXT NOT NULL,"
  "  received_on TEXT NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('in_progress', 'answered')),"
  "  answer TEXT,"
  "  updated_at TEXT NOT NULL"
  ");"
  "CREATE TABLE sync_state ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");",

  /* 3: the staff PIN, one row at most: only its Argon2id hash (salt and
   * cost inside the string), and the wrong tries with the time the
   * lockout ends, so that restarting the kiosk does not reset them. */
  "CREATE TABLE IF NOT EXISTS staff_pin ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  hash TEXT CHECK (hash IS NULL OR hash LIKE '$argon2id$%'),"
  "  failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),"
  "  locked_until INTEGER NOT NULL DEFAULT 0"
  ");",

  /* 4: feedback texts staff have hidden from any public display (an
   * inappropriate one): a row a hidden text, so that showing it again
   * only deletes the row and the answer itself stays untouched. */
  "CREATE TABLE IF NOT EXISTS feedback_hidden ("
  "  submission_id INTEGER PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,"
  "  hidden_at INTEGER NOT NULL"
  ");",

  /* 5: the Results tab's figures without reading every answer (a
   * region's store holds a million): the answers counted per score for
   * each audience, local month or week (from Monday), topic and unit,
   * the grouping kuu-stats makes; and the same for the 1–5 statements
   * (count, sum, answers of 4–5: workplace functioning). Kept by
   * triggers, so in the same transaction as the answer, whoever writes
   * it; counted again from
   * the answers here, so running this again never counts twice. Saved
   * answers are never changed, only deleted: the guards keep it so; a
   * count a deletion brings to zero goes with it, so that every row
   * holds answers and the units are found on their index alone.
   * Submissions also get an index by time for the newest feedback and
   * the statement answers of an odd period. */
  RECOMMENDATION_COUNTS ("recommendation_months")  /* period '2026-11', local time */
  RECOMMENDATION_COUNTS ("recommendation_weeks")   /* period: the week's Monday, '2026-11-23' */
  STATEMENT_COUNTS ("statement_months")
  STATEMENT_COUNTS ("statement_weeks")
  "CREATE INDEX IF NOT EXISTS submissions_time ON submissions (audience, created_at);"
  "CREATE INDEX IF NOT EXISTS recommendation_months_unit ON recommendation_months (unit);"
  "CREATE TRIGGER IF NOT EXISTS recommendations_counted AFTER INSERT ON recommendations"
  " BEGIN"
  COUNT_RECOMMENDATION ("recommendation_months", MONTH_OF ("s.created_at"))
  COUNT_RECOMMENDATION ("recommendation_weeks", WEEK_OF ("s.created_at"))
  " END;"
  "CREATE TRIGGER IF NOT EXISTS statement_answers_counted AFTER INSERT ON statement_answers"
  " BEGIN"
  COUNT_STATEMENT ("statement_months", MONTH_OF ("s.created_at"))
  COUNT_STATEMENT ("statement_weeks", WEEK_OF ("s.created_at"))
  " END;"
  "CREATE TRIGGER IF NOT EXISTS submissions_uncounted BEFORE DELETE ON submissions"
  " BEGIN"
  UNCOUNT_RECOMMENDATION ("recommendation_months", MONTH_OF ("OLD.created_at"))
  UNCOUNT_RECOMMENDATION ("recommendation_weeks", WEEK_OF ("OLD.created_at"))
  UNCOUNT_STATEMENT ("statement_months", MONTH_OF ("OLD.created_at"))
  UNCOUNT_STATEMENT ("statement_weeks", WEEK_OF ("OLD.created_at"))
  "  DELETE FROM recommendation_months WHERE audience = OLD.audience AND period = " MONTH_OF ("OLD.created_at")
  "     AND " SCORE_SUM " = 0;"
  "  DELETE FROM recommendation_weeks WHERE audience = OLD.audience AND period = " WEEK_OF ("OLD.created_at")
  "     AND " SCORE_SUM " = 0;"
  "  DELETE FROM statement_months WHERE audience = OLD.audience AND period = " MONTH_OF ("OLD.created_at") " AND answers = 0;"
  "  DELETE FROM statement_weeks WHERE audience = OLD.audience AND period = " WEEK_OF ("OLD.created_at") " AND answers = 0;"
  " END;"
  "CREATE TRIGGER IF NOT EXISTS recommendations_unchanged BEFORE UPDATE OF submission_id, topic_kind, topic_id, score ON recommendations"
  " BEGIN SELECT RAISE (ABORT, 'a saved answer is not changed'); END;"
  "CREATE TRIGGER IF NOT EXISTS statement_answers_unchanged BEFORE UPDATE OF submission_id, statement_id, answer ON statement_answers"
  " BEGIN SELECT RAISE (ABORT, 'a saved answer is not changed'); END;"
  "CREATE TRIGGER IF NOT EXISTS submissions_unchanged BEFORE UPDATE OF id, audience, created_at, unit ON submissions"
  " BEGIN SELECT RAISE (ABORT, 'a saved answer is not changed'); END;"
  RECOUNT_RECOMMENDATIONS ("recommendation_months", MONTH_OF ("s.created_at"))
  RECOUNT_RECOMMENDATIONS ("recommendation_weeks", WEEK_OF ("s.created_at"))
  RECOUNT_STATEMENTS ("statement_months", MONTH_OF ("s.created_at"))
  RECOUNT_STATEMENTS ("statement_weeks", WEEK_OF ("s.created_at")),

  /* 6: migration 1's index of the unsynced, which nothing has read since
   * migration 2's outbox index: one page less to write at every save
   * (docs/performance.md, "Save path on a disk that flushes fast"). */
  "DROP INDEX IF EXISTS submissions_unsynced;",

  /* 7: the counts of migration 5 no longer kept in the answer's own
   * transaction (they made a save write 12 WAL pages instead of 8:
   * docs/performance.md, "Save path"), but brought up to date after it
   * (kuu_store_count_up(), before every read of them and at open) from
   * a durable high-water mark: every submission up to counted.through_id
   * is in the counts, none after it. The mark and the counts change in
   * one transaction, so a crash between an answer's commit and its
   * counting leaves the answer uncounted and the mark behind it, never a
   * count without its answer or an answer counted twice. A deletion
   * uncounts only what was counted; deleting the submission at the mark
   * moves the mark down to the one before, so that SQLite, which gives
   * a new row the largest rowid + 1, never gives a new answer an id at
   * or below the mark. Like 5, safe to run again: the counts then hold
   * every answer (5 or the triggers counted them), and so the mark is the
   * newest. */
  "DROP TRIGGER IF EXISTS recommendations_counted;"
  "DROP TRIGGER IF EXISTS statement_answers_counted;"
  "DROP TRIGGER IF EXISTS submissions_uncounted;"
  "CREATE TABLE IF NOT EXISTS counted ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  through_id INTEGER NOT NULL CHECK (through_id >= 0)"
  ");"
  "INSERT OR REPLACE INTO counted (id, through_id) SELECT 1, coalesce (max (id), 0) FROM submissions;"
  "CREATE TRIGGER submissions_uncounted BEFORE DELETE ON submissions"
  " WHEN OLD.id <= (SELECT through_id FROM counted WHERE id = 1)"
  " BEGIN"
  UNCOUNT_RECOMMENDATION ("recommendation_months", MONTH_OF ("OLD.created_at"))
  UNCOUNT_RECOMMENDATION ("recommendation_weeks", WEEK_OF ("OLD.created_at"))
  UNCOUNT_STATEMENT ("statement_months", MONTH_OF ("OLD.created_at"))
  UNCOUNT_STATEMENT ("statement_weeks", WEEK_OF ("OLD.created_at"))
  "  DELETE FROM recommendation_months WHERE audience = OLD.audience AND period = " MONTH_OF ("OLD.created_at")
  "     AND " SCORE_SUM " = 0;"
  "  DELETE FROM recommendation_weeks WHERE audience = OLD.audience AND period = " WEEK_OF ("OLD.created_at")
  "     AND " SCORE_SUM " = 0;"
  "  DELETE FROM statement_months WHERE audience = OLD.audience AND period = " MONTH_OF ("OLD.created_at") " AND answers = 0;"
  "  DELETE FROM statement_weeks WHERE audience = OLD.audience AND period = " WEEK_OF ("OLD.created_at") " AND answers = 0;"
  "  UPDATE counted SET through_id = coalesce ((SELECT max (id) FROM submissions WHERE id < OLD.id), 0)"
  "   WHERE id = 1 AND through_id = OLD.id;"
  " END;",
};

/* What kuu_store_count_up() runs in one transaction when submissions
 * after the mark exist: their answers added to the counts, then the mark
 * moved to the newest submission. */
G_GNUC_UNUSED  /* by test-store, which includes the migrations */
static const char kuu_store_count_up_sql[] =
  COUNT_NEW_RECOMMENDATIONS ("recommendation_months", MONTH_OF ("s.created_at"))
  COUNT_NEW_RECOMMENDATIONS ("recommendation_weeks", WEEK_OF ("s.created_at"))
  COUNT_NEW_STATEMENTS ("statement_months", MONTH_OF ("s.created_at"))
  COUNT_NEW_STATEMENTS ("statement_weeks", WEEK_OF ("s.created_at"))
  "UPDATE counted SET through_id = coalesce ((SELECT max (id) FROM submissions), 0) WHERE id = 1;";

#undef MONTH_OF
#undef WEEK_OF
#undef SCORES
#undef SCORE_SUM
#undef SCORE_COLUMN
#undef SCORE_IS
#undef SCORES_ARE
#undef SCORE_ADDED
#undef SCORE_TAKEN
#undef SCORES_EACH
#undef RECOMMENDATION_COUNTS
#undef STATEMENT_COUNTS
#undef COUNT_RECOMMENDATION
#undef COUNT_STATEMENT
#undef UNCOUNT_RECOMMENDATION
#undef UNCOUNT_STATEMENT
#undef RECOUNT_RECOMMENDATIONS
#undef RECOUNT_STATEMENTS
#undef NEW_SINCE_MARK
#undef COUNT_NEW_RECOMMENDATIONS
#undef COUNT_NEW_STATEMENTS
