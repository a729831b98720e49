// Training a model from scratch on raw text: a byte-level BPE tokenizer trained on the corpus, then
// the model on the packed token stream (each document ends with <|endoftext|>). The caller writes the
// result (config, parameters, tokenizer) where it wants, e.g. as a GGUF file.
import { EngineError } from "../errors.js";
import { modelSize, type LlamaConfig } from "../model/config.js";
import { parameterCount } from "../model/parameters.js";
import { trainBpe, type BpeTokenizer } from "../tokenizer/index.js";
import { trainModel, type StepReport, type TrainOptions, type TrainResult } from "./trainer.js";
import { packExamples, type TrainingExample } from "./training-data.js";

export interface TrainFromCorpusOptions extends Omit<TrainOptions, "config" | "data"> {
  /** Documents of the corpus. */
  texts: string[];
  /** A named size (tiny, small, atlas) or a config without the vocabulary size. */
  size: string | Omit<LlamaConfig, "vocabSize">;
  /** Tokenizer vocabulary (default 4096); ignored when `tokenizer` is given. */
  vocabSize?: number;
  tokenizer?: BpeTokenizer;
  /** Extra examples (e.g. chat transcripts with loss masks) tokenized by the caller's tokenizer. */
  examples?: (tokenizer: BpeTokenizer) => TrainingExample[];
  onStep?: (report: StepReport) => void;
  onStage?: (stage: "tokenizer" | "encode" | "train") => void;
}

export interface TrainFromCorpusResult extends TrainResult {
  tokenizer: BpeTokenizer;
  parameters: number;
  corpusTokens: number;
}

export async function trainFromCorpus(options: TrainFromCorpusOptions): Promise<TrainFromCorpusResult> {
  const { texts, size, vocabSize = 4096, onStage, examples: extra, ...train } = options;
  if (texts.length === 0 || texts.every((t) => t.length === 0)) throw new EngineError("ENGINE_INVALID_ARGUMENT", "the corpus is empty; give at least one non-empty text file");
  onStage?.("tokenizer");
  const tokenizer = options.tokenizer ?? trainBpe(texts, { vocabSize });
  onStage?.("encode");
  const eos = tokenizer.eosId;
  const examples: TrainingExample[] = texts.map((text) => ({ tokens: [...tokenizer.encode(text), eos] }));
  if (extra) examples.push(...extra(tokenizer));
  const corpusTokens = examples.reduce((n, e) => n + e.tokens.length, 0);
  const config: LlamaConfig = { ...(typeof size === "string" ? modelSize(size) : size), vocabSize: tokenizer.vocabSize };
  onStage?.("train");
  // A checkpoint every tenth of the run by default, as student training does: a crash loses little.
  const checkpointEvery = train.checkpointPath ? train.checkpointEvery ?? Math.max(1, Math.floor(train.steps / 10)) : undefined;
  const result = await trainModel({ ...train, checkpointEvery, config, data: packExamples(examples) });
  return { ...result, tokenizer, parameters: parameterCount(config), corpusTokens };
}

