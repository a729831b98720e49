// pedigree eval: a model's score on a task's held-out prompts (capitals, definitions, identity).
import { Option, type Command } from "commander";
import { buildEvalTask, evalTaskNames } from "../../corpus/index.js";
import { compareWithTeacher, definitionPassF1, evaluateTask, type EvalResult, type EvalTask, type SplitFigures, type TeacherComparison } from "../../distill/evaluate/index.js";
import { loadEngineModelFile } from "../../distill/train/load-engine-model.js";
import { parameterCount } from "../../engine/model/parameters.js";
import { listBuiltinModels } from "../../models/builtin-models.js";
import { addModelOptions, openModel, parseInteger, type ModelOptions } from "../model-options.js";
import { emit } from "../output.js";

interface EvalOptions extends ModelOptions {
  task: string;
  limit?: string;
  seed?: string;
  identity?: string;
  details?: boolean;
  against?: string;
  json?: boolean;
}

export function configure(command: Command): void {
  addModelOptions(command)
    .addOption(new Option("--task <name>", "the task").choices([...evalTaskNames]).makeOptionMandatory())
    .option("--limit <n>", "at most N prompts per split, a seeded sample (default: every prompt)")
    .option("--seed <n>", "seed for the sample and for generation", "0")
    .option("--identity <name>", "identity task: the name the model should claim (default: a built-in model's own)")
    .option("--details", "include every prompt, answer and score")
    .option("--against <ref>", "a teacher: agreement with its answers, KL to it (white-box), size and speed ratios")
    .option("--json", "print one JSON document")
    .action(async (options: EvalOptions) => run(options));
}

async function run(options: EvalOptions): Promise<void> {
  const task: EvalTask = buildEvalTask(options.task);
  const limit = options.limit === undefined ? undefined : parseInteger("--limit", options.limit, 0);
  const model = await openModel(options.model, options);
  const teacher = options.against ? await openModel(options.against, options) : undefined;
  try {
    const showProgress = process.stderr.isTTY && !options.json;
    const settings = {
      limit,
      seed: parseInteger("--seed", options.seed, 0),
      expectedIdentity: options.identity ?? builtinIdentity(options.model),
      details: options.details,
      onProgress: showProgress ? (done: number, total: number) => process.stderr.write(`\r${options.task}: ${done}/${total}${done === total ? "\n" : ""}`) : undefined,
    };
    if (!teacher) {
      const result = await evaluateTask(model, task, settings);
      result.model = options.model;
      emit(options, result, () => describe(result));
      return;
    }
    const { result, comparison } = await compareWithTeacher(model, teacher, task, settings);
    result.model = options.model;
    const against = { ...comparison, teacher: { ...comparison.teacher, model: options.against! }, size_ratio: await sizeRatio(options.model, options.against!) };
    emit(options, { ...result, against }, () => [describe(result), describeComparison(against)].join("\n"));
  } finally {
    await model.close?.();
    await teacher?.close?.();
  }
}

/** Student parameters / teacher parameters, when both are GGUF models the engine can read. */
async function sizeRatio(student: string, teacher: string): Promise<number | null> {
  try {
    const [mine, theirs] = await Promise.all([loadEngineModelFile(student), loadEngineModelFile(teacher)]);
    return parameterCount(mine.config) / parameterCount(theirs.config);
  } catch {
    return null;
  }
}

function describeComparison(against: TeacherComparison & { size_ratio: number | null }): string {
  const percent = (value: number) => `${(100 * value).toFixed(1)}%`;
  return [
    `against ${against.teacher.model}: teacher ${against.teacher.f1 !== undefined ? `token F1 ${against.teacher.f1.toFixed(3)}` : `accuracy ${percent(against.teacher.accuracy)}`}, kept ${against.kept === null ? "—" : percent(against.kept)}`,
    `  agreement: ${percent(against.agreement.exact)} identical answers, token F1 ${against.agreement.f1.toFixed(3)}`,
    `  KL(teacher ‖ student): ${against.kl_to_teacher === null ? "— (needs two white-box models with one vocabulary)" : `${against.kl_to_teacher.toFixed(3)} nats/token`}`,
    `  size ratio ${against.size_ratio === null ? "—" : against.size_ratio.toFixed(3)}, speed ratio ${against.speed_ratio.toFixed(2)}×`,
  ].join("\n");
}

/** A built-in model's card names the identity it was trained to claim. */
function builtinIdentity(reference: string): string | undefined {
  const card = listBuiltinModels().find((model) => model.name === reference)?.card;
  const identity = card?.identity as { name?: unknown } | string | undefined;
  const name = typeof identity === "string" ? identity : identity?.name;
  return typeof name === "string" ? name : undefined;
}

const splitMeanings: Record<string, string> = {
  phrasing: "held-out wordings of trained entries",
  unseen: "entries never trained on",
  seen: "wordings seen in training",
};

/** The headline gives the task's meaningful figure on every split, main split first. */
function describe(result: EvalResult): string {
  const percent = (value: number) => `${(100 * value).toFixed(1)}%`;
  const splits = Object.entries(result.splits).sort(([a], [b]) => Number(b === result.headline_split) - Number(a === result.headline_split));
  const figure = (split: SplitFigures) => (result.metric === "f1" ? (split.f1 ?? 0).toFixed(3) : percent(split.accuracy));
  const label = result.metric === "f1" ? "token F1" : result.task !== "identity" ? "accuracy" : result.expected_identity ? `claims ${result.expected_identity}` : "claims its most frequent identity";
  const lines = [`${result.task} on ${result.model} (${result.n_total} prompts): ${label} ${splits.map(([name, split]) => `${figure(split)} ${name} (n=${split.n})`).join(", ")}`];
  lines.push(`  ${splits.map(([name]) => `${name}: ${splitMeanings[name] ?? "its own split"}`).join("; ")}`);
  if (result.metric === "f1") lines.push(`  token F1 is the word overlap with the reference gloss, from 0 to 1; an answer counts correct at F1 ≥ ${definitionPassF1}: ${splits.map(([name, split]) => `${percent(split.accuracy)} ${name}`).join(", ")}`);
  if (result.log_likelihood !== undefined) lines.push(`  reference log-likelihood ${splits.map(([name, split]) => `${split.logLikelihood?.toFixed(3) ?? "—"} ${name}`).join(", ")} nats/token`);
  if (result.claims) lines.push(`  claims: ${Object.entries(result.claims).map(([name, share]) => `${name} ${percent(share)}`).join(", ")}`);
  return lines.join("\n");
}
