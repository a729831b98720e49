// Rows as the API and `pedigree log export` show them: the time in ISO form, `request` and an event's
// `payload` parsed back, the licence as a boolean. verify-export.ts turns them back into stored rows.
import type { LogRow } from "./hash-chain.js";
import type { ExchangeQuery } from "./store.js";

/** PostgreSQL returns BIGINT columns as strings; both stores hand rows through this. The writing
 *  transaction's id (PostgreSQL's paging cursor) is not part of a row. */
export function normalizeRow(stored: LogRow): LogRow {
  const { txid: _txid, ...row } = stored as LogRow & { txid?: unknown };
  return { ...row, id: Number(row.id), seq: Number(row.seq), ts: Number(row.ts), format: Number(row.format), latency_ms: Number(row.latency_ms) };
}

/** `cursor`: where a reader paging in commit order continues after this row (ExchangeQuery.cursor). */
export function exchangeJson(stored: LogRow, cursor?: string): Record<string, unknown> {
  const row = normalizeRow(stored);
  return {
    ...row,
    ...(cursor === undefined ? {} : { cursor }),
    time: new Date(row.ts).toISOString(),
    request: row.request === "" ? null : JSON.parse(row.request),
    payload: row.payload === null ? null : JSON.parse(row.payload),
    distillation_licensed: row.distillation_licensed === 1,
  };
}

/** The WHERE clause of a query, with `?` placeholders (the PostgreSQL reader numbers them). */
export function queryFilter(query: ExchangeQuery, position = true): { where: string; values: unknown[] } {
  const clauses = position ? ["id > ?"] : ["TRUE"];
  const values: unknown[] = position ? [query.afterId ?? 0] : [];
  if (query.keyId !== undefined) clauses.push("key_id = ?"), values.push(query.keyId);
  if (query.kind !== undefined) clauses.push("kind = ?"), values.push(query.kind);
  return { where: clauses.join(" AND "), values };
}
