// A job request checked before anything is stored: the files are the key's fine-tuning files, the
// base is a size or a served white-box model, every example fits the base's context, and the
// hyperparameters become the trainer's schedule. Any problem is a 400 and no job is created.
import { checkTrainingFile } from "./training-file-format.js";
import { autoBatchSize, autoEpochs, type JobRequest } from "./job-request.js";
import { invalidFile, invalidRequest } from "./distillation-errors.js";
import type { DistillationContext } from "./distillation-context.js";
import type { Hyperparameters, TrainingPlan } from "./job-types.js";
import type { KeyRecord } from "../store/index.js";
import { modelNotFound } from "../errors.js";
import { studentShape, studentSizeNames } from "../../distill/index.js";

/** The trainer's peak learning rate (pedigree train's default) times learning_rate_multiplier. */
export const BASE_LEARNING_RATE = 3e-3;

export interface PlannedJob {
  plan: TrainingPlan;
  hyperparameters: Hyperparameters;
  examples: number;
}

function studentReference(d: DistillationContext, key: KeyRecord, model: string): string {
  if (studentSizeNames().includes(model)) return model;
  const backends = d.gateway.backends;
  const visible = backends.has(model) && (backends.isOwner(model, key.id) || ((key.policy.models === null || key.policy.models.includes(model)) && backends.usableBy(model, key.id)));
  if (!visible) throw modelNotFound(model);
  const reference = backends.reference(model);
  if (reference === null || /^(https?:|openai:)/.test(reference)) {
    throw invalidRequest(`The model '${model}' is served from an API, so its weights cannot be fine-tuned here; start from a size (${studentSizeNames().join(", ")}) or a white-box model.`, "model");
  }
  return reference;
}

function teacherOf(d: DistillationContext, request: JobRequest, key: KeyRecord): { name: string; reference: string } | null {
  const backends = d.gateway.backends;
  const named = request.metadata?.teacher;
  const candidates = named !== undefined ? [named] : backends.names().filter((name) => !name.startsWith("ft:"));
  for (const name of candidates) {
    const reference = backends.has(name) && backends.usableBy(name, key.id) ? backends.reference(name) : null;
    if (reference !== null) return { name, reference };
  }
  if (named !== undefined) throw invalidRequest(`metadata.teacher '${named}' is not a served model with a reference.`, "metadata.teacher");
  return null;
}

export async function planJob(d: DistillationContext, key: KeyRecord, request: JobRequest): Promise<PlannedJob> {
  const student = studentReference(d, key, request.model);
  const training = checkTrainingFile(await d.files.content(key.id, request.training_file));
  const validation = request.validation_file ? checkTrainingFile(await d.files.content(key.id, request.validation_file)) : [];
  for (const [id, param] of [[request.training_file, "training_file"], [request.validation_file, "validation_file"]] as const) {
    if (id && (await d.files.get(key.id, id, param)).purpose !== "fine-tune") throw invalidRequest(`File '${id}' was not uploaded with purpose 'fine-tune'.`, param);
  }
  const { tokenizer, contextLength } = await d.studentShape(student, studentShape);
  let tokens = 0;
  for (const [lines, name] of [[training, "training"], [validation, "validation"]] as const) {
    lines.forEach((line, index) => {
      // The rendered conversation plus the end-of-turn token the trainer appends.
      const length = tokenizer.encodeChat(line.messages.map(({ role, content }) => ({ role, content }))).length + 1;
      if (name === "training") tokens += length;
      if (length > contextLength) {
        throw invalidFile(`Example ${index + 1} of the ${name} file has ${length} tokens, more than the ${contextLength}-token context of '${request.model}'; shorten it or drop it.`, `${name}_file`);
      }
    });
  }
  const given = request.method?.supervised?.hyperparameters ?? request.hyperparameters ?? {};
  const hyperparameters: Hyperparameters = {
    n_epochs: given.n_epochs === undefined || given.n_epochs === "auto" ? autoEpochs(training.length) : given.n_epochs,
    batch_size: given.batch_size === undefined || given.batch_size === "auto" ? autoBatchSize(training.length) : given.batch_size,
    learning_rate_multiplier: given.learning_rate_multiplier === undefined || given.learning_rate_multiplier === "auto" ? 1 : given.learning_rate_multiplier,
  };
  // The trainer packs examples into sequences of the context length; an update holds about
  // batch_size examples' tokens, and n_epochs passes over the file's tokens set the number of updates.
  // (a tiny file may hold fewer tokens than one context: the windows then shrink to fit it)
  const sequenceLength = Math.min(contextLength, tokens - 1);
  const meanTokens = tokens / training.length;
  const batchSize = Math.max(1, Math.round((hyperparameters.batch_size * meanTokens) / sequenceLength));
  const steps = Math.max(1, Math.ceil((hyperparameters.n_epochs * tokens) / (batchSize * sequenceLength)));
  const teacher = teacherOf(d, request, key);
  return {
    hyperparameters,
    examples: training.length,
    plan: {
      student, teacher: teacher?.reference ?? null, teacherName: teacher?.name ?? null, steps, batchSize, sequenceLength,
      lr: BASE_LEARNING_RATE * hyperparameters.learning_rate_multiplier, checkpointEvery: Math.max(1, Math.min(50, Math.floor(steps / 10))),
    },
  };
}
