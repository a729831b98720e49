// PostgreSQL and Redis for the tests that need them. Each test gets its own database (created and
// dropped here) and its own Redis key prefix. When a service is unreachable: under CI=true the tests
// fail; otherwise they are skipped with one line on stderr saying why.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { describe, it } from "vitest";

export const TEST_POSTGRES_URL = process.env.PEDIGREE_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const TEST_REDIS_URL = process.env.PEDIGREE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

let probed: Promise<string | null> | null = null;

/** null when both answer, else why not. */
export function servicesProblem(): Promise<string | null> {
  probed ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
    } catch (error) {
      return `PostgreSQL at ${TEST_POSTGRES_URL} is unreachable (${(error as Error).message})`;
    } finally {
      await client.end().catch(() => undefined);
    }
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      return `Redis at ${TEST_REDIS_URL} is unreachable (${(error as Error).message})`;
    } finally {
      redis.disconnect();
    }
    return null;
  })();
  return probed;
}

/** `describe` that needs PostgreSQL and Redis (see the file comment). */
export async function describeWithServices(name: string, body: () => void): Promise<void> {
  const problem = await servicesProblem();
  if (problem === null) {
    describe(name, body);
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => it("has PostgreSQL and Redis to run against (CI=true)", () => { throw new Error(`${problem}; start the services before the tests`); }));
    return;
  }
  process.stderr.write(`skipped "${name}": ${problem}; start PostgreSQL and Redis (or set PEDIGREE_TEST_DATABASE_URL / PEDIGREE_TEST_REDIS_URL) to run it\n`);
  describe.skip(name, body);
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new empty database on the test server. */
export async function scratchDatabase(): Promise<ScratchDatabase> {
  const name = `pedigree_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A Redis key prefix no other test uses, and its cleanup. */
export function scratchRedisPrefix(): { prefix: string; drop(): Promise<void> } {
  const prefix = `pedigree_test_${randomBytes(6).toString("hex")}:`;
  return {
    prefix,
    async drop() {
      const redis = new Redis(TEST_REDIS_URL);
      try {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== "0");
      } finally {
        redis.disconnect();
      }
    },
  };
}
