// The processor against a naive reference: b from two full forward passes of θP ± εg over the whole
// context, at every step of a generation, after a context that diverges, and for a repeated call.
// The processor adds λ·b up to a per-step constant (softmax ignores it), so the comparison is too.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextTokenDistributions } from "../engine/index.js";
import { createTensors } from "../engine/model/parameters.js";
import { createRandom } from "../random/index.js";
import { AntidistillSampler } from "./antidistill-processor.js";
import { loadDefence, type LoadedDefence } from "./defence-directory.js";
import { answerTokens, proxyGradient } from "./proxy-gradient.js";
import { heldOut, tinyDefence } from "./test-support/tiny-defence.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-antidistill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let defence: LoadedDefence;
beforeAll(async () => {
  defence = await loadDefence((await tinyDefence(dir)).directory);
});

/** λ·b by definition: two full passes over the context with θP + εg and θP − εg. */
function naiveBias(context: number[], lambda: number, epsilon: number): Float64Array {
  const at = (sign: number) => {
    const data = Float32Array.from(defence.params.data, (value, i) => value + sign * epsilon * defence.gradient[i]!);
    const rows = nextTokenDistributions(defence.config, createTensors(defence.config, data), context);
    return rows[rows.length - 1]!;
  };
  const plus = at(+1), minus = at(-1);
  return Float64Array.from(plus, (p, v) => (lambda * (Math.log(p) - Math.log(minus[v]!))) / (2 * epsilon));
}

/** actual = expected + a constant, within `tolerance` of the penalty's scale. */
function expectClose(actual: Float32Array, expected: Float64Array, tolerance = 2e-3): void {
  let scale = 0, low = Infinity, high = -Infinity;
  for (let v = 0; v < expected.length; v++) {
    scale = Math.max(scale, Math.abs(expected[v]!));
    low = Math.min(low, actual[v]! - expected[v]!);
    high = Math.max(high, actual[v]! - expected[v]!);
  }
  expect(scale).toBeGreaterThan(1e-3);  // the penalty is not trivially zero
  expect(high - low).toBeLessThan(tolerance * scale + 1e-4);
}

describe("antidistillation processor", () => {
  it("adds λ·b with b the finite difference of the perturbed proxies, step after step", () => {
    const lambda = 0.1, epsilon = 0.01;
    const processor = new AntidistillSampler(defence, { lambda, epsilon, precision: "f32" }).processor();
    const random = createRandom(3);
    const context = answerTokens(heldOut[0]!, defence.tokenizer, 256).tokens.slice(0, 12);
    for (let step = 0; step < 6; step++) {
      const logits = Float32Array.from({ length: defence.config.vocabSize }, () => random.normal());
      const before = Float32Array.from(logits);
      processor.process(context, logits);
      expectClose(logits.map((value, v) => value - before[v]!), naiveBias(context, lambda, epsilon));
      // Calling it again on the same context (the sampler's shown log-probabilities) gives the same bias.
      const again = Float32Array.from(before);
      processor.process(context, again);
      expect(Array.from(again)).toEqual(Array.from(logits));
      context.push(Math.floor(random.uniform32() * defence.config.vocabSize));
    }
    // A context that diverges from what the proxies have cached (another sample) is re-fed from the fork.
    const fork = [...context.slice(0, 5), 7, 8];
    const logits = new Float32Array(defence.config.vocabSize);
    processor.process(fork, logits);
    expectClose(logits, naiveBias(fork, lambda, epsilon));
  });

  it("with θP ± εg rounded to F16 (the default), stays close to the exact penalty", () => {
    const lambda = 0.1, epsilon = 0.01;
    const sampler = new AntidistillSampler(defence, { lambda, epsilon });
    expect(sampler.precision).toBe("f16");
    const context = answerTokens(heldOut[1]!, defence.tokenizer, 256).tokens.slice(0, 10);
    const logits = new Float32Array(defence.config.vocabSize);
    sampler.processor().process(context, logits);
    expectClose(logits, naiveBias(context, lambda, epsilon), 0.05);
  });

  it("leaves the logits alone at λ = 0 and keeps removed tokens removed", () => {
    const off = new AntidistillSampler(defence, { lambda: 0 }).processor();
    const logits = Float32Array.from({ length: defence.config.vocabSize }, (_, v) => v / 100);
    off.process([1, 2, 3], logits);
    expect(logits[5]).toBeCloseTo(0.05, 6);
    const on = new AntidistillSampler(defence, { lambda: 0.1 }).processor();
    logits[4] = -Infinity;
    on.process([1, 2, 3], logits);
    expect(logits[4]).toBe(-Infinity);
  });

  it("g is the gradient of the held-out loss: its directional derivative along g is |g|²", () => {
    const answers = heldOut.map((answer) => answerTokens(answer, defence.tokenizer, defence.config.contextLength));
    const { gradient } = proxyGradient(defence.config, createTensors(defence.config, Float32Array.from(defence.params.data)), answers);
    const loss = (sign: number, h: number) => {
      const data = Float32Array.from(defence.params.data, (value, i) => value + sign * h * gradient[i]!);
      const tensors = createTensors(defence.config, data);
      let total = 0;
      for (const answer of answers) {
        const rows = nextTokenDistributions(defence.config, tensors, answer.tokens);
        let sum = 0, count = 0;
        for (let i = answer.answerStart; i < answer.tokens.length; i++) { sum -= Math.log(rows[i - 1]![answer.tokens[i]!]!); count++; }
        total += sum / count;
      }
      return total / answers.length;
    };
    let squared = 0;
    for (const value of gradient) squared += value * value;
    const h = 1e-2 / Math.sqrt(squared);
    const derivative = (loss(+1, h) - loss(-1, h)) / (2 * h);
    expect(derivative / squared).toBeGreaterThan(0.97);
    expect(derivative / squared).toBeLessThan(1.03);
  });

  it("refuses λ < 0 and ε ≤ 0", () => {
    expect(() => new AntidistillSampler(defence, { lambda: -1 })).toThrow(expect.objectContaining({ code: "DEFENCE_BAD_PARAMS" }));
    expect(() => new AntidistillSampler(defence, { epsilon: 0 })).toThrow(expect.objectContaining({ code: "DEFENCE_BAD_PARAMS" }));
  });
});
