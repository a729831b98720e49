// The log's hash chains: each row's hash commits to its chain, its position, its content and the
// previous row's hash, so an edited, inserted or deleted row breaks its chain at that row (Crosby &
// Wallach, "Efficient Data Structures for Tamper-Evident Logging", 2009: a plain hash chain). Each
// replica appends to its own chain, so replicas never wait on one another.
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);
/** The chain holding rows written before chains had names (schema 1); it is closed. */
export const LEGACY_CHAIN = "legacy";

/** One row as stored (snake_case mirrors the table). `id` is a global locator and not hashed. */
export interface LogRow {
  id: number;
  chain: string;
  seq: number;
  kind: "exchange" | "event";
  /** 1: a row from before named chains (hashed as then, with `seq` as its id); 2: today's rows. */
  format: number;
  ts: number;
  key_id: string | null;
  model: string;
  request: string;
  response: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  latency_ms: number;
  status: number;
  finish_reason: string | null;
  watermark_key_id: string | null;
  decision: string;
  distillation_licensed: number;
  event_type: string | null;
  /** An event's payload as JSON text. */
  payload: string | null;
  prev_hash: string;
  hash: string;
}

/** What the gateway writes for an exchange. */
export type ExchangeEntry = Pick<LogRow, "ts" | "key_id" | "model" | "request" | "response" | "prompt_tokens" | "completion_tokens" | "total_tokens" | "latency_ms" | "status" | "finish_reason" | "watermark_key_id" | "decision" | "distillation_licensed">;

/** An event recorded in the chain (a monitor action, a fine-tuning job's transition, …). */
export interface LogEvent {
  type: string;
  key_id: string | null;
  payload: unknown;
  /** Default: now. */
  ts?: number;
}

/** The row content before it is placed in a chain. */
export type RowContent = Omit<LogRow, "id" | "chain" | "seq" | "format" | "prev_hash" | "hash">;

export function exchangeContent(entry: ExchangeEntry): RowContent {
  return { ...entry, kind: "exchange", event_type: null, payload: null };
}

export function eventContent(event: LogEvent, now: number): RowContent {
  return {
    kind: "event", ts: event.ts ?? now, key_id: event.key_id, model: "", request: "", response: "",
    prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, latency_ms: 0, status: 0, finish_reason: null,
    watermark_key_id: null, decision: "event", distillation_licensed: 0, event_type: event.type, payload: JSON.stringify(event.payload ?? null),
  };
}

export type HashedFields = Omit<LogRow, "id" | "hash">;

export function rowHash(row: HashedFields): string {
  // A JSON array fixes the field order and escapes every string, so no two rows share an encoding.
  const canonical = row.format === 1
    ? [row.seq, row.ts, row.key_id, row.model, row.request, row.response, row.prompt_tokens, row.completion_tokens, row.total_tokens, row.latency_ms, row.status,
      row.finish_reason, row.watermark_key_id, row.decision, row.distillation_licensed, row.prev_hash]
    : [2, row.chain, row.seq, row.kind, row.ts, row.key_id, row.model, row.request, row.response, row.prompt_tokens, row.completion_tokens, row.total_tokens,
      row.latency_ms, row.status, row.finish_reason, row.watermark_key_id, row.decision, row.distillation_licensed, row.event_type, row.payload, row.prev_hash];
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

export interface ChainPoint {
  seq: number;
  hash: string;
}

/** Places rows after `head` in `chain`: positions, previous hashes and hashes. */
export function chainRows(chain: string, head: ChainPoint, contents: readonly RowContent[]): Omit<LogRow, "id">[] {
  let seq = head.seq;
  let prev = head.hash;
  return contents.map((content) => {
    seq += 1;
    const fields: HashedFields = { ...content, chain, seq, format: 2, prev_hash: prev };
    prev = rowHash(fields);
    return { ...fields, hash: prev };
  });
}

/** Combined head of several chains (one chain: its own head). */
export function combinedHead(heads: readonly { chain: string; head: string }[]): string {
  if (heads.length === 0) return GENESIS_HASH;
  if (heads.length === 1) return heads[0]!.head;
  const lines = heads.map(({ chain, head }) => `${chain}:${head}`).sort().join("\n");
  return createHash("sha256").update(lines).digest("hex");
}
