// One SQLite file per data directory holds the keys and the exchange log (WAL, so readers such as
// `pedigree log verify` never block the server's writer). Opening it migrates its schema.
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { refuseNewerSchema, SCHEMA_VERSION } from "../schema-version.js";
import { migrateSqlite } from "./migrations.js";

export type SqliteDatabase = Database.Database;
export type Durability = "process" | "power";

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
  const found = db.pragma("user_version", { simple: true }) as number;
  try {
    refuseNewerSchema(found, path);
    // A file from before versioning has the version-1 tables and user_version 0; version 1's
    // statements are IF NOT EXISTS, so it is brought up like a new file.
    if (found < SCHEMA_VERSION) migrateSqlite(db, found);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
