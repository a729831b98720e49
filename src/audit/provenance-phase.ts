// The provenance phase of an audit: every test whose null is "never saw the teacher's outputs (or
// weights)". Tests given by the caller (weights, training order) run first, then the watermark test:
// reading mode for a white-box suspect with the provider's exchange log, else the closed-model test.
// With sequential stopping each watermark test may stop once its anytime-valid p-value reaches
// α / m (m: the provenance tests that apply), the first level of Holm's procedure, so a test that
// stops is one Holm will reject.
import { isTokenModel } from "../models/index.js";
import { itemSeed, type AuditPlan, type AuditPrompt } from "./plan.js";
import type { Querier, Question, QuerySlot } from "./querier.js";
import { RadioactivityScorer } from "./radioactivity-test.js";
import { readingTest, type ServedText } from "./reading-test.js";
import type { StoppingRule } from "./sequential.js";
import { notApplicable, type AuditTestResult } from "./test-result.js";
import type { Watermark } from "../watermark/index.js";

export interface AuditWatermark {
  watermark: Watermark;
  /** The teacher's tokenizer, which the key was used with. */
  encode: (text: string) => ArrayLike<number>;
  decode: (ids: ArrayLike<number>) => string;
}

export interface AuditExchanges {
  /** The prompts whose answers the gateway served watermarked (asked of the suspect). */
  prompts: AuditPrompt[];
  /** Those answers (the filter φ). */
  served: string[];
  /** Each served answer with its prompt, for reading mode (white-box suspects). */
  texts: ServedText[];
  rows: number;
}

/** A provenance test the caller prepared (the weight and training-order tests need files the room cannot read). */
export interface ProvenanceTest {
  name: string;
  /** Why it cannot run on these models, or null when it applies. */
  notApplicable: string | null;
  /** Spends suspect queries: runs after the watermark test, and not at all once the verdict is decided. */
  costly?: boolean;
  /** `room`: suspect queries it may spend (the budget left after the tests before it and the agreement test). */
  run(context: { rule?: StoppingRule; stage: (message: string) => void; room: number }): Promise<AuditTestResult>;
}

export interface ProvenanceInput {
  suspect: QuerySlot;
  querier: Querier;
  plan: AuditPlan;
  seed: number;
  alpha: number;
  sequential: boolean;
  /** Suspect queries to keep for the similarity tests that follow. */
  reserved: number;
  /** Suspect queries the watermark test leaves for the costly provenance tests after it. */
  keepForLater: number;
  budget: number;
  watermark?: AuditWatermark;
  exchanges?: AuditExchanges;
  tests: ProvenanceTest[];
  stage: (message: string) => void;
  /** Sample answers of the closed-model test, for the report. */
  onAnswers?: (prompts: AuditPrompt[], answers: Map<string, string>) => void;
}

export async function runProvenancePhase(input: ProvenanceInput): Promise<AuditTestResult[]> {
  const { watermark, stage } = input;
  const applicable = input.tests.filter((test) => test.notApplicable === null).length + (watermark ? 1 : 0);
  const rule: StoppingRule | undefined = input.sequential && applicable > 0 ? { stopLogP: Math.log(input.alpha / applicable) } : undefined;
  const results: AuditTestResult[] = [];
  const runAll = async (tests: ProvenanceTest[]) => {
    for (const test of tests) {
      if (test.notApplicable !== null) results.push(notApplicable(test.name, "provenance", test.notApplicable));
      else if (rule && test.costly && provenanceDecided(results, input.alpha, applicable)) results.push(notApplicable(test.name, "provenance", DECIDED));
      else {
        const result = await test.run({ rule, stage, room: roomOf(input) });
        input.querier.reserve(input.suspect, result.queries);
        results.push(result);
      }
    }
  };
  await runAll(input.tests.filter((test) => !test.costly));
  if (watermark && rule && provenanceDecided(results, input.alpha, applicable)) {
    results.push(notApplicable("radioactivity_reading", "provenance", DECIDED), notApplicable("radioactivity", "provenance", DECIDED));
  } else if (watermark) {
    results.push(...(await watermarkTests(input, rule)));
  }
  await runAll(input.tests.filter((test) => test.costly));
  return results;
}

export const DECIDED = "not run: a provenance test already decided the verdict (--no-sequential runs every test)";

/** Suspect queries left for the next provenance test. */
function roomOf(input: ProvenanceInput): number {
  return Math.max(0, input.budget - input.querier.tally(input.suspect.reference).queries - input.reserved);
}

async function watermarkTests(input: ProvenanceInput, rule: StoppingRule | undefined): Promise<AuditTestResult[]> {
  const { watermark: maybeWatermark, exchanges, stage } = input;
  const watermark = maybeWatermark!;
  const model = input.suspect.model;
  const results: AuditTestResult[] = [];
  // Costly provenance tests that follow (training order) keep their share of the budget.
  const room = Math.max(0, roomOf(input) - input.keepForLater);
  if (exchanges && isTokenModel(model)) {
    const texts = exchanges.texts.slice(0, Math.min(input.plan.readingTexts, room));
    stage(`radioactivity, reading mode: up to ${texts.length} of the ${exchanges.texts.length} served answers, read by the white-box suspect${rule ? " (stops once decided)" : ""}`);
    const result = await readingTest({ ...watermark, suspect: model, texts, sequential: input.sequential, rule });
    input.querier.reserve(input.suspect, result.queries);
    results.push(result);
    results.push(notApplicable("radioactivity", "provenance", "the suspect is white-box: reading mode replaced the closed-model test"));
    return results;
  }
  results.push(notApplicable("radioactivity_reading", "provenance", exchanges ? "the suspect is an API model: reading mode needs its next-token distributions (a GGUF or llama.cpp suspect)" : "reading mode needs the watermarked answers: give --exchanges"));
  const prompts = (exchanges ? exchanges.prompts : input.plan.radioactivityPrompts).slice(0, room);
  stage(`radioactivity: up to ${prompts.length} prompts for the suspect${exchanges ? `, scored only on windows of the ${exchanges.served.length} watermarked answers the gateway served` : ""}${rule ? " (stops once decided)" : ""}`);
  const scorer = new RadioactivityScorer({ watermark: watermark.watermark, encode: watermark.encode, decode: watermark.decode, served: exchanges?.served, sequential: input.sequential, rule });
  const answers = new Map<string, string>();
  // Asked in chunks so that a decided test stops asking; the stopping time falls on chunk ends.
  const chunk = 16;
  for (let start = 0; start < prompts.length; start += chunk) {
    const part = prompts.slice(start, start + chunk);
    const questions: Question[] = part.map((prompt) => ({
      test: "radioactivity", item: prompt.id, messages: prompt.messages,
      params: { temperature: input.plan.radioactivityTemperature, max_tokens: input.plan.radioactivityMaxTokens, seed: itemSeed(input.seed, prompt.id) },
    }));
    const got = await input.querier.askAll(input.suspect, questions);
    for (const prompt of part) {
      const answer = got.get(prompt.id);
      if (answer === undefined) continue;
      answers.set(prompt.id, answer);
      scorer.add(answer, prompt.messages.map((message) => message.content).join("\n"));
    }
    if (scorer.decided()) break;
  }
  input.onAnswers?.(prompts, answers);
  results.push(scorer.result());
  return results;
}

/** True when a provenance test already rejects at Holm's first level α/m (the verdict is "derived"). */
export function provenanceDecided(results: AuditTestResult[], alpha: number, planned?: number): boolean {
  const applicable = results.filter((test) => test.kind === "provenance" && test.applicable);
  const m = Math.max(planned ?? 0, applicable.length);
  return m > 0 && applicable.some((test) => test.log10_p * Math.LN10 <= Math.log(alpha / m));
}
