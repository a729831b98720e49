// Stored completions (`store: true`): the exchange log keeps the conversation, and the index (a
// StoredCompletionState: the data directory's JSONL or a PostgreSQL table) keeps which logged
// exchange is which stored completion, its key and its metadata. Deleting hides a completion from
// the API and never touches the log, whose hash chain stays whole.
import { z } from "zod";
import { badRequest } from "../errors.js";
import type { ExchangeEnd, StoredCompletionsHook } from "../gateway-context.js";
import { LEGACY_CHAIN, type KeyRecord, type RowRef } from "../store/index.js";
import { requireLicence } from "./distillation-errors.js";
import type { StoredCompletionState } from "./distillation-state.js";
import type { StoredCompletion } from "./stored-completion-types.js";

export type { StoredCompletion };

/** OpenAI's limits: at most 16 pairs, keys up to 64 characters, values up to 512. */
export const metadataSchema = z.record(z.string().max(64), z.string().max(512)).refine((value) => Object.keys(value).length <= 16, "at most 16 key-value pairs");

export function parseMetadata(value: unknown, param = "metadata"): Record<string, string> {
  if (value === undefined || value === null) return {};
  const parsed = metadataSchema.safeParse(value);
  if (!parsed.success) throw badRequest("INVALID_REQUEST", `Invalid value for '${param}': ${parsed.error.issues[0]!.message} (at most 16 string pairs; keys up to 64 characters, values up to 512).`, param);
  return parsed.data;
}

/** Where a stored completion's exchange is in the log. */
export function exchangeRef(entry: StoredCompletion): RowRef {
  return { chain: entry.exchange_chain ?? LEGACY_CHAIN, seq: entry.exchange_id };
}

/** The `store: true` hook of the chat handler: checks the licence and metadata before any work, and
 *  records the completion in the state once its exchange is logged. */
export class StoredCompletionIndex implements StoredCompletionsHook {
  constructor(readonly state: StoredCompletionState) {}

  prepare(key: KeyRecord, body: { model: string; store?: unknown; metadata?: unknown }): ReturnType<StoredCompletionsHook["prepare"]> {
    if (body.store !== true) return null;
    requireLicence(key, "store completions (store: true)");
    const metadata = parseMetadata(body.metadata);
    return async (exchange: RowRef, end: ExchangeEnd, completion: { id: string; created: number }) => {
      const prompt = end.promptTokens ?? 0;
      const answer = end.completionTokens ?? 0;
      await this.state.add({
        id: completion.id, exchange_chain: exchange.chain, exchange_id: exchange.seq, key_id: key.id, model: body.model, created: completion.created, metadata, finish_reason: end.finishReason,
        usage: { prompt_tokens: prompt, completion_tokens: answer, total_tokens: end.totalTokens ?? prompt + answer },
      });
    };
  }
}
