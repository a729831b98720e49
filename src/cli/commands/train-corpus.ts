// pedigree train corpus FILES…: a model from scratch on text files (a tokenizer trained on them, then
// the model), written as GGUF, with its training-order manifest beside it (<out>.order.json: what
// regenerates the order in which the model saw its data, for the audit's training-order test).
// Progress goes to stderr; --json prints one summary on stdout.
import { readFile } from "node:fs/promises";
import { Option, type Command } from "commander";
import { modelSizes } from "../../engine/model/config.js";
import { assertOutputFree } from "../../files/index.js";
import { emit, note } from "../output.js";
import { UsageError } from "../errors.js";
import { integerArgument } from "../model-options.js";
import { addCommonTrainOptions, movedOption, smallestVocabulary, progress, runTraining, scheduleOptions, type CommonTrainOptions } from "./train-common.js";

interface CorpusOptions extends CommonTrainOptions {
  config: string;
  vocab: number;
}

export function configureCorpus(command: Command): void {
  command
    .description("train a model from scratch on text files (one document per file)")
    .argument("<files...>", "text files to train on")
    .addOption(new Option("--config <size>", "model size").choices(Object.keys(modelSizes)).default("small"))
    .addOption(new Option("--vocab <n>", "tokenizer vocabulary trained on the files").argParser(integerArgument(smallestVocabulary)).default(4096))
    .addOption(movedOption("--data <file>", "--data trains a student on harvested data: use `pedigree train student --data FILE`"));
  addCommonTrainOptions(command, { name: "pedigree" }).action(async (files: string[], options: CorpusOptions) => runCorpus(files, options));
}

async function readCorpus(files: string[]): Promise<string[]> {
  return Promise.all(files.map(async (file) => {
    try {
      return await readFile(file, "utf8");
    } catch (error) {
      throw new UsageError(`cannot read corpus file ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
    }
  }));
}

async function runCorpus(files: string[], options: CorpusOptions): Promise<void> {
  await runTraining(options, async (signal) => {
    const [{ trainFromCorpus }, { writeModelFile }, { orderManifestPath, writeCorpusOrder }] = await Promise.all([
      import("../../engine/train/train-from-corpus.js"), import("../../distill/train/model-file.js"), import("../audit/corpus-order.js"),
    ]);
    assertOutputFree(orderManifestPath(options.out), { force: options.force });
    const texts = await readCorpus(files);
    const result = await trainFromCorpus({
      ...scheduleOptions(options),
      texts,
      size: options.config,
      vocabSize: options.vocab,
      signal,
      onStage: (stage) => note(stage === "tokenizer" ? "training the tokenizer…" : stage === "encode" ? "tokenizing the corpus…" : "training…"),
      onStep: progress(options),
    });
    note(`writing ${options.out}`);
    writeModelFile(options.out, result.config, result.params, { name: options.name, type: options.type === "f16" ? "F16" : "F32", tokenizer: result.tokenizer, force: options.force });
    const order = writeCorpusOrder({
      modelPath: options.out, files, texts, tokenizer: result.tokenizer, force: options.force,
      plan: { steps: result.steps, batch_size: options.batch, grad_accumulation: options.accum, sequence_length: options.seq ?? result.config.contextLength, seed: options.seed },
    });
    const summary = {
      out: options.out, config: result.config, type: options.type, parameters: result.parameters, corpus_tokens: result.corpusTokens,
      steps: result.steps, tokens_seen: result.tokensSeen, first_loss: result.losses[0] ?? null, final_loss: result.losses.at(-1) ?? null,
      seconds: result.seconds, tokens_per_s: result.tokensPerSecond, order: order.path,
    };
    emit(options, summary, () => `wrote ${options.out}: ${result.parameters} parameters, ${result.steps} updates, loss ${summary.first_loss?.toFixed(3)} → ${summary.final_loss?.toFixed(3)}, ${Math.round(result.tokensPerSecond)} tokens/s`);
  });
}
