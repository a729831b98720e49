// Per-key limits in PostgreSQL when no Redis is configured: pedigree_admit / pedigree_record (see
// postgres-migrations.ts) check and count under the key's advisory lock in one statement each, so
// replicas sharing the database share the limits exactly.
import type pg from "pg";
import type { KeyRecord } from "../key-policy.js";
import { DAY_MS, hasLimits, limitError, secondsToMidnight, type LimitName } from "../limit-errors.js";
import type { LimitStore } from "../store.js";

export class PostgresLimits implements LimitStore {
  constructor(private readonly pool: pg.Pool) {}

  async admit(key: KeyRecord, now: number): Promise<void> {
    if (!hasLimits(key)) return;
    const { rpm, tpm, dailyTokens } = key.policy;
    const row = (await this.pool.query<{ verdict: string }>("SELECT pedigree_admit($1, $2, $3, $4, $5, $6) AS verdict", [key.id, Math.floor(now / 1000), rpm, tpm, dailyTokens, Math.floor(now / DAY_MS)])).rows[0]!;
    if (row.verdict === "") return;
    const [which, wait] = row.verdict.split(":") as [LimitName, string];
    throw limitError(key, which, which === "daily" ? secondsToMidnight(now) : Number(wait));
  }

  async record(key: KeyRecord, now: number, tokens: number): Promise<void> {
    if (tokens <= 0 || !hasLimits(key)) return;
    await this.pool.query("SELECT pedigree_record($1, $2, $3, $4, $5)", [key.id, Math.floor(now / 1000), tokens, key.policy.dailyTokens !== null, Math.floor(now / DAY_MS)]);
  }

  async close(): Promise<void> {}
}
