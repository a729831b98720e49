// Calibration of sequential stopping (betting e-processes, Waudby-Smith & Ramdas 2023) in the two
// watermark tests: on null data, with a stopping rule at ln 0.01 and ln 0.05 checked after every
// answer (the most looks the audit could take), the reported p must reject at the rule's level no
// more often than that level allows (99% binomial bound) and be super-uniform on a grid of levels.
// A test that runs to its end reports 2·min(p_anytime, p_fixed): never worse than 2·p_fixed.
import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { binomialInterval } from "../stats/index.js";
import type { SchemeName } from "../watermark/index.js";
import { RadioactivityScorer } from "./radioactivity-test.js";
import type { AuditTestResult } from "./test-result.js";
import { freshWatermark, readingNullRuns } from "./test-support/reading-null.js";
import { simulatedSuspect } from "./test-support/simulated-suspect.js";
import { SimulatedTeacher } from "./test-support/simulated-teacher.js";
import { WordTokenizer } from "./test-support/word-tokenizer.js";

const LEVELS = [0.01, 0.05];
const GRID = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5];
const SCHEMES: SchemeName[] = ["kgw", "gumbel", "synthid"];
const teacher = new SimulatedTeacher(400, 37);

/** Rejections at each rule's level, super-uniformity on the grid, and the end-of-test combination. */
function expectValidSequential(byLevel: Map<number, AuditTestResult[]>, label: string): void {
  for (const [level, results] of byLevel) {
    const n = results.length;
    const p = results.map((result) => result.p_value);
    const { high } = binomialInterval(n, level, 0.99);
    const rejected = p.filter((value) => value <= level).length;
    expect(rejected, `${label}, stop at ${level}: ${rejected} of ${n} rejections, at most ${high}`).toBeLessThanOrEqual(high);
    // Nine looks at the same p-values: each bound at 1 − 0.01/9.
    for (const a of GRID) {
      const bound = binomialInterval(n, a, 1 - 0.01 / GRID.length).high;
      expect(p.filter((value) => value <= a).length, `${label}, stop at ${level}: P(p ≤ ${a})`).toBeLessThanOrEqual(bound);
    }
    for (const result of results) {
      const fixed = result.detail.p_value_conservative as number;
      const anytime = 10 ** (result.detail.log10_p_anytime as number);
      if (result.detail.stopped_early) {
        expect(result.p_value).toBeLessThanOrEqual(level * (1 + 1e-9));
        expect(result.p_value).toBeCloseTo(anytime, 12);
      } else {
        expect(result.p_value).toBeLessThanOrEqual(Math.min(1, 2 * fixed) * (1 + 1e-9));
        expect(result.p_value).toBeCloseTo(Math.min(1, anytime, 2 * fixed), 12);
      }
    }
  }
}

describe("sequential stopping on null data", () => {
  it("keeps the closed-model test within its level over 600 fresh keys", () => {
    const random = createRandom("sequential-calibration-closed");
    const byLevel = new Map<number, AuditTestResult[]>(LEVELS.map((level) => [level, []]));
    let stopped = 0;
    for (let run = 0; run < 600; run++) {
      const watermark = freshWatermark(SCHEMES[run % 3]!, random);
      // Every other run is supervised: φ from answers served under the key.
      const served = run % 2 === 0 ? teacher.serve(watermark, random, { count: 4, length: 30 }).map((t) => t.answer) : undefined;
      const asked = teacher.serve(null, random, { count: 20, length: 40 });
      for (const level of LEVELS) {
        const scorer = new RadioactivityScorer({ watermark, encode: teacher.encode, served, sequential: true, rule: { stopLogP: Math.log(level) } });
        for (const { prompt, answer } of asked) {
          scorer.add(answer, prompt[0]!.content);
          if (scorer.decided()) break;
        }
        const result = scorer.result();
        if (result.detail.stopped_early) stopped++;
        byLevel.get(level)!.push(result);
      }
    }
    expectValidSequential(byLevel, "closed model");
    // The rule does stop innocent suspects now and then (else this calibration checks nothing), rarely.
    expect(stopped).toBeGreaterThan(0);
    expect(stopped).toBeLessThanOrEqual(binomialInterval(1200, 0.05, 0.99).high);
  });

  it("keeps reading mode within its level over 600 fresh keys (answers generated under each)", async () => {
    const setup = createRandom("sequential-calibration-reading-setup");
    const plain = teacher.serve(null, setup, { count: 300, length: 60 }).map((t) => t.answer);
    const words = teacher.tokenizer.words;
    const other = new WordTokenizer(words, { splits: words.slice(1, 60), merges: [[words[1]!, words[2]!], [words[3]!, words[1]!]], permute: "sequential" });
    const cases = LEVELS.flatMap((level) => [
      { name: `same ${level}`, suspect: simulatedSuspect("plain", teacher.tokenizer, plain), rule: { stopLogP: Math.log(level) } },
      { name: `other ${level}`, suspect: simulatedSuspect("other", other, plain, { copy: true }), rule: { stopLogP: Math.log(level) } },
    ]);
    const byLevel = new Map<number, AuditTestResult[]>(LEVELS.map((level) => [level, []]));
    for (const scheme of SCHEMES) {
      const runs = await readingNullRuns(teacher, cases, createRandom(`sequential-calibration-reading-${scheme}`), { scheme, keys: 100, texts: 5, length: 40, quote: "alternate" });
      for (const level of LEVELS) byLevel.get(level)!.push(...runs.get(`same ${level}`)!.results, ...runs.get(`other ${level}`)!.results);
    }
    for (const results of byLevel.values()) expect(results.length).toBe(600);
    expectValidSequential(byLevel, "reading mode");
  });
});
