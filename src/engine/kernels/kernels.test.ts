// Every fast kernel equals the reference kernel (llm.c test_gpt2 style), on odd shapes that hit the
// partial tiles, strided (transposed) operands, accumulation, GQA and the KV-cache path.
import { afterAll, describe, expect, it } from "vitest";
import { loadNativeKernels } from "./native.js";
import { createRandom } from "../../random/index.js";
import { distillationRowsReference } from "../losses/distillation-rows.js";
import { rmsnormBackward, rmsnormForward } from "../layers/rmsnorm.js";
import { swigluBackward, swigluForward } from "../layers/swiglu.js";
import {
  adamwUpdateReference, attentionBackwardReference, attentionCachedReference, attentionForwardReference, crossEntropyRowsReference, gemmReference,
} from "./reference.js";

const native = loadNativeKernels();

function random(n: number, seed: number): Float32Array {
  const r = createRandom(seed);
  return Float32Array.from({ length: n }, () => r.uniform32() - 0.5);
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

it("the native addon is built by `npm ci` (prepare runs node-gyp)", () => {
  if (process.env.PEDIGREE_KERNELS !== "reference") expect(native).not.toBeNull();
});

describe.skipIf(!native)("native kernels equal the reference kernels", () => {
  afterAll(() => native?.setThreads(2));

  it.each([
    [1, 1, 1], [1, 37, 300], [2, 65, 19], [7, 17, 5], [13, 33, 260], [100, 70, 513], [300, 40, 64], [150, 400, 530], [12, 2100, 520],
    [600, 40, 600],
  ])("gemm m=%i n=%i k=%i in all four transpositions, overwrite and accumulate", (m, n, k) => {
    for (const threads of [1, 2]) {
      native!.setThreads(threads);
      for (const [aT, bT] of [[false, false], [false, true], [true, false], [true, true]]) {
        const a = random(m * k, m + k), b = random(k * n, n + 3 * k);
        const [ars, acs] = aT ? [1, m] : [k, 1];
        const [brs, bcs] = bT ? [1, k] : [n, 1];
        const ldc = n + 3;
        const c1 = random(m * ldc, 7), c2 = c1.slice();
        for (const acc of [0, 1]) {
          native!.gemm(c1, a, b, m, n, k, ars, acs, brs, bcs, ldc, acc);
          gemmReference(c2, a, b, m, n, k, ars, acs, brs, bcs, ldc, acc === 1);
          expect(maxDiff(c1, c2)).toBeLessThan(1e-4 * Math.sqrt(k));
        }
      }
    }
  });

  it.each([[150, 700, 1100], [20, 2100, 600], [700, 50, 1100], [2048, 96, 192]])(
    "gemm m=%i n=%i k=%i gives the same bits on one thread and on two", (m, n, k) => {
      const a = random(m * k, 1), b = random(k * n, 2);
      for (const [ars, acs, brs, bcs] of [[k, 1, n, 1], [1, m, 1, k]]) {
        const results = [1, 2].map((threads) => {
          native!.setThreads(threads);
          const c = random(m * n, 3);
          native!.gemm(c, a, b, m, n, k, ars, acs, brs, bcs, n, 1);
          return c;
        });
        expect(Buffer.from(results[1]!.buffer).equals(Buffer.from(results[0]!.buffer))).toBe(true);
      }
    });

  it("the decoder refuses parameters, handles and buffers that do not fit", () => {
    const dims = Int32Array.of(10, 8, 1, 2, 1, 4, 16, 4); // V C L NH NKV hd F positions
    const offsets = Float64Array.from({ length: 12 }, (_, i) => i * 8);
    const rope = new Float32Array(8);
    expect(() => native!.decoderCreate(new Float32Array(100), offsets, dims, 1e-5, rope, rope, 1)).toThrow(/outside the parameters/);
    const sizes = [80, 8, 64, 32, 32, 64, 8, 128, 128, 128, 8, 80];
    let at = 0;
    const good = Float64Array.from(sizes, (size) => { const offset = at; at += size; return offset; });
    const { handle } = native!.decoderCreate(new Float32Array(at), good, dims, 1e-5, rope, rope, 1);
    const cache = new Float32Array(4 * 4), logits = new Float32Array(10);
    expect(() => native!.decoderStep({}, 1, 0, cache, cache, logits)).toThrow(/decoder handle/);
    expect(() => native!.decoderStep(handle, 10, 0, cache, cache, logits)).toThrow(/out of range/);
    expect(() => native!.decoderStep(handle, 1, 0, cache, cache, new Float32Array(9))).toThrow(/too short/);
    native!.decoderStep(handle, 1, 0, cache, cache, logits);
    expect(logits.every((x) => x === 0)).toBe(true); // all-zero weights give zero logits
  });

  it.each([[1, 1, 1, 1, 8], [2, 9, 4, 2, 8], [3, 17, 6, 3, 16], [1, 40, 4, 1, 32], [2, 101, 4, 2, 8], [1, 144, 2, 2, 16]])(
    "attention forward/backward B=%i T=%i NH=%i NKV=%i hd=%i", (B, T, NH, NKV, hd) => {
      const qs = NH * hd, ks = NKV * hd;
      const q = random(B * T * qs, 1), k = random(B * T * ks, 2), v = random(B * T * ks, 3), dout = random(B * T * qs, 4);
      const out1 = new Float32Array(B * T * qs), out2 = out1.slice();
      const p1 = new Float32Array(B * NH * T * T).fill(9), p2 = p1.slice();
      native!.attentionForward(out1, p1, q, k, v, B, T, NH, NKV, hd);
      attentionForwardReference(out2, p2, q, k, v, B, T, NH, NKV, hd);
      expect(maxDiff(out1, out2)).toBeLessThan(1e-5);
      expect(maxDiff(p1, p2)).toBeLessThan(1e-6);
      const grads = () => [random(B * T * qs, 5), random(B * T * ks, 6), random(B * T * ks, 7)];
      const [dq1, dk1, dv1] = grads(), [dq2, dk2, dv2] = grads();
      native!.attentionBackward(dq1, dk1, dv1, dout, p1, q, k, v, B, T, NH, NKV, hd);
      attentionBackwardReference(dq2, dk2, dv2, dout, p2, q, k, v, B, T, NH, NKV, hd);
      expect(maxDiff(dq1, dq2)).toBeLessThan(1e-5);
      expect(maxDiff(dk1, dk2)).toBeLessThan(1e-5);
      expect(maxDiff(dv1, dv2)).toBeLessThan(1e-5);
    });

  it.each([[0, 1], [5, 1], [0, 6], [4, 3], [300, 2]])("cached attention pos0=%i Tq=%i", (pos0, Tq) => {
    const NH = 4, NKV = 2, hd = 16, total = pos0 + Tq;
    const q = random(Tq * NH * hd, 11), kc = random(total * NKV * hd, 12), vc = random(total * NKV * hd, 13);
    const o1 = new Float32Array(Tq * NH * hd), o2 = o1.slice();
    native!.attentionCached(o1, q, kc, vc, pos0, Tq, NH, NKV, hd);
    attentionCachedReference(o2, q, kc, vc, pos0, Tq, NH, NKV, hd);
    expect(maxDiff(o1, o2)).toBeLessThan(1e-5);
  });

  it("swiglu forward/backward", () => {
    const n = 70001, gate = random(n, 21).map((x) => 8 * x), up = random(n, 22), dout = random(n, 23);
    const o1 = new Float32Array(n), o2 = new Float32Array(n);
    native!.swigluForward(o1, gate, up, n);
    swigluForward(o2, gate, up, n);
    expect(maxDiff(o1, o2)).toBeLessThan(1e-6);
    const [dg1, du1, dg2, du2] = [random(n, 1), random(n, 2), random(n, 1), random(n, 2)];
    native!.swigluBackward(dg1, du1, dout, gate, up, n);
    swigluBackward(dg2, du2, dout, gate, up, n);
    expect(maxDiff(dg1, dg2)).toBeLessThan(1e-6);
    expect(maxDiff(du1, du2)).toBeLessThan(1e-6);
  });

  it("rmsnorm forward/backward", () => {
    const N = 700, C = 48, inp = random(N * C, 31), w = random(C, 32), dout = random(N * C, 33);
    const [o1, o2] = [new Float32Array(N * C), new Float32Array(N * C)];
    const [r1, r2] = [new Float32Array(N), new Float32Array(N)];
    native!.rmsnormForward(o1, r1, inp, w, N, C, 1e-5);
    rmsnormForward(o2, r2, inp, w, N, C, 1e-5);
    expect(maxDiff(o1, o2)).toBeLessThan(1e-5);
    const [di1, dw1, di2, dw2] = [random(N * C, 4), random(C, 5), random(N * C, 4), random(C, 5)];
    native!.rmsnormBackward(di1, dw1, dout, inp, w, r1, N, C);
    rmsnormBackward(di2, dw2, dout, inp, w, r2, N, C);
    expect(maxDiff(di1, di2)).toBeLessThan(1e-4);
    expect(maxDiff(dw1, dw2)).toBeLessThan(1e-3);
  });

  it("masked cross-entropy rows", () => {
    const N = 37, V = 1001, logits = random(N * V, 41).map((x) => 20 * x);
    const targets = Int32Array.from({ length: N }, (_, i) => (i % 4 === 0 ? -1 : (i * 97) % V));
    const [l1, l2] = [new Float64Array(N), new Float64Array(N)];
    const [d1, d2] = [random(N * V, 42), random(N * V, 42)];
    native!.crossEntropyRows(l1, d1, logits, targets, N, V, 0.25);
    crossEntropyRowsReference(l2, d2, logits, targets, N, V, 0.25);
    for (let n = 0; n < N; n++) expect(l1[n]).toBeCloseTo(l2[n], 4);
    expect(maxDiff(d1, d2)).toBeLessThan(1e-6);
  });

  it("AdamW update", () => {
    const n = 100003, grads = random(n, 51), decay = Uint8Array.from({ length: n }, (_, i) => i % 3 && 1);
    const [p1, m1, v1] = [random(n, 52), random(n, 53).map((x) => x * 0.01), random(n, 54).map((x) => x * x * 0.01)];
    const [p2, m2, v2] = [p1.slice(), m1.slice(), v1.slice()];
    native!.adamwUpdate(p1, grads, m1, v1, decay, 1e-3, 0.9, 0.95, 1e-8, 0.1, 0.271, 0.0975);
    adamwUpdateReference(p2, grads, m2, v2, decay, 1e-3, 0.9, 0.95, 1e-8, 0.1, 0.271, 0.0975);
    expect(maxDiff(p1, p2)).toBeLessThan(1e-6);
    expect(maxDiff(m1, m2)).toBeLessThan(1e-7);
    expect(maxDiff(v1, v2)).toBeLessThan(1e-7);
  });

  it.each([[0, 0.5, 1], [1, 0.5, 0.7], [2, 0.5, 1], [2, 0.1, 0.9]])("distillation rows kind=%i beta=%f tau=%f, full and sparse", (kind, beta, tau) => {
    const N = 23, V = 301, k = 5;
    const logits = random(N * V, 61).map((x) => 12 * x), teacher = random(N * V, 62).map((x) => 12 * x);
    const mask = Uint8Array.from({ length: N }, (_, n) => (n % 5 === 2 ? 0 : 1));
    const ids = Int32Array.from({ length: N * k }, (_, i) => (i % k === 4 ? -1 : (i * 53) % V));
    const logprobs = random(N * k, 63).map((x) => -3 + x);
    for (const sparse of [false, true]) {
      const [l1, l2] = [new Float64Array(N), new Float64Array(N)];
      const [d1, d2] = [random(N * V, 64), random(N * V, 64)];
      const args = [sparse ? null : teacher, sparse ? ids : null, sparse ? logprobs : null, sparse ? k : 0, mask, N, V, kind, beta, tau, 0.3] as const;
      native!.distillationRows(l1, d1, logits, ...args);
      distillationRowsReference(l2, d2, logits, ...args);
      for (let n = 0; n < N; n++) expect(Math.abs(l1[n] - l2[n])).toBeLessThan(1e-9);
      expect(maxDiff(d1, d2)).toBeLessThan(1e-6);
    }
  });
});
