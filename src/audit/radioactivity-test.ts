// Radioactivity (a provenance test), closed-model setting of Sander et al., "Watermarking makes
// language models radioactive" (NeurIPS 2024): the suspect answers prompts; its answers, tokenised
// with the teacher's tokenizer, are scored with one de-duplication tape that skips every window
// occurring in a prompt. Under H0 (the suspect never learned from text carrying this key) the scored
// (context, token) pairs are distinct and independent of the key, so the p-value is exact whatever
// else the suspect was trained on. With the provider's exchange log, the filter φ keeps only windows
// whose context occurs in the watermarked answers the gateway actually served (the supervised
// setting): the same exactness, far fewer wasted tokens. Verdicts use the conservative p-value.
import type { DetectionResult, Watermark, WatermarkTest } from "../watermark/index.js";
import { quotedWindowMask } from "./quoted-windows.js";
import { SequentialEvidence, type StoppingRule } from "./sequential.js";
import { testResult, type AuditTestResult } from "./test-result.js";

export interface RadioactivityInput {
  watermark: Watermark;
  encode: (text: string) => ArrayLike<number>;
  /** The teacher's decode: with it, windows quoted in the prompt in another tokenisation are skipped too. */
  decode?: (ids: ArrayLike<number>) => string;
  /** The suspect's answers, in the order asked. */
  answers: string[];
  /** prompts[i] is the prompt answers[i] answered: its windows are not scored in that answer. */
  prompts: string[];
  /** The watermarked answers the gateway served (filter φ); absent without --exchanges. */
  served?: string[];
  /** Report how many scored tokens the evidence needed to fall below this p (conservative). */
  target?: number;
}

export function radioactivityTest(input: RadioactivityInput): AuditTestResult {
  const scorer = new RadioactivityScorer(input);
  input.answers.forEach((answer, index) => scorer.add(answer, input.prompts[index] ?? ""));
  return scorer.result();
}

/** The closed-model test fed answer by answer, so the audit can stop asking once it is decided. */
export class RadioactivityScorer {
  private readonly test: WatermarkTest;
  private readonly evidence: SequentialEvidence | null;
  private readonly logTarget: number;
  private answers = 0;
  private tokensToTarget: number | null = null;
  private answersToTarget: number | null = null;
  private stoppedEarly = false;

  constructor(private readonly input: Omit<RadioactivityInput, "answers" | "prompts"> & { rule?: StoppingRule; sequential?: boolean }) {
    this.logTarget = Math.log10(input.target ?? 1e-6);
    this.evidence = input.sequential ? new SequentialEvidence(input.watermark) : null;
    const onlyContexts = input.served ? input.watermark.contextSet(input.served.map((text) => input.encode(text))) : undefined;
    // Sander et al. skip the windows of the prompt: the only text a suspect sees is its own prompt, so
    // each answer skips its own prompt's windows (pooling every prompt would, with a one-token
    // context, exclude nearly every common token).
    this.test = input.watermark.createTest({ onlyContexts, firstContextOnly: false, onScore: this.evidence?.add });
  }

  add(answer: string, prompt: string): void {
    const ids = this.input.encode(answer);
    const promptIds = this.input.encode(prompt);
    const decode = this.input.decode;
    const skip = decode ? quotedWindowMask(ids, promptIds, { tokenText: (id) => decode([id]), context: (this.input.watermark.params as { context: number }).context }) : undefined;
    this.test.addTokens(ids, promptIds, skip);
    this.answers++;
    this.evidence?.record(this.answers);
    if (this.tokensToTarget === null) {
      const partial = this.test.result();
      if (partial.log10_p_conservative < this.logTarget) {
        this.tokensToTarget = partial.scored;
        this.answersToTarget = this.answers;
      }
    }
  }

  /** True once the sequential evidence reaches the stopping level (never without a rule). */
  decided(): boolean {
    const done = this.evidence?.decided(this.input.rule) ?? false;
    if (done) this.stoppedEarly = true;
    return done;
  }

  result(): AuditTestResult {
    const { input } = this;
    const result = this.test.result();
    const fixedLogP = result.log10_p_conservative * Math.LN10;
    const note = result.scored === 0 ? "no token could be scored (no answers, or every window was in a prompt or outside φ)" : null;
    return testResult({
      name: "radioactivity",
      kind: "provenance",
      statistic: result.statistic,
      logP: this.evidence ? this.evidence.combine(fixedLogP, this.stoppedEarly) : fixedLogP,
      queries: this.answers,
      note,
      detail: {
        scheme: input.watermark.scheme,
        key_id: input.watermark.keyId,
        setting: input.served ? "supervised (filter φ from the exchange log)" : "closed model, no filter",
        served_answers: input.served?.length ?? 0,
        ...detectionDetail(input.watermark, result),
        target_p: 10 ** this.logTarget,
        scored_tokens_to_target: this.tokensToTarget,
        answers_to_target: this.answersToTarget,
        ...sequentialDetail(this.evidence, this.stoppedEarly),
      },
    });
  }
}

/** What a watermark test's detector saw, in the report's words (both the randomised and the conservative p). */
export function detectionDetail(watermark: Watermark, result: DetectionResult): Record<string, unknown> {
  return {
    tokens: result.tokens,
    scored: result.scored,
    statistic: result.statistic,
    p_value_randomized: result.p_value,
    log10_p_randomized: result.log10_p,
    p_value_conservative: result.p_value_conservative,
    log10_p_conservative: result.log10_p_conservative,
    z_score: standardScore(watermark, result.scored, result.statistic),
  };
}

/** The report's account of a sequential test: whether it stopped, and its p-value path. */
export function sequentialDetail(evidence: SequentialEvidence | null, stoppedEarly: boolean): Record<string, unknown> {
  if (!evidence) return { sequential: false };
  return { sequential: true, stopped_early: stoppedEarly, log10_p_anytime: evidence.logP / Math.LN10, path: evidence.thinnedPath() };
}

/** The statistic standardised by its null mean and deviation (for the report's picture only). */
export function standardScore(watermark: Watermark, scored: number, statistic: number): number {
  if (scored === 0) return 0;
  const params = watermark.params as { gamma?: number; layers?: number };
  if (watermark.scheme === "kgw") {
    const gamma = params.gamma ?? 0.25;
    return (statistic - scored * gamma) / Math.sqrt(scored * gamma * (1 - gamma));
  }
  if (watermark.scheme === "gumbel") return (statistic - scored) / Math.sqrt(scored);
  const bits = scored * (params.layers ?? 1);
  return (statistic - bits / 2) / Math.sqrt(bits / 4);
}
