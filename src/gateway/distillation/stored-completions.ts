// Stored completions (`store: true`): the exchange log keeps the conversation, and this index keeps
// which logged exchange is which stored completion, its key and its metadata. The index is an
// append-only JSONL of operations (store, update, delete) replayed at start: deleting hides a
// completion from the API and never touches the log, whose hash chain stays whole.
import { join } from "node:path";
import { z } from "zod";
import { badRequest } from "../errors.js";
import type { ExchangeEnd, StoredCompletionsHook } from "../gateway-context.js";
import { LEGACY_CHAIN, type KeyRecord, type RowRef } from "../store/index.js";
import { requireLicence } from "./distillation-errors.js";
import { appendJsonLine, ensureDirectory, readJsonLines } from "./state-files.js";

export interface StoredCompletion {
  id: string;
  /** The logged exchange: its replica's chain and its position there. Entries written before chains
   *  had names have no chain; their exchange ids are positions in the legacy chain. */
  exchange_chain?: string;
  exchange_id: number;
  key_id: string;
  model: string;
  created: number;
  metadata: Record<string, string>;
  finish_reason: string | null;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

type Operation =
  | { op: "store"; entry: StoredCompletion }
  | { op: "update"; id: string; metadata: Record<string, string> }
  | { op: "delete"; id: string };

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

export class StoredCompletionIndex implements StoredCompletionsHook {
  private readonly path: string;
  private readonly entries = new Map<string, StoredCompletion>();

  constructor(root: string) {
    this.path = join(ensureDirectory(root), "stored-completions.jsonl");
    for (const operation of readJsonLines<Operation>(this.path)) this.apply(operation);
  }

  prepare(key: KeyRecord, body: { model: string; store?: unknown; metadata?: unknown }): ReturnType<StoredCompletionsHook["prepare"]> {
    if (body.store !== true) return null;
    requireLicence(key, "store completions (store: true)");
    const metadata = parseMetadata(body.metadata);
    return async (exchange: RowRef, end: ExchangeEnd, completion: { id: string; created: number }) => {
      const prompt = end.promptTokens ?? 0;
      const answer = end.completionTokens ?? 0;
      this.write({
        op: "store",
        entry: { id: completion.id, exchange_chain: exchange.chain, exchange_id: exchange.seq, key_id: key.id, model: body.model, created: completion.created, metadata, finish_reason: end.finishReason, usage: { prompt_tokens: prompt, completion_tokens: answer, total_tokens: end.totalTokens ?? prompt + answer } },
      });
    };
  }

  /** The key's stored completions, oldest first. */
  list(keyId: string): StoredCompletion[] {
    return [...this.entries.values()].filter((entry) => entry.key_id === keyId);
  }

  get(keyId: string, id: string): StoredCompletion | null {
    const entry = this.entries.get(id);
    return entry && entry.key_id === keyId ? entry : null;
  }

  update(id: string, metadata: Record<string, string>): void {
    this.write({ op: "update", id, metadata });
  }

  delete(id: string): void {
    this.write({ op: "delete", id });
  }

  private write(operation: Operation): void {
    appendJsonLine(this.path, operation);
    this.apply(operation);
  }

  private apply(operation: Operation): void {
    if (operation.op === "store") this.entries.set(operation.entry.id, operation.entry);
    else if (operation.op === "delete") this.entries.delete(operation.id);
    else {
      const entry = this.entries.get(operation.id);
      if (entry) entry.metadata = operation.metadata;
    }
  }
}
