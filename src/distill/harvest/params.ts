// Sampling parameters of a harvest, checked once and recorded in every row (each row's seed is the
// base seed plus the prompt's index).
import type { ChatModel } from "../../models/spec.js";
import { isTokenModel } from "../../models/spec.js";
import { DistillError } from "../data/errors.js";
import type { HarvestParams } from "../data/row.js";

/** API teachers return at most this many alternatives per token (OpenAI's limit). */
export const apiTopLogprobsLimit = 20;

export interface ParamOptions {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  /** Prompt i is asked with seed + i. */
  seed?: number;
  topLogprobs?: number;
}

export function harvestParams(options: ParamOptions, model: ChatModel, note: (message: string) => void): HarvestParams {
  let topLogprobs = options.topLogprobs ?? 0;
  if (!Number.isInteger(topLogprobs) || topLogprobs < 0) throw new DistillError("HARVEST_BAD_OPTION", `top-logprobs must be a whole number ≥ 0, got ${topLogprobs}`);
  if (topLogprobs > apiTopLogprobsLimit && !isTokenModel(model)) {
    note(`API teachers give at most ${apiTopLogprobsLimit} top log-probabilities per token; asking for ${apiTopLogprobsLimit}, not ${topLogprobs}`);
    topLogprobs = apiTopLogprobsLimit;
  }
  const params: HarvestParams = {
    temperature: options.temperature ?? 1,
    top_p: options.topP ?? 1,
    max_tokens: options.maxTokens ?? 256,
    seed: options.seed ?? 0,
    top_logprobs: topLogprobs,
  };
  if (!(params.temperature >= 0)) throw new DistillError("HARVEST_BAD_OPTION", `temperature must be ≥ 0, got ${params.temperature}`);
  if (!(params.top_p > 0 && params.top_p <= 1)) throw new DistillError("HARVEST_BAD_OPTION", `top-p must be in (0, 1], got ${params.top_p}`);
  if (!Number.isInteger(params.max_tokens) || params.max_tokens < 1) throw new DistillError("HARVEST_BAD_OPTION", `max-tokens must be a whole number ≥ 1, got ${params.max_tokens}`);
  if (!Number.isInteger(params.seed)) throw new DistillError("HARVEST_BAD_OPTION", `seed must be a whole number, got ${params.seed}`);
  return params;
}

export function sameSettings(a: HarvestParams, b: HarvestParams): boolean {
  return a.temperature === b.temperature && a.top_p === b.top_p && a.max_tokens === b.max_tokens && a.top_logprobs === b.top_logprobs;
}

export function describeParams(p: HarvestParams): string {
  return `temperature ${p.temperature}, top-p ${p.top_p}, max-tokens ${p.max_tokens}, top-logprobs ${p.top_logprobs}`;
}
