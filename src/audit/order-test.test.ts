// The training-order test on a toy teacher trained with the engine in a known shuffled order: the
// windows it saw last score higher and the test rejects; the same model against the reversed order,
// or an order it was not trained in, does not; the input checks and the choice of windows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditError } from "./errors.js";
import { extremeWindows, orderCorrelation, trainingOrderTest } from "./order-test.js";
import { memoised, trainOrderToy, type OrderToy } from "./test-support/order-toy.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-order-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let teacher: OrderToy;
let suspect: ReturnType<typeof memoised>;

beforeAll(async () => {
  teacher = await trainOrderToy(dir, 11);
  suspect = memoised(teacher.model);
}, 60_000);

describe("training-order test on a toy teacher", () => {
  it("the teacher against its own order: late windows score higher, rejected at 0.1%", async () => {
    const result = await trainingOrderTest({ suspect, examples: teacher.examplesFor(teacher.trainedSeed), sample: 200, seed: 1 });
    expect(result).toMatchObject({ name: "training_order", kind: "provenance", applicable: true, queries: 200 });
    expect(result.detail).toMatchObject({ examples_available: 800, sample: 200, scored: 200, truncated: 0 });
    expect(result.detail.mean_score_late as number).toBeGreaterThan(result.detail.mean_score_early as number);
    expect(result.statistic).toBeGreaterThan(0.1);
    expect(result.p_value).toBeLessThan(1e-3);
    expect(result.p_value).toBeGreaterThanOrEqual(result.detail.p_value_randomized as number);
  });

  it("the same windows in reverse order, or in an order it was not trained in, are no evidence", async () => {
    const own = teacher.examplesFor(teacher.trainedSeed);
    const reversed = await trainingOrderTest({ suspect, examples: own.map((e) => ({ ...e, position: -e.position })), sample: 200, seed: 1 });
    expect(reversed.statistic).toBeLessThan(0);
    expect(reversed.p_value).toBeGreaterThan(0.9);
    const other = await trainingOrderTest({ suspect, examples: teacher.examplesFor(teacher.trainedSeed + 1000), sample: 200, seed: 1 });
    expect(other.p_value).toBeGreaterThan(0.01);
  });

  it("a reference model keeps the windows' difficulty out of the score", async () => {
    const examples = teacher.examplesFor(teacher.trainedSeed).slice(0, 50);
    const same = await trainingOrderTest({ suspect, reference: suspect, examples, sample: 50, seed: 1 });
    // The teacher minus itself scores 0 everywhere: only the random tie-break orders the windows.
    expect(same.detail).toMatchObject({ reference: suspect.id, scored: 50 });
    expect(same.p_value).toBeGreaterThan(1e-3);
  });

  it("scores the earliest and the latest windows, half each, and all when there are fewer", () => {
    const examples = Array.from({ length: 10 }, (_, i) => ({ position: 100 - i * 7, text: `w${i}` }));
    expect(extremeWindows(examples, 4).map((e) => e.position)).toEqual([37, 44, 93, 100]);
    expect(extremeWindows(examples, 5).map((e) => e.position)).toEqual([37, 44, 86, 93, 100]);
    expect(extremeWindows(examples, 50)).toHaveLength(10);
  });

  it("reads a perfect trend as the smallest p, and ties in score as chance", () => {
    const trend = Array.from({ length: 12 }, (_, i) => ({ position: i * 3, score: i / 10 }));
    const perfect = orderCorrelation(trend, 1);
    expect(perfect.inversions).toBe(0);
    expect(perfect.log_p).toBeCloseTo(-Math.log(479001600), 6); // 1/12!
    const tied = Array.from({ length: 12 }, (_, i) => ({ position: i, score: 0 }));
    const draws = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => orderCorrelation(tied, seed).inversions);
    expect(new Set(draws).size).toBeGreaterThan(1);
  });

  it("refuses shared positions and a bad sample; fewer than 2 windows is not applicable", async () => {
    const text = "Ab Bc Cd Ed ";
    await expect(trainingOrderTest({ suspect, examples: [{ position: 1, text }, { position: 1, text }], seed: 1 })).rejects.toSatisfy((e) => AuditError.isInstance(e) && e.code === "AUDIT_ORDER_INVALID");
    await expect(trainingOrderTest({ suspect, examples: [{ position: 1, text }], sample: 1, seed: 1 })).rejects.toSatisfy((e) => AuditError.isInstance(e) && e.code === "AUDIT_BAD_OPTION");
    const alone = await trainingOrderTest({ suspect, examples: [{ position: 1, text }], seed: 1 });
    expect(alone).toMatchObject({ applicable: false, queries: 0 });
    const empty = await trainingOrderTest({ suspect, examples: [{ position: 1, text: "" }, { position: 2, text: "A" }], seed: 1 });
    expect(empty).toMatchObject({ applicable: false });
  });
});
