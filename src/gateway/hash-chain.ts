// The exchange log's hash chain: each row's hash commits to its id, its content and the previous
// row's hash, so an edited, inserted or deleted row breaks the chain at that row (Crosby & Wallach,
// "Efficient Data Structures for Tamper-Evident Logging", 2009: a plain hash chain).
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/** One exchange as stored (snake_case mirrors the table). */
export interface ExchangeRow {
  id: number;
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
  prev_hash: string;
  hash: string;
}

export function rowHash(row: Omit<ExchangeRow, "hash">): string {
  // A JSON array fixes the field order and escapes every string, so no two rows share an encoding.
  const canonical = JSON.stringify([
    row.id, row.ts, row.key_id, row.model, row.request, row.response,
    row.prompt_tokens, row.completion_tokens, row.total_tokens, row.latency_ms, row.status,
    row.finish_reason, row.watermark_key_id, row.decision, row.distillation_licensed, row.prev_hash,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
