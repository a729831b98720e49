// `defend prepare`: given a proxy student (a GGUF file) and held-out teacher answers, compute g and
// write the defence directory. The proxy must share the teacher's tokenizer: b is added to the
// teacher's logits token id by token id. Files are written atomically; defence.json goes last, so a
// directory without it is never loaded.
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadGgufModel, parameterCount } from "../engine/index.js";
import { assertOutputFree, writeOutputFile } from "../files/index.js";
import type { Tokenizer } from "../models/index.js";
import { DEFAULT_EPSILON, GRADIENT_FILE, MANIFEST_FILE, PROXY_FILE, type DefenceManifest } from "./defence-directory.js";
import { DefendError } from "./errors.js";
import { writeGradientFile } from "./gradient-file.js";
import { answerTokens, euclideanNorm, proxyGradient, type HeldOutAnswer } from "./proxy-gradient.js";
import { tokenizerFingerprint } from "./tokenizer-fingerprint.js";

/** λ's scale depends on |g| (the paper's grid, up to 0.15, is for its models); 0.007 is where atlas with
 *  a `mini` proxy loses about 1 point of capitals accuracy (BENCHMARKS.md). */
export const DEFAULT_LAMBDA = 0.007;

export interface PrepareOptions {
  teacher: { id: string; tokenizer: Tokenizer };
  /** A GGUF file holding the proxy student θP; copied into the directory. */
  proxyFile: string;
  /** How the proxy was obtained (its reference or "trained:SIZE"), recorded in defence.json. */
  proxySource: string;
  answers: HeldOutAnswer[];
  out: string;
  force?: boolean;
  epsilon?: number;
  lambda?: number;
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
}

export async function prepareDefence(options: PrepareOptions): Promise<DefenceManifest> {
  const epsilon = options.epsilon ?? DEFAULT_EPSILON, lambda = options.lambda ?? DEFAULT_LAMBDA;
  if (!(epsilon > 0)) throw new DefendError("DEFENCE_BAD_PARAMS", `--epsilon must be > 0, got ${epsilon}`);
  if (!(lambda >= 0)) throw new DefendError("DEFENCE_BAD_PARAMS", `--lambda must be ≥ 0, got ${lambda}`);
  if (options.answers.length === 0) throw new DefendError("DEFENCE_BAD_DATA", "the held-out data has no answers; pass a JSONL file of {messages, response} rows (a harvest)");
  const out = resolve(options.out);
  assertOutputFree(join(out, MANIFEST_FILE), options);
  const { config, params, tokenizer } = await loadGgufModel(options.proxyFile);
  const fingerprint = tokenizerFingerprint(options.teacher.tokenizer);
  if (tokenizerFingerprint(tokenizer) !== fingerprint) {
    const sizes = config.vocabSize === options.teacher.tokenizer.vocabSize ? "same vocabulary size, other tokens" : `vocabulary ${config.vocabSize} vs ${options.teacher.tokenizer.vocabSize}`;
    throw new DefendError("DEFENCE_MISMATCH", `the proxy ${options.proxySource} does not use the tokenizer of ${options.teacher.id} (${sizes}); train the proxy with the teacher's tokenizer (--proxy SIZE does)`);
  }
  const answers = options.answers.map((answer) => answerTokens(answer, tokenizer, config.contextLength));
  const result = proxyGradient(config, params, answers, options.onProgress);
  const norm = euclideanNorm(result.gradient);
  mkdirSync(out, { recursive: true });
  writeOutputFile(join(out, PROXY_FILE), readFileSync(options.proxyFile), { force: true });
  const summary = { examples: result.examples, targetTokens: result.targetTokens, meanLoss: result.meanLoss };
  writeGradientFile(join(out, GRADIENT_FILE), { count: result.gradient.length, config, tokenizer: fingerprint, norm, ...summary }, result.gradient, { force: true });
  const manifest: DefenceManifest = {
    format: "pedigree-defence", version: 1, kind: "antidistill", teacher: options.teacher.id, tokenizer: fingerprint, vocabSize: config.vocabSize,
    proxy: { file: PROXY_FILE, source: options.proxySource, parameters: parameterCount(config) },
    gradient: { file: GRADIENT_FILE, norm, ...summary },
    epsilon, lambda, created: (options.now?.() ?? new Date()).toISOString(),
  };
  writeOutputFile(join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { force: true });
  return manifest;
}
