// The exchange log: group commit, the hash chain, and verification naming the first bad row.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ExchangeLog } from "./exchange-log.js";
import { pruneLog, queryLog, verifyLog } from "./log-store.js";
import { entry, tempData } from "./test-support/temp-data.js";

let data: ReturnType<typeof tempData>;
let log: ExchangeLog;
beforeEach(async () => {
  data = tempData();
  log = new ExchangeLog(data.db);
  await Promise.all(Array.from({ length: 10 }, (_, i) => log.append(entry(i + 1))));
});
afterEach(() => data.cleanup());

describe("the exchange log", () => {
  it("commits concurrent appends in one group, in order, and they verify", async () => {
    expect(log.committed).toBe(10);
    const ids = await Promise.all([log.append(entry(11)), log.append(entry(12))]);
    expect(ids).toEqual([11, 12]);
    expect(verifyLog(data.db)).toMatchObject({ ok: true, rows: 12, first_bad_row: null });
    expect(queryLog(data.db, { afterId: 10 }).map((row) => row.response)).toEqual(["answer 11", "answer 12"]);
  });

  it("continues the chain across writers (a restart)", async () => {
    const again = new ExchangeLog(data.db);
    await again.append(entry(11));
    expect(verifyLog(data.db)).toMatchObject({ ok: true, rows: 11 });
  });

  it("names an edited row", () => {
    data.db.prepare("UPDATE exchanges SET response = 'forged' WHERE id = 4").run();
    expect(verifyLog(data.db)).toMatchObject({ ok: false, first_bad_row: 4 });
  });

  it("names a row whose hash was recomputed after an edit by the next row", async () => {
    const { rowHash } = await import("./hash-chain.js");
    const row = data.db.prepare("SELECT * FROM exchanges WHERE id = 6").get() as Parameters<typeof rowHash>[0];
    const forged = { ...row, total_tokens: 1 };
    data.db.prepare("UPDATE exchanges SET total_tokens = 1, hash = ? WHERE id = 6").run(rowHash(forged));
    expect(verifyLog(data.db)).toMatchObject({ ok: false, first_bad_row: 7 });
  });

  it("names a deleted row, in the middle and at the end", () => {
    data.db.prepare("DELETE FROM exchanges WHERE id = 5").run();
    expect(verifyLog(data.db)).toMatchObject({ ok: false, first_bad_row: 5 });
    data.db.prepare("DELETE FROM exchanges WHERE id >= 5").run();
    expect(verifyLog(data.db)).toMatchObject({ ok: false, first_bad_row: 5 });
  });

  it("names an inserted row", () => {
    const last = data.db.prepare("SELECT * FROM exchanges WHERE id = 10").get() as Record<string, unknown>;
    data.db.prepare("INSERT INTO exchanges SELECT 11, ts, key_id, model, request, response, prompt_tokens, completion_tokens, total_tokens, latency_ms, status, finish_reason, watermark_key_id, decision, distillation_licensed, ?, hash FROM exchanges WHERE id = 10").run(last.hash);
    expect(verifyLog(data.db)).toMatchObject({ ok: false, first_bad_row: 11 });
  });

  it("keeps verifying after retention removes the oldest rows", async () => {
    expect(pruneLog(data.db, 1_700_000_000_000 + 4500)).toBe(4);
    expect(verifyLog(data.db)).toMatchObject({ ok: true, rows: 6 });
    await log.append(entry(11));
    expect(verifyLog(data.db)).toMatchObject({ ok: true, rows: 7 });
    data.db.prepare("DELETE FROM exchanges WHERE id = 5").run();
    expect(verifyLog(data.db)).toMatchObject({ ok: false, first_bad_row: 5 });
  });
});
