// Q8_0 quantisation: the bytes llama.cpp's own quantize_row_q8_0_ref writes (quantize.reference.json,
// produced by calling that C function), and the round trip through the reader's dequantiser.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRandom } from "../../random/index.js";
import { dequantize } from "./dequantize.js";
import { halfToFloat } from "./half.js";
import { encodeGguf, gguf, parseGgufHeader, type GgufValue } from "./index.js";
import { quantizeQ8_0 } from "./quantize.js";

interface ReferenceCase { name: string; values: number[]; bytes: string }
const reference = JSON.parse(readFileSync(new URL("./quantize.reference.json", import.meta.url), "utf8")) as { cases: ReferenceCase[] };

const roundTrip = (values: Float32Array) => dequantize(Buffer.from(quantizeQ8_0(values)), 0, "Q8_0", values.length);

describe("Q8_0 quantisation", () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))("writes llama.cpp's bytes: %s", (_, c) => {
    expect(Buffer.from(quantizeQ8_0(Float32Array.from(c.values))).toString("hex")).toBe(c.bytes);
  });

  it("round trip: every value within d/2 of d·q, and the stored f16 scale adds at most 127·|d − d̂|", () => {
    const random = createRandom(81);
    const blocks = 2000;
    // Blocks of very different scales: weights from 1e-4 to 10 and a few outliers.
    const values = Float32Array.from({ length: 32 * blocks }, (_, i) => random.normal() * 10 ** (-4 + 5 * ((i >> 5) % 7) / 6) * (random.uniform32() < 0.01 ? 20 : 1));
    const bytes = quantizeQ8_0(values);
    const restored = roundTrip(values);
    let worstRelative = 0; // max |x − d·q| / d
    let worstExcess = -Infinity; // max of |x − x̂| − (d/2 + 127·|d − d̂|), over d
    let largestQ = 0;
    for (let b = 0; b < blocks; b++) {
      let amax = 0;
      for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(values[32 * b + j]!));
      const d = amax / 127; // the exact scale
      const stored = halfToFloat(bytes[34 * b]! | (bytes[34 * b + 1]! << 8));
      for (let j = 0; j < 32; j++) {
        const x = values[32 * b + j]!;
        const q = (bytes[34 * b + 2 + j]! << 24) >> 24;
        largestQ = Math.max(largestQ, Math.abs(q));
        worstRelative = Math.max(worstRelative, Math.abs(x - d * q) / d);
        worstExcess = Math.max(worstExcess, (Math.abs(x - restored[32 * b + j]!) - d / 2 - 127 * Math.abs(d - stored)) / d);
      }
    }
    expect(largestQ).toBe(127);
    // float32 arithmetic moves x/d by a few ulps of 127 at most: 1e-5 of d is far above that
    expect(worstRelative).toBeLessThanOrEqual(0.5 + 1e-5);
    expect(worstExcess).toBeLessThanOrEqual(1e-5);
    // The bound is tight: over 64,000 values some land near the middle between two steps.
    expect(worstRelative).toBeGreaterThan(0.49);
  });

  it("a block of zeros gets d = 0 and q = 0, and reads back as zeros", () => {
    const values = new Float32Array(64);
    values.fill(0.25, 32); // the second block is not zero: blocks are independent
    const bytes = quantizeQ8_0(values);
    expect(Array.from(bytes.subarray(0, 34))).toEqual(new Array(34).fill(0));
    expect(Array.from(roundTrip(values).subarray(0, 32))).toEqual(new Array(32).fill(0));
    expect(Array.from(roundTrip(values).subarray(32))).toEqual(new Array(32).fill(Math.fround(halfToFloat(bytes[34]! | (bytes[35]! << 8)) * 127)));
  });

  it("quantising what it dequantised gives the same bytes (a Q8_0 model re-exports losslessly)", () => {
    const random = createRandom(82);
    const values = Float32Array.from({ length: 32 * 500 }, () => random.normal() * 0.05);
    const bytes = quantizeQ8_0(values);
    expect(Buffer.from(quantizeQ8_0(dequantize(Buffer.from(bytes), 0, "Q8_0", values.length))).equals(Buffer.from(bytes))).toBe(true);
  });

  it("refuses a partial block and non-finite values", () => {
    expect(() => quantizeQ8_0(new Float32Array(48))).toThrow(/blocks of 32 values; 48 values are not a whole number of blocks/);
    const bad = new Float32Array(32);
    bad[5] = NaN;
    expect(() => quantizeQ8_0(bad)).toThrow(/non-finite value NaN at index 5/);
  });
});

describe("Q8_0 tensors in the GGUF writer", () => {
  const metadata: [string, GgufValue][] = [["general.architecture", gguf.str("llama")]];

  it("writes 34 bytes per 32 values and reads them back through the dequantiser", () => {
    const data = Float32Array.from({ length: 64 * 3 }, (_, i) => Math.sin(i) * 0.1);
    const bytes = encodeGguf({ metadata, tensors: [{ name: "m", shape: [64, 3], type: "Q8_0", data }] });
    const header = parseGgufHeader(bytes, bytes.length);
    expect(header.tensors[0]).toMatchObject({ type: "Q8_0", byteLength: 34 * 6 });
    expect(bytes.subarray(header.tensors[0]!.offset, header.tensors[0]!.offset + 34 * 6).equals(Buffer.from(quantizeQ8_0(data)))).toBe(true);
  });

  it("refuses rows that are not whole blocks, even when the total is (shape [48, 2] = 96 values)", () => {
    expect(() => encodeGguf({ metadata, tensors: [{ name: "m", shape: [48, 2], type: "Q8_0", data: new Float32Array(96) }] }))
      .toThrow(/"m" cannot be Q8_0: its rows of 48 values are not a multiple of 32/);
  });
});
