// One ChatResult → one data-set row. Logprobs that JSON cannot hold (−∞ for tokens a white-box
// sampler ruled out) are dropped from the top-k; they carry no probability mass.
import { createHash } from "node:crypto";
import type { ChatResult, TokenLogprob } from "../../models/spec.js";
import type { HarvestParams, HarvestRow, RowTokenLogprob } from "../data/row.js";
import type { Prompt } from "./prompts.js";

export function rowId(teacher: string, promptId: string, seed: number): string {
  return "r-" + createHash("sha256").update(`${teacher}\u0000${promptId}\u0000${seed}`).digest("hex").slice(0, 16);
}

export function rowFromResult(teacher: string, prompt: Prompt, params: HarvestParams, result: ChatResult, created: Date): HarvestRow {
  const row: HarvestRow = {
    id: rowId(teacher, prompt.id, params.seed),
    prompt_id: prompt.id,
    messages: prompt.messages,
    response: result.text,
    teacher,
    params,
    usage: {
      prompt_tokens: result.usage.promptTokens,
      completion_tokens: result.usage.completionTokens,
      total_tokens: result.usage.totalTokens,
    },
    finish_reason: result.finishReason,
    created: created.toISOString(),
  };
  if (result.logprobs?.length) row.logprobs = result.logprobs.map(toRowLogprob);
  if (result.tokenIds?.length) row.token_ids = [...result.tokenIds];
  return row;
}

function toRowLogprob(entry: TokenLogprob): RowTokenLogprob {
  const out: RowTokenLogprob = {
    token: entry.token,
    // A sampled token has non-zero probability; the floor only guards against rounding to −∞.
    logprob: Number.isFinite(entry.logprob) ? entry.logprob : -1e4,
    top: entry.top
      .filter((alt) => Number.isFinite(alt.logprob))
      .map((alt) => (alt.id === undefined ? { token: alt.token, logprob: alt.logprob } : { token: alt.token, logprob: alt.logprob, id: alt.id })),
  };
  if (entry.id !== undefined) out.id = entry.id;
  return out;
}
