/* kuu-store-schema.h: the migrations, one per schema version
 *
 * Never edit a released migration: add the next one. Contact details live
 * in their own table so they can be erased without touching the answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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
   * the grouping kuu-stats makes. Kept by triggers, so in the same
   * transaction as the answer, whoever writes it; counted again from
   * the answers here, so running this again never counts twice. Saved
   * answers are never changed, only deleted: the guards keep it so.
   * Submissions also get an index by time for the newest feedback and
   * the statement answers of a period. */
  "CREATE TABLE IF NOT EXISTS recommendation_months ("
  "  audience TEXT NOT NULL,"
  "  period TEXT NOT NULL,"  /* '2026-11', local time */
  "  topic_kind TEXT NOT NULL,"
  "  topic_id TEXT NOT NULL,"
  "  unit TEXT NOT NULL,"
  "  s0 INTEGER NOT NULL DEFAULT 0,"
  "  s1 INTEGER NOT NULL DEFAULT 0,"
  "  s2 INTEGER NOT NULL DEFAULT 0,"
  "  s3 INTEGER NOT NULL DEFAULT 0,"
  "  s4 INTEGER NOT NULL DEFAULT 0,"
  "  s5 INTEGER NOT NULL DEFAULT 0,"
  "  s6 INTEGER NOT NULL DEFAULT 0,"
  "  s7 INTEGER NOT NULL DEFAULT 0,"
  "  s8 INTEGER NOT NULL DEFAULT 0,"
  "  s9 INTEGER NOT NULL DEFAULT 0,"
  "  s10 INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (audience, period, topic_kind, topic_id, unit)"
  ") WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS recommendation_weeks ("
  "  audience TEXT NOT NULL,"
  "  period TEXT NOT NULL,"  /* the week's Monday, '2026-11-23' */
  "  topic_kind TEXT NOT NULL,"
  "  topic_id TEXT NOT NULL,"
  "  unit TEXT NOT NULL,"
  "  s0 INTEGER NOT NULL DEFAULT 0,"
  "  s1 INTEGER NOT NULL DEFAULT 0,"
  "  s2 INTEGER NOT NULL DEFAULT 0,"
  "  s3 INTEGER NOT NULL DEFAULT 0,"
  "  s4 INTEGER NOT NULL DEFAULT 0,"
  "  s5 INTEGER NOT NULL DEFAULT 0,"
  "  s6 INTEGER NOT NULL DEFAULT 0,"
  "  s7 INTEGER NOT NULL DEFAULT 0,"
  "  s8 INTEGER NOT NULL DEFAULT 0,"
  "  s9 INTEGER NOT NULL DEFAULT 0,"
  "  s10 INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (audience, period, topic_kind, topic_id, unit)"
  ") WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS submissions_time ON submissions (audience, created_at);"
  "CREATE TRIGGER IF NOT EXISTS recommendations_counted AFTER INSERT ON recommendations"
  " BEGIN"
  "  INSERT INTO recommendation_months (audience, period, topic_kind, topic_id, unit, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)"
  "  SELECT s.audience, strftime ('%Y-%m', s.created_at, 'unixepoch', 'localtime'), NEW.topic_kind, NEW.topic_id, s.unit,"
  "         NEW.score = 0, NEW.score = 1, NEW.score = 2, NEW.score = 3, NEW.score = 4, NEW.score = 5, NEW.score = 6, NEW.score = 7, NEW.score = 8, NEW.score = 9, NEW.score = 10"
  "    FROM submissions s WHERE s.id = NEW.submission_id"
  "  ON CONFLICT DO UPDATE SET s0 = s0 + excluded.s0, s1 = s1 + excluded.s1, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, s6 = s6 + excluded.s6, s7 = s7 + excluded.s7, s8 = s8 + excluded.s8, s9 = s9 + excluded.s9, s10 = s10 + excluded.s10;"
  "  INSERT INTO recommendation_weeks (audience, period, topic_kind, topic_id, unit, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)"
  "  SELECT s.audience, date (s.created_at, 'unixepoch', 'localtime', '-6 days', 'weekday 1'), NEW.topic_kind, NEW.topic_id, s.unit,"
  "         NEW.score = 0, NEW.score = 1, NEW.score = 2, NEW.score = 3, NEW.score = 4, NEW.score = 5, NEW.score = 6, NEW.score = 7, NEW.score = 8, NEW.score = 9, NEW.score = 10"
  "    FROM submissions s WHERE s.id = NEW.submission_id"
  "  ON CONFLICT DO UPDATE SET s0 = s0 + excluded.s0, s1 = s1 + excluded.s1, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, s6 = s6 + excluded.s6, s7 = s7 + excluded.s7, s8 = s8 + excluded.s8, s9 = s9 + excluded.s9, s10 = s10 + excluded.s10;"
  " END;"
  "CREATE TRIGGER IF NOT EXISTS submissions_uncounted BEFORE DELETE ON submissions"
  " BEGIN"
  "  UPDATE recommendation_months SET s0 = s0 - (r.score = 0), s1 = s1 - (r.score = 1), s2 = s2 - (r.score = 2), s3 = s3 - (r.score = 3), s4 = s4 - (r.score = 4), s5 = s5 - (r.score = 5), s6 = s6 - (r.score = 6), s7 = s7 - (r.score = 7), s8 = s8 - (r.score = 8), s9 = s9 - (r.score = 9), s10 = s10 - (r.score = 10)"
  "    FROM recommendations r"
  "   WHERE r.submission_id = OLD.id AND recommendation_months.audience = OLD.audience"
  "     AND recommendation_months.period = strftime ('%Y-%m', OLD.created_at, 'unixepoch', 'localtime')"
  "     AND recommendation_months.topic_kind = r.topic_kind AND recommendation_months.topic_id = r.topic_id AND recommendation_months.unit = OLD.unit;"
  "  UPDATE recommendation_weeks SET s0 = s0 - (r.score = 0), s1 = s1 - (r.score = 1), s2 = s2 - (r.score = 2), s3 = s3 - (r.score = 3), s4 = s4 - (r.score = 4), s5 = s5 - (r.score = 5), s6 = s6 - (r.score = 6), s7 = s7 - (r.score = 7), s8 = s8 - (r.score = 8), s9 = s9 - (r.score = 9), s10 = s10 - (r.score = 10)"
  "    FROM recommendations r"
  "   WHERE r.submission_id = OLD.id AND recommendation_weeks.audience = OLD.audience"
  "     AND recommendation_weeks.period = date (OLD.created_at, 'unixepoch', 'localtime', '-6 days', 'weekday 1')"
  "     AND recommendation_weeks.topic_kind = r.topic_kind AND recommendation_weeks.topic_id = r.topic_id AND recommendation_weeks.unit = OLD.unit;"
  " END;"
  "CREATE TRIGGER IF NOT EXISTS recommendations_unchanged BEFORE UPDATE OF submission_id, topic_kind, topic_id, score ON recommendations"
  " BEGIN SELECT RAISE (ABORT, 'a saved answer is not changed'); END;"
  "CREATE TRIGGER IF NOT EXISTS submissions_unchanged BEFORE UPDATE OF id, audience, created_at, unit ON submissions"
  " BEGIN SELECT RAISE (ABORT, 'a saved answer is not changed'); END;"
  "DELETE FROM recommendation_months;"
  "INSERT INTO recommendation_months (audience, period, topic_kind, topic_id, unit, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)"
  "  SELECT s.audience, strftime ('%Y-%m', s.created_at, 'unixepoch', 'localtime'), r.topic_kind, r.topic_id, s.unit,"
  "         sum (r.score = 0), sum (r.score = 1), sum (r.score = 2), sum (r.score = 3), sum (r.score = 4), sum (r.score = 5), sum (r.score = 6), sum (r.score = 7), sum (r.score = 8), sum (r.score = 9), sum (r.score = 10)"
  "    FROM recommendations r JOIN submissions s ON s.id = r.submission_id"
  "   GROUP BY 1, 2, 3, 4, 5;"
  "DELETE FROM recommendation_weeks;"
  "INSERT INTO recommendation_weeks (audience, period, topic_kind, topic_id, unit, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)"
  "  SELECT s.audience, date (s.created_at, 'unixepoch', 'localtime', '-6 days', 'weekday 1'), r.topic_kind, r.topic_id, s.unit,"
  "         sum (r.score = 0), sum (r.score = 1), sum (r.score = 2), sum (r.score = 3), sum (r.score = 4), sum (r.score = 5), sum (r.score = 6), sum (r.score = 7), sum (r.score = 8), sum (r.score = 9), sum (r.score = 10)"
  "    FROM recommendations r JOIN submissions s ON s.id = r.submission_id"
  "   GROUP BY 1, 2, 3, 4, 5;",
};
