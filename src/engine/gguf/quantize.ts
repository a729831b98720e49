// float32 values → GGML Q8_0 blocks, bit for bit what llama.cpp writes (ggml-quants.c,
// quantize_row_q8_0_ref, "reference implementation for deterministic creation of model files").
// A block is 32 values stored in 34 bytes: the scale d = max|x| / 127 as an f16, then 32 int8
// q = round(x / d), rounding halves away from zero (C roundf). dequantize.ts reads it back as d·q.
// The arithmetic is float32 as in C: Math.fround after each operation. A double result of one
// +, −, × or ÷ on float32 operands rounded to float32 equals the float32 operation, since 53 bits
// hold more than twice 24 plus 2.
import { EngineError } from "../errors.js";
import { tensorTypes } from "./constants.js";
import { floatToHalf } from "./half.js";

export const Q8_0_BLOCK_SIZE = tensorTypes.Q8_0.blockSize; // 32 values
export const Q8_0_BLOCK_BYTES = tensorTypes.Q8_0.blockBytes; // 2-byte f16 scale + 32 int8

/** C roundf: to the nearest integer, halves away from zero (Math.round sends −2.5 to −2). */
function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Quantises `values` (a multiple of 32 of them, ggml order: each run of 32 lies within one row when
 * the row length is a multiple of 32) into Q8_0 blocks. Values must be finite: llama.cpp's MAX
 * lets a NaN through to the scale, and a model with NaN or infinite weights is broken anyway.
 */
export function quantizeQ8_0(values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  if (n % Q8_0_BLOCK_SIZE !== 0) {
    throw new EngineError("ENGINE_INVALID_ARGUMENT", `Q8_0 quantises blocks of ${Q8_0_BLOCK_SIZE} values; ${n} values are not a whole number of blocks`);
  }
  const out = new Uint8Array((n / Q8_0_BLOCK_SIZE) * Q8_0_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  const block = new Float32Array(Q8_0_BLOCK_SIZE);
  for (let b = 0; b < n / Q8_0_BLOCK_SIZE; b++) {
    let amax = 0;
    for (let j = 0; j < Q8_0_BLOCK_SIZE; j++) {
      const v = Math.fround(values[b * Q8_0_BLOCK_SIZE + j]!);
      if (!Number.isFinite(v)) {
        throw new EngineError("ENGINE_INVALID_ARGUMENT", `cannot quantise the non-finite value ${v} at index ${b * Q8_0_BLOCK_SIZE + j} to Q8_0`);
      }
      block[j] = v;
      amax = Math.max(amax, Math.abs(v));
    }
    const d = Math.fround(amax / 127);
    const inverse = d ? Math.fround(1 / d) : 0; // an all-zero block: d = 0 and every q = 0
    const at = b * Q8_0_BLOCK_BYTES;
    view.setUint16(at, floatToHalf(d), true);
    for (let j = 0; j < Q8_0_BLOCK_SIZE; j++) view.setInt8(at + 2 + j, roundHalfAwayFromZero(Math.fround(block[j]! * inverse)));
  }
  return out;
}
