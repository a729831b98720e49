// Batches cut from packed examples: the stream layout tiles the token stream; the examples layout
// starts every sequence at an example's first token and pads the rest with no targets.
import { describe, expect, it } from "vitest";
import { makeBatch, packExamples, windowCount } from "./training-data.js";

const examples = [
  { tokens: [1, 2, 3, 4], lossMask: [0, 0, 1, 1] },
  { tokens: [5, 6, 7, 8, 9, 10, 11, 12, 13], teacher: { k: 1, ids: Int32Array.from([5, 6, 7, 8, 9, 10, 11, 12, 13]), logprobs: new Float32Array(9).fill(-0.5) } },
  { tokens: [14, 15] },
];

describe("makeBatch", () => {
  it("cuts the stream into windows of T + 1 tokens that cover every example", () => {
    const data = packExamples(examples, 1);
    expect(windowCount(data, 4)).toBe(3);
    const seen = new Set<number>();
    for (let i = 0; i < 3; i++) makeBatch(data, 1, 4, 7, i).inputs.forEach((token) => seen.add(token));
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it("starts each sequence at an example, truncates long ones and pads short ones without targets", () => {
    const data = packExamples(examples, 1, "examples");
    expect(windowCount(data, 6)).toBe(3);
    const rows = new Map<number, { inputs: number[]; targets: number[]; ids: number[] }>();
    for (let i = 0; i < 3; i++) {
      const batch = makeBatch(data, 1, 6, 3, i);
      rows.set(batch.inputs[0], { inputs: [...batch.inputs], targets: [...batch.targets], ids: [...batch.teacherIds!] });
    }
    expect(rows.get(1)).toEqual({ inputs: [1, 2, 3, 0, 0, 0], targets: [-1, 3, 4, -1, -1, -1], ids: [-1, -1, -1, -1, -1, -1] });
    expect(rows.get(5)).toEqual({ inputs: [5, 6, 7, 8, 9, 10], targets: [6, 7, 8, 9, 10, 11], ids: [6, 7, 8, 9, 10, 11] });
    expect(rows.get(14)).toEqual({ inputs: [14, 0, 0, 0, 0, 0], targets: [15, -1, -1, -1, -1, -1], ids: [-1, -1, -1, -1, -1, -1] });
  });
});
