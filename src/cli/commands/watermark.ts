// pedigree watermark keygen | detect: make a secret key file (mode 0600), and test a text for the
// key's watermark with an exact p-value. The secret is never printed; keys are named by key_id.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { emit, note } from "../output.js";
import { UsageError } from "../errors.js";
import { openModel, parseInteger, parseNumber } from "../model-options.js";
import { readWatermarkKey } from "../watermark-option.js";
import { readInputText } from "../../files/index.js";
import { isTokenModel } from "../../models/spec.js";
import { ModelError } from "../../models/errors.js";
import {
  createWatermark,
  generateKey,
  isScheme,
  SCHEMES,
  writeKeyFile,
  type DetectionResult,
  type ParamsByScheme,
  type SchemeName,
  type TextEncoder,
} from "../../watermark/index.js";

interface KeygenOptions {
  scheme: string;
  out: string;
  gamma?: string;
  delta?: string;
  context?: string;
  hashing?: string;
  layers?: string;
  tokenizer?: string;
  force?: boolean;
  json?: boolean;
}

interface DetectOptions {
  key: string;
  text?: string;
  file?: string;
  prompt?: string;
  model?: string;
  threads?: string;
  json?: boolean;
}

export function configure(command: Command): void {
  command
    .command("keygen")
    .description("write a new secret watermark key file (mode 0600)")
    .requiredOption("--scheme <scheme>", `watermark scheme: ${SCHEMES.join(", ")}`)
    .requiredOption("--out <keyfile>", "where to write the key (an existing file is kept unless --force)")
    .option("--gamma <g>", "KGW green-list fraction (default 0.25)")
    .option("--delta <d>", "KGW logit bias (default 2)")
    .option("--context <h>", "context width h, 1–8 (default 1 for kgw, 4 otherwise)")
    .option("--hashing <variant>", "KGW context hashing: lefthash, minhash or selfhash (default lefthash)")
    .option("--layers <m>", "SynthID tournament layers, 1–32 (default 30)")
    .option("--tokenizer <ref>", "record the model whose tokenizer detection should use")
    .option("--force", "replace an existing key file")
    .option("--json", "print one JSON document")
    .action(async (options: KeygenOptions) => keygen(options));
  command
    .command("detect")
    .description("test a text for the key's watermark: tokens scored, statistic, exact p-value")
    .requiredOption("--key <keyfile>", "the watermark key file")
    .option("--text <text>", "the text to test")
    .option("--file <path>", "read the text from a file, - for stdin (default: stdin)")
    .option("--prompt <text>", "a prompt the text answers or quotes; its windows are not scored")
    .option("--model <ref>", "tokenizer source (default: the model recorded in the key file)")
    .option("--threads <n>", "llama.cpp threads", "1")
    .option("--json", "print one JSON document")
    .action(async (options: DetectOptions) => detect(options));
}

function keygenParams(scheme: SchemeName, options: KeygenOptions): Partial<ParamsByScheme[SchemeName]> {
  const number = (flag: string, value: string | undefined) => (value === undefined ? undefined : parseNumber(flag, value, 0));
  const integer = (flag: string, value: string | undefined) => (value === undefined ? undefined : parseInteger(flag, value, 0));
  const context = integer("--context", options.context);
  if (scheme === "kgw") {
    return { gamma: number("--gamma", options.gamma), delta: number("--delta", options.delta), context, hashing: options.hashing as never };
  }
  const stray = [["--gamma", options.gamma], ["--delta", options.delta], ["--hashing", options.hashing]].find(([, v]) => v !== undefined);
  if (stray) throw new UsageError(`${stray[0]} applies to the kgw scheme only`);
  if (scheme === "synthid") return { context, layers: integer("--layers", options.layers) };
  if (options.layers !== undefined) throw new UsageError("--layers applies to the synthid scheme only");
  return { context };
}

async function keygen(options: KeygenOptions): Promise<void> {
  if (!isScheme(options.scheme)) throw new UsageError(`--scheme must be one of ${SCHEMES.join(", ")}, got '${options.scheme}'`);
  const key = generateKey(options.scheme, keygenParams(options.scheme, options), undefined, options.tokenizer ?? null);
  await writeKeyFile(options.out, key, { overwrite: options.force });
  const summary = { scheme: key.scheme, key_id: key.keyId, params: key.params, tokenizer: key.tokenizer, out: options.out };
  emit(options, summary, () => `wrote ${key.scheme} key ${key.keyId} to ${options.out} (mode 0600); keep it secret`);
}

function readInput(options: DetectOptions): string {
  if (options.text !== undefined && options.file !== undefined) throw new UsageError("give at most one of --text or --file");
  if (options.text !== undefined) return options.text;
  if (options.file !== undefined && options.file !== "-") return readInputText(options.file, "--file");
  if (options.file === undefined && process.stdin.isTTY) throw new UsageError("give --text, --file or pipe the text on stdin");
  try {
    return readFileSync(0, "utf8");
  } catch (error) {
    throw new UsageError(`could not read the text from stdin (${(error as Error).message}); give --text or --file`);
  }
}

async function detect(options: DetectOptions): Promise<void> {
  const key = await readWatermarkKey(options.key);
  const text = readInput(options);
  const reference = options.model ?? key.tokenizer;
  if (!reference) {
    throw new UsageError(`key ${key.keyId} records no tokenizer; pass --model REF (the model that generated the text)`);
  }
  const model = await openModel(reference, { threads: options.threads });
  try {
    if (!isTokenModel(model)) {
      throw new ModelError("MODEL_UNSUPPORTED", `detection re-tokenises text and needs a white-box model's tokenizer; '${reference}' is an API model`);
    }
    const tokenizer: TextEncoder = { encode: (value) => model.tokenizer.encode(value) };
    const watermark = createWatermark(key);
    note(`scoring with ${key.scheme} key ${key.keyId}, tokenizer of ${reference}`);
    const result = watermark.detectText(text, tokenizer, { prompts: options.prompt === undefined ? undefined : [options.prompt] });
    if (result.scored === 0) note("warning: no token was scored (the text is empty or too short, or every window repeats or lies in --prompt); the p-value of 1 says nothing either way");
    emit(options, { ...result, key_id: key.keyId }, () => describe(result));
  } finally {
    await model.close?.();
  }
}

function describe(result: DetectionResult): string {
  const p = result.p_value > 0 ? result.p_value.toPrecision(3) : `10^${result.log10_p.toFixed(1)}`;
  return [
    `scheme ${result.scheme}: ${result.scored} of ${result.tokens} tokens scored, statistic ${result.statistic}`,
    `p-value ${p} (log10 p = ${result.log10_p.toFixed(2)})`,
  ].join("\n");
}
