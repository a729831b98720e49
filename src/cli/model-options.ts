// Options every command that opens a model shares, and the one way to open it.
import { Command, InvalidArgumentError, Option } from "commander";
import { resolveModel } from "../models/resolve.js";
import type { ChatModel, TokenModel } from "../models/spec.js";
import { isTokenModel } from "../models/spec.js";
import { ModelError } from "../models/errors.js";
import { UsageError } from "./errors.js";

export interface ModelOptions {
  model: string;
  apiKey?: string;
  timeout?: string;
  threads?: string;
}

export function addModelOptions(command: Command, flag = "--model <ref>"): Command {
  return command
    .requiredOption(flag, "model reference: atlas, ./file.gguf, llamacpp:./file.gguf, openai:MODEL or http://HOST:PORT/v1#MODEL")
    .option("--api-key <key>", "API key for http:// references (default: $PEDIGREE_API_KEY)")
    .addOption(new Option("--timeout <ms>", "per-request timeout for API models").default("60000"))
    .addOption(new Option("--threads <n>", "llama.cpp threads").default("1"));
}

export async function openModel(reference: string, options: Omit<ModelOptions, "model">): Promise<ChatModel> {
  return resolveModel(reference, {
    apiKey: options.apiKey,
    timeoutMs: parseNumber("--timeout", options.timeout, 60_000),
    threads: parseNumber("--threads", options.threads, 1),
  });
}

export async function openTokenModel(reference: string, options: Omit<ModelOptions, "model">, purpose: string): Promise<TokenModel> {
  const model = await openModel(reference, options);
  if (!isTokenModel(model)) {
    await model.close?.();
    throw new ModelError("MODEL_UNSUPPORTED", `${purpose} needs a white-box model (built-in, ./file.gguf or llamacpp:./file.gguf); '${reference}' is an API model`);
  }
  return model;
}

export function parseNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new UsageError(`${flag} must be a number, got '${value}'`);
  return number;
}

export function parseInteger(flag: string, value: string | undefined, fallback: number): number {
  const number = parseNumber(flag, value, fallback);
  if (!Number.isInteger(number)) throw new UsageError(`${flag} must be an integer, got '${value}'`);
  return number;
}

/** A commander argParser: an integer of at least `minimum` (commander names the option in its error). */
export function integerArgument(minimum: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === "" || !Number.isInteger(number) || number < minimum) throw new InvalidArgumentError(`Expected an integer of at least ${minimum}.`);
    return number;
  };
}

export interface NumberRange {
  /** Smallest value allowed (inclusive unless `above`). */
  min?: number;
  /** Values must be greater than this. */
  above?: number;
  /** Largest value allowed (inclusive unless `below`). */
  max?: number;
  /** Values must be smaller than this. */
  below?: number;
}

/** A commander argParser: a finite number inside `range`, e.g. { above: 0, below: 1 } for (0, 1). */
export function numberArgument(range: NumberRange = {}): (value: string) => number {
  const low = range.above !== undefined ? `(${range.above}` : range.min !== undefined ? `[${range.min}` : "(-∞";
  const high = range.below !== undefined ? `${range.below})` : range.max !== undefined ? `${range.max}]` : "∞)";
  return (value) => {
    const number = Number(value);
    const inside = Number.isFinite(number) && value.trim() !== ""
      && !(range.min !== undefined && number < range.min) && !(range.above !== undefined && number <= range.above)
      && !(range.max !== undefined && number > range.max) && !(range.below !== undefined && number >= range.below);
    if (!inside) throw new InvalidArgumentError(`Expected a number in ${low}, ${high}.`);
    return number;
  };
}
