// The 429s every limit store raises, with Retry-After in seconds.
import { GatewayError, type GatewayErrorCode } from "../errors.js";
import type { KeyRecord } from "./key-policy.js";

export const WINDOW_SECONDS = 60;
export const DAY_MS = 86_400_000;

export type LimitName = "rpm" | "tpm" | "daily";

export function limitError(key: KeyRecord, which: LimitName, retryAfter: number): GatewayError {
  const { rpm, tpm, dailyTokens } = key.policy;
  const message = which === "rpm" ? `this key may make ${rpm} requests per minute`
    : which === "tpm" ? `this key may use ${tpm} tokens per minute`
    : `this key has used its daily quota of ${dailyTokens} tokens; it resets at 00:00 UTC`;
  const code: GatewayErrorCode = which === "daily" ? "INSUFFICIENT_QUOTA" : "RATE_LIMIT_EXCEEDED";
  return new GatewayError(code, `${message}; retry after ${retryAfter} s`, { status: 429, type: "rate_limit_error", retryAfter });
}

/** Seconds until midnight UTC (the daily quota's Retry-After). */
export function secondsToMidnight(now: number): number {
  return Math.ceil((DAY_MS - (now % DAY_MS)) / 1000);
}

/** Whether a key has any limit at all (a key without one costs the limit store nothing). */
export function hasLimits(key: KeyRecord): boolean {
  return key.policy.rpm !== null || key.policy.tpm !== null || key.policy.dailyTokens !== null;
}
