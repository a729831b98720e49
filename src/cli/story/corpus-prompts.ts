// The story's prompts and its raw-corpus data, both from the teacher's own training mix (never the
// held-out evaluation items): prompts are the user turns, raw rows pair them with the corpus answer.
import { buildMix, builtinRecipes, type ChatExample } from "../../corpus/index.js";
import { createRandom } from "../../random/index.js";
import type { HarvestRow } from "../../distill/data/row.js";
import type { Prompt } from "../../distill/harvest/index.js";

/** Prompts longer than this are left out so that every prompt fits the smallest student's context. */
const maxPromptCharacters = 160;

let cachedPool: ChatExample[] | undefined;

/** Atlas's training examples whose prompt is short; built once per process (the mix takes seconds). */
function examplePool(): ChatExample[] {
  cachedPool ??= buildMix(builtinRecipes.atlas).train.filter(
    (example) => example.messages.at(-1)?.role === "assistant" && example.messages.slice(0, -1).reduce((n, m) => n + m.content.length, 0) <= maxPromptCharacters,
  );
  return cachedPool;
}

export function storyExamples(count: number, seed: number): ChatExample[] {
  const pool = examplePool();
  const random = createRandom(seed);
  const picked = new Set<number>();
  while (picked.size < Math.min(count, pool.length)) picked.add(random.int(pool.length));
  return [...picked].sort((a, b) => a - b).map((index) => pool[index]!);
}

export function promptsOf(examples: ChatExample[], prefix: string): Prompt[] {
  return examples.map((example, index) => ({ id: `${prefix}-${index}`, messages: example.messages.slice(0, -1) }));
}

/** Corpus examples in the harvested-row shape, so the raw-corpus model trains through the same path. */
export function rawRows(examples: ChatExample[]): HarvestRow[] {
  return examples.map((example, index) => ({
    id: `raw-${index}`,
    prompt_id: `raw-${index}`,
    messages: example.messages.slice(0, -1),
    response: example.messages.at(-1)!.content,
    teacher: "corpus",
    params: { temperature: 0, top_p: 1, max_tokens: 1, seed: 0, top_logprobs: 0 },
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    finish_reason: "stop",
    created: new Date(0).toISOString(),
  }));
}
