// Prompt pools for the traffic simulator and the default benign reference: the questions of the
// built-in teacher's training mix (capitals, facts, definitions from WordNet, Brown Corpus prose,
// identity questions), by source. Each prompt falls by a hash of its text into one of two halves:
// `reference` (the benign reference and any threshold tuning) or `evaluation` (benchmarks), so the
// two never share a prompt.
import type { PromptPools } from "../../monitor/index.js";

export type PoolHalf = "reference" | "evaluation" | "all";

let mixLoad: Promise<Record<string, string[]>> | undefined;

function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

async function loadBySource(): Promise<Record<string, string[]>> {
  const { buildMix, builtinRecipes } = await import("../../corpus/index.js");
  const mix = await buildMix(builtinRecipes.atlas);
  const bySource: Record<string, Set<string>> = {};
  for (const example of mix.train) {
    const first = example.messages.find((message) => message.role === "user")?.content;
    if (!first) continue;
    (bySource[example.source ?? "other"] ??= new Set()).add(first);
  }
  return Object.fromEntries(Object.entries(bySource).map(([source, prompts]) => [source, [...prompts].sort()]));
}

export async function promptPools(half: PoolHalf): Promise<PromptPools> {
  mixLoad ??= loadBySource();
  const all = await mixLoad;
  if (half === "all") return all;
  const wanted = half === "reference" ? 0 : 1;
  return Object.fromEntries(Object.entries(all).map(([source, prompts]) => [source, prompts.filter((prompt) => (fnv(prompt) & 1) === wanted)]));
}
