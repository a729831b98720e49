// The MMD window detector's null: benign windows are flagged at most at the stated rate, and a
// window of one repeated template is flagged.
import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { embed, fitMmdDetector, syntheticPools } from "./index.js";

const pools = syntheticPools("mmd-test", 6, 300);
const topics = Object.values(pools);

function benignWindow(rng: ReturnType<typeof createRandom>, size = 30): Float32Array[] {
  return Array.from({ length: size }, () => embed(topics[rng.int(topics.length)]![rng.int(300)]!));
}

describe("MMD window detector", () => {
  it("gives benign windows p-values no smaller than uniform, and flags a templated window", () => {
    const rng = createRandom("mmd-null");
    const detector = fitMmdDetector(Array.from({ length: 40 }, () => benignWindow(rng)), rng, { references: 5, nullPairs: 300 });
    const p = Array.from({ length: 100 }, () => detector.pValue(detector.score(benignWindow(rng))));
    for (const alpha of [0.05, 0.2]) expect(p.filter((value) => value <= alpha).length / p.length).toBeLessThanOrEqual(alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / p.length));
    const templated = Array.from({ length: 30 }, (_, i) => embed(`Explain step by step and show your reasoning before answering: question number ${i}`));
    expect(detector.score(templated)).toBeGreaterThan(detector.threshold);
    expect(detector.pValue(detector.score(templated))).toBeLessThan(0.01);
  });
});
