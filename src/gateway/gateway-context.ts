// What every route shares: stores, limits, backends, the watermark hook, and in-flight tracking.
import type { Backends } from "./backends.js";
import type { SqliteDatabase } from "./database.js";
import type { ExchangeLog } from "./exchange-log.js";
import type { KeyRecord, KeyStore } from "./keys.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { WatermarkHook } from "./watermark-hook.js";
import type { DefenceHook } from "./defence-hook.js";

export interface GatewayContext {
  db: SqliteDatabase;
  keys: KeyStore;
  log: ExchangeLog;
  limiter: RateLimiter;
  backends: Backends;
  watermark: WatermarkHook | null;
  defence?: DefenceHook | null;
  bodyLimit: number;
  upstreamTimeoutMs: number;
  /** Wall clock (ms); injectable for tests of limits and retention. */
  now(): number;
  /** Marks work in flight until the returned function is called (graceful shutdown waits for it). */
  hold(): () => void;
}

/** The part of an exchange known before the backend answers. */
export interface ExchangeStart {
  ts: number;
  startedAt: number;
  key: KeyRecord;
  model: string;
  request: string;
  watermarkKeyId: string | null;
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

/** Appends the exchange and resolves once it is durable in the log. */
export function recordExchange(context: GatewayContext, start: ExchangeStart, end: ExchangeEnd): Promise<number> {
  const prompt = end.promptTokens ?? 0;
  const completion = end.completionTokens ?? 0;
  return context.log.append({
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
  });
}
