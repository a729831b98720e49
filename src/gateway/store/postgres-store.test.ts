// The PostgreSQL store runs the shared store and limits suites, on a database of its own per test:
// limits in PostgreSQL, and again with Redis configured.
import { expect, it } from "vitest";
import { describeWithServices, scratchDatabase, scratchRedisPrefix, TEST_REDIS_URL } from "../test-support/services.js";
import { runLimitsSuite } from "./limits.case.js";
import { runStoreSuite } from "./store.case.js";
import { entry } from "../test-support/temp-data.js";
import { PostgresStore } from "./postgres/postgres-store.js";

function withPlaceholders(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

async function openPostgres(redis: boolean) {
  const database = await scratchDatabase();
  const prefix = redis ? scratchRedisPrefix() : null;
  const options = { postgres: database.url, redis: redis ? TEST_REDIS_URL : undefined, redisPrefix: prefix?.prefix, poolSize: 4 };
  const store = await PostgresStore.open(options);
  const extra: PostgresStore[] = [];
  const reopen = async () => {
    const other = await PostgresStore.open(options);
    extra.push(other);
    return other;
  };
  return {
    store,
    async sql(text: string, params: unknown[] = []) {
      return (await store.pool.query(withPlaceholders(text), params)).rows as Record<string, unknown>[];
    },
    reopen,
    replica: reopen,
    async setSchemaVersion(version: number) {
      await store.pool.query("UPDATE pedigree_schema SET version = $1", [version]);
    },
    async close() {
      for (const other of extra) await other.close().catch(() => undefined);
      await store.close();
      await prefix?.drop();
      await database.drop();
    },
  };
}

await describeWithServices("PostgreSQL store", () => {
  runStoreSuite("PostgreSQL", () => openPostgres(false));
  runLimitsSuite("PostgreSQL", () => openPostgres(false));
  runLimitsSuite("PostgreSQL + Redis", () => openPostgres(true));
});


await describeWithServices("PostgreSQL log paging", () => {
  it("a cursor never skips a row whose transaction took a smaller id and committed after a larger one", async () => {
    const fixture = await openPostgres(false);
    const slow = await fixture.store.pool.connect();
    try {
      const writer = await fixture.store.openWriter("replica-a");
      await writer.append(entry(1));
      // Rows wait while any older write on the server is open (other tests write too): ask until they come.
      const follow = async (cursor: string, count: number) => {
        for (let tries = 0; ; tries++) {
          const rows = await fixture.store.reader.query({ cursor });
          if (rows.length >= count || tries >= 500) return rows;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      const start = await follow("", 1);
      expect(start).toHaveLength(1);
      // A replica's transaction that has taken its id but not committed (as a group commit does).
      await slow.query("BEGIN");
      const [{ id }] = (await slow.query<{ id: string }>(
        `INSERT INTO exchanges (chain, seq, kind, format, ts, key_id, model, request, response, prompt_tokens, completion_tokens, total_tokens, latency_ms, status, finish_reason, watermark_key_id, decision, distillation_licensed, event_type, payload, prev_hash, hash)
         SELECT 'replica-slow', 1, kind, format, ts, key_id, model, request, 'late answer', prompt_tokens, completion_tokens, total_tokens, latency_ms, status, finish_reason, watermark_key_id, decision, distillation_licensed, event_type, payload, prev_hash, hash
         FROM exchanges WHERE chain = 'replica-a' AND seq = 1 RETURNING id`)).rows;
      await writer.append(entry(2));
      const byId = await fixture.store.reader.query({ afterId: start[0]!.id as number });
      const byCursor = await fixture.store.reader.query({ cursor: start[0]!.cursor as string });
      // Paging by id shows row 2 now, and a reader that moves past its id would never see the late row.
      expect(byId.map((row) => row.response)).toEqual(["answer 2"]);
      expect(Number(id)).toBeLessThan(byId[0]!.id as number);
      // The cursor holds row 2 back while the older transaction is open.
      expect(byCursor).toEqual([]);
      await slow.query("COMMIT");
      const after = await follow(start[0]!.cursor as string, 2);
      expect(after.map((row) => row.response)).toEqual(["late answer", "answer 2"]);
      await writer.close();
    } finally {
      slow.release();
      await fixture.close();
    }
  });
});

await describeWithServices("PostgreSQL retention", () => {
  it("prunes in small batches, each leaving every chain verifiable, while a replica keeps appending", async () => {
    const fixture = await openPostgres(false);
    try {
      const [a, b] = [await fixture.store.openWriter("replica-a"), await fixture.store.openWriter("replica-b")];
      await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).append(entry(i + 1))));
      const pruning = fixture.store.reader.prune(1_700_000_000_000 + 10_500, 2);
      const appended = await Promise.all([a.append(entry(13)), b.append(entry(14))]);
      expect(await pruning).toBe(10);
      expect(appended).toEqual([7, 7]);
      expect(await fixture.store.reader.verify()).toMatchObject({ ok: true, rows: 4 });
      await Promise.all([a.close(), b.close()]);
    } finally {
      await fixture.close();
    }
  });
});

await describeWithServices("PostgreSQL store start-up", () => {
  it("a service that does not answer stops the start with STORE_UNREACHABLE, naming where it looked", async () => {
    await expect(PostgresStore.open({ postgres: "postgres://postgres:secret@127.0.0.1:1/none" })).rejects.toMatchObject({ code: "STORE_UNREACHABLE", message: expect.stringMatching(/PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/none.*PEDIGREE_DATABASE_URL/) });
    const database = await scratchDatabase();
    try {
      await expect(PostgresStore.open({ postgres: database.url, redis: "redis://127.0.0.1:1" })).rejects.toMatchObject({ code: "STORE_UNREACHABLE", message: expect.stringContaining("Redis at redis://127.0.0.1:1") });
    } finally {
      await database.drop();
    }
  });
});
