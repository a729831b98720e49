// When the SQLite writer commits: a turn of the event loop later (so other work can join the group),
// unless a reply waits on the row and nothing else is in flight, then at the end of the current run;
// either way the appends of one run are chained in order and the chain verifies.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import type { ExchangeEntry } from "../hash-chain.js";
import { verifySqliteLog } from "./sqlite-log-reader.js";
import { openDatabase, type SqliteDatabase } from "./database.js";
import { SqliteLogWriter } from "./sqlite-log-writer.js";

const dirs: string[] = [];
const databases: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of databases.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(): SqliteDatabase {
  const dir = mkdtempSync(join(tmpdir(), "pedigree-writer-"));
  dirs.push(dir);
  const db = openDatabase(dir);
  databases.push(db);
  return db;
}

const entry = (i: number): ExchangeEntry => ({
  ts: 1_000 + i, key_id: "key_a", model: "m", request: "{}", response: `answer ${i}`, prompt_tokens: 1, completion_tokens: 1, total_tokens: 2,
  latency_ms: 1, status: 200, finish_reason: "stop", watermark_key_id: null, decision: "allowed", distillation_licensed: 0,
});

/** Appends three rows in one run; resolves with their seqs and whether a setImmediate queued first ran before the commit. */
async function appendThree(othersInFlight: boolean, replyWaits: boolean): Promise<{ seqs: number[]; immediateFirst: boolean; db: SqliteDatabase }> {
  const db = open();
  const writer = new SqliteLogWriter(db, "replica-a", Date.now, () => othersInFlight);
  let immediateRan = false;
  setImmediate(() => (immediateRan = true));
  const seqs = await Promise.all([0, 1, 2].map((i) => writer.append(entry(i), { replyWaits })));
  return { seqs, immediateFirst: immediateRan, db };
}

it("commits before the loop's next turn only when a reply waits and nothing else is in flight", async () => {
  const runs = [await appendThree(true, true), await appendThree(false, false), await appendThree(false, true)];
  expect(runs.map((run) => run.immediateFirst)).toEqual([true, true, false]);
  for (const { seqs, db } of runs) {
    expect(seqs).toEqual([1, 2, 3]);
    expect(verifySqliteLog(db).ok).toBe(true);
  }
});
