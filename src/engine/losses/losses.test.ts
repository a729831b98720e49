// Every loss: values against direct formulas (TRL GKD definitions) and gradients against finite
// differences, on full teacher distributions and on sparse top-k + tail targets, with temperature
// and a loss mask.
import { describe, expect, it } from "vitest";
import { createRandom } from "../../random/index.js";
import { crossEntropy } from "./cross-entropy.js";
import { distillationLoss, type DistillationOptions } from "./distillation.js";
import type { TeacherTargets } from "./teacher-targets.js";

const N = 4, V = 9;
const random = createRandom(11);
const logits = Float32Array.from({ length: N * V }, () => random.normal() * 2);
const teacherLogits = Float32Array.from({ length: N * V }, () => random.normal() * 2);
const mask = [1, 0, 1, 1];

function softmax(row: ArrayLike<number>, tau: number): number[] {
  const z = Array.from(row, (x) => x / tau), m = Math.max(...z);
  const e = z.map((x) => Math.exp(x - m)), s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}
const kl = (p: number[], q: number[]) => p.reduce((s, pi, i) => s + (pi > 0 ? pi * Math.log(pi / q[i]) : 0), 0);

/** TRL generalized_jsd_loss for one position, written out directly. */
function trlLoss(kind: string, beta: number, ps: number[], pt: number[]): number {
  if (kind === "kl") return kl(pt, ps);
  if (kind === "rkl") return kl(ps, pt);
  const m = ps.map((p, i) => beta * pt[i] + (1 - beta) * p);
  return beta * kl(pt, m) + (1 - beta) * kl(ps, m);
}

function sparseTargets(k: number): TeacherTargets {
  const ids = new Int32Array(N * k), logprobs = new Float32Array(N * k);
  for (let n = 0; n < N; n++) {
    const p = softmax(teacherLogits.subarray(n * V, n * V + V), 1);
    const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]);
    for (let i = 0; i < k; i++) { ids[n * k + i] = order[i]; logprobs[n * k + i] = Math.log(p[order[i]]); }
  }
  return { kind: "sparse", k, ids, logprobs };
}

function checkGradient(lossOf: (z: Float32Array) => number, analytic: Float32Array): void {
  const z = Float32Array.from(logits);
  for (let i = 0; i < z.length; i++) {
    const saved = z[i], eps = 1e-3;
    z[i] = saved + eps; const plus = lossOf(z);
    z[i] = saved - eps; const minus = lossOf(z);
    z[i] = saved;
    expect(Math.abs(analytic[i] - (plus - minus) / (2 * eps)), `coordinate ${i}`).toBeLessThan(2e-4);
  }
}

describe("cross-entropy", () => {
  const targets = Int32Array.from([3, -1, 0, 8]);
  it("is −log p(target) over unmasked positions, with the right gradient", () => {
    const d = new Float32Array(N * V);
    const { loss, count } = crossEntropy(d, logits, targets, N, V, 1);
    expect(count).toBe(3);
    let expected = 0;
    for (const n of [0, 2, 3]) expected -= Math.log(softmax(logits.subarray(n * V, n * V + V), 1)[targets[n]]);
    expect(loss).toBeCloseTo(expected, 5);
    checkGradient((z) => crossEntropy(null, z, targets, N, V, 0).loss, d);
  });
});

describe.each([
  ["forward KL", { kind: "kl" }],
  ["reverse KL", { kind: "rkl" }],
  ["JSD β=0.5", { kind: "jsd", beta: 0.5 }],
  ["JSD β=0.1, τ=0.9", { kind: "jsd", beta: 0.1, temperature: 0.9 }],
  ["forward KL, τ=2", { kind: "kl", temperature: 2 }],
  ["reverse KL, τ=0.7", { kind: "rkl", temperature: 0.7 }],
] as [string, DistillationOptions][])("%s", (_name, options) => {
  const tau = options.temperature ?? 1;
  it("full teacher: the TRL value and finite-difference gradients", () => {
    const teacher: TeacherTargets = { kind: "full", logits: teacherLogits };
    const d = new Float32Array(N * V);
    const { loss, count } = distillationLoss(d, logits, teacher, mask, N, V, options, 1);
    expect(count).toBe(3);
    let expected = 0;
    for (const n of [0, 2, 3]) {
      expected += trlLoss(options.kind, options.beta ?? 0.5, softmax(logits.subarray(n * V, n * V + V), tau), softmax(teacherLogits.subarray(n * V, n * V + V), tau));
    }
    expect(loss).toBeCloseTo(expected, 6);
    for (let i = V; i < 2 * V; i++) expect(d[i]).toBe(0); // masked position
    checkGradient((z) => distillationLoss(null, z, teacher, mask, N, V, options, 0).loss, d);
  });

  it("sparse top-k + tail: bucketed value and finite-difference gradients", () => {
    const k = 3, teacher = sparseTargets(k);
    const d = new Float32Array(N * V);
    const { loss } = distillationLoss(d, logits, teacher, mask, N, V, options, 1);
    let expected = 0;
    for (const n of [0, 2, 3]) {
      const ps = softmax(logits.subarray(n * V, n * V + V), tau);
      const ids = Array.from(teacher.kind === "sparse" ? teacher.ids.subarray(n * k, n * k + k) : []);
      const lp = Array.from(teacher.kind === "sparse" ? teacher.logprobs.subarray(n * k, n * k + k) : []);
      const sBuckets = [...ids.map((id) => ps[id]), 1 - ids.reduce((s, id) => s + ps[id], 0)];
      const tRaw = [...lp, Math.log(1 - lp.reduce((s, l) => s + Math.exp(l), 0))];
      expected += trlLoss(options.kind, options.beta ?? 0.5, sBuckets, softmax(tRaw, tau));
    }
    expect(loss).toBeCloseTo(expected, 5);
    checkGradient((z) => distillationLoss(null, z, teacher, mask, N, V, options, 0).loss, d);
  });
});

describe("sparse targets with the full vocabulary as top-k", () => {
  it("equal the full-distribution loss at τ = 1", () => {
    const full = distillationLoss(null, logits, { kind: "full", logits: teacherLogits }, mask, N, V, { kind: "jsd", beta: 0.3 }, 0);
    const sparse = distillationLoss(null, logits, sparseTargets(V), mask, N, V, { kind: "jsd", beta: 0.3 }, 0);
    expect(sparse.loss).toBeCloseTo(full.loss, 5);
  });
});
