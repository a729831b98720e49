// The native kernels index raw memory, so the addon checks every argument against its shape before
// any native code runs. Each export gets valid arguments, then one wrong argument at a time: a short
// buffer, a wrong type, a negative, fractional or huge size, an id outside the vocabulary. Each must
// throw an EngineError (ENGINE_INVALID_ARGUMENT) and leave its outputs untouched. These run in the
// test process on purpose: an out-of-bounds access would crash the runner, and that is a failure.
import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.js";
import { loadNativeKernels, type NativeAddon } from "./native.js";

const native = loadNativeKernels();

type Call = { name: keyof NativeAddon; args: unknown[] };
type Mutation = [label: string, index: number, value: unknown, message?: RegExp];

const f32 = (n: number) => new Float32Array(n).fill(0.5);

function expectRefused(call: Call, message?: RegExp): void {
  const outputs = call.args.filter((arg): arg is Float32Array | Float64Array => arg instanceof Float32Array || arg instanceof Float64Array);
  const before = outputs.map((buffer) => buffer.slice());
  let thrown: unknown;
  try {
    (native![call.name] as (...args: unknown[]) => unknown)(...call.args);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `${call.name} should refuse`).toBeInstanceOf(EngineError);
  expect(EngineError.isInstance(thrown)).toBe(true);
  expect((thrown as EngineError).code).toBe("ENGINE_INVALID_ARGUMENT");
  expect((thrown as EngineError).message).toMatch(new RegExp(`^${call.name}: `));
  if (message) expect((thrown as EngineError).message).toMatch(message);
  const bytes = (view: Float32Array | Float64Array) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  outputs.forEach((buffer, i) => expect(bytes(buffer).equals(bytes(before[i]!))).toBe(true));
}

function withArgument(call: Call, index: number, value: unknown): Call {
  const args = call.args.slice();
  args[index] = value;
  return { name: call.name, args };
}

/** Valid calls (each is run once as is) and the wrong arguments that must each be refused. */
const B = 2, T = 3, NH = 4, NKV = 2, hd = 8, qs = NH * hd, ks = NKV * hd, N = 5, V = 7, C = 6, k = 3;
const cases: Array<{ valid: () => Call; wrong: Mutation[] }> = [
  {
    valid: () => ({ name: "gemm", args: [f32(4 * 3), f32(4 * 5), f32(5 * 3), 4, 3, 5, 5, 1, 3, 1, 3, 0] }),
    wrong: [
      ["C short by one", 0, f32(11), /C holds 11 elements but .* needs 12/],
      ["A short by one", 1, f32(19), /A holds 19/],
      ["B short by one", 2, f32(14), /B holds 14/],
      ["A as a plain array", 1, Array.from(f32(20)), /A must be a Float32Array/],
      ["C as a Float64Array", 0, new Float64Array(12), /C must be a Float32Array/],
      ["negative m", 3, -1, /m must be an integer from 0/],
      ["fractional n", 4, 2.5, /n must be an integer/],
      ["NaN k", 5, Number.NaN, /got NaN/],
      ["m past an int", 3, 2 ** 32 + 4, /m must be an integer/],
      ["a stride that reaches past A", 6, 6, /A holds 20/],
      ["a negative stride", 7, -1, /aColStride/],
      ["ldc below n", 10, 2, /ldc must be at least n/],
      ["huge strides", 8, 2 ** 47, /B holds 15/],
      ["a string size", 5, "5", /k must be a number/],
      ["accumulate 2", 11, 2, /accumulate/],
    ],
  },
  {
    valid: () => ({ name: "attentionForward", args: [f32(B * T * qs), f32(B * NH * T * T), f32(B * T * qs), f32(B * T * ks), f32(B * T * ks), B, T, NH, NKV, hd] }),
    wrong: [
      ["out short", 0, f32(B * T * qs - 1), /out holds/],
      ["probs short", 1, f32(B * NH * T * T - 1), /probs holds .* \(B, NH, T, T\)/],
      ["q short", 2, f32(B * T * qs - 1), /q holds/],
      ["k short", 3, f32(B * T * ks - 1), /k holds/],
      ["v short", 4, f32(8), /v holds/],
      ["NKV zero", 8, 0, /NKV must be an integer from 1/],
      ["NH not a multiple of NKV", 7, 3, /multiple of NKV/],
      ["negative T", 6, -3, /T must be/],
      ["hd zero", 9, 0, /hd must be/],
      ["T so large the products overflow", 6, 2 ** 31 - 1, /holds/],
      ["q missing", 2, undefined, /q must be a Float32Array/],
    ],
  },
  {
    valid: () => ({
      name: "attentionBackward",
      args: [f32(B * T * qs), f32(B * T * ks), f32(B * T * ks), f32(B * T * qs), f32(B * NH * T * T), f32(B * T * qs), f32(B * T * ks), f32(B * T * ks), B, T, NH, NKV, hd],
    }),
    wrong: [
      ["dq short", 0, f32(1), /dq holds/],
      ["dk short", 1, f32(1), /dk holds/],
      ["dv short", 2, f32(1), /dv holds/],
      ["dout short", 3, f32(1), /dout holds/],
      ["probs short", 4, f32(1), /probs holds/],
      ["v short", 7, f32(1), /v holds/],
      ["B larger than the buffers", 8, 3, /holds/],
      ["NKV above NH", 11, 8, /multiple of NKV/],
    ],
  },
  {
    valid: () => ({ name: "attentionCached", args: [f32(2 * qs), f32(2 * qs), f32(5 * ks), f32(5 * ks), 3, 2, NH, NKV, hd] }),
    wrong: [
      ["kCache short of pos0 + Tq rows", 2, f32(4 * ks), /kCache holds .* \(pos0 \+ Tq, NKV·hd\)/],
      ["vCache short", 3, f32(4 * ks), /vCache holds/],
      ["pos0 past the cache", 4, 4, /kCache holds/],
      ["negative pos0", 4, -1, /pos0 must be/],
      ["out short", 0, f32(qs), /out holds/],
      ["pos0 + Tq past an int", 4, 2 ** 31 - 1, /pos0 \+ Tq is too large/],
    ],
  },
  {
    valid: () => ({ name: "swigluForward", args: [f32(10), f32(10), f32(10), 10] }),
    wrong: [
      ["out short", 0, f32(9), /out holds 9 elements but n needs 10/],
      ["gate short", 1, f32(9), /gate holds/],
      ["up short", 2, f32(0), /up holds/],
      ["negative n", 3, -1, /n must be/],
      ["Infinity n", 3, Number.POSITIVE_INFINITY, /n must be/],
    ],
  },
  {
    valid: () => ({ name: "swigluBackward", args: [f32(10), f32(10), f32(10), f32(10), f32(10), 10] }),
    wrong: [
      ["dgate short", 0, f32(9), /dgate holds/],
      ["dup short", 1, f32(9), /dup holds/],
      ["dout short", 2, f32(9), /dout holds/],
      ["gate an Int32Array", 3, new Int32Array(10), /gate must be a Float32Array/],
    ],
  },
  {
    valid: () => ({ name: "rmsnormForward", args: [f32(N * C), f32(N), f32(N * C), f32(C), N, C, 1e-5] }),
    wrong: [
      ["out short", 0, f32(N * C - 1), /out holds .* \(N, C\)/],
      ["rstd short", 1, f32(N - 1), /rstd holds/],
      ["weight short", 3, f32(C - 1), /weight holds/],
      ["eps not a number", 6, "tiny", /eps must be a number/],
      ["eps NaN", 6, Number.NaN, /eps must be finite/],
    ],
  },
  {
    valid: () => ({ name: "rmsnormBackward", args: [f32(N * C), f32(C), f32(N * C), f32(N * C), f32(C), f32(N), N, C] }),
    wrong: [
      ["dinp short", 0, f32(1), /dinp holds/],
      ["dweight short", 1, f32(1), /dweight holds/],
      ["rstd short", 5, f32(1), /rstd holds/],
      ["C past the buffers", 7, 2 ** 31 - 1, /holds/],
    ],
  },
  {
    valid: () => ({ name: "crossEntropyRows", args: [new Float64Array(N), f32(N * V), f32(N * V), Int32Array.of(0, -1, 6, 3, 2), N, V, 1] }),
    wrong: [
      ["rowLoss short", 0, new Float64Array(N - 1), /rowLoss holds/],
      ["rowLoss a Float32Array", 0, f32(N), /rowLoss must be a Float64Array/],
      ["dlogits short", 1, f32(N * V - 1), /dlogits holds/],
      ["logits short", 2, f32(N * V - 1), /logits holds/],
      ["targets short", 3, new Int32Array(N - 1), /targets holds/],
      ["a target outside the vocabulary", 3, Int32Array.of(0, 1, 7, 3, 2), /targets\[2\] is 7, outside a vocabulary of 7/],
      ["targets a Float32Array", 3, f32(N), /targets must be an Int32Array/],
    ],
  },
  {
    valid: () => ({ name: "adamwUpdate", args: [f32(9), f32(9), f32(9), f32(9), new Uint8Array(9), 1e-3, 0.9, 0.95, 1e-8, 0.1, 1, 1] }),
    wrong: [
      ["grads short", 1, f32(8), /grads holds 8 elements but the parameter count needs 9/],
      ["m short", 2, f32(8), /m holds/],
      ["v short", 3, f32(8), /v holds/],
      ["decay short", 4, new Uint8Array(8), /decay holds/],
      ["decay an Int8Array", 4, new Int8Array(9), /decay must be a Uint8Array/],
      ["lr missing", 5, undefined, /lr must be a number/],
    ],
  },
  {
    valid: () => ({
      name: "distillationRows",
      args: [new Float64Array(N), f32(N * V), f32(N * V), null, Int32Array.of(0, 1, -1, 2, 3, 4, 6, 5, -1, 0, 0, 0, 1, 2, 3), f32(N * k).fill(-2), k,
        new Uint8Array(N).fill(1), N, V, 0, 0.5, 1, 1],
    }),
    wrong: [
      ["ids short", 4, new Int32Array(N * k - 1), /ids holds .* \(N, k\)/],
      ["logprobs short", 5, f32(N * k - 1), /logprobs holds/],
      ["an id outside the vocabulary", 4, new Int32Array(N * k).fill(V), /ids\[0\] is 7, outside a vocabulary of 7/],
      ["no teacher and no ids", 4, null, /give teacher logits, or sparse ids/],
      ["mask short", 7, new Uint8Array(N - 1), /mask holds/],
      ["logits short", 2, f32(N * V - 1), /logits holds/],
      ["teacher logits short", 3, f32(N * V - 1), /teacherLogits holds/],
      ["kind 3", 10, 3, /kind .* from 0 to 2/],
      ["k past the buffers", 6, 2 ** 31 - 2, /ids holds/],
      ["rowLoss short", 0, new Float64Array(1), /rowLoss holds/],
    ],
  },
  {
    valid: () => ({ name: "setThreads", args: [2] }),
    wrong: [
      ["zero threads", 0, 0, /threads must be an integer from 1 to 64/],
      ["too many threads", 0, 65, /threads/],
      ["a fraction", 0, 1.5, /threads/],
    ],
  },
];

describe.skipIf(!native)("the native addon refuses arguments that do not fit their shapes", () => {
  it.each(cases.map((c) => [c.valid().name, c] as const))("%s accepts its valid call", (_name, { valid }) => {
    expect(() => (native![valid().name] as (...args: unknown[]) => unknown)(...valid().args)).not.toThrow();
  });

  const refusals = cases.flatMap(({ valid, wrong }) => wrong.map(([label, index, value, message]) => [valid().name, label, valid, index, value, message] as const));
  it.each(refusals)("%s refuses %s", (_name, _label, valid, index, value, message) => {
    expectRefused(withArgument(valid(), index as number, value), message as RegExp | undefined);
  });

  it("a kernel with too few arguments is refused, not read past its arguments", () => {
    expectRefused({ name: "gemm", args: [f32(1), f32(1), f32(1), 1, 1, 1] }, /aRowStride must be a number/);
  });

  it("the decoder refuses dimensions below 1 and fractional offsets", () => {
    const rope = new Float32Array(8);
    const offsets = Float64Array.from({ length: 12 }, (_, i) => i * 8);
    const negative = Int32Array.of(-10, 8, 1, 2, 1, 4, 16, 4);
    expectRefused({ name: "decoderCreate", args: [f32(1000), offsets, negative, 1e-5, rope, rope, 1] }, /at least 1/);
    const dims = Int32Array.of(10, 8, 1, 2, 1, 4, 16, 4);
    const fractional = offsets.map((x) => x + 0.5);
    expectRefused({ name: "decoderCreate", args: [f32(1000), fractional, dims, 1e-5, rope, rope, 1] }, /outside the parameters/);
    expectRefused({ name: "decoderCreate", args: [f32(1000), offsets, dims, 1e-5, rope.subarray(1), rope, 1] }, /cos holds 7/);
    expectRefused({ name: "decoderStep", args: [{}, 1, 0] }, /decoder handle/);
  });
});
