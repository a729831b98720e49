// Calibration of reading-mode radioactivity on the dangerous null: for each fresh key, answers
// generated under that key (the suspect reads text the key shaped), read by suspects that never saw
// text under it, with the teacher's tokenizer and with another one, and, with prompts that quote
// earlier watermarked answers, by suspects that copy from their context. The randomised p-values must
// be uniform (KS) and the conservative ones must not reject more often than α (99% binomial bound).
import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { binomialInterval, ksTestUniform } from "../stats/index.js";
import { argmax, type SchemeName } from "../watermark/index.js";
import { readingNullRuns, freshWatermark, type NullCase, type NullRun } from "./test-support/reading-null.js";
import { simulatedSuspect } from "./test-support/simulated-suspect.js";
import { SimulatedTeacher } from "./test-support/simulated-teacher.js";
import { WordTokenizer } from "./test-support/word-tokenizer.js";

const teacher = new SimulatedTeacher(400, 23);
const setup = createRandom("reading-calibration-setup");
const plain = teacher.serve(null, setup, { count: 300, length: 60 }).map((t) => t.answer);
// A student of another provider: it memorised answers watermarked under an unrelated key.
const elsewhere = teacher.serve(freshWatermark("kgw", setup), setup, { count: 300, length: 60 }).map((t) => t.answer);
const words = teacher.tokenizer.words;
const other = new WordTokenizer(words, {
  merges: Array.from({ length: 30 }, (_, i) => [words[1 + i]!, words[2 + ((i * 7) % 60)]!] as [string, string]),
  splits: words.slice(1, 80),
  permute: "reading-calibration-other",
});
const cases: NullCase[] = [
  { name: "same tokenizer", suspect: simulatedSuspect("plain", teacher.tokenizer, plain) },
  { name: "other tokenizer, other key's student", suspect: simulatedSuspect("elsewhere", other, elsewhere) },
  { name: "same tokenizer, copies its context", suspect: simulatedSuspect("copier", teacher.tokenizer, plain, { copy: true }) },
  { name: "other tokenizer, copies its context", suspect: simulatedSuspect("copier", other, elsewhere, { copy: true }) },
];

function expectCalibrated(run: NullRun, label: string): void {
  const n = run.conservative.length;
  const mean = run.scored.reduce((a, b) => a + b, 0) / n;
  expect(mean, `${label}: scored positions per run`).toBeGreaterThan(60);
  const ks = ksTestUniform(run.randomized);
  expect(ks.p_value, `${label}: KS D = ${ks.statistic.toFixed(4)}`).toBeGreaterThan(0.01);
  for (const alpha of [0.05, 0.01]) {
    const { high } = binomialInterval(n, alpha, 0.99);
    const rejections = run.conservative.filter((p) => p <= alpha).length;
    expect(rejections, `${label}: ${rejections} of ${n} conservative p ≤ ${alpha}, at most ${high}`).toBeLessThanOrEqual(high);
  }
  run.conservative.forEach((p, i) => expect(p).toBeGreaterThanOrEqual(run.randomized[i]! * (1 - 1e-12)));
}

// KGW with its default parameters (γ = 1/4, δ = 2, left-hash, h = 1), Gumbel and SynthID (h = 4).
// Every other key's prompts quote the first half of an earlier answer served under that key.
const plan: [SchemeName, number][] = [["kgw", 300], ["gumbel", 150], ["synthid", 150]];

describe("reading-mode radioactivity on text generated under each fresh key", () => {
  for (const [scheme, keys] of plan) {
    it(`is calibrated for ${scheme} over ${keys} keys`, async () => {
      const runs = await readingNullRuns(teacher, cases, createRandom(`reading-calibration-${scheme}`), { scheme, keys, texts: 5, length: 50, quote: "alternate" });
      for (const [name, run] of runs) expectCalibrated(run, `${scheme}, ${name}`);
    });
  }

  // With h = 1 a copier can only copy at windows the rules skip (seen earlier in the answer, or in the
  // prompt), so its p-values above match the plain suspect's; this control shows the skip is what
  // keeps them valid.
  it("needs its prompt-window skip: the copier's predictions scored without it reject", async () => {
    const random = createRandom("reading-calibration-control");
    const copier = cases[2]!.suspect;
    let rejected = 0;
    const keys = 100;
    for (let k = 0; k < keys; k++) {
      const watermark = freshWatermark("kgw", random);
      const test = watermark.createTest({ firstContextOnly: true });
      for (const text of teacher.serve(watermark, random, { count: 5, length: 50, quote: true })) {
        const prompt = teacher.tokenizer.encodeChat(text.prompt, { addGenerationPrompt: true });
        const ids = teacher.encode(text.answer);
        const rows = await copier.nextDistributions(Int32Array.from([...prompt, ...ids]));
        test.addPredictions(ids, ids.map((_, i) => argmax(rows[prompt.length - 1 + i]!)));
      }
      if (test.result().p_value_conservative <= 0.01) rejected++;
    }
    const { high } = binomialInterval(keys, 0.01, 0.99);
    expect(rejected, "keys whose copier would be accused at α = 0.01 without the skip").toBeGreaterThan(2 * high);
  });
});

// Known gap, for the lead to fix in reading-test.ts: the prompt-window skip compares teacher token
// windows, but a quoted answer need not tokenise in the prompt as it did when it was served. With a
// GPT-2-style tokenizer an answer's first word is "The" while the same word quoted after an
// instruction is " The". When answers open with a common word, the pair (opener, next word) of a
// quoted answer was coloured by the key under the window "The", which the skip does not find in the
// prompt (it holds " The"); a suspect that copies by text, as language models do, predicts that next
// word after the answer's own opener, and an innocent suspect is accused. A copier by token id is not.
describe("prompts that quote answers in another tokenisation (answers open with a common word)", () => {
  const probe = new SimulatedTeacher(400, 23, { initial: true });
  const opener = probe.tokenizer.words[7]!;
  const probeRandom = createRandom("reading-calibration-opener");
  const plainOpened = probe.serve(null, probeRandom, { count: 300, length: 60, opener }).map((t) => t.answer);
  const byToken = { name: "copies by token", suspect: simulatedSuspect("ids", probe.tokenizer, plainOpened, { copy: true }) };
  const byText = { name: "copies by text", suspect: simulatedSuspect("text", probe.tokenizer, plainOpened, { copy: "text" }) };
  const runs = (quote: "none" | "all", cases: NullCase[], keys: number) =>
    readingNullRuns(probe, cases, createRandom(`reading-calibration-opener-runs-${quote}`), { scheme: "kgw", keys, texts: 10, length: 20, quote, opener });
  let quoted: Promise<Map<string, NullRun>> | null = null;

  it("stays calibrated for a copier by token id, and for a copier by text when prompts quote nothing", async () => {
    quoted ??= runs("all", [byToken, byText], 250);
    expectCalibrated((await quoted).get("copies by token")!, "quoting prompts, copier by token");
    expectCalibrated((await runs("none", [byText], 150)).get("copies by text")!, "plain prompts, copier by text");
  });

  it("stays calibrated for a copier by text when prompts quote earlier answers in another tokenisation", async () => {
    quoted ??= runs("all", [byToken, byText], 250);
    expectCalibrated((await quoted).get("copies by text")!, "quoting prompts, copier by text");
  });
});
