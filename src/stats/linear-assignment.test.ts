// Linear assignment against brute force over every permutation (n <= 7) and against
// scipy.optimize.linear_sum_assignment (linear-assignment-vectors.json).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createRandom } from "../random/index.js";
import { assignmentTotal, maximumWeightAssignment, minimumCostAssignment } from "./index.js";

interface Case {
  n: number;
  maximize: boolean;
  costs: number[];
  assignment: number[];
  total: number;
}
const vectors = JSON.parse(readFileSync(new URL("./linear-assignment-vectors.json", import.meta.url), "utf8")) as { cases: Case[] };

function bruteForce(matrix: Float64Array, n: number, better: (a: number, b: number) => boolean): number {
  const columns = Array.from({ length: n }, (_, i) => i);
  let best = NaN;
  const walk = (row: number, total: number): void => {
    if (row === n) {
      if (Number.isNaN(best) || better(total, best)) best = total;
      return;
    }
    for (let i = row; i < n; i++) {
      [columns[row], columns[i]] = [columns[i], columns[row]];
      walk(row + 1, total + matrix[row * n + columns[row]]);
      [columns[row], columns[i]] = [columns[i], columns[row]];
    }
  };
  walk(0, 0);
  return best;
}

function expectPermutation(columnOf: Int32Array): void {
  expect([...columnOf].sort((a, b) => a - b)).toEqual(Array.from({ length: columnOf.length }, (_, i) => i));
}

describe("linear assignment", () => {
  it("matches brute force for n <= 7, on continuous and on tied cells", () => {
    const random = createRandom("linear-assignment");
    for (let n = 1; n <= 7; n++) {
      for (let trial = 0; trial < 20; trial++) {
        const tied = trial % 2 === 1;
        const matrix = Float64Array.from({ length: n * n }, () => (tied ? random.int(3) : random.normal()));
        const low = minimumCostAssignment(matrix, n);
        const high = maximumWeightAssignment(matrix, n);
        expectPermutation(low);
        expectPermutation(high);
        expect(assignmentTotal(matrix, low)).toBeCloseTo(bruteForce(matrix, n, (a, b) => a < b), 10);
        expect(assignmentTotal(matrix, high)).toBeCloseTo(bruteForce(matrix, n, (a, b) => a > b), 10);
      }
    }
  });

  it("matches scipy's linear_sum_assignment on n = 50 and 60 matrices", () => {
    expect(vectors.cases.length).toBeGreaterThanOrEqual(4);
    for (const { n, maximize, costs, assignment, total } of vectors.cases) {
      const matrix = Float64Array.from(costs);
      const columnOf = maximize ? maximumWeightAssignment(matrix, n) : minimumCostAssignment(matrix, n);
      expectPermutation(columnOf);
      expect(assignmentTotal(matrix, columnOf)).toBe(total);
      // Integer cells over a wide range: the optimum is unique and must be scipy's own.
      if (Math.max(...costs) > 1000) expect([...columnOf]).toEqual(assignment);
    }
  });

  it("finds a hidden permutation in a noisy similarity matrix", () => {
    const random = createRandom(7);
    const n = 200;
    const hidden = random.shuffle(Array.from({ length: n }, (_, i) => i));
    const weights = Float64Array.from({ length: n * n }, () => random.normal());
    for (let row = 0; row < n; row++) weights[row * n + hidden[row]] += 6;
    expect([...maximumWeightAssignment(weights, n)]).toEqual(hidden);
  });

  it("rejects a matrix that is not square or not finite", () => {
    expect(() => minimumCostAssignment(new Float64Array(6), 2)).toThrow(/square/);
    expect(() => minimumCostAssignment(Float64Array.from([0, NaN, 1, 2]), 2)).toThrow(/finite/);
  });
});
