// The one suite every GatewayStore runs (STYLE.md: one suite per interface, like Keyv's test-suite
// and hono's common.case.test.ts): keys, the log's chains (one per replica), events, tampering named
// at the first bad row of each chain, retention, export, and the schema version guard.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyExportedRows, type ExportedRow } from "../verify-export.js";
import { entry } from "../test-support/temp-data.js";
import { rowHash, type LogRow } from "./hash-chain.js";
import type { GatewayStore, LogWriter } from "./store.js";

export interface StoreFixture {
  store: GatewayStore;
  /** Raw SQL on the store's database with `?` placeholders: what someone with database access could do. */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Another store on the same data (another replica, or the CLI in another process). */
  reopen(): Promise<GatewayStore>;
  setSchemaVersion(version: number): Promise<void>;
  close(): Promise<void>;
}

export function runStoreSuite(name: string, open: () => Promise<StoreFixture>): void {
  describe(`${name}: keys`, () => {
    let fixture: StoreFixture;
    beforeEach(async () => void (fixture = await open()));
    afterEach(() => fixture.close());

    it("creates, lists, authenticates and revokes; stores only the secret's hash", async () => {
      const { keys } = fixture.store;
      const { record, secret } = await keys.create("team-a", { models: ["echo"], rpm: 60 }, 1_700_000_000_000);
      expect(record).toMatchObject({ name: "team-a", createdAt: 1_700_000_000_000, revokedAt: null, policy: { models: ["echo"], rpm: 60, watermark: true } });
      expect(await keys.authenticate(secret)).toEqual(record);
      expect(await keys.authenticate(`${secret}x`)).toBeNull();
      expect(JSON.stringify(await fixture.sql("SELECT * FROM keys"))).not.toContain(secret);
      expect((await keys.list()).map((key) => key.id)).toEqual([record.id]);
      expect(await keys.get(record.id)).toEqual(record);
      expect(await keys.revoke(record.id, 1_700_000_001_000)).toMatchObject({ alreadyRevoked: false, record: { revokedAt: 1_700_000_001_000 } });
      expect(await keys.revoke(record.id)).toMatchObject({ alreadyRevoked: true });
      expect(await keys.authenticate(secret)).toBeNull();
      await expect(keys.revoke("key_missing")).rejects.toMatchObject({ code: "API_KEY_NOT_FOUND" });
      await expect(keys.create("bad", { watermark: false })).rejects.toMatchObject({ code: "API_KEY_BAD_POLICY" });
    });

    it("a revocation through another connection holds from the next authentication", async () => {
      const { record, secret } = await fixture.store.keys.create("elsewhere");
      expect(await fixture.store.keys.authenticate(secret)).not.toBeNull();
      const other = await fixture.reopen();
      await other.keys.revoke(record.id);
      const created = await other.keys.create("made-elsewhere");
      await other.close();
      expect(await fixture.store.keys.authenticate(secret)).toBeNull();
      expect(await fixture.store.keys.authenticate(created.secret)).toMatchObject({ id: created.record.id });
    });
  });

  describe(`${name}: the log`, () => {
    let fixture: StoreFixture;
    let log: LogWriter;
    beforeEach(async () => {
      fixture = await open();
      log = await fixture.store.openWriter("replica-a");
      await Promise.all(Array.from({ length: 10 }, (_, i) => log.append(entry(i + 1))));
    });
    afterEach(() => fixture.close());
    const verify = () => fixture.store.reader.verify();
    const chainOf = async (chain: string) => (await verify()).chains.find((result) => result.chain === chain);

    it("commits concurrent appends in order, and they verify", async () => {
      expect(log.committed).toBe(10);
      expect(await Promise.all([log.append(entry(11)), log.append(entry(12))])).toEqual([11, 12]);
      expect(await verify()).toMatchObject({ ok: true, rows: 12, first_bad_row: null, chains: [{ chain: "replica-a", ok: true, rows: 12 }] });
      const page = await fixture.store.reader.query({ limit: 5 });
      expect(page.map((row) => row.response)).toEqual(["answer 1", "answer 2", "answer 3", "answer 4", "answer 5"]);
      const next = await fixture.store.reader.query({ afterId: page[4]!.id as number });
      expect(next[0]).toMatchObject({ response: "answer 6", chain: "replica-a", seq: 6, kind: "exchange", distillation_licensed: false, request: { params: {} } });
    });

    it("pages in commit order with a cursor, across replicas' chains, and refuses a cursor it never gave", async () => {
      const other = await fixture.reopen();
      const writer = await other.openWriter("replica-b");
      await writer.append(entry(11));
      await log.append(entry(12));
      await writer.close();
      await other.close();
      const seen: unknown[] = [];
      let cursor = "";
      // On PostgreSQL a row waits while any older write on the server is open (other tests write
      // too), so the reader keeps asking, as a follower does, until all twelve have come.
      for (let tries = 0; seen.length < 12 && tries < 500; tries++) {
        const page = await fixture.store.reader.query({ cursor, limit: 5 });
        if (page.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        seen.push(...page.map((row) => row.response));
        cursor = (page.at(-1)?.cursor as string | undefined) ?? cursor;
      }
      expect(seen).toEqual([...Array.from({ length: 10 }, (_, i) => `answer ${i + 1}`), "answer 11", "answer 12"]);
      expect((await fixture.store.reader.query({ cursor: "", kind: "exchange", keyId: "key_a", limit: 100 })).length).toBeGreaterThan(0);
      await expect(fixture.store.reader.query({ cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "INVALID_REQUEST", param: "cursor" });
    });

    it("continues a chain across writers (a restarted replica)", async () => {
      await log.close();
      const again = await fixture.store.openWriter("replica-a");
      expect(await again.append(entry(11))).toBe(11);
      expect(await chainOf("replica-a")).toMatchObject({ ok: true, rows: 11 });
    });

    it("keeps one chain per replica, verifies each, and exports them merged by time", async () => {
      const other = await fixture.reopen();
      const b = await other.openWriter("replica-b");
      await Promise.all([b.append(entry(3, { response: "b first" })), b.append(entry(30, { response: "b second" }))]);
      await other.close();
      const result = await verify();
      expect(result).toMatchObject({ ok: true, rows: 12 });
      expect(result.chains.map((chain) => [chain.chain, chain.rows])).toEqual([["replica-a", 10], ["replica-b", 2]]);
      const exported: Record<string, unknown>[] = [];
      for await (const row of fixture.store.reader.iterate()) exported.push(row);
      expect(exported.map((row) => row.ts)).toEqual([...exported.map((row) => row.ts as number)].sort((x, y) => x - y));
      expect(exported.map((row) => row.response).slice(2, 5)).toEqual(["answer 3", "b first", "answer 4"]);
      expect(verifyExportedRows(exported as ExportedRow[])).toMatchObject({ ok: true, rows: 12, head: result.head });
      // An exported row edited afterwards is caught by the file check too.
      const forged = exported.map((row) => (row.response === "b second" ? { ...row, response: "forged" } : row));
      expect(verifyExportedRows(forged as ExportedRow[])).toMatchObject({ ok: false, first_bad_chain: "replica-b", first_bad_row: 2 });
    });

    it("chains event rows with the exchanges and verifies them alike", async () => {
      expect(await log.appendEvent({ type: "monitor.alert", key_id: "key_a", payload: { score: 0.99, reason: "harvesting" } })).toBe(11);
      await log.append(entry(12));
      expect(await verify()).toMatchObject({ ok: true, rows: 12 });
      const [event] = await fixture.store.reader.query({ afterId: 10, limit: 1 });
      expect(event).toMatchObject({ kind: "event", event_type: "monitor.alert", key_id: "key_a", payload: { score: 0.99, reason: "harvesting" }, seq: 11 });
      expect((await fixture.store.reader.usage(0, "key_a"))[0]).toMatchObject({ requests: 11, total_tokens: 55 });
      expect((await fixture.store.reader.query({ keyId: "key_a", kind: "exchange" })).map((row) => row.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]);
      await fixture.sql("UPDATE exchanges SET payload = ? WHERE chain = 'replica-a' AND seq = 11", [JSON.stringify({ score: 0.1, reason: "harvesting" })]);
      expect(await verify()).toMatchObject({ ok: false, first_bad_chain: "replica-a", first_bad_row: 11 });
    });

    it("names an edited row, and the next row when the edit recomputed the hash", async () => {
      await fixture.sql("UPDATE exchanges SET response = 'forged' WHERE chain = 'replica-a' AND seq = 4");
      expect(await verify()).toMatchObject({ ok: false, first_bad_chain: "replica-a", first_bad_row: 4, reason: expect.stringContaining("changed after it was written") });
      await fixture.sql("UPDATE exchanges SET response = 'answer 4' WHERE chain = 'replica-a' AND seq = 4");
      const [stored] = await fixture.sql("SELECT * FROM exchanges WHERE chain = 'replica-a' AND seq = 6");
      const row = { ...(stored as unknown as LogRow), seq: 6, ts: Number(stored!.ts), format: Number(stored!.format), total_tokens: 1 };
      await fixture.sql("UPDATE exchanges SET total_tokens = 1, hash = ? WHERE chain = 'replica-a' AND seq = 6", [rowHash(row)]);
      expect(await verify()).toMatchObject({ ok: false, first_bad_row: 7, reason: expect.stringContaining("does not commit to the hash of row 6") });
    });

    it("names a deleted row, in the middle and at the end, in the chain that lost it", async () => {
      const other = await fixture.reopen();
      await (await other.openWriter("replica-b")).append(entry(50));
      await other.close();
      await fixture.sql("DELETE FROM exchanges WHERE chain = 'replica-a' AND seq = 5");
      expect(await chainOf("replica-a")).toMatchObject({ ok: false, first_bad_row: 5, reason: expect.stringContaining("missing") });
      expect(await chainOf("replica-b")).toMatchObject({ ok: true });
      await fixture.sql("DELETE FROM exchanges WHERE chain = 'replica-a' AND seq >= 5");
      expect(await chainOf("replica-a")).toMatchObject({ ok: false, first_bad_row: 5 });
    });

    it("names a row or a chain added outside the writer", async () => {
      await fixture.sql(`INSERT INTO exchanges (chain, seq, kind, format, ts, key_id, model, request, response, prompt_tokens, completion_tokens, total_tokens, latency_ms, status, finish_reason, watermark_key_id, decision, distillation_licensed, event_type, payload, prev_hash, hash)
        SELECT chain, 11, kind, format, ts, key_id, model, request, response, prompt_tokens, completion_tokens, total_tokens, latency_ms, status, finish_reason, watermark_key_id, decision, distillation_licensed, event_type, payload, hash, hash FROM exchanges WHERE chain = 'replica-a' AND seq = 10`);
      expect(await chainOf("replica-a")).toMatchObject({ ok: false, first_bad_row: 11 });
      await fixture.sql("DELETE FROM exchanges WHERE seq = 11");
      await fixture.sql("UPDATE exchanges SET chain = 'ghost' WHERE chain = 'replica-a' AND seq = 10");
      const result = await verify();
      expect(result.chains.find((chain) => chain.chain === "ghost")).toMatchObject({ ok: false, first_bad_row: 1 });
      expect(result.chains.find((chain) => chain.chain === "replica-a")).toMatchObject({ ok: false, first_bad_row: 10 });
    });

    it("prunes in batches, each leaving the chain verifiable", async () => {
      expect(await fixture.store.reader.prune(1_700_000_000_000 + 7500, 2)).toBe(7);
      expect(await verify()).toMatchObject({ ok: true, rows: 3 });
      expect((await fixture.store.reader.query({ limit: 10 })).map((row) => row.seq)).toEqual([8, 9, 10]);
    });

    it("keeps verifying after retention removes the oldest rows of each chain", async () => {
      expect(await fixture.store.reader.prune(1_700_000_000_000 + 4500)).toBe(4);
      expect(await verify()).toMatchObject({ ok: true, rows: 6 });
      await log.append(entry(11));
      expect(await verify()).toMatchObject({ ok: true, rows: 7 });
      await fixture.sql("DELETE FROM exchanges WHERE chain = 'replica-a' AND seq = 5");
      expect(await verify()).toMatchObject({ ok: false, first_bad_row: 5 });
    });

    it("two writers on one chain (one replica id started twice) never fork it", async () => {
      const other = await fixture.reopen();
      const twin = await other.openWriter("replica-a");
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? log : twin).append(entry(100 + i))));
      await other.close();
      expect(await verify()).toMatchObject({ ok: true, rows: 30 });
    });

    it("counts usage per key and tokens since a time, from exchanges only", async () => {
      await log.append(entry(11, { key_id: "key_b", total_tokens: 7 }));
      await log.appendEvent({ type: "job.created", key_id: "key_b", payload: null });
      expect(await fixture.store.reader.usage(0)).toEqual([
        { key_id: "key_a", requests: 10, prompt_tokens: 30, completion_tokens: 20, total_tokens: 50 },
        { key_id: "key_b", requests: 1, prompt_tokens: 3, completion_tokens: 2, total_tokens: 7 },
      ]);
      expect(await fixture.store.reader.tokensSince("key_a", 1_700_000_000_000 + 8000)).toBe(15);
    });

    it("reads one row by its chain and position, and null where there is none", async () => {
      const other = await fixture.reopen();
      await (await other.openWriter("replica-b")).append(entry(3, { response: "b first" }));
      await other.close();
      await log.appendEvent({ type: "file.deleted", key_id: "key_a", payload: { file_id: "file-1" } });
      const { reader } = fixture.store;
      expect(await reader.row({ chain: "replica-a", seq: 3 })).toMatchObject({ chain: "replica-a", seq: 3, kind: "exchange", response: "answer 3", request: { params: {} } });
      expect(await reader.row({ chain: "replica-b", seq: 1 })).toMatchObject({ chain: "replica-b", seq: 1, response: "b first" });
      expect(await reader.row({ chain: "replica-a", seq: 11 })).toMatchObject({ kind: "event", event_type: "file.deleted", payload: { file_id: "file-1" } });
      expect(await reader.row({ chain: "replica-b", seq: 2 })).toBeNull();
      expect(await reader.row({ chain: "nowhere", seq: 1 })).toBeNull();
    });

    it("counts usage per key in time buckets over every chain, exchanges only, denials apart", async () => {
      const other = await fixture.reopen();
      await (await other.openWriter("replica-b")).append(entry(2, { response: "b" }));
      await other.close();
      await log.append(entry(5, { key_id: "key_b", decision: "denied:rate_limited", status: 429, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }));
      await log.appendEvent({ type: "batch.created", key_id: "key_a", payload: null, ts: 1_700_000_000_000 + 6000 });
      await log.append(entry(12));
      // Buckets of 4 s from t0: rows 1-3 in slot 0, 4-7 in slot 1, 8-11 in slot 2; row 12 is at `until`.
      const buckets = await fixture.store.reader.usageBuckets({ sinceMs: 1_700_000_000_000, untilMs: 1_700_000_000_000 + 12_000, bucketMs: 4000 });
      expect(buckets).toEqual([
        { key_id: "key_a", slot: 0, requests: 4, denied: 0, total_tokens: 20 },
        { key_id: "key_a", slot: 1, requests: 4, denied: 0, total_tokens: 20 },
        { key_id: "key_a", slot: 2, requests: 3, denied: 0, total_tokens: 15 },
        { key_id: "key_b", slot: 1, requests: 1, denied: 1, total_tokens: 0 },
      ]);
      expect(await fixture.store.reader.usageBuckets({ sinceMs: 1_700_000_000_000 + 100_000, untilMs: 1_700_000_000_000 + 200_000, bucketMs: 60_000 })).toEqual([]);
    });

    it("refuses a closed writer and a schema newer than its own", async () => {
      await log.close();
      await expect(log.append(entry(11))).rejects.toMatchObject({ code: "SHUTTING_DOWN" });
      await fixture.setSchemaVersion(99);
      await expect(fixture.reopen()).rejects.toMatchObject({ code: "STORE_SCHEMA_TOO_NEW", message: expect.stringContaining("99") });
    });
  });
}
