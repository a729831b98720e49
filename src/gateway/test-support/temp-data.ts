// A throwaway data directory with an open SQLite store, and exchange entries to log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExchangeEntry } from "../store/hash-chain.js";
import { openDatabase } from "../store/sqlite/database.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";

export function tempData(): { dir: string; store: SqliteStore; cleanup(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), "pedigree-log-"));
  const store = new SqliteStore(openDatabase(dir));
  return { dir, store, cleanup: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
}

export function entry(i: number, overrides: Partial<ExchangeEntry> = {}): ExchangeEntry {
  return {
    ts: 1_700_000_000_000 + i * 1000,
    key_id: "key_a",
    model: "echo",
    request: JSON.stringify({ messages: [{ role: "user", content: `question ${i}` }], params: {} }),
    response: `answer ${i}`,
    prompt_tokens: 3,
    completion_tokens: 2,
    total_tokens: 5,
    latency_ms: 1.5,
    status: 200,
    finish_reason: "stop",
    watermark_key_id: null,
    decision: "allowed",
    distillation_licensed: 0,
    ...overrides,
  };
}
