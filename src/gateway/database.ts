// One SQLite file per data directory holds the keys and the exchange log (WAL, so readers such as
// `pedigree log verify` never block the server's writer).
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

export type SqliteDatabase = Database.Database;
export type Durability = "process" | "power";

const schema = `
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
-- name = 'head': the newest row; name = 'anchor': the last row removed by retention.
CREATE TABLE IF NOT EXISTS chain_state (
  name TEXT PRIMARY KEY,
  row_id INTEGER NOT NULL,
  hash TEXT NOT NULL
);
`;

export function databasePath(dataDir: string): string {
  return join(dataDir, "gateway.db");
}

export function openDatabase(dataDir: string, options: { durability?: Durability } = {}): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = databasePath(dataDir);
  const created = !existsSync(path);
  const db = new Database(path);
  // The log holds prompts and answers: owner-only, like the watermark key (SQLite gives the WAL and
  // shared-memory files the database file's mode).
  if (created) chmodSync(path, 0o600);
  db.pragma("journal_mode = WAL");
  // WAL + NORMAL: a commit is in the WAL file (the OS page cache) when it returns, so it survives a
  // crash of the process; FULL adds an fsync per commit so it also survives power loss.
  db.pragma(`synchronous = ${options.durability === "power" ? "FULL" : "NORMAL"}`);
  db.pragma("busy_timeout = 5000");
  db.exec(schema);
  return db;
}
