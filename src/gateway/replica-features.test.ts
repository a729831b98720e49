// The admin dashboard's usage series and stored completions on PostgreSQL, with two replicas (two
// apps, each its own chain) on one database: a stored completion reads its exchange back from the
// shared log, the series counts the exchanges of both chains and none of their event rows, and the
// log with those events verifies.
import { afterAll, beforeAll, expect, it } from "vitest";
import { echoModel } from "./test-support/fake-models.js";
import { ADMIN_KEY, startHarness, type Harness } from "./test-support/harness.js";
import { describeWithServices, scratchDatabase, type ScratchDatabase } from "./test-support/services.js";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const ask = (content: string) => [{ role: "user" as const, content }];

await describeWithServices("usage series and stored completions on PostgreSQL replicas", () => {
  let database: ScratchDatabase;
  let a: Harness;
  let b: Harness;
  let clock = T0;

  beforeAll(async () => {
    database = await scratchDatabase();
    const on = (replica: string) => startHarness({ echo: echoModel() }, { now: () => clock, config: { storage: { postgres: database.url }, replica } });
    a = await on("replica-a");
    b = await on("replica-b");
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });
  const admin = (harness: Harness, path: string) => fetch(`${harness.server.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }).then((response) => response.json() as Promise<any>);

  it("reads a stored completion's exchange from the shared log and counts every chain's exchanges", async () => {
    const { secret, id } = await a.createKey("licensed", { distillation: true });
    clock = T0 + 5 * 60_000;
    const stored = await b.client(secret).chat.completions.create({ model: "echo", messages: ask("capital of France"), store: true, metadata: { run: "1" } });
    clock = T0 + HOUR + 5 * 60_000;
    await a.client(secret).chat.completions.create({ model: "echo", messages: ask("one two") });

    const retrieved = await b.client(secret).chat.completions.retrieve(stored.id);
    expect(retrieved).toMatchObject({ id: stored.id, metadata: { run: "1" }, choices: [{ message: { content: "echo: capital of France" } }] });
    expect((retrieved as unknown as { request_id: string }).request_id).toBe("exchange-replica-b:1");
    expect((await b.client(secret).chat.completions.messages.list(stored.id)).data.map((message) => message.content)).toEqual(["capital of France"]);
    // The deletion is an event row in replica-b's chain: not usage.
    await b.client(secret).chat.completions.delete(stored.id);

    clock = T0 + 2 * HOUR;
    const series = await admin(a, `/admin/usage/series?bucket=hour&since=${T0}&until=${T0 + 2 * HOUR}`);
    expect(series.buckets).toHaveLength(2);
    // "capital of France" is 3 prompt words and 4 answer words; "one two" 2 and 3 (the fake counts words).
    expect(series.series).toEqual([{ key_id: id, requests: [1, 1], denied: [0, 0], total_tokens: [7, 5] }]);
    const verified = await admin(b, "/admin/log/verify");
    expect(verified).toMatchObject({ ok: true, rows: 3 });
    expect(verified.chains.map((chain: { chain: string; rows: number }) => [chain.chain, chain.rows])).toEqual([["replica-a", 1], ["replica-b", 2]]);
  });
});
