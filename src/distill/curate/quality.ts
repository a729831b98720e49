// Length and quality filters for harvested answers. Each returns the reason a row is removed, or null.
import type { HarvestRow } from "../data/row.js";

export interface QualityOptions {
  minChars?: number;
  maxChars?: number;
  /** Drop answers cut off by max_tokens (finish_reason "length"). */
  dropTruncated?: boolean;
  /** Drop answers whose share of repeated word 3-grams exceeds this (a looping model). */
  maxRepetition?: number;
}

export type QualityReason = "empty" | "failed" | "truncated" | "too_short" | "too_long" | "repetitive" | "garbled";

export function qualityReason(row: HarvestRow, options: QualityOptions): QualityReason | null {
  const text = row.response.trim();
  if (row.finish_reason === "error" || row.finish_reason === "abort") return "failed";
  if (text === "") return "empty";
  if (options.dropTruncated && row.finish_reason === "length") return "truncated";
  if (options.minChars !== undefined && text.length < options.minChars) return "too_short";
  if (options.maxChars !== undefined && text.length > options.maxChars) return "too_long";
  if (repetitionRatio(text) > (options.maxRepetition ?? 0.5)) return "repetitive";
  if (garbledRatio(text) > 0.1) return "garbled";
  return null;
}

/**
 * Share of word 3-gram occurrences that repeat an earlier 3-gram (0 for short texts). In the spirit of
 * Gopher's duplicate n-gram filters (Rae et al. 2021, appendix A), sized for short answers.
 */
export function repetitionRatio(text: string, minimumNgrams = 8): number {
  const words = text.toLowerCase().split(/\s+/).filter((word) => word !== "");
  const total = words.length - 2;
  if (total < minimumNgrams) return 0;
  const seen = new Set<string>();
  let repeated = 0;
  for (let i = 0; i < total; i++) {
    const gram = `${words[i]} ${words[i + 1]} ${words[i + 2]}`;
    if (seen.has(gram)) repeated++;
    else seen.add(gram);
  }
  return repeated / total;
}

/** Share of characters that are U+FFFD (broken UTF-8 from a split byte token) or control characters. */
export function garbledRatio(text: string): number {
  if (text.length === 0) return 0;
  const bad = text.match(/[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g)?.length ?? 0;
  return bad / text.length;
}
