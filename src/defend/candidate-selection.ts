// Candidate selection, a watermark for black-box upstreams (WaterMax, Giboulot & Furon, NeurIPS 2024):
// the upstream samples n candidates for the next chunk with its own, unmodified distribution; the
// keyed detector scores each (the text so far plus the candidate); the most watermarked one is kept
// and the next chunk continues from it. Nothing about the model changes, so this needs no logits.
//
// The p-value stays the detector's own, and it is exact for this selection: under H0 the text is
// independent of the key (a human's, another model's, or one selected with another key), the scored
// (context, token) pairs are a function of the text alone and distinct, so their PRF scores are i.i.d.
// whatever procedure chose the text. Selection with *this* key is the alternative. See the
// watermark room's README, "Candidate selection".
import type { TextEncoder, Watermark } from "../watermark/index.js";
import { DefendError } from "./errors.js";

export interface Choice {
  index: number;
  /** log10 of the detector's p-value for the prefix plus the chosen candidate. */
  log10P: number;
}

/** The candidate whose prefix + candidate has the smallest detection p-value (first on ties). */
export function chooseCandidate(watermark: Watermark, prefix: ArrayLike<number>, candidates: ArrayLike<number>[], prompt?: ArrayLike<number>): Choice {
  if (candidates.length === 0) throw new DefendError("CANDIDATES_UNAVAILABLE", "no candidate to choose from");
  let best: Choice = { index: -1, log10P: Infinity };
  const prompts = prompt && prompt.length > 0 ? [prompt] : undefined;
  candidates.forEach((candidate, index) => {
    const ids = new Int32Array(prefix.length + candidate.length);
    ids.set(prefix as ArrayLike<number>, 0);
    ids.set(candidate, prefix.length);
    const { log10_p } = watermark.detectTokens(ids, { prompts });
    if (log10_p < best.log10P) best = { index, log10P: log10_p };
  });
  return best.index < 0 ? { index: 0, log10P: 0 } : best;
}

/** One candidate continuation from the upstream. */
export interface Candidate {
  text: string;
  /** "length" when the upstream stopped at the chunk's token limit (the answer goes on). */
  finishReason: "stop" | "length" | "abort" | "error";
  completionTokens: number;
}

/** Asks the upstream for up to `n` continuations of `prefix` (the answer so far), each ≤ maxTokens. */
export type CandidateSource = (prefix: string, n: number, maxTokens: number) => Promise<Candidate[]>;

export interface SelectionOptions {
  source: CandidateSource;
  watermark: Watermark;
  /** The detector's tokenizer (detection re-tokenises text the same way). */
  tokenizer: TextEncoder;
  n: number;
  /** Tokens per chunk (WaterMax's k); null: one choice among whole answers. */
  chunkTokens: number | null;
  maxTokens: number;
  /** The prompt's text: its windows are skipped, as the detector skips them. */
  prompt?: string;
}

export interface SelectedChunk {
  text: string;
  /** Candidates the upstream returned for this chunk (fewer than n when it ignored some). */
  candidates: number;
  log10P: number;
}

export interface SelectionSummary {
  text: string;
  finishReason: Candidate["finishReason"];
  chunks: number;
  /** Smallest and total candidate counts over the chunks: what the exchange log records. */
  minCandidates: number;
  candidates: number;
  /** Completion tokens the upstream generated (about n× the answer) and the answer's own. */
  upstreamTokens: number;
  completionTokens: number;
  log10P: number;
}

/** Chooses chunk after chunk; yields each chosen chunk (for streaming) and returns the summary. */
export async function* selectAnswer(options: SelectionOptions): AsyncGenerator<SelectedChunk, SelectionSummary> {
  if (!(Number.isInteger(options.n) && options.n >= 1)) throw new DefendError("DEFENCE_BAD_PARAMS", `candidates n must be an integer ≥ 1, got ${options.n}`);
  const prompt = options.prompt ? options.tokenizer.encode(options.prompt) : undefined;
  let text = "", chunks = 0, minCandidates = Infinity, total = 0, upstreamTokens = 0, completionTokens = 0, log10P = 0;
  let finishReason: Candidate["finishReason"] = "length";
  while (completionTokens < options.maxTokens) {
    const budget = Math.min(options.chunkTokens ?? options.maxTokens, options.maxTokens - completionTokens);
    const candidates = (await options.source(text, options.n, budget)).filter((c) => c.finishReason !== "error" && c.finishReason !== "abort");
    if (candidates.length === 0) {
      if (chunks === 0) throw new DefendError("CANDIDATES_UNAVAILABLE", "the upstream returned no candidate answer");
      break;
    }
    // Whole texts, re-tokenised as the detector will see them (a chunk's first token may merge with
    // the prefix's last).
    const ids = candidates.map((c) => options.tokenizer.encode(text + c.text));
    const choice = chooseCandidate(options.watermark, [], ids, prompt);
    const chosen = candidates[choice.index]!;
    text += chosen.text;
    chunks++;
    minCandidates = Math.min(minCandidates, candidates.length);
    total += candidates.length;
    upstreamTokens += candidates.reduce((n, c) => n + c.completionTokens, 0);
    completionTokens += chosen.completionTokens;
    log10P = choice.log10P;
    finishReason = chosen.finishReason;
    yield { text: chosen.text, candidates: candidates.length, log10P: choice.log10P };
    if (chosen.finishReason !== "length" || options.chunkTokens === null || chosen.completionTokens === 0) break;
  }
  return { text, finishReason, chunks, minCandidates: chunks ? minCandidates : 0, candidates: total, upstreamTokens, completionTokens, log10P };
}

/** Runs a selection to the end: the summary only. */
export async function selectWhole(options: SelectionOptions): Promise<SelectionSummary> {
  const run = selectAnswer(options);
  for (;;) {
    const step = await run.next();
    if (step.done) return step.value;
  }
}
