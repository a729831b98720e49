// Rotary position embedding as llama.cpp's LLAMA_ROPE_TYPE_NORM: each head rotates ADJACENT pairs
// (x[2i], x[2i+1]) by the angle pos · base^(-2i/hd). Applied in place to rows (T per sequence).
import { EngineError } from "../errors.js";

export interface RopeTable {
  positions: number;
  hd: number;
  cos: Float32Array;  // (positions, hd/2)
  sin: Float32Array;  // (positions, hd/2)
}

export function ropeTable(positions: number, hd: number, base: number): RopeTable {
  const half = hd / 2;
  const cos = new Float32Array(positions * half), sin = new Float32Array(positions * half);
  const frequency = Array.from({ length: half }, (_, i) => Math.pow(base, (-2 * i) / hd));
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < half; i++) {
      const theta = p * frequency[i];
      cos[p * half + i] = Math.cos(theta);
      sin[p * half + i] = Math.sin(theta);
    }
  }
  return { positions, hd, cos, sin };
}

/**
 * x (rows, heads*hd) in place; row r is at position pos0 + (r % T).
 * sign = 1 rotates forward; sign = -1 applies the inverse (transpose), which is the backward pass.
 */
export function ropeApply(x: Float32Array, rows: number, T: number, heads: number, table: RopeTable, pos0 = 0, sign = 1): void {
  const hd = table.hd, half = hd / 2, width = heads * hd;
  for (let r = 0; r < rows; r++) {
    const pos = pos0 + (r % T);
    if (pos >= table.positions) throw new EngineError("ENGINE_CONTEXT_OVERFLOW", `position ${pos} is past the RoPE table (${table.positions} positions); pass a shorter sequence`);
    const c0 = pos * half;
    for (let h = 0; h < heads; h++) {
      const o = r * width + h * hd;
      for (let i = 0; i < half; i++) {
        const c = table.cos[c0 + i], s = sign * table.sin[c0 + i];
        const a = x[o + 2 * i], b = x[o + 2 * i + 1];
        x[o + 2 * i] = a * c - b * s;
        x[o + 2 * i + 1] = a * s + b * c;
      }
    }
  }
}

export function ropeForward(x: Float32Array, rows: number, T: number, heads: number, table: RopeTable, pos0 = 0): void {
  ropeApply(x, rows, T, heads, table, pos0, 1);
}

/** dx in place: the gradient through a rotation is the inverse rotation. */
export function ropeBackward(dx: Float32Array, rows: number, T: number, heads: number, table: RopeTable, pos0 = 0): void {
  ropeApply(dx, rows, T, heads, table, pos0, -1);
}
