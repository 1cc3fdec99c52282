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
};
