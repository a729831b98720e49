// The PostgreSQL store runs the shared store and limits suites, on a database of its own per test:
// limits in PostgreSQL, and again with Redis configured.
import { expect, it } from "vitest";
import { describeWithServices, scratchDatabase, scratchRedisPrefix, TEST_REDIS_URL } from "../test-support/services.js";
import { runLimitsSuite } from "./limits.case.js";
import { runStoreSuite } from "./store.case.js";
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
