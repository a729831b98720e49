// GKD's on-policy batches: the student's own continuations of prompts, targets on generated tokens
// only, reproducible from the seed; training on them with a white-box teacher moves the student's
// distributions towards the teacher's on the sequences the student itself produces.
import { describe, expect, it } from "vitest";
import type { LlamaConfig } from "../model/config.js";
import { LlamaModel } from "../model/llama-model.js";
import { initializeParameters, type ModelTensors } from "../model/parameters.js";
import { createRandom } from "../../random/index.js";
import { onPolicyBatch, type OnPolicyOptions } from "./on-policy.js";
import { trainModel } from "./trainer.js";
import { packExamples } from "./training-data.js";

const config: LlamaConfig = {
  vocabSize: 24, contextLength: 32, embeddingLength: 32, blockCount: 2, headCount: 4, headCountKv: 2,
  feedForwardLength: 64, rmsEps: 1e-5, ropeBase: 10000, tiedOutput: true,
};
const prompts = [Int32Array.of(1, 2, 3), Int32Array.of(4, 5), Int32Array.of(6, 7, 8, 9)];
const onPolicy: OnPolicyOptions = { lambda: 1, prompts, stopToken: 0, maxNewTokens: 12, temperature: 1 };

function sharpTeacher(): ModelTensors {
  const params = initializeParameters(config, createRandom(11));
  for (let i = 0; i < params.data.length; i++) params.data[i] *= 6; // confident, far from a fresh student
  return params;
}

/** Mean KL(teacher ‖ student) over the generated positions of fixed on-policy batches. */
function klOnSamples(student: ModelTensors, teacher: ModelTensors): number {
  const s = new LlamaModel(config, student), t = new LlamaModel(config, teacher), V = config.vocabSize;
  let sum = 0, count = 0;
  for (let seed = 0; seed < 4; seed++) {
    const batch = onPolicyBatch(config, student, onPolicy, 4, 16, createRandom(100 + seed));
    const ls = s.forward(batch.inputs, 4, 16).slice(), lt = t.forward(batch.inputs, 4, 16).slice();
    for (let n = 0; n < 64; n++) {
      if (batch.targets[n] < 0) continue;
      const logZ = (row: Float32Array) => { let m = -Infinity; for (const x of row) m = Math.max(m, x); let z = 0; for (const x of row) z += Math.exp(x - m); return m + Math.log(z); };
      const rs = ls.subarray(n * V, (n + 1) * V), rt = lt.subarray(n * V, (n + 1) * V), zs = logZ(rs), zt = logZ(rt);
      for (let v = 0; v < V; v++) { const pt = Math.exp(rt[v] - zt); sum += pt * (rt[v] - zt - (rs[v] - zs)); }
      count++;
    }
  }
  return sum / count;
}

describe("on-policy distillation", () => {
  it("builds batches of the student's continuations, with targets on generated tokens only", () => {
    const student = initializeParameters(config, createRandom(3));
    const a = onPolicyBatch(config, student, onPolicy, 6, 16, createRandom(5));
    const b = onPolicyBatch(config, student, onPolicy, 6, 16, createRandom(5));
    expect(a).toEqual(b);
    for (let row = 0; row < 6; row++) {
      const inputs = a.inputs.subarray(row * 16, row * 16 + 16), targets = a.targets.subarray(row * 16, row * 16 + 16);
      const prompt = prompts.find((p) => p.every((token, i) => inputs[i] === token))!;
      expect(prompt).toBeDefined();
      for (let t = 0; t < prompt.length - 1; t++) expect(targets[t]).toBe(-1);
      expect(targets[prompt.length - 1]).toBeGreaterThanOrEqual(0);
      for (let t = prompt.length - 1; t < 15 && targets[t + 1] >= 0; t++) expect(targets[t]).toBe(inputs[t + 1]);
    }
  });

  it("moves the student towards the teacher on its own samples", async () => {
    const teacherParams = sharpTeacher();
    const init = initializeParameters(config, createRandom(3));
    const before = klOnSamples(init, teacherParams);
    const result = await trainModel({
      config, data: packExamples([{ tokens: Array.from({ length: 64 }, (_, i) => i % 24) }]), steps: 120, batchSize: 4, sequenceLength: 16, warmupSteps: 5,
      lr: 1e-2, seed: 2, init: init.data, loss: { kind: "kl" }, teacher: new LlamaModel(config, teacherParams), onPolicy,
    });
    const after = klOnSamples(result.params, teacherParams);
    expect(after).toBeLessThan(before * 0.7);
  });

  it("refuses on-policy training without a white-box teacher", async () => {
    await expect(trainModel({ config, data: packExamples([{ tokens: [1, 2, 3, 4, 5] }]), steps: 1, batchSize: 1, sequenceLength: 4, loss: { kind: "kl" }, onPolicy }))
      .rejects.toThrow(/white-box teacher/);
  });
});
