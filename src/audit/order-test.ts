// The training-order test (a provenance test), query setting of Kuditipudi et al., "Blackbox Model
// Provenance via Palimpsestic Membership Inference" (arXiv 2510.19796): the teacher shuffled its
// training data at random, and models remember what they saw last best. Under H0 (the suspect is
// independent of the teacher's training run) the positions of the teacher's training windows are a
// uniformly random permutation with respect to anything the suspect does, so a rank correlation
// between the suspect's likelihood of each window and the window's position is exact evidence,
// whatever data the suspect also saw. The paper correlates position with the log-perplexity
// difference between the suspect and a reference model (its Equation 2, Spearman); here the score is
// the suspect's mean per-token log-likelihood, minus the reference's when one is given (a model
// independent of the teacher's order removes each window's difficulty), and the correlation is
// Kendall's tau, whose null (the Mahonian law of inversions) is exact in log space
// (stats/kendall.ts); Spearman's exact null cannot be enumerated for hundreds of windows.
// One-sided: late windows more likely. Windows are chosen from the two ends of the order (the
// earliest and the latest positions): positions are chosen before any score is seen, so the null is
// untouched, and a trend is measured with more power from its ends than from a uniform sample.
import type { TokenModel } from "../models/index.js";
import { createRandom } from "../random/index.js";
import { kendallIdentityTest, toLog10, type KendallResult } from "../stats/index.js";
import { AuditError } from "./errors.js";
import { scoreWindows, type WindowScores } from "./order-scores.js";
import { notApplicable, testResult, type AuditTestResult } from "./test-result.js";

export interface OrderExample {
  /** Where the teacher's training saw this text (last), in training order; distinct. */
  position: number;
  text: string;
}

export interface OrderTestInput {
  suspect: TokenModel;
  examples: OrderExample[];
  /** optional model independent of the teacher's order used to normalise example difficulty */
  reference?: TokenModel;
  /** Windows to score (default 1,000); fewer when fewer exist. */
  sample?: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

/** 1,000 windows: the effect is small (Kendall's tau 0.05–0.07 for the built-in teacher against its
 *  own order), so power grows with every window, while the exact null's cost grows as n³ (about 7 s
 *  at 1,000 on one core, once per audit) and scoring costs about 20 ms a window on the engine
 *  (twice that with a reference). */
export const defaultOrderSample = 1000;

export const trainingOrderName = "training_order";

/** The earliest half and the latest half of the positions (all of them when they are fewer). */
export function extremeWindows(examples: readonly OrderExample[], sample: number): OrderExample[] {
  const sorted = [...examples].sort((a, b) => a.position - b.position);
  for (let i = 1; i < sorted.length; i++) {
    if (!(sorted[i]!.position > sorted[i - 1]!.position)) throw new AuditError("AUDIT_ORDER_INVALID", `two training examples share the position ${sorted[i]!.position}; positions in a training order are distinct`);
  }
  if (sorted.length <= sample) return sorted;
  const early = Math.floor(sample / 2);
  return [...sorted.slice(0, early), ...sorted.slice(sorted.length - (sample - early))];
}

/**
 * Kendall's test of position against score, one-sided (high scores late). The windows' positions,
 * read in the order of their scores, form a permutation of the position ranks: few inversions mean
 * late windows score high. Ties in score (identical windows) are broken at random, independently of
 * the positions, so the permutation stays uniform under H0.
 */
export function orderCorrelation(items: readonly { position: number; score: number }[], seed: number): KendallResult {
  const random = createRandom(seed);
  const byScore = items.map((item) => ({ ...item, tie: random.uniform53() })).sort((a, b) => a.score - b.score || a.tie - b.tie);
  const rankOf = new Map([...items].sort((a, b) => a.position - b.position).map((item, rank) => [item.position, rank]));
  return kendallIdentityTest(byScore.map((item) => rankOf.get(item.position)!), random.uniform53());
}

export async function trainingOrderTest(input: OrderTestInput): Promise<AuditTestResult> {
  const sample = input.sample ?? defaultOrderSample;
  if (!(Number.isInteger(sample) && sample >= 2)) throw new AuditError("AUDIT_BAD_OPTION", `the training-order sample must be a whole number of at least 2, got ${sample}`);
  if (input.examples.some((example) => !Number.isFinite(example.position))) throw new AuditError("AUDIT_ORDER_INVALID", "every training example needs a finite position");
  const chosen = extremeWindows(input.examples, sample);
  if (chosen.length < 2) return notApplicable(trainingOrderName, "provenance", `the teacher's training order has ${chosen.length} example(s); the test needs at least 2`);
  const scores = await scoreWindows(input.suspect, input.reference, chosen.map((example) => example.text), input.onProgress);
  const kept = chosen.flatMap((example, i) => (scores.score[i] === null ? [] : [{ position: example.position, score: scores.score[i]! }]));
  if (kept.length < 2) {
    return notApplicable(trainingOrderName, "provenance", "fewer than 2 training windows had a token to score under the suspect's tokenizer", { sample: chosen.length });
  }
  const kendall = orderCorrelation(kept, input.seed);
  return testResult({
    name: trainingOrderName,
    kind: "provenance",
    statistic: kendall.tau,
    logP: kendall.log_p,
    queries: scores.suspectQueries,
    note: null,
    detail: detailOf(input, chosen, kept, scores, kendall),
  });
}

function detailOf(input: OrderTestInput, chosen: OrderExample[], kept: { position: number; score: number }[], scores: WindowScores,
  kendall: KendallResult): Record<string, unknown> {
  const half = Math.floor(kept.length / 2);
  const byPosition = [...kept].sort((a, b) => a.position - b.position);
  const mean = (items: { score: number }[]) => items.reduce((n, item) => n + item.score, 0) / Math.max(items.length, 1);
  return {
    setting: "query: the suspect's likelihood of the teacher's training windows against their positions in the teacher's shuffled training order",
    statistic: "Kendall's tau between position and score (one-sided: late windows more likely), exact Mahonian null",
    score: input.reference ? `mean per-token log-likelihood, suspect minus reference (${input.reference.id})` : "mean per-token log-likelihood of the suspect",
    reference: input.reference?.id ?? null,
    design: "the earliest and the latest positions of the order",
    examples_available: input.examples.length,
    sample: chosen.length,
    scored: kept.length,
    truncated: scores.truncated,
    positions: { first: byPosition[0]!.position, last: byPosition.at(-1)!.position },
    mean_score_early: mean(byPosition.slice(0, half)),
    mean_score_late: mean(byPosition.slice(half)),
    tau: kendall.tau,
    inversions: kendall.inversions,
    p_value_randomized: Math.exp(kendall.log_p_randomized),
    log10_p_randomized: toLog10(kendall.log_p_randomized),
  };
}
