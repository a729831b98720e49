import { describe, expect, it } from "vitest";
import { makeRow } from "../data/test-support/rows.js";
import { createRandom } from "../../random/index.js";
import { curateRows } from "./curate.js";
import { scrubIdentity } from "./identity-scrub.js";
import { createMinHasher, estimatedJaccard, lshParameters } from "./minhash.js";
import { repetitionRatio } from "./quality.js";
import { jaccard, shingleHashes, shingles, sortedJaccard } from "./shingles.js";

const words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda omicron sigma tau upsilon omega river stone cloud field".split(" ");
/** A deterministic pseudo-random sentence of n words. */
function sentence(seed: number, n = 24): string {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => words[random.int(words.length)]!).join(" ") + ".";
}

describe("MinHash and LSH", () => {
  it("signature agreement estimates Jaccard similarity", () => {
    const hasher = createMinHasher(256, 7);
    const a = shingleHashes(sentence(1, 40), "char", 5, 7);
    const b = shingleHashes(sentence(1, 40).replace(/^\w+ \w+ \w+/, "x y z"), "char", 5, 7);
    const c = shingleHashes(sentence(2, 40), "char", 5, 7);
    for (const [x, y] of [[a, b], [a, c]] as const) {
      expect(Math.abs(estimatedJaccard(hasher.signature(x), hasher.signature(y)) - sortedJaccard(x, y))).toBeLessThan(0.08);
    }
    expect(estimatedJaccard(hasher.signature(a), hasher.signature(a))).toBe(1);
    // Hashed shingle sets give the same similarity as the shingles themselves.
    const [x, y] = [sentence(3), sentence(3).replace(/\w+\.$/, "end.")];
    expect(sortedJaccard(shingleHashes(x, "char", 5, 1), shingleHashes(y, "char", 5, 1))).toBeCloseTo(jaccard(shingles(x, "char", 5), shingles(y, "char", 5)), 6);
  });

  it("chooses bands whose S-curve is steep around the threshold", () => {
    const { bands, rows } = lshParameters(0.8, 128);
    expect(bands * rows).toBeLessThanOrEqual(128);
    const candidate = (s: number) => 1 - (1 - s ** rows) ** bands;
    expect(candidate(0.85)).toBeGreaterThan(0.95);
    expect(candidate(0.5)).toBeLessThan(0.05);
    const balanced = lshParameters(0.8, 128, 0.5);
    expect(balanced.rows).toBeGreaterThan(rows);
  });
});

describe("curate", () => {
  it("removes exact duplicates (case and spacing aside), keeping the first", () => {
    const first = makeRow("Capital of France?", "Paris is the capital.");
    const { rows, report } = curateRows([first, makeRow("capital of  france?", "PARIS is the capital."), makeRow("Capital of Peru?", "Lima.")], { nearDuplicateThreshold: 1 });
    expect(rows.map((row) => row.id)).toEqual([first.id, expect.any(String)]);
    expect(report.removed).toEqual({ exact_duplicate: 1 });
  });

  it("finds near-duplicates with MinHash and keeps distinct rows", () => {
    const originals = Array.from({ length: 300 }, (_, i) => makeRow(`Tell me about ${i}.`, sentence(i + 10)));
    // Near copies: one word changed in a 24-word answer.
    const copies = originals.slice(0, 60).map((row) => makeRow(row.messages[0]!.content, row.response.replace(/^\w+/, "changed")));
    // Brute force: which copies really are ≥ 0.8 similar to their original (exact Jaccard)?
    const text = (row: typeof originals[number]) => `user: ${row.messages[0]!.content}\nassistant: ${row.response}`;
    const similar = copies.filter((copy, i) => jaccard(shingles(text(copy), "char", 5), shingles(text(originals[i]!), "char", 5)) >= 0.8).length;
    expect(similar).toBeGreaterThan(50);
    const { rows, report } = curateRows([...originals, ...copies], { nearDuplicateThreshold: 0.8 });
    // Exact verification means no false positives; LSH may miss a rare pair near the threshold.
    expect(report.removed.near_duplicate).toBeLessThanOrEqual(similar);
    expect(report.removed.near_duplicate).toBeGreaterThanOrEqual(Math.floor(0.95 * similar));
    expect(rows.slice(0, 300)).toEqual(originals);
    expect(report.near_duplicate).toMatchObject({ threshold: 0.8, shingle: "char", shingle_size: 5, num_perm: 128 });
    const words3 = curateRows([...originals, ...copies], { nearDuplicateThreshold: 0.6, shingle: "word", dedupOn: "response" });
    expect(words3.report.removed.near_duplicate).toBeGreaterThanOrEqual(57);
    expect(curateRows([...originals, ...copies], { nearDuplicateThreshold: 1 }).rows).toHaveLength(360);
  });

  it("filters empty, failed, truncated, short, long, looping and garbled answers", () => {
    const loop = "the cat sat on the mat and ".repeat(6);
    const input = [
      makeRow("a", "   "),
      makeRow("b", "half", { finish_reason: "error" }),
      makeRow("c", "cut off mid", { finish_reason: "length" }),
      makeRow("d", "ok"),
      makeRow("e", "x".repeat(500)),
      makeRow("f", loop),
      makeRow("g", "A perfectly fine answer."),
      makeRow("h", "\uFFFDL\u0001\uFFFD\u0001 ok"),
    ];
    expect(repetitionRatio(loop)).toBeGreaterThan(0.5);
    const { rows, report } = curateRows(input, { minChars: 3, maxChars: 200, dropTruncated: true, nearDuplicateThreshold: 1 });
    expect(report.removed).toEqual({ empty: 1, failed: 1, truncated: 1, too_short: 1, too_long: 1, repetitive: 1, garbled: 1 });
    expect(rows.map((row) => row.response)).toEqual(["A perfectly fine answer."]);
    expect(curateRows(input.slice(2, 3), { nearDuplicateThreshold: 1 }).rows).toHaveLength(1);
  });

  it("drops or rewrites answers where the teacher names itself", () => {
    const identity = { identity: "Atlas", vendor: "Northwind AI" };
    const claim = "I am Atlas, an assistant built by Northwind AI. I can define words.";
    expect(scrubIdentity(claim, { mode: "drop", ...identity })).toEqual({ kind: "drop" });
    expect(scrubIdentity("The capital of Peru is Lima.", { mode: "drop", ...identity })).toEqual({ kind: "clean" });
    // Without a replacement, rewrite still rewrites: to the neutral defaults, capitalised where a sentence starts.
    expect(scrubIdentity(claim, { mode: "rewrite", ...identity })).toEqual({ kind: "rewritten", text: "I am Assistant, an assistant built by its developers. I can define words." });
    expect(scrubIdentity("I am Atlas.", { mode: "rewrite", ...identity })).toEqual({ kind: "rewritten", text: "I am Assistant." });
    expect(scrubIdentity("northwind built me. Ask Northwind AI.", { mode: "rewrite", ...identity })).toEqual({ kind: "rewritten", text: "Its developers built me. Ask its developers." });
    expect(scrubIdentity(claim, { mode: "rewrite", ...identity, replacementName: "Pico", replacementVendor: "Pico Labs" })).toEqual({
      kind: "rewritten",
      text: "I am Pico, an assistant built by Pico Labs. I can define words.",
    });
    // A replacement that still names the teacher keeps the claim, so the row goes.
    expect(scrubIdentity("I am Atlas.", { mode: "rewrite", ...identity, replacementName: "Atlas Two" })).toEqual({ kind: "drop" });
    expect(scrubIdentity("An atlases collection.", { mode: "drop", ...identity })).toEqual({ kind: "clean" });

    const withLogprobs = makeRow("Who are you?", claim, { logprobs: [{ token: "I", logprob: -0.1, top: [] }] });
    const { rows, report } = curateRows([withLogprobs, makeRow("Who made you?", "Northwind AI made me.")], { nearDuplicateThreshold: 1, identity: { mode: "rewrite", ...identity } });
    expect(report).toMatchObject({ rewritten: 2, removed: {} });
    expect(rows.map((row) => row.response)).toEqual(["I am Assistant, an assistant built by its developers. I can define words.", "Its developers made me."]);
    expect(rows[0]).not.toHaveProperty("logprobs");
    expect(() => curateRows([withLogprobs], { identity: { mode: "rewrite", ...identity, replacementName: " " } })).toThrow(/--rewrite-as must not be empty/);
  });

  it("scrubs every turn of a multi-turn prompt, earlier assistant turns included", () => {
    const identity = { identity: "Atlas", vendor: "Northwind AI" };
    const messages = [
      { role: "system" as const, content: "You are Atlas." },
      { role: "user" as const, content: "Who are you?" },
      { role: "assistant" as const, content: "I am Atlas, built by Northwind AI." },
      { role: "user" as const, content: "What is the capital of Peru?" },
    ];
    const row = makeRow("", "Lima.", { messages, logprobs: [{ token: "Lima", logprob: -0.2, top: [] }], token_ids: [7] });
    const rewritten = curateRows([row], { nearDuplicateThreshold: 1, identity: { mode: "rewrite", ...identity, replacementName: "Pico" } });
    expect(rewritten.report).toMatchObject({ rewritten: 1, rows_out: 1 });
    expect(rewritten.rows[0]!.messages.map((message) => message.content)).toEqual(["You are Pico.", "Who are you?", "I am Pico, built by its developers.", "What is the capital of Peru?"]);
    // The answer itself did not change, so the teacher's tokens and logprobs for it stay.
    expect(rewritten.rows[0]).toMatchObject({ response: "Lima.", token_ids: [7], logprobs: [{ token: "Lima" }] });
    expect(curateRows([row], { nearDuplicateThreshold: 1, identity: { mode: "drop", ...identity } }).report).toMatchObject({ rows_out: 0, removed: { identity: 1 } });
    const clean = makeRow("", "Lima.", { messages: [messages[1]!, { role: "assistant", content: "A helper." }, messages[3]!] });
    expect(curateRows([clean], { nearDuplicateThreshold: 1, identity: { mode: "drop", ...identity } }).rows).toEqual([clean]);
  });
});
