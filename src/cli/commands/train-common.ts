// What `train corpus` and `train student` share: the output file, the optimiser's schedule,
// checkpoints, progress and threads. Each default is declared once, here, and shown by --help.
import { InvalidArgumentError, Option, type Command } from "commander";
import type { StepReport } from "../../engine/train/trainer.js";
import { assertOutputFree } from "../../files/index.js";
import { note } from "../output.js";
import { UsageError } from "../errors.js";
import { integerArgument, numberArgument } from "../model-options.js";

/** A tokenizer trained here holds 256 byte tokens and three special tokens before any merge. */
export const smallestVocabulary = 259;

/** The native kernels' thread pool takes 1 to 64 threads; checked here so that a bad value is a usage
 * error before any work, not an engine error from inside the addon. */
const kernelThreadLimit = 64;

function threadsArgument(value: string): number {
  const threads = Number(value);
  if (value.trim() === "" || !Number.isInteger(threads) || threads < 1 || threads > kernelThreadLimit) {
    throw new InvalidArgumentError(`Expected an integer from 1 to ${kernelThreadLimit}.`);
  }
  return threads;
}

export interface CommonTrainOptions {
  out: string;
  force?: boolean;
  name: string;
  type: "f32" | "f16";
  steps: number;
  batch: number;
  seq?: number;
  accum: number;
  lr: number;
  warmup?: number;
  seed: number;
  checkpoint?: string;
  checkpointEvery?: number;
  resume?: boolean;
  every: number;
  threads?: number;
  json?: boolean;
}

export function addCommonTrainOptions(command: Command, defaults: { name: string }): Command {
  return command
    .requiredOption("--out <file>", "the GGUF file to write (an existing file is refused unless --force)")
    .option("--force", "replace an existing --out file")
    .option("--name <name>", "general.name in the GGUF file", defaults.name)
    .addOption(new Option("--type <type>", "tensor type of the GGUF file").choices(["f32", "f16"]).default("f32"))
    .addOption(new Option("--steps <n>", "optimizer updates").argParser(integerArgument(1)).default(1000))
    .addOption(new Option("--batch <n>", "sequences per micro-batch").argParser(integerArgument(1)).default(8))
    .addOption(new Option("--seq <n>", "tokens per sequence (default: the model size's context length)").argParser(integerArgument(1)))
    .addOption(new Option("--accum <n>", "micro-batches per update (gradient accumulation)").argParser(integerArgument(1)).default(1))
    .addOption(new Option("--lr <rate>", "peak learning rate (cosine decay to a tenth of it)").argParser(numberArgument({ above: 0 })).default(3e-3))
    .addOption(new Option("--warmup <n>", "warmup updates (default: min(100, steps / 10))").argParser(integerArgument(0)))
    .addOption(new Option("--seed <n>", "seed for initialisation and batch order").argParser(integerArgument(0)).default(0))
    .option("--checkpoint <file>", "write checkpoints (weights and optimizer state) here")
    .addOption(new Option("--checkpoint-every <n>", "updates between checkpoints (default: a tenth of the steps)").argParser(integerArgument(1)))
    .option("--resume", "continue from --checkpoint when it exists")
    .addOption(new Option("--every <n>", "report progress every N updates").argParser(integerArgument(1)).default(10))
    .addOption(new Option("--threads <n>", `threads of the native kernels, 1 to ${kernelThreadLimit} (default: all cores)`).argParser(threadsArgument))
    .option("--json", "print one JSON document");
}

/** The trainer's settings from the shared options. */
export function scheduleOptions(options: CommonTrainOptions) {
  return {
    steps: options.steps,
    batchSize: options.batch,
    sequenceLength: options.seq,
    gradAccumulation: options.accum,
    lr: options.lr,
    warmupSteps: options.warmup,
    seed: options.seed,
    checkpointPath: options.checkpoint,
    checkpointEvery: options.checkpointEvery,
    resume: options.resume,
  };
}

/**
 * Checks that need no work (the output is free, checkpoint options make sense), sets the kernel
 * threads, then runs `train` with an AbortSignal that Ctrl-C raises (training stops after the update).
 */
export async function runTraining(options: CommonTrainOptions, train: (signal: AbortSignal) => Promise<void>): Promise<void> {
  if (options.checkpoint === undefined) {
    if (options.resume) throw new UsageError("--resume needs --checkpoint FILE (the checkpoint to continue from)");
    if (options.checkpointEvery !== undefined) throw new UsageError("--checkpoint-every needs --checkpoint FILE (where to write them)");
  }
  assertOutputFree(options.out, { force: options.force });
  if (options.warmup !== undefined && options.warmup > options.steps) throw new UsageError(`--warmup ${options.warmup} is more than --steps ${options.steps}`);
  if (options.threads !== undefined) {
    const { setKernelThreads } = await import("../../engine/kernels/index.js");
    setKernelThreads(options.threads);
  }
  const controller = new AbortController();
  const stop = () => {
    note("stopping after this update…");
    controller.abort();
  };
  process.once("SIGINT", stop);
  try {
    await train(controller.signal);
  } finally {
    process.off("SIGINT", stop);
  }
}

export function progress(options: CommonTrainOptions): ((report: StepReport) => void) | undefined {
  if (options.json) return undefined;
  return (r) => {
    if (r.step % options.every !== 0 && r.step !== r.steps) return;
    note(`step ${r.step}/${r.steps}  loss ${r.loss.toFixed(4)}  lr ${r.lr.toExponential(2)}  ${Math.round(r.tokensPerSecond)} tokens/s  ${r.elapsedSeconds.toFixed(0)} s`);
  };
}

/** An option kept only to explain where it went: giving it is a usage error with `why`. */
export function movedOption(flags: string, why: string): Option {
  return new Option(flags).hideHelp().argParser(() => {
    throw new UsageError(why);
  });
}
