// Rows as the API and `pedigree log export` show them: the time in ISO form, `request` and an event's
// `payload` parsed back, the licence as a boolean. verify-export.ts turns them back into stored rows.
import type { LogRow } from "./hash-chain.js";
import type { ExchangeQuery } from "./store.js";

/** PostgreSQL returns BIGINT columns as strings; both stores hand rows through this. */
export function normalizeRow(row: LogRow): LogRow {
  return { ...row, id: Number(row.id), seq: Number(row.seq), ts: Number(row.ts), format: Number(row.format), latency_ms: Number(row.latency_ms) };
}

export function exchangeJson(stored: LogRow): Record<string, unknown> {
  const row = normalizeRow(stored);
  return {
    ...row,
    time: new Date(row.ts).toISOString(),
    request: row.request === "" ? null : JSON.parse(row.request),
    payload: row.payload === null ? null : JSON.parse(row.payload),
    distillation_licensed: row.distillation_licensed === 1,
  };
}

/** The WHERE clause of a query, with `?` placeholders (the PostgreSQL reader numbers them). */
export function queryFilter(query: ExchangeQuery): { where: string; values: unknown[] } {
  const clauses = ["id > ?"];
  const values: unknown[] = [query.afterId ?? 0];
  if (query.keyId !== undefined) clauses.push("key_id = ?"), values.push(query.keyId);
  if (query.kind !== undefined) clauses.push("kind = ?"), values.push(query.kind);
  return { where: clauses.join(" AND "), values };
}
