// Candidate selection's detection p-value: exact on null text, including text selected with another
// key (10,000 synthetic token streams through the scheme core), powerful with the key itself, and
// still valid when the upstream returns fewer candidates than asked.
import { describe, expect, it } from "vitest";
import { tinyGguf } from "../engine/test-support/tiny-gguf.js";
import { createRandom, type Random } from "../random/index.js";
import { BigramModel } from "../watermark/simulation/bigram-model.js";
import { expectCalibrated } from "../watermark/test-support/calibration.js";
import { CachedBigramSampler } from "../watermark/test-support/fast-bigram.js";
import { createWatermark, generateKey, type SchemeName, type Watermark } from "../watermark/index.js";
import { chooseCandidate, selectWhole, type Candidate } from "./candidate-selection.js";

const sampler = new CachedBigramSampler(new BigramModel({ vocab: 1000, seed: 99 }));

/** A stream of `length` tokens chosen chunk by chunk among n bigram continuations (n = 1: no choice). */
function selectedStream(watermark: Watermark, length: number, n: number, chunk: number, rng: Random): Int32Array {
  const ids: number[] = [rng.int(1000)];
  while (ids.length < length) {
    const size = Math.min(chunk, length - ids.length);
    const candidates = Array.from({ length: n }, () => Array.from(sampler.sequence(ids.at(-1)!, size + 1, rng).subarray(1)));
    ids.push(...candidates[chooseCandidate(watermark, ids, candidates).index]!);
  }
  return Int32Array.from(ids);
}

const keyOf = (scheme: SchemeName, rng: Random) => createWatermark(generateKey(scheme, {}, (count) => rng.bytes(count)));

describe("candidate selection", () => {
  it("keeps p-values uniform on 10,000 null texts, half of them selected with another key (kgw)", () => {
    const rng = createRandom("selection-null");
    const pValues: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const detector = keyOf("kgw", rng);
      const length = 20 + rng.int(101);
      const ids = i % 2 === 0 ? selectedStream(keyOf("kgw", rng), length, 4, 8, rng) : sampler.sequence(rng.int(1000), length, rng);
      pValues.push(detector.detectTokens(ids).p_value);
    }
    expectCalibrated(pValues, "kgw, selected with another key");
  });

  it("keeps p-values uniform for gumbel scores too (2,000 texts selected with another key)", () => {
    const rng = createRandom("selection-null-gumbel");
    const pValues = Array.from({ length: 2000 }, () => keyOf("gumbel", rng).detectTokens(selectedStream(keyOf("gumbel", rng), 20 + rng.int(81), 4, 8, rng)).p_value);
    expectCalibrated(pValues, "gumbel, selected with another key", [1e-2]);
  });

  it("is detected with its own key, more strongly with more candidates; one candidate is no watermark", () => {
    const rng = createRandom("selection-power");
    const rate = (n: number) => {
      let detected = 0;
      for (let i = 0; i < 100; i++) {
        const watermark = keyOf("kgw", rng);
        if (watermark.detectTokens(selectedStream(watermark, 100, n, 8, rng)).p_value <= 1e-3) detected++;
      }
      return detected / 100;
    };
    // Chunks of 8 tokens: n = 2 gains about 0.6 green tokens per chunk, n = 8 about 2.
    const [one, four, eight] = [rate(1), rate(4), rate(8)];
    expect(one).toBeLessThan(0.05);
    expect(four).toBeGreaterThan(0.3);
    expect(eight).toBeGreaterThan(0.95);
    expect(eight).toBeGreaterThanOrEqual(four);
  });

  it("chooses among texts, degrades to the candidates an upstream returns, and records how many", async () => {
    const watermark = keyOf("kgw", createRandom(5));
    const rng = createRandom(6);
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const words = Array.from({ length: 400 }, () => Array.from({ length: 3 + rng.int(5) }, () => letters[rng.int(26)]).join(""));
    // A vocabulary in which most words are one token, as a real tokenizer's are.
    const { tokenizer } = tinyGguf({ texts: [words.map((word) => ` ${word}`).join("").repeat(3)], vocabSize: 1200 });
    const asked: number[] = [];
    let call = 0;
    const source = async (_prefix: string, n: number, maxTokens: number): Promise<Candidate[]> => {
      asked.push(n);
      call++;
      // Like an upstream that ignores `n` every other call.
      const count = call % 2 === 0 ? 1 : n;
      return Array.from({ length: count }, () => {
        const text = Array.from({ length: 4 }, () => ` ${words[rng.int(words.length)]}`).join("");
        return { text, finishReason: call >= 80 ? "stop" : "length", completionTokens: Math.min(maxTokens, tokenizer.encode(text).length) } as Candidate;
      });
    };
    const summary = await selectWhole({ source, watermark, tokenizer, n: 8, chunkTokens: 8, maxTokens: 1000 });
    expect(summary.chunks).toBe(80);
    expect(summary.minCandidates).toBe(1);
    expect(summary.candidates).toBe(40 * 8 + 40);
    expect(summary.finishReason).toBe("stop");
    expect(asked.every((n) => n === 8)).toBe(true);
    const detection = watermark.detectText(summary.text, tokenizer);
    expect(detection.log10_p).toBeCloseTo(summary.log10P, 6);
    expect(detection.p_value).toBeLessThan(1e-3);
    await expect(selectWhole({ source: async () => [], watermark, tokenizer, n: 2, chunkTokens: null, maxTokens: 10 })).rejects.toMatchObject({ code: "CANDIDATES_UNAVAILABLE" });
  });
});
