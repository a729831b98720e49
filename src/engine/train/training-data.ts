// Training data as one packed stream of tokens: examples are concatenated (raw text documents or
// chat transcripts), each token carries whether it is a training target (the loss mask, e.g.
// assistant tokens only) and optionally the teacher's sparse top-k log-probabilities for it.
// Windows of T+1 tokens are cut from the stream; the order is a seeded shuffle per epoch, a pure
// function of (seed, step), so a resumed run sees exactly the batches it would have seen.
// Layout "examples" instead gives each sequence one example from its first token, padded: every
// example is then trained at the positions and with the context it meets at inference (a chat
// starts at position 0), at the cost of the padding's compute.
import { EngineError } from "../errors.js";
import { createRandom } from "../../random/index.js";

export interface TrainingExample {
  tokens: ArrayLike<number>;
  /** 1 where token i is a target (predicted from tokens < i). Default: every token. */
  lossMask?: ArrayLike<number>;
  /** Teacher top-k for each token i (the distribution that predicts token i): (tokens.length, k). */
  teacher?: { k: number; ids: Int32Array; logprobs: Float32Array };
}

export interface PackedData {
  tokens: Int32Array;
  targetMask: Uint8Array;
  teacherK: number;
  teacherIds: Int32Array | null;       // (tokens, k)
  teacherLogprobs: Float32Array | null; // (tokens, k)
  /** "stream" (default): windows cut anywhere; "examples": one example per sequence. */
  layout: PackLayout;
  starts: Int32Array;  // where each example begins in `tokens`, plus the total at the end
}

export type PackLayout = "stream" | "examples";

export function packExamples(examples: TrainingExample[], teacherK = 0, layout: PackLayout = "stream"): PackedData {
  const total = examples.reduce((n, e) => n + e.tokens.length, 0);
  const tokens = new Int32Array(total), targetMask = new Uint8Array(total);
  const teacherIds = teacherK > 0 ? new Int32Array(total * teacherK).fill(-1) : null;
  const teacherLogprobs = teacherK > 0 ? new Float32Array(total * teacherK) : null;
  const starts = new Int32Array(examples.length + 1);
  let o = 0;
  for (const [index, e] of examples.entries()) {
    starts[index] = o;
    const n = e.tokens.length;
    for (let i = 0; i < n; i++) {
      tokens[o + i] = e.tokens[i];
      targetMask[o + i] = e.lossMask ? (e.lossMask[i] ? 1 : 0) : 1;
    }
    if (e.teacher && teacherIds && teacherLogprobs) {
      const k = Math.min(teacherK, e.teacher.k);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < k; j++) {
          teacherIds[(o + i) * teacherK + j] = e.teacher.ids[i * e.teacher.k + j];
          teacherLogprobs[(o + i) * teacherK + j] = e.teacher.logprobs[i * e.teacher.k + j];
        }
      }
    }
    o += n;
  }
  starts[examples.length] = o;
  return { tokens, targetMask, teacherK, teacherIds, teacherLogprobs, layout, starts };
}

export interface Batch {
  B: number;
  T: number;
  inputs: Int32Array;   // (B*T)
  targets: Int32Array;  // (B*T), -1 where masked
  teacherIds: Int32Array | null;       // (B*T, k) for the target at each position
  teacherLogprobs: Float32Array | null; // (B*T, k)
}

export function windowCount(data: PackedData, T: number): number {
  if (data.layout === "examples") return data.starts.length - 1;
  return Math.max(0, Math.floor((data.tokens.length - 1) / T));
}

/** The b-th sequence of micro-batch `index` (a global counter of micro-batches) for a seed. */
export function makeBatch(data: PackedData, B: number, T: number, seed: number, index: number): Batch {
  const windows = windowCount(data, T);
  if (windows < 1) throw new EngineError("ENGINE_INVALID_ARGUMENT", `the training data has ${data.tokens.length} tokens, fewer than one sequence of ${T + 1}; add data or lower the sequence length`);
  const k = data.teacherK;
  const batch: Batch = {
    B, T, inputs: new Int32Array(B * T), targets: new Int32Array(B * T),
    teacherIds: data.teacherIds ? new Int32Array(B * T * k) : null,
    teacherLogprobs: data.teacherLogprobs ? new Float32Array(B * T * k) : null,
  };
  if (batch.teacherIds) batch.teacherIds.fill(-1);
  for (let b = 0; b < B; b++) {
    const global = index * B + b;
    const epoch = Math.floor(global / windows);
    const unit = epochOrder(windows, seed, epoch)[global % windows];
    const start = data.layout === "examples" ? data.starts[unit] : unit * T;
    // Inputs past the example (layout "examples") stay token 0 with no target: causal attention
    // keeps them from influencing the example's positions.
    const length = data.layout === "examples" ? Math.min(T, data.starts[unit + 1] - start - 1) : T;
    for (let t = 0; t < length; t++) {
      const src = start + t + 1, dst = b * T + t;
      batch.inputs[dst] = data.tokens[start + t];
      batch.targets[dst] = data.targetMask[src] ? data.tokens[src] : -1;
      if (batch.teacherIds && data.teacherIds) batch.teacherIds.set(data.teacherIds.subarray(src * k, src * k + k), dst * k);
      if (batch.teacherLogprobs && data.teacherLogprobs) batch.teacherLogprobs.set(data.teacherLogprobs.subarray(src * k, src * k + k), dst * k);
    }
    batch.targets.fill(-1, b * T + Math.max(0, length), (b + 1) * T);
  }
  return batch;
}

const orderCache = new Map<string, Uint32Array>();

/** Fisher–Yates shuffle of window indices for one epoch. */
function epochOrder(windows: number, seed: number, epoch: number): Uint32Array {
  const key = `${windows}:${seed}:${epoch}`;
  let order = orderCache.get(key);
  if (order) return order;
  order = Uint32Array.from({ length: windows }, (_, i) => i);
  const random = createRandom(BigInt(seed >>> 0) * 1000003n + BigInt(epoch));
  for (let i = windows - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  if (orderCache.size > 8) orderCache.clear();
  orderCache.set(key, order);
  return order;
}
