// A data directory from the first release (schema 1: one unnamed chain, head in chain_state) is
// migrated at open: its rows become the closed chain `legacy`, still verified as they were hashed,
// and the server's new rows start its own chain beside it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { entry } from "../test-support/temp-data.js";
import { GENESIS_HASH, LEGACY_CHAIN, rowHash } from "./hash-chain.js";
import { SCHEMA_VERSION } from "./schema-version.js";
import { databasePath, openDatabase } from "./sqlite/database.js";
import { sqliteMigrations } from "./sqlite/migrations.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pedigree-migrate-"));
  // The first release's file, written as that release wrote it (no user_version).
  const db = new Database(databasePath(dir));
  db.exec(sqliteMigrations[0]!);
  let prev = GENESIS_HASH;
  const insert = db.prepare(`INSERT INTO exchanges (id, ts, key_id, model, request, response, prompt_tokens, completion_tokens, total_tokens, latency_ms, status,
    finish_reason, watermark_key_id, decision, distillation_licensed, prev_hash, hash) VALUES (@id, @ts, @key_id, @model, @request, @response, @prompt_tokens,
    @completion_tokens, @total_tokens, @latency_ms, @status, @finish_reason, @watermark_key_id, @decision, @distillation_licensed, @prev_hash, @hash)`);
  for (let id = 1; id <= 4; id++) {
    const fields = { ...entry(id), kind: "exchange" as const, event_type: null, payload: null, chain: LEGACY_CHAIN, seq: id, format: 1, prev_hash: prev };
    const hash = rowHash(fields);
    insert.run({ ...entry(id), id, prev_hash: prev, hash });
    prev = hash;
  }
  db.prepare("INSERT INTO chain_state (name, row_id, hash) VALUES ('head', 4, ?)").run(prev);
  db.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("keeps the old rows verifiable as the chain 'legacy' and starts a new chain beside it", async () => {
  const store = new SqliteStore(openDatabase(dir));
  try {
    expect(store.db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(await store.reader.verify()).toMatchObject({ ok: true, rows: 4, chains: [{ chain: LEGACY_CHAIN, rows: 4 }] });
    const writer = await store.openWriter("replica-a");
    expect(await writer.append(entry(5))).toBe(1);
    const result = await store.reader.verify();
    expect(result.chains.map((chain) => [chain.chain, chain.rows, chain.ok])).toEqual([[LEGACY_CHAIN, 4, true], ["replica-a", 1, true]]);
    store.db.prepare("UPDATE exchanges SET response = 'forged' WHERE chain = ? AND seq = 2").run(LEGACY_CHAIN);
    expect(await store.reader.verify()).toMatchObject({ ok: false, first_bad_chain: LEGACY_CHAIN, first_bad_row: 2 });
  } finally {
    await store.close();
  }
});

it("opening a migrated file again (another process, a later start) changes nothing", () => {
  const first = openDatabase(dir);
  const second = openDatabase(dir);
  expect(second.prepare("SELECT COUNT(*) AS n FROM chains").get()).toEqual({ n: 1 });
  first.close();
  second.close();
});
