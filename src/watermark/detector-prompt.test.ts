import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { createWatermark, generateKey } from "./index.js";

describe("a sequence's own prompt", () => {
  const random = createRandom(11);
  const watermark = createWatermark(generateKey("kgw", { context: 1 }, (n) => random.bytes(n)));
  const prompt = [5, 6, 7, 8, 9, 10];
  const answer = [5, 6, 7, 8, 9, 10, 11, 12];

  it("is skipped in that sequence only, with one tape across sequences", () => {
    const test = watermark.createTest({ firstContextOnly: false });
    test.addTokens(answer, prompt);
    // Windows 5..10 occur in the prompt (its last token is a window too): only 11 → 12 is scored.
    expect(test.result().scored).toBe(1);
    const other = watermark.createTest({ firstContextOnly: false });
    other.addTokens([20, 5, 6, 7], prompt);
    other.addTokens([30, 5, 6, 7]);
    // The second sequence has no prompt: its windows 5 and 6 count, 30 → 5 too.
    expect(other.result().scored).toBe(1 + 3);
  });
});
