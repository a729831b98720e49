// curate: quality filters, identity scrubbing, exact duplicates, then MinHash near-duplicates.
// The first occurrence of a duplicate is kept, so curating is stable and order-preserving.
import { DistillError } from "../data/errors.js";
import type { HarvestRow } from "../data/row.js";
import { scrubTurns, type IdentityScrubOptions } from "./identity-scrub.js";
import { findNearDuplicates } from "./near-duplicates.js";
import { qualityReason, type QualityOptions, type QualityReason } from "./quality.js";
import { normalizeText, type ShingleKind } from "./shingles.js";

export type DedupField = "both" | "response" | "prompt";

export interface CurateOptions extends QualityOptions {
  /** Jaccard similarity at or above which a row is a near-duplicate of an earlier one (default 0.8); 1 turns it off. */
  nearDuplicateThreshold?: number;
  shingle?: ShingleKind;
  /** Default 5 for characters, 3 for words. */
  shingleSize?: number;
  numPerm?: number;
  seed?: number;
  /** What duplicates are judged on: prompt and answer together (default), the answer, or the prompt. */
  dedupOn?: DedupField;
  identity?: IdentityScrubOptions;
}

export type RemovalReason = QualityReason | "identity" | "exact_duplicate" | "near_duplicate";

export interface CurateReport {
  rows_in: number;
  rows_out: number;
  removed: Partial<Record<RemovalReason, number>>;
  rewritten: number;
  near_duplicate: { threshold: number; shingle: ShingleKind; shingle_size: number; num_perm: number; bands: number; rows: number } | null;
}

export interface CurateResult {
  rows: HarvestRow[];
  report: CurateReport;
}

export function curateRows(input: HarvestRow[], options: CurateOptions = {}): CurateResult {
  const threshold = options.nearDuplicateThreshold ?? 0.8;
  if (!(threshold > 0 && threshold <= 1)) throw new DistillError("CURATE_BAD_OPTION", `the near-duplicate threshold must be in (0, 1], got ${threshold}`);
  for (const [flag, value] of [["--rewrite-as", options.identity?.replacementName], ["--rewrite-vendor", options.identity?.replacementVendor]] as const) {
    if (value !== undefined && value.trim() === "") throw new DistillError("CURATE_BAD_OPTION", `${flag} must not be empty: give the name to put in place of the teacher's`);
  }
  const removed: Partial<Record<RemovalReason, number>> = {};
  const remove = (reason: RemovalReason) => (removed[reason] = (removed[reason] ?? 0) + 1);
  let rewritten = 0;

  const survivors: HarvestRow[] = [];
  for (const row of input) {
    const reason = qualityReason(row, options);
    if (reason) {
      remove(reason);
      continue;
    }
    if (options.identity) {
      const outcome = scrubTurns([...row.messages.map((message) => message.content), row.response], options.identity);
      if (outcome.kind === "drop") {
        remove("identity");
        continue;
      }
      if (outcome.kind === "rewritten") {
        rewritten++;
        survivors.push(rewrittenRow(row, outcome.texts, outcome.changed.at(-1)!));
        continue;
      }
    }
    survivors.push(row);
  }

  const dedupOn = options.dedupOn ?? "both";
  const seen = new Set<string>();
  const unique = survivors.filter((row) => {
    const key = normalizeText(dedupText(row, dedupOn));
    if (seen.has(key)) return remove("exact_duplicate"), false;
    seen.add(key);
    return true;
  });

  let rows = unique;
  let nearDuplicate: CurateReport["near_duplicate"] = null;
  if (threshold < 1) {
    const kind = options.shingle ?? "char";
    const size = options.shingleSize ?? (kind === "char" ? 5 : 3);
    const numPerm = options.numPerm ?? 128;
    const found = findNearDuplicates(unique.map((row) => dedupText(row, dedupOn)), { threshold, shingle: kind, shingleSize: size, numPerm, seed: options.seed ?? 1 });
    rows = unique.filter((_, index) => !found.duplicate[index] || (remove("near_duplicate"), false));
    nearDuplicate = { threshold, shingle: kind, shingle_size: size, num_perm: numPerm, ...found.parameters };
  }
  return { rows: rows.map(stripUndefined), report: { rows_in: input.length, rows_out: rows.length, removed, rewritten, near_duplicate: nearDuplicate } };
}

/**
 * The row with its turns replaced. A rewritten answer no longer matches the teacher's recorded tokens
 * and logprobs, so they go; when only the prompt changed, the answer's tokens are the same and stay.
 */
function rewrittenRow(row: HarvestRow, texts: string[], responseChanged: boolean): HarvestRow {
  const messages = row.messages.map((message, index) => ({ ...message, content: texts[index]! }));
  const response = texts[row.messages.length]!;
  return responseChanged ? { ...row, messages, response, logprobs: undefined, token_ids: undefined } : { ...row, messages, response };
}

function dedupText(row: HarvestRow, field: DedupField): string {
  const prompt = row.messages.map((message) => `${message.role}: ${message.content}`).join("\n");
  if (field === "prompt") return prompt;
  if (field === "response") return row.response;
  return `${prompt}\nassistant: ${row.response}`;
}

function stripUndefined(row: HarvestRow): HarvestRow {
  if (row.logprobs !== undefined && row.token_ids !== undefined) return row;
  const copy = { ...row };
  if (copy.logprobs === undefined) delete copy.logprobs;
  if (copy.token_ids === undefined) delete copy.token_ids;
  return copy;
}
