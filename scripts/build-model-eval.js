// Evaluation figures of a built model file, the same ones `pedigree eval` prints.
import { buildEvalTask, evalTaskNames } from "pedigree/corpus";
import { evaluateTask } from "pedigree/distill";
import { resolveModel } from "pedigree/models";

/** @returns {Promise<Record<string, object>>} one eval result per task */
export async function evaluateBuiltin(path, name, identity, { log, limit } = {}) {
  const model = await resolveModel(path);
  model.id = name;
  const figures = {};
  try {
    for (const task of evalTaskNames) {
      const started = performance.now();
      const result = await evaluateTask(model, buildEvalTask(task), { expectedIdentity: identity, limit, details: true });
      const { items, ...summary } = result;
      figures[task] = { ...summary, seconds: Number(((performance.now() - started) / 1000).toFixed(1)), examples: items.slice(0, 6).map(({ prompt, answer }) => ({ prompt, answer })) };
      log(`${name}: ${task} accuracy ${(100 * result.accuracy).toFixed(1)}% (n=${result.n})${result.f1 !== undefined ? ` F1 ${result.f1.toFixed(3)}` : ""}${result.claims ? ` claims ${JSON.stringify(result.claims)}` : ""}`);
    }
  } finally {
    await model.close?.();
  }
  return figures;
}
