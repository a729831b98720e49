// Student training on harvested data: sequence-level KD (SFT on the teacher's answers) or token-level
// KD (forward KL, reverse KL, generalised JSD(β) as TRL's GKD defines them) from the stored sparse
// top-k log-probabilities or, with a white-box teacher, from its full distributions. The loss counts
// assistant tokens only. The result is a GGUF file that the engine and llama.cpp load.
import type { LlamaConfig } from "../../engine/model/config.js";
import type { ExportType } from "../../engine/model/gguf-mapping.js";
import { LlamaModel } from "../../engine/model/llama-model.js";
import { createTensors, parameterCount } from "../../engine/model/parameters.js";
import { IM_END } from "../../engine/tokenizer/index.js";
import { trainModel, type LossSpec, type StepReport } from "../../engine/train/trainer.js";
import { packExamples } from "../../engine/train/training-data.js";
import { assertOutputFree } from "../../files/index.js";
import { DistillError } from "../data/errors.js";
import type { TrainingRow } from "../data/training-rows.js";
import { rowsToExamples, type ExampleStats } from "./examples.js";
import { heldOutLoss } from "./held-out-loss.js";
import { loadEngineModelFile } from "./load-engine-model.js";
import { writeModelFile } from "./model-file.js";
import { splitRows } from "./split.js";
import { studentStart } from "./student-start.js";

export type StudentLoss = "sft" | "kl" | "rkl" | "jsd";

export interface TrainStudentOptions {
  /** Harvested rows or chat lines (see data/training-rows.ts). */
  rows: TrainingRow[];
  /** A named size (tiny, small, atlas) for a fresh student, or a model reference whose weights it starts from. */
  student: string;
  /** For a fresh student: the model whose tokenizer it uses (default: the teacher's, else atlas's). */
  tokenizer?: string;
  /** For a fresh student: train a tokenizer of this many tokens on the data instead. */
  vocabSize?: number;
  /** A white-box teacher (built-in or GGUF): full distributions are computed as training runs. */
  teacher?: string;
  loss: StudentLoss;
  beta?: number;
  temperature?: number;
  /** α in (1−α)·divergence + α·cross-entropy on the teacher's text, for kl, rkl and jsd (default 0). */
  ceWeight?: number;
  /**
   * Start token-level KD from a student first trained with `loss` for this share of the steps (MiniLLM and
   * GKD initialise the student with SFT; reverse KL and JSD hardly move tokens the student gives ~0).
   * The total number of steps, and so the token budget, stays `steps`.
   */
  warmStart?: { loss: StudentLoss; share: number };
  /**
   * GKD's λ: the share of micro-batches made of the student's own samples of the training prompts,
   * scored by the white-box `teacher` (default 0: the harvested answers only).
   */
  lambda?: number;
  /** Measure the held-out loss every this many updates (and at the end); reported through onEvaluate. */
  evaluateEvery?: number;
  onEvaluate?: (report: { step: number; heldOutLoss: number }) => void;
  steps: number;
  batchSize?: number;
  sequenceLength?: number;
  /** Micro-batches per update (default 1). */
  gradAccumulation?: number;
  lr?: number;
  /** Warmup updates of each phase (default: the trainer's, min(100, steps / 10)). */
  warmupSteps?: number;
  seed?: number;
  /** Share of rows held out to measure the answer loss (default 0.05). */
  heldOutShare?: number;
  out: string;
  /** Replace an existing `out` (refused otherwise, before any training). */
  force?: boolean;
  name: string;
  /** Tensor type of the GGUF file (default F16). */
  type?: ExportType;
  checkpointPath?: string;
  /** Updates between checkpoints (default: a tenth of each phase's steps). */
  checkpointEvery?: number;
  resume?: boolean;
  onStep?: (report: StepReport) => void;
  signal?: AbortSignal;
}

export interface TrainStudentResult {
  out: string;
  params: number;
  config: LlamaConfig;
  type: ExportType;
  /** The model reference the tokenizer came from, or "data". */
  tokenizer: string;
  loss: StudentLoss;
  target: "text" | "sparse-top-k" | "full-distribution";
  data: ExampleStats;
  heldOutRows: number;
  heldOutLoss: number;
  losses: number[];
  tokensSeen: number;
  seconds: number;
}

export async function trainStudent(options: TrainStudentOptions): Promise<TrainStudentResult> {
  if (options.rows.length === 0) throw new DistillError("DATA_EMPTY", "the training data has no rows; harvest first");
  checkLossOptions(options);
  assertOutputFree(options.out, { force: options.force });
  const teacher = options.teacher ? await loadEngineModelFile(options.teacher) : undefined;
  const start = await studentStart(options, teacher, options.teacher);
  if (teacher && teacher.config.vocabSize !== start.config.vocabSize) {
    throw new DistillError("TRAIN_TOKENIZER_MISMATCH", `the teacher's vocabulary (${teacher.config.vocabSize}) differs from the student's (${start.config.vocabSize}); logit distillation needs a shared tokenizer`);
  }
  const { train, heldOut } = splitRows(options.rows, options.heldOutShare ?? 0.05, options.seed ?? 0);
  const endOfTurn = start.tokenizer.encode(IM_END, { special: true })[0]!;
  const target = options.loss === "sft" ? "text" : teacher ? "full-distribution" : "sparse-top-k";
  let params = start.init;
  // Text targets for sft, plus the stored top-k for token-level KD without a white-box teacher.
  const text = rowsToExamples(train, start.tokenizer, endOfTurn, { useLogprobs: false });
  const needsTopK = !teacher && [options.loss, options.warmStart?.loss ?? "sft"].some((loss) => loss !== "sft");
  const withTopK = needsTopK ? rowsToExamples(train, start.tokenizer, endOfTurn, { useLogprobs: true }) : text;
  if (needsTopK && withTopK.stats.tokensWithTeacher === 0) {
    throw new DistillError("TRAIN_BAD_OPTION", `--loss ${options.loss} needs teacher log-probabilities: harvest with --top-logprobs K, or pass a white-box --teacher`);
  }
  const lambda = options.lambda ?? 0;
  if (lambda > 0 && (!teacher || options.loss === "sft")) {
    throw new DistillError("TRAIN_BAD_OPTION", "on-policy distillation (--lambda) needs a white-box --teacher and a token-level loss (kl, rkl or jsd)");
  }
  const onPolicy = lambda > 0
    ? { lambda, prompts: train.map((row) => Int32Array.from(start.tokenizer.encodeChat(row.messages, { addGenerationPrompt: true }))), stopToken: endOfTurn, temperature: 0.9 }
    : undefined;
  const heldOutExamples = rowsToExamples(heldOut, start.tokenizer, endOfTurn, { useLogprobs: false }).examples;
  const losses: number[] = [];
  let tokensSeen = 0, seconds = 0, config = start.config;
  for (const phase of studentPhases(options)) {
    const prepared = phase.loss === "sft" ? text : withTopK;
    const loss: LossSpec = phase.loss === "sft" ? { kind: "ce" } : { kind: phase.loss, beta: options.beta, temperature: options.temperature, ceWeight: options.ceWeight };
    const result = await trainModel({
      config: start.config,
      data: packExamples(prepared.examples, prepared.teacherK),
      steps: phase.steps,
      batchSize: options.batchSize,
      sequenceLength: options.sequenceLength,
      gradAccumulation: options.gradAccumulation,
      lr: options.lr,
      warmupSteps: options.warmupSteps,
      seed: options.seed,
      loss,
      init: params,
      teacher: teacher && phase.loss !== "sft" ? new LlamaModel(teacher.config, teacher.params) : undefined,
      onPolicy: phase.loss !== "sft" ? onPolicy : undefined,
      evaluate: options.evaluateEvery && heldOutExamples.length > 0 ? {
        every: options.evaluateEvery,
        run: (step, current) => options.onEvaluate?.({
          step: step + phase.offset,
          heldOutLoss: heldOutLoss(new LlamaModel(start.config, current), heldOutExamples, start.config.contextLength, start.config.vocabSize),
        }),
      } : undefined,
      checkpointPath: options.checkpointPath && options.checkpointPath + phase.checkpointSuffix,
      checkpointEvery: options.checkpointPath ? options.checkpointEvery ?? Math.max(1, Math.floor(phase.steps / 10)) : undefined,
      resume: options.resume,
      onStep: options.onStep && ((report) => options.onStep!({ ...report, step: report.step + phase.offset, steps: options.steps })),
      signal: options.signal,
    });
    params = result.params.data;
    config = result.config;
    losses.push(...result.losses);
    tokensSeen += result.tokensSeen;
    seconds += result.seconds;
    if (options.signal?.aborted) break;
  }
  const result = { config, params: createTensors(config, params!), losses, tokensSeen, seconds };
  const studentModel = new LlamaModel(result.config, result.params);
  const type = options.type ?? "F16";
  writeModelFile(options.out, result.config, result.params, { name: options.name, type, tokenizer: start.tokenizer, force: options.force });
  return {
    out: options.out,
    params: parameterCount(result.config),
    config: result.config,
    type,
    tokenizer: start.tokenizerSource,
    loss: options.loss,
    target,
    data: (options.loss === "sft" ? text : withTopK).stats,
    heldOutRows: heldOut.length,
    heldOutLoss: heldOutLoss(studentModel, heldOutExamples, result.config.contextLength, result.config.vocabSize),
    losses,
    tokensSeen: result.tokensSeen,
    seconds: result.seconds,
  };
}

interface StudentPhase {
  loss: StudentLoss;
  steps: number;
  /** Steps done before this phase. */
  offset: number;
  /** Appended to checkpointPath (the last phase writes checkpointPath itself). */
  checkpointSuffix: string;
}

/** Loss settings checked before any model is loaded, so a bad value costs no work. */
function checkLossOptions(options: TrainStudentOptions): void {
  const usesJsd = options.loss === "jsd" || options.warmStart?.loss === "jsd";
  if (usesJsd && options.beta !== undefined && !(options.beta > 0 && options.beta < 1)) {
    throw new DistillError("TRAIN_BAD_OPTION", `the JSD β must be in (0, 1), got ${options.beta}; β → 0 is kl and β → 1 is rkl, so use those losses instead`);
  }
  if (options.temperature !== undefined && !(options.temperature > 0)) {
    throw new DistillError("TRAIN_BAD_OPTION", `the distillation temperature must be above 0, got ${options.temperature}`);
  }
}

/** The warm-start phase (when asked for) and the main phase; their steps add up to options.steps. */
export function studentPhases(options: Pick<TrainStudentOptions, "loss" | "steps" | "warmStart">): StudentPhase[] {
  const share = options.warmStart?.share ?? 0;
  if (!(share >= 0 && share < 1)) throw new DistillError("TRAIN_BAD_OPTION", `the warm-start share must be in [0, 1), got ${share}`);
  const warmSteps = options.warmStart ? Math.round(options.steps * share) : 0;
  if (warmSteps === 0 || warmSteps >= options.steps) return [{ loss: options.loss, steps: options.steps, offset: 0, checkpointSuffix: "" }];
  return [
    { loss: options.warmStart!.loss, steps: warmSteps, offset: 0, checkpointSuffix: ".warm-start" },
    { loss: options.loss, steps: options.steps - warmSteps, offset: warmSteps, checkpointSuffix: "" },
  ];
}
