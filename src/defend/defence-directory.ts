// A defence directory: defence.json (what it was made for), proxy.gguf (the proxy student θP) and
// gradient.bin (g). Loading checks the three against each other, and `checkDefenceFits` checks them
// against the model they will serve, so a defence is applied whole or refused before serving starts.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { loadGgufModel, parameterCount, type LlamaConfig } from "../engine/index.js";
import type { ModelTensors } from "../engine/model/parameters.js";
import type { Tokenizer } from "../models/index.js";
import { DefendError } from "./errors.js";
import { readGradientFile } from "./gradient-file.js";
import { tokenizerFingerprint } from "./tokenizer-fingerprint.js";

export const MANIFEST_FILE = "defence.json";
export const PROXY_FILE = "proxy.gguf";
export const GRADIENT_FILE = "gradient.bin";
export const DEFAULT_EPSILON = 0.01;

export const manifestSchema = z.strictObject({
  format: z.literal("pedigree-defence"),
  version: z.literal(1),
  kind: z.literal("antidistill"),
  teacher: z.string(),
  /** The teacher's tokenizer fingerprint; the proxy's must be the same. */
  tokenizer: z.string(),
  vocabSize: z.number().int().positive(),
  proxy: z.strictObject({ file: z.string(), source: z.string(), parameters: z.number().int().positive() }),
  gradient: z.strictObject({ file: z.string(), norm: z.number(), examples: z.number().int(), targetTokens: z.number().int(), meanLoss: z.number() }),
  /** Finite-difference step ε and the default penalty weight λ. */
  epsilon: z.number().positive(),
  lambda: z.number().min(0),
  created: z.string(),
});
export type DefenceManifest = z.infer<typeof manifestSchema>;

export interface LoadedDefence {
  directory: string;
  manifest: DefenceManifest;
  config: LlamaConfig;
  params: ModelTensors;
  gradient: Float32Array;
  tokenizer: Tokenizer;
}

function readManifest(directory: string): DefenceManifest {
  const path = join(directory, MANIFEST_FILE);
  if (!existsSync(path)) throw new DefendError("DEFENCE_NOT_FOUND", `${path} does not exist; create the directory with 'pedigree defend prepare'`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DefendError("DEFENCE_INVALID", `${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DefendError("DEFENCE_INVALID", `${path}: field '${issue.path.join(".")}': ${issue.message}`);
  }
  return parsed.data;
}

export async function loadDefence(directory: string): Promise<LoadedDefence> {
  const manifest = readManifest(directory);
  const proxyPath = join(directory, manifest.proxy.file);
  if (!existsSync(proxyPath)) throw new DefendError("DEFENCE_NOT_FOUND", `the defence's proxy ${proxyPath} is missing; run 'pedigree defend prepare' again`);
  const { config, params, tokenizer } = await loadGgufModel(proxyPath);
  const { header, gradient } = readGradientFile(join(directory, manifest.gradient.file));
  const fingerprint = tokenizerFingerprint(tokenizer);
  const problems: string[] = [];
  if (gradient.length !== parameterCount(config)) problems.push(`the gradient has ${gradient.length} values but the proxy has ${parameterCount(config)} parameters`);
  if (JSON.stringify(header.config) !== JSON.stringify(config)) problems.push("the gradient was computed for a proxy of another shape");
  if (header.tokenizer !== fingerprint || manifest.tokenizer !== fingerprint) problems.push("the proxy's tokenizer is not the one the defence was prepared with");
  if (problems.length > 0) throw new DefendError("DEFENCE_INVALID", `defence ${directory} is inconsistent: ${problems.join("; ")}; run 'pedigree defend prepare' again`);
  return { directory, manifest, config, params, gradient, tokenizer };
}

/** Refuses a defence whose proxy cannot score the served model's tokens (another tokenizer or vocabulary). */
export function checkDefenceFits(defence: LoadedDefence, served: { id: string; tokenizer: Tokenizer }): void {
  const problems: string[] = [];
  if (served.tokenizer.vocabSize !== defence.config.vocabSize) {
    problems.push(`the model has a vocabulary of ${served.tokenizer.vocabSize} tokens, the defence's proxy ${defence.config.vocabSize}`);
  } else if (tokenizerFingerprint(served.tokenizer) !== defence.manifest.tokenizer) {
    problems.push("the model's tokenizer differs from the one the defence was prepared for");
  }
  if (problems.length > 0) {
    throw new DefendError("DEFENCE_MISMATCH", `defence ${defence.directory} (prepared for ${defence.manifest.teacher}) does not fit model '${served.id}': ${problems.join("; ")}; prepare a defence for this model with 'pedigree defend prepare --teacher ${served.id}'`);
  }
}
