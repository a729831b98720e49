// Data-set rows for tests: a valid row with any field overridden.
import type { HarvestRow } from "../row.js";

let counter = 0;

export function makeRow(question: string, response: string, overrides: Partial<HarvestRow> = {}): HarvestRow {
  counter++;
  return {
    id: `r-${counter}`,
    prompt_id: `p-${counter}`,
    messages: [{ role: "user", content: question }],
    response,
    teacher: "atlas",
    params: { temperature: 0, top_p: 1, max_tokens: 64, seed: counter, top_logprobs: 0 },
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
    finish_reason: "stop",
    created: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}
