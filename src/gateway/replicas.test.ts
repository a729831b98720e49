// Reliability of a replica set: three gateway processes on one PostgreSQL and one Redis, loaded by the
// official openai client; one replica is SIGKILLed mid-load and restarted. Afterwards every answer
// that got a 200 is in the log exactly once, every chain verifies, the restarted replica continued
// its chain, and a key's rpm limit held across the replicas.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PostgresStore } from "./store/postgres/postgres-store.js";
import { describeWithServices, scratchDatabase, scratchRedisPrefix, TEST_REDIS_URL, type ScratchDatabase } from "./test-support/services.js";
import { bundleServer, killHard, startServer } from "./test-support/spawn-server.js";

const ADMIN = "pdg-replicas-admin";
const REPLICAS = ["replica-1", "replica-2", "replica-3"];

interface Replica {
  id: string;
  dir: string;
  child: ChildProcess;
  client: OpenAI;
  url: string;
  alive: boolean;
}

await describeWithServices("three replicas on PostgreSQL and Redis", () => {
  let bundle: { path: string; remove(): void };
  let database: ScratchDatabase;
  let redis: ReturnType<typeof scratchRedisPrefix>;
  let store: PostgresStore;
  let root: string;
  const replicas: Replica[] = [];

  const start = async (id: string, dir: string): Promise<Replica> => {
    const { child, url } = await startServer(bundle.path, [dir, id, database.url, TEST_REDIS_URL, redis.prefix, ADMIN]);
    return { id, dir, child, url, alive: true, client: new OpenAI({ apiKey: "unset", baseURL: `${url}/v1`, maxRetries: 0, timeout: 10_000 }) };
  };
  const ask = (replica: Replica, secret: string, content: string) =>
    replica.client.chat.completions.create({ model: "echo", messages: [{ role: "user", content }] }, { headers: { authorization: `Bearer ${secret}` } });

  beforeAll(async () => {
    bundle = await bundleServer("replica-server.ts");
    database = await scratchDatabase();
    redis = scratchRedisPrefix();
    store = await PostgresStore.open({ postgres: database.url, poolSize: 2 });
    root = mkdtempSync(join(tmpdir(), "pedigree-replicas-"));
    // Started one after another, then together: the second and third find the schema migrated.
    replicas.push(await start(REPLICAS[0]!, join(root, "1")));
    replicas.push(...(await Promise.all(REPLICAS.slice(1).map((id, i) => start(id, join(root, String(i + 2)))))));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => killHard(replica.child)));
    await store?.close();
    await redis?.drop();
    await database?.drop();
    rmSync(root, { recursive: true, force: true });
    bundle?.remove();
  });

  it("every 200 is logged exactly once, every chain verifies, and the killed replica continues its chain", async () => {
    const { secret } = await store.keys.create("load");
    const confirmed: string[] = [];
    let next = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const replica = replicas[next % replicas.length]!;
        const marker = `req-${next++}`;
        if (!replica.alive) continue;
        try {
          const answer = await ask(replica, secret, marker);
          if (answer.choices[0]!.message.content === `echo: ${marker}`) confirmed.push(marker);
        } catch {
          // Cut off by the kill: never answered 200, so nothing to check.
        }
      }
    };
    const until = async (count: number) => {
      while (confirmed.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const workers = Array.from({ length: 9 }, worker);
    await until(150);
    const victim = replicas[1]!;
    victim.alive = false;
    await killHard(victim.child);
    const killedAt = confirmed.length;
    await until(killedAt + 100);
    const restartedAt = Date.now();
    Object.assign(victim, await start(victim.id, victim.dir), { alive: true });
    await until(confirmed.length + 200);
    stop = true;
    await Promise.all(workers);

    const logged = new Map<string, number>();
    for await (const row of store.reader.iterate()) {
      const content = (row.request as { messages: { content: string }[] }).messages[0]!.content;
      logged.set(content, (logged.get(content) ?? 0) + 1);
    }
    expect(confirmed.filter((marker) => logged.get(marker) !== 1)).toEqual([]);
    // No request was logged twice, answered or not.
    expect([...logged].filter(([, count]) => count > 1)).toEqual([]);

    const verified = await store.reader.verify();
    expect(verified).toMatchObject({ ok: true, first_bad_row: null });
    expect(verified.chains.map((chain) => chain.chain)).toEqual(REPLICAS);
    // The restarted replica appended after its old rows: one chain, no second genesis, no gap.
    const after = await store.pool.query<{ first: string; rows: string }>("SELECT MIN(seq) AS first, COUNT(*) AS rows FROM exchanges WHERE chain = $1 AND ts >= $2", [victim.id, restartedAt]);
    expect(Number(after.rows[0]!.rows)).toBeGreaterThan(0);
    expect(Number(after.rows[0]!.first)).toBeGreaterThan(1);
    const served = await fetch(`${victim.url}/admin/log/verify`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(await served.json()).toMatchObject({ ok: true, head: verified.head });
  });

  it("a key with rpm 20 gets 20 answers a minute across the three replicas, and 429s past them", async () => {
    const { secret } = await store.keys.create("limited", { rpm: 20 });
    const outcomes = await Promise.allSettled(Array.from({ length: 45 }, (_, i) => ask(replicas[i % 3]!, secret, `limited-${i}`)));
    const answered = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
    const refused = outcomes.filter((outcome) => outcome.status === "rejected" && (outcome.reason as { status?: number }).status === 429).length;
    expect([answered, refused]).toEqual([20, 25]);
  });
});
