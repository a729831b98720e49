// pedigree train: a model from scratch on text files (--corpus: tokenizer, then model), or a student
// on harvested data (--data: SFT or logit distillation). Progress goes to stderr; --json prints one
// summary document on stdout.
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { emit, note } from "../output.js";
import { UsageError } from "../errors.js";
import { parseInteger, parseNumber } from "../model-options.js";
import type { StepReport } from "../../engine/train/trainer.js";

interface TrainCommandOptions {
  corpus?: string[];
  data?: string;
  config?: string;
  student?: string;
  teacher?: string;
  tokenizer?: string;
  loss?: string;
  beta?: string;
  temperature?: string;
  lambda?: string;
  evalEvery?: string;
  warmStart?: string;
  ceWeight?: string;
  out: string;
  name?: string;
  type?: string;
  steps?: string;
  batch?: string;
  seq?: string;
  accum?: string;
  lr?: string;
  warmup?: string;
  vocab?: string;
  seed?: string;
  checkpoint?: string;
  checkpointEvery?: string;
  resume?: boolean;
  every?: string;
  threads?: string;
  json?: boolean;
}

export function configure(command: Command): void {
  command
    .option("--corpus <files...>", "text files to train a model from scratch on (one document per file)")
    .option("--data <file>", "harvested data (JSONL) to train a student on")
    .option("--config <size>", "model size for --corpus: tiny, mini, small or atlas", "small")
    .option("--student <size|ref>", "for --data: a size for a fresh student, or a model to start from", "small")
    .option("--teacher <ref>", "for --data: a white-box teacher whose full distributions are the targets")
    .option("--tokenizer <ref>", "for --data: the model whose tokenizer a fresh student uses")
    .option("--loss <kind>", "for --data: sft, kl, rkl or jsd", "sft")
    .option("--beta <b>", "JSD interpolation β", "0.5")
    .option("--temperature <t>", "distillation temperature", "1")
    .option("--lambda <l>", "for --data with a white-box --teacher: share of on-policy batches (GKD λ)", "0")
    .option("--eval-every <n>", "for --data: held-out loss every N updates")
    .option("--warm-start <loss:share>", "for --data: spend this share of the steps on another loss first, e.g. sft:0.5 or kl:0.5")
    .option("--ce-weight <a>", "for --data with kl, rkl or jsd: mix in a·cross-entropy on the teacher's text", "0")
    .requiredOption("--out <file>", "the GGUF file to write")
    .option("--name <name>", "general.name in the GGUF file")
    .option("--type <type>", "tensor type of the GGUF file: f32 or f16", "f32")
    .option("--steps <n>", "optimizer updates", "1000")
    .option("--batch <n>", "sequences per micro-batch", "8")
    .option("--seq <n>", "tokens per sequence (default: the size's context length)")
    .option("--accum <n>", "micro-batches per update (gradient accumulation)", "1")
    .option("--lr <rate>", "peak learning rate")
    .option("--warmup <n>", "warmup updates")
    .option("--vocab <n>", "tokenizer vocabulary for --corpus", "4096")
    .option("--seed <n>", "seed for initialisation and batch order", "0")
    .option("--checkpoint <file>", "write checkpoints (with optimizer state) here")
    .option("--checkpoint-every <n>", "updates between checkpoints")
    .option("--resume", "continue from --checkpoint when it exists")
    .option("--every <n>", "report progress every N updates", "10")
    .option("--threads <n>", "threads of the native kernels (default: all cores)")
    .option("--json", "print one JSON document")
    .action(async (options: TrainCommandOptions) => run(options));
}

function progress(options: TrainCommandOptions): (r: StepReport) => void {
  const every = parseInteger("--every", options.every, 10);
  return (r) => {
    if (r.step % every !== 0 && r.step !== r.steps) return;
    note(`step ${r.step}/${r.steps}  loss ${r.loss.toFixed(4)}  lr ${r.lr.toExponential(2)}  ${Math.round(r.tokensPerSecond)} tokens/s  ${r.elapsedSeconds.toFixed(0)} s`);
  };
}

async function run(options: TrainCommandOptions): Promise<void> {
  if ((options.corpus === undefined) === (options.data === undefined)) throw new UsageError("give exactly one of --corpus FILES or --data FILE");
  const type = (options.type ?? "f32").toUpperCase();
  if (type !== "F32" && type !== "F16") throw new UsageError("--type must be f32 or f16");
  if (options.threads !== undefined) {
    const threads = parseInteger("--threads", options.threads, 0);
    if (threads < 1) throw new UsageError("--threads must be at least 1");
    const { setKernelThreads } = await import("../../engine/kernels/index.js");
    setKernelThreads(threads);
  }
  const controller = new AbortController();
  const stop = () => { note("stopping after this update…"); controller.abort(); };
  process.once("SIGINT", stop);
  try {
    if (options.corpus) await runCorpus(options, type, controller.signal);
    else await runData(options, controller.signal);
  } finally {
    process.off("SIGINT", stop);
  }
}

function common(options: TrainCommandOptions) {
  return {
    steps: parseInteger("--steps", options.steps, 1000),
    batchSize: parseInteger("--batch", options.batch, 8),
    sequenceLength: options.seq === undefined ? undefined : parseInteger("--seq", options.seq, 0),
    lr: options.lr === undefined ? undefined : parseNumber("--lr", options.lr, 0),
    seed: parseInteger("--seed", options.seed, 0),
  };
}

async function runCorpus(options: TrainCommandOptions, type: "F32" | "F16", signal: AbortSignal): Promise<void> {
  const { trainFromCorpus } = await import("../../engine/train/train-from-corpus.js");
  const texts = await Promise.all(options.corpus!.map((file) => readFile(file, "utf8")));
  const result = await trainFromCorpus({
    ...common(options),
    texts,
    size: options.config ?? "small",
    vocabSize: parseInteger("--vocab", options.vocab, 4096),
    gradAccumulation: parseInteger("--accum", options.accum, 1),
    warmupSteps: options.warmup === undefined ? undefined : parseInteger("--warmup", options.warmup, 0),
    checkpointPath: options.checkpoint,
    checkpointEvery: options.checkpointEvery === undefined ? undefined : parseInteger("--checkpoint-every", options.checkpointEvery, 0),
    resume: options.resume,
    out: options.out,
    name: options.name,
    type,
    signal,
    onStage: (stage) => note(stage === "tokenizer" ? "training the tokenizer…" : stage === "encode" ? "tokenizing the corpus…" : stage === "train" ? "training…" : `writing ${options.out}`),
    onStep: options.json ? undefined : progress(options),
  });
  const summary = {
    out: options.out, config: result.config, parameters: result.parameters, corpus_tokens: result.corpusTokens,
    steps: result.steps, tokens_seen: result.tokensSeen, first_loss: result.losses[0] ?? null, final_loss: result.losses.at(-1) ?? null,
    seconds: result.seconds, tokens_per_s: result.tokensPerSecond,
  };
  emit(options, summary, () => `wrote ${options.out}: ${result.parameters} parameters, ${result.steps} updates, loss ${summary.first_loss?.toFixed(3)} → ${summary.final_loss?.toFixed(3)}, ${Math.round(result.tokensPerSecond)} tokens/s`);
}

function parseWarmStart(value: string | undefined): { loss: "sft" | "kl" | "rkl" | "jsd"; share: number } | undefined {
  if (value === undefined) return undefined;
  const match = /^(sft|kl|rkl|jsd):(0?\.\d+|0)$/.exec(value);
  if (!match) throw new UsageError(`--warm-start must look like sft:0.5 (a loss, then the share of steps in [0, 1)), got "${value}"`);
  return { loss: match[1] as "sft" | "kl" | "rkl" | "jsd", share: Number(match[2]) };
}

async function runData(options: TrainCommandOptions, signal: AbortSignal): Promise<void> {
  const loss = options.loss ?? "sft";
  if (!["sft", "kl", "rkl", "jsd"].includes(loss)) throw new UsageError("--loss must be sft, kl, rkl or jsd");
  const [{ trainStudent }, { readJsonl, harvestRowSchema }] = await Promise.all([
    import("../../distill/train/train-student.js"), import("../../distill/data/index.js"),
  ]);
  const { rows } = await readJsonl(options.data!, harvestRowSchema);
  if (options.evalEvery !== undefined && parseInteger("--eval-every", options.evalEvery, 0) < 1) throw new UsageError("--eval-every must be at least 1");
  const evaluations: { step: number; heldOutLoss: number }[] = [];
  const result = await trainStudent({
    ...common(options),
    rows, student: options.student ?? "small", teacher: options.teacher, tokenizer: options.tokenizer,
    loss: loss as "sft" | "kl" | "rkl" | "jsd",
    beta: parseNumber("--beta", options.beta, 0.5), temperature: parseNumber("--temperature", options.temperature, 1),
    out: options.out, name: options.name ?? "student", checkpointPath: options.checkpoint, resume: options.resume, signal,
    onStep: options.json ? undefined : progress(options),
    lambda: parseNumber("--lambda", options.lambda, 0),
    warmStart: parseWarmStart(options.warmStart),
    ceWeight: parseNumber("--ce-weight", options.ceWeight, 0),
    evaluateEvery: options.evalEvery === undefined ? undefined : parseInteger("--eval-every", options.evalEvery, 0),
    onEvaluate: (report) => {
      evaluations.push(report);
      if (!options.json) note(`step ${report.step}  held-out loss ${report.heldOutLoss.toFixed(4)}`);
    },
  });
  emit(options, { ...result, evaluations }, () => `wrote ${result.out}: ${result.params} parameters, loss ${result.losses[0]?.toFixed(3)} → ${result.losses.at(-1)?.toFixed(3)}, held-out ${result.heldOutLoss.toFixed(3)}`);
}
