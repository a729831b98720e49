// Null runs of reading-mode radioactivity for the calibration tests: for each fresh key, answers
// generated under that key (the dangerous case: the suspect reads text the key shaped), read by
// suspects that never saw text under it. Each run goes through readingTest itself.
import type { Random } from "../../random/index.js";
import { createWatermark, generateKey, type SchemeName, type Watermark } from "../../watermark/index.js";
import { readingTest } from "../reading-test.js";
import type { StoppingRule } from "../sequential.js";
import type { AuditTestResult } from "../test-result.js";
import type { TokenModel } from "../../models/index.js";
import type { SimulatedTeacher } from "./simulated-teacher.js";

export interface NullCase {
  name: string;
  suspect: TokenModel;
  /** A stopping rule for this case (sequential scoring on), instead of the options' one. */
  rule?: StoppingRule;
}

export interface NullRun {
  randomized: number[];
  conservative: number[];
  scored: number[];
  results: AuditTestResult[];
}

export interface NullOptions {
  scheme: SchemeName;
  keys: number;
  texts: number;
  length: number;
  /** Which keys' prompts quote earlier watermarked answers of their batch ("alternate": every other key). */
  quote: "none" | "all" | "alternate";
  /** Every answer opens with this word (see SimulatedTeacher.serve). */
  opener?: string;
  sequential?: boolean;
  rule?: StoppingRule;
}

export function freshWatermark(scheme: SchemeName, random: Random): Watermark {
  return createWatermark(generateKey(scheme, {}, (n) => random.bytes(n)));
}

/** One readingTest per key and case; every case of a key reads the same answers, served under that key. */
export async function readingNullRuns(teacher: SimulatedTeacher, cases: NullCase[], random: Random, options: NullOptions): Promise<Map<string, NullRun>> {
  const runs = new Map(cases.map((c) => [c.name, { randomized: [], conservative: [], scored: [], results: [] } as NullRun]));
  for (let k = 0; k < options.keys; k++) {
    const watermark = freshWatermark(options.scheme, random);
    const quote = options.quote === "all" || (options.quote === "alternate" && k % 2 === 0);
    const texts = teacher.serve(watermark, random, { count: options.texts, length: options.length, quote, opener: options.opener });
    for (const c of cases) {
      const result = await readingTest({
        watermark, encode: teacher.encode, decode: teacher.decode, suspect: c.suspect, texts,
        sequential: options.sequential || c.rule !== undefined, rule: c.rule ?? options.rule,
      });
      const run = runs.get(c.name)!;
      run.randomized.push(result.detail.p_value_randomized as number);
      run.conservative.push(result.p_value);
      run.scored.push(result.detail.scored as number);
      run.results.push(result);
    }
  }
  return runs;
}
