// SQLite schema migrations, in order; the file's PRAGMA user_version is the number applied. Version 1
// is the first release's schema (one unnamed chain, head and anchor in chain_state); version 2 names
// the chains, adds event rows, and moves the old rows into the closed chain `legacy`, hashed as then.
import type Database from "better-sqlite3";
import { LEGACY_CHAIN } from "../hash-chain.js";

const version1 = `
CREATE TABLE IF NOT EXISTS keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  policy TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS exchanges (
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  key_id TEXT,
  model TEXT NOT NULL,
  request TEXT NOT NULL,
  response TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  latency_ms REAL NOT NULL,
  status INTEGER NOT NULL,
  finish_reason TEXT,
  watermark_key_id TEXT,
  decision TEXT NOT NULL,
  distillation_licensed INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS exchanges_key_ts ON exchanges (key_id, ts);
CREATE INDEX IF NOT EXISTS exchanges_ts ON exchanges (ts);
CREATE TABLE IF NOT EXISTS chain_state (
  name TEXT PRIMARY KEY,
  row_id INTEGER NOT NULL,
  hash TEXT NOT NULL
);
`;

const version2 = `
ALTER TABLE exchanges ADD COLUMN chain TEXT NOT NULL DEFAULT '${LEGACY_CHAIN}';
ALTER TABLE exchanges ADD COLUMN seq INTEGER;
ALTER TABLE exchanges ADD COLUMN kind TEXT NOT NULL DEFAULT 'exchange';
ALTER TABLE exchanges ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE exchanges ADD COLUMN event_type TEXT;
ALTER TABLE exchanges ADD COLUMN payload TEXT;
UPDATE exchanges SET seq = id;
CREATE UNIQUE INDEX exchanges_chain_seq ON exchanges (chain, seq);
-- One row per chain: its newest row (head) and the last row removed by retention (anchor).
CREATE TABLE chains (
  chain TEXT PRIMARY KEY,
  head_seq INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  anchor_seq INTEGER NOT NULL,
  anchor_hash TEXT NOT NULL
);
INSERT INTO chains (chain, head_seq, head_hash, anchor_seq, anchor_hash)
  SELECT '${LEGACY_CHAIN}', COALESCE(h.row_id, a.row_id), COALESCE(h.hash, a.hash), COALESCE(a.row_id, 0), COALESCE(a.hash, '${"0".repeat(64)}')
  FROM (SELECT 1) LEFT JOIN chain_state h ON h.name = 'head' LEFT JOIN chain_state a ON a.name = 'anchor'
  WHERE h.row_id IS NOT NULL OR a.row_id IS NOT NULL;
DROP TABLE chain_state;
`;

// Version 3 gave PostgreSQL's log the writing transaction's id (its commit-order cursor). A SQLite
// file has one writer, whose ids are already in commit order: nothing to change here.
const version3 = "SELECT 1;";

// Version 4 gave PostgreSQL the distillation room's state; a SQLite gateway keeps it in its data
// directory's distillation/ folder, as before: nothing to change here either.
const version4 = "SELECT 1;";

export const sqliteMigrations: readonly string[] = [version1, version2, version3, version4];

/** Applies the migrations after `from`, each in its own transaction with its version bump. */
export function migrateSqlite(db: Database.Database, from: number): void {
  for (let version = from + 1; version <= sqliteMigrations.length; version++) {
    db.transaction(() => {
      // Another process (a `pedigree keys` beside the server) may have applied it since we looked.
      if ((db.pragma("user_version", { simple: true }) as number) >= version) return;
      db.exec(sqliteMigrations[version - 1]!);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}
