// Agreement (a similarity test), after Nikolić, Baluta & Saxena, "Model provenance testing for large
// language models" (NeurIPS 2025): on random prompts, greedy decoding, a hit is a prompt where the
// suspect's first token (here: first word, so that models with different tokenizers compare) equals a
// candidate's. The teacher must be the best candidate and beat every reference by a one-sided
// two-proportion test (Fisher exact when a cell is below 5, else the pooled z-test), with Holm's
// correction over the references; the test's p-value is the largest adjusted one (all must reject).
// Models that learned from the same data agree too: a rejection says "resembles", never "derived".
import { clopperPearsonInterval, fisherExactTest, holmBonferroniLog, twoProportionZTest } from "../stats/index.js";
import { testResult, type AuditTestResult } from "./test-result.js";

/** Answers keyed by prompt id; a prompt missing for any model is left out for all (never a miss). */
export type AnswersByPrompt = Map<string, string>;

export interface AgreementInput {
  suspect: AnswersByPrompt;
  teacher: { model: string; answers: AnswersByPrompt };
  references: { model: string; answers: AnswersByPrompt }[];
  /** How many leading words must match: 1 (first token) or a short span. */
  words: number;
  level?: number;
}

/** Words and numbers, lower-cased; punctuation marks count as words of their own. */
export function leadingWords(text: string, count: number): string {
  const words = text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
  return words.slice(0, count).join(" ");
}

export function agreementTest(input: AgreementInput): AuditTestResult {
  const name = input.words === 1 ? "agreement" : "agreement_span";
  const candidates = [input.teacher, ...input.references];
  const prompts = [...input.suspect.keys()].filter((id) => candidates.every((candidate) => candidate.answers.has(id))).sort();
  const n = prompts.length;
  const hits = candidates.map((candidate) =>
    prompts.filter((id) => {
      const mine = leadingWords(input.suspect.get(id)!, input.words);
      return mine.length > 0 && mine === leadingWords(candidate.answers.get(id)!, input.words);
    }).length,
  );
  const rates: Record<string, { hits: number; n: number; rate: number; interval: [number, number] }> = {};
  candidates.forEach((candidate, i) => {
    const interval = n > 0 ? clopperPearsonInterval(hits[i]!, n, input.level ?? 0.95) : { low: 0, high: 1 };
    rates[candidate.model] = { hits: hits[i]!, n, rate: n ? hits[i]! / n : 0, interval: [interval.low, interval.high] };
  });
  const teacherHits = hits[0]!;
  const comparisons = input.references.map((reference, i) => {
    const other = hits[i + 1]!;
    const small = Math.min(teacherHits, n - teacherHits, other, n - other) < 5;
    const logP = n === 0 ? 0 : small
      ? fisherExactTest([[teacherHits, n - teacherHits], [other, n - other]], "greater").log_p
      : twoProportionZTest(teacherHits, n, other, n, "greater").log_p;
    return { reference: reference.model, method: small ? "fisher" : "z", logP };
  });
  const holm = holmBonferroniLog(comparisons.map((c) => c.logP));
  const best = Math.max(...hits);
  const teacherIsBest = n > 0 && teacherHits === best && hits.slice(1).every((h) => h < teacherHits);
  const logP = !teacherIsBest || comparisons.length === 0 ? 0 : Math.max(...holm.adjusted_log);
  const note = n === 0 ? "no prompt was answered by every model" : !teacherIsBest ? "the teacher is not the suspect's closest candidate" : null;
  return testResult({
    name,
    kind: "similarity",
    statistic: n ? teacherHits / n : 0,
    logP,
    queries: input.suspect.size,
    note,
    detail: {
      words: input.words,
      prompts: n,
      rates,
      comparisons: comparisons.map((c, i) => ({ reference: c.reference, method: c.method, p_value: Math.exp(c.logP), p_holm: Math.exp(holm.adjusted_log[i]!) })),
      method: "greedy answers; one-sided two-proportion tests of the teacher against each reference, Holm-corrected",
    },
  });
}
