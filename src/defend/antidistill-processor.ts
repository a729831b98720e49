// Antidistillation sampling (Savani et al., NeurIPS 2025, arXiv 2504.13146) as a logits processor:
// the teacher samples from softmax(log p_T / τ + λ·b) with
//   b(·|x) = [log p(·|x; θP + εg) − log p(·|x; θP − εg)] / 2ε,
// a central finite difference of the proxy's next-token log-probabilities along g, the proxy's loss
// gradient on held-out teacher answers. Tokens with large b are those whose imitation raises the
// proxy's held-out loss. The two perturbed proxies each keep a KV cache (InferenceSession with the
// shared native decoder), so each generated token costs two single-token proxy steps.
// Cost: θP ± εg are held rounded to F16 (the decoder then keeps half the bytes per proxy), and b is
// added without its per-step constant, the difference of the two log-normalisers: softmax ignores a
// constant, and the reference code adds λ/(2ε)·(logits₊ − logits₋) the same way. On atlas with a `mini`
// proxy the rounding moves b by at most 0.9 where |b| reaches 924 (BENCHMARKS.md).
import { InferenceSession } from "../engine/index.js";
import { floatToHalf, halfToFloat } from "../engine/gguf/index.js";
import { createTensors, type ModelTensors } from "../engine/model/parameters.js";
import type { Decoder } from "../engine/model/decoder.js";
import type { LogitsProcessor } from "../watermark/index.js";
import type { LoadedDefence } from "./defence-directory.js";
import { DefendError } from "./errors.js";

export interface AntidistillOptions {
  /** Penalty weight λ (default: the defence's). */
  lambda?: number;
  /** Finite-difference step ε (default: the defence's, 0.01 in the paper). */
  epsilon?: number;
  /** How θP ± εg are held: "f16" (default, half the bytes per step) or "f32" (exact, for comparisons). */
  precision?: "f16" | "f32";
}

interface Perturbed {
  params: ModelTensors;
  decoder: Decoder | null;
}

/** θP ± εg, prepared once per defence; hands out one stateful processor per generation. */
export class AntidistillSampler {
  readonly lambda: number;
  readonly epsilon: number;
  readonly precision: "f16" | "f32";
  private readonly plus: Perturbed;
  private readonly minus: Perturbed;

  constructor(readonly defence: LoadedDefence, options: AntidistillOptions = {}) {
    this.lambda = options.lambda ?? defence.manifest.lambda;
    this.epsilon = options.epsilon ?? defence.manifest.epsilon;
    this.precision = options.precision ?? "f16";
    if (!(this.lambda >= 0 && Number.isFinite(this.lambda))) throw new DefendError("DEFENCE_BAD_PARAMS", `λ must be a finite number ≥ 0, got ${this.lambda}`);
    if (!(this.epsilon > 0 && Number.isFinite(this.epsilon))) throw new DefendError("DEFENCE_BAD_PARAMS", `ε must be a finite number > 0, got ${this.epsilon}`);
    this.plus = this.perturb(+this.epsilon);
    this.minus = this.perturb(-this.epsilon);
  }

  private perturb(step: number): Perturbed {
    const { config, params, gradient } = this.defence;
    const data = new Float32Array(params.data.length);
    for (let i = 0; i < data.length; i++) data[i] = params.data[i]! + step * gradient[i]!;
    // A value past F16's range stays as it is (the decoder then holds the proxy in F32).
    if (this.precision === "f16") for (let i = 0; i < data.length; i++) if (Math.abs(data[i]!) <= 65504) data[i] = halfToFloat(floatToHalf(data[i]!));
    const tensors = createTensors(config, data);
    return { params: tensors, decoder: InferenceSession.prepareDecoder(config, tensors) };
  }

  /** A processor for one generation (it caches the proxies' KV state for that context). */
  processor(): LogitsProcessor & { readonly lambda: number } {
    return new AntidistillProcessor(this, this.session(this.plus), this.session(this.minus));
  }

  private session(perturbed: Perturbed): InferenceSession {
    return new InferenceSession(this.defence.config, perturbed.params, { decoder: perturbed.decoder ?? false });
  }
}

class AntidistillProcessor implements LogitsProcessor {
  readonly lambda: number;
  private readonly scale: number;
  private fed: number[] = [];
  private bias: Float32Array | null = null;  // λ·b for the context `fed`

  constructor(sampler: AntidistillSampler, private readonly plus: InferenceSession, private readonly minus: InferenceSession) {
    this.lambda = sampler.lambda;
    this.scale = sampler.lambda / (2 * sampler.epsilon);
  }

  process(context: ArrayLike<number>, logits: Float32Array): void {
    if (this.lambda === 0 || context.length === 0) return;
    if (logits.length !== this.plus.config.vocabSize) {
      throw new DefendError("DEFENCE_MISMATCH", `the model gives ${logits.length} logits, the defence's proxy ${this.plus.config.vocabSize}; serve the defence with the model it was prepared for`);
    }
    const bias = this.biasFor(context);
    for (let v = 0; v < logits.length; v++) if (logits[v] !== -Infinity) logits[v]! += bias[v]!;
  }

  /** λ·b after `context` (up to a constant), feeding the proxies only the tokens they have not seen. */
  private biasFor(context: ArrayLike<number>): Float32Array {
    // Past the proxy's context, it reads the most recent `contextLength` tokens (a sliding window, re-fed).
    const start = Math.max(0, context.length - this.plus.config.contextLength), length = context.length - start;
    let common = 0;
    while (common < this.fed.length && common < length && this.fed[common] === context[start + common]) common++;
    if (common === length && common === this.fed.length && this.bias) return this.bias;
    if (common === length) common -= 1;  // re-feed the last token to get its logits
    this.plus.rewind(common);
    this.minus.rewind(common);
    const fresh = Array.from({ length: length - common }, (_, i) => context[start + common + i]!);
    const plus = this.plus.feed(fresh), minus = this.minus.feed(fresh);
    this.fed.length = common;
    this.fed.push(...fresh);
    this.bias = scaledLogitDifference(plus, minus, this.scale);
    return this.bias;
  }
}

/** scale·(plus − minus): λ·b up to its per-step constant, which the softmax ignores. */
export function scaledLogitDifference(plus: Float32Array, minus: Float32Array, scale: number): Float32Array {
  const out = new Float32Array(plus.length);
  for (let v = 0; v < plus.length; v++) out[v] = scale * (plus[v]! - minus[v]!);
  return out;
}

/** scale·(log-softmax(plus) − log-softmax(minus)), in float64 before rounding: λ·b exactly. */
export function scaledDifference(plus: Float32Array, minus: Float32Array, scale: number): Float32Array {
  const shift = logSumExp(plus) - logSumExp(minus);
  const out = new Float32Array(plus.length);
  for (let v = 0; v < plus.length; v++) out[v] = scale * (plus[v]! - minus[v]! - shift);
  return out;
}

function logSumExp(values: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i]! - max);
  return max + Math.log(sum);
}
