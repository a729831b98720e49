// What every route shares: the store (keys, log, limits), backends, the watermark hook, and in-flight
// tracking.
import type { Backends } from "./backends.js";
import type { GatewayMetrics } from "./metrics.js";
import type { KeyRecord } from "./store/key-policy.js";
import type { AppendOptions, GatewayStore, KeyStore, LimitStore, LogReader, LogWriter, RowRef } from "./store/store.js";
import type { MonitorHook } from "./monitor-hook.js";
import type { WatermarkHook } from "./watermark-hook.js";
import type { DefenceHook } from "./defence-hook.js";

/** Stored completions (`store: true`; distillation/): checked before any work, indexed once logged. */
export interface StoredCompletionsHook {
  /** Throws 403 for an unlicensed key and 400 for bad metadata; null when the request does not store. */
  prepare(key: KeyRecord, body: { model: string; store?: unknown; metadata?: unknown }): ((exchange: RowRef, end: ExchangeEnd, completion: { id: string; created: number }) => Promise<void>) | null;
}

export interface GatewayContext {
  store: GatewayStore;
  keys: KeyStore;
  /** This replica's writer (its own chain). */
  log: LogWriter;
  reader: LogReader;
  limiter: LimitStore;
  /** The replica id, which names this server's chain. */
  replica: string;
  backends: Backends;
  watermark: WatermarkHook | null;
  metrics: GatewayMetrics;
  monitor: MonitorHook | null;
  defence?: DefenceHook | null;
  bodyLimit: number;
  upstreamTimeoutMs: number;
  /** Wall clock (ms); injectable for tests of limits and retention. */
  now(): number;
  /** Marks work in flight until the returned function is called (graceful shutdown waits for it). */
  hold(): () => void;
  storedCompletions?: StoredCompletionsHook;
}

/** The part of an exchange known before the backend answers. */
export interface ExchangeStart {
  ts: number;
  startedAt: number;
  key: KeyRecord;
  model: string;
  request: string;
  watermarkKeyId: string | null;
  /** Run once a 200 exchange is durable, with its place in the log (stored completions). */
  onRecorded?: (exchange: RowRef, end: ExchangeEnd) => Promise<void>;
  /** What the defences did (e.g. candidates=3/4), appended to an allowed exchange's decision. */
  notes?: string[];
}

export interface ExchangeEnd {
  status: number;
  response: string;
  decision: string;
  finishReason: string | null;
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

/** Appends the exchange and resolves with its position in this replica's chain once it is durable. */
export async function recordExchange(context: GatewayContext, start: ExchangeStart, end: ExchangeEnd, options?: AppendOptions): Promise<number> {
  const prompt = end.promptTokens ?? 0;
  const completion = end.completionTokens ?? 0;
  const entry = {
    ts: start.ts,
    key_id: start.key.id,
    model: start.model,
    request: start.request,
    response: end.response,
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: end.totalTokens ?? prompt + completion,
    latency_ms: Math.round((performance.now() - start.startedAt) * 1000) / 1000,
    status: end.status,
    finish_reason: end.finishReason,
    watermark_key_id: start.watermarkKeyId,
    decision: end.decision === "allowed" && start.notes?.length ? [end.decision, ...start.notes].join(";") : end.decision,
    distillation_licensed: start.key.policy.distillation ? 1 : 0,
  };
  const committed = context.log.append(entry, options);
  context.metrics.recordExchange({ model: start.model, status: end.status, decision: end.decision, promptTokens: prompt, completionTokens: completion, startedAt: start.startedAt }, committed);
  const seq = await committed;
  context.monitor?.observe(seq, entry);
  if (end.status === 200) await start.onRecorded?.({ chain: context.log.chain, seq }, end);
  return seq;
}
