// Reading-mode radioactivity on simulated suspects: a count-bigram student that memorised the served
// watermarked answers is found, with the teacher's tokenizer and with another one (merged and split
// words, permuted ids), while a baseline fitted on plain answers is not; sequential stopping stops a
// strongly radioactive suspect early and reads everything without a rule.
import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { createWatermark, generateKey } from "../watermark/index.js";
import { readingTest } from "./reading-test.js";
import { simulatedSuspect } from "./test-support/simulated-suspect.js";
import { SimulatedTeacher } from "./test-support/simulated-teacher.js";
import { WordTokenizer } from "./test-support/word-tokenizer.js";

const teacher = new SimulatedTeacher(400, 11);
const random = createRandom("reading-test");
const watermark = createWatermark(generateKey("kgw", {}, (n) => random.bytes(n)));
const served = teacher.serve(watermark, random, { count: 300, length: 80 });
const plain = teacher.serve(null, random, { count: 300, length: 80 });
const audited = served.slice(0, 40);
const base = { watermark, encode: teacher.encode, decode: teacher.decode, texts: audited };

/** The most frequent word pairs of plain answers, and frequent long words: the other tokenizer's pieces. */
function otherTokenizer(): WordTokenizer {
  const pairs = new Map<string, number>();
  const words = new Map<string, number>();
  for (const { answer } of plain) {
    const list = answer.split(" ");
    list.forEach((word, i) => {
      words.set(word, (words.get(word) ?? 0) + 1);
      if (i > 0) pairs.set(`${list[i - 1]} ${word}`, (pairs.get(`${list[i - 1]} ${word}`) ?? 0) + 1);
    });
  }
  const top = <T,>(map: Map<T, number>, n: number) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([key]) => key);
  const merges = top(pairs, 20).map((pair) => pair.split(" ") as [string, string]);
  const splits = top(words, 80).filter((word) => word.length >= 4).slice(0, 20);
  return new WordTokenizer(teacher.tokenizer.words, { merges, splits, permute: "other-tokenizer" });
}

describe("reading-mode radioactivity", () => {
  it("finds a student that memorised the served answers; a baseline fitted on plain answers passes", async () => {
    const student = await readingTest({ ...base, suspect: simulatedSuspect("student", teacher.tokenizer, served.map((t) => t.answer)) });
    const baseline = await readingTest({ ...base, suspect: simulatedSuspect("baseline", teacher.tokenizer, plain.map((t) => t.answer)) });
    expect(student.p_value).toBeLessThan(1e-6);
    expect(student.detail).toMatchObject({ texts_read: 40, texts_failed: 0, tokens_lost_to_retokenisation: 0, texts_realigned: 0, sequential: false });
    expect(student.detail.scored as number).toBeGreaterThan(100);
    expect(student.detail.scored_tokens_to_target as number).toBeLessThanOrEqual(student.detail.scored as number);
    expect(baseline.p_value).toBeGreaterThan(0.01);
    expect(baseline.detail.scored as number).toBeGreaterThan(100);
    // The verdict's p is the conservative one.
    expect(student.p_value).toBeCloseTo(student.detail.p_value_conservative as number, 12);
  });

  it("re-tokenises for a suspect with another tokenizer and counts the teacher positions it loses", async () => {
    const other = otherTokenizer();
    const student = await readingTest({ ...base, suspect: simulatedSuspect("student", other, served.map((t) => t.answer)) });
    const baseline = await readingTest({ ...base, suspect: simulatedSuspect("baseline", other, plain.map((t) => t.answer)) });
    // A merged pair hides exactly one teacher boundary; a split word adds a boundary the teacher lacks.
    const merged = audited.map((text) => other.mergesIn(text.answer));
    expect(merged.reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    for (const result of [student, baseline]) {
      expect(result.detail.tokens_lost_to_retokenisation).toBe(merged.reduce((a, b) => a + b, 0));
      expect(result.detail.texts_realigned).toBe(merged.filter((count) => count > 0).length);
      expect(result.detail.scored as number).toBeGreaterThan(100);
    }
    expect(student.p_value).toBeLessThan(1e-6);
    expect(baseline.p_value).toBeGreaterThan(0.01);
  });

  it("stops reading once a strongly radioactive suspect reaches the rule's level", async () => {
    const suspect = simulatedSuspect("student", teacher.tokenizer, served.map((t) => t.answer));
    const stopLogP = Math.log(1e-4);
    const stopped = await readingTest({ ...base, suspect, sequential: true, rule: { stopLogP } });
    expect(stopped.detail.stopped_early).toBe(true);
    expect(stopped.queries).toBeLessThan(audited.length);
    expect(stopped.detail.texts_read).toBe(stopped.queries);
    expect(stopped.log10_p * Math.LN10).toBeLessThanOrEqual(stopLogP);
    expect(stopped.log10_p).toBeCloseTo(stopped.detail.log10_p_anytime as number, 9);

    const progress: number[] = [];
    const full = await readingTest({ ...base, suspect, sequential: true, onProgress: (read) => progress.push(read) });
    expect(full.detail.stopped_early).toBe(false);
    expect(full.queries).toBe(audited.length);
    expect(progress).toEqual(audited.map((_, i) => i + 1));
    // Run to the end: 2·min(p_anytime, p_fixed), never worse than the fixed-sample p doubled.
    const fixed = full.detail.p_value_conservative as number;
    expect(full.p_value).toBeLessThanOrEqual(Math.min(1, 2 * fixed) * (1 + 1e-9));
    expect((full.detail.path as unknown[]).length).toBe(audited.length);
  });

  it("counts answers the suspect cannot read and scores the rest", async () => {
    const inner = simulatedSuspect("student", teacher.tokenizer, served.map((t) => t.answer));
    const longest = Math.max(...audited.map((t) => teacher.tokenizer.encodeChat(t.prompt, { addGenerationPrompt: true }).length + teacher.encode(t.answer).length));
    const shortContext = {
      ...inner,
      nextDistributions: async (tokens: Int32Array) => {
        if (tokens.length >= longest) throw new Error("context window exceeded");
        return inner.nextDistributions(tokens);
      },
    };
    const result = await readingTest({ ...base, suspect: shortContext });
    expect(result.detail.texts_failed as number).toBeGreaterThan(0);
    expect(result.detail.texts_read).toBe(audited.length);
    expect(result.note).toMatch(/could not be read/);
    expect(result.p_value).toBeLessThan(1e-6);
  });
});
