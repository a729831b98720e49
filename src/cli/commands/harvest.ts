// pedigree harvest: collect a teacher's answers (and top-k log-probabilities) into a resumable JSONL
// data set. Built-in prompt sets come from the corpus room's training mixes, never its eval sets.
import type { Command } from "commander";
import { resolveModel } from "../../models/resolve.js";
import { addModelOptions, parseInteger, parseNumber, type ModelOptions } from "../model-options.js";
import { emit, note } from "../output.js";
import { UsageError } from "../errors.js";
import { DistillError } from "../../distill/data/errors.js";
import { harvest, type HarvestSummary } from "../../distill/harvest/harvest.js";
import { parsePriceTable } from "../../distill/harvest/price.js";
import { createProgressReporter, type HarvestProgress } from "../../distill/harvest/progress.js";
import { loadPromptFile, withUniqueIds, type Prompt } from "../../distill/harvest/prompts.js";

interface HarvestCommandOptions extends Omit<ModelOptions, "model"> {
  teacher: string;
  prompts: string;
  out: string;
  concurrency?: string;
  topLogprobs?: string;
  temperature?: string;
  topP?: string;
  maxTokens?: string;
  seed?: string;
  price?: string;
  limit?: string;
  retries?: string;
  maxWait?: string;
  batch?: boolean;
  poll?: string;
  json?: boolean;
}

export function configure(command: Command): void {
  addModelOptions(command, "--teacher <ref>")
    .requiredOption("--prompts <file|builtin:NAME>", "prompts: a .jsonl file ({messages} or {prompt}), a text file (one per line), or builtin:capitals|definitions|identity|mixed")
    .requiredOption("--out <file>", "the data set to write (JSONL; an existing file is resumed)")
    .option("--concurrency <n>", "requests in flight", "4")
    .option("--top-logprobs <k>", "alternatives to record per token (APIs: at most 20)", "0")
    .option("--temperature <t>", "sampling temperature (0 = greedy)", "1")
    .option("--top-p <p>", "nucleus sampling mass", "1")
    .option("--max-tokens <n>", "most tokens per answer", "256")
    .option("--seed <n>", "prompt i is asked with seed + i", "0")
    .option("--price <table>", "cost estimate, dollars per million tokens: in=0.15,out=0.6")
    .option("--limit <n>", "ask only the first N prompts")
    .option("--retries <n>", "retries of a failed request (429, 5xx, timeouts); the only layer that retries", "4")
    .option("--max-wait <duration>", "longest Retry-After to wait for (90s, 5m, 1h); a longer one stops with the quota and its reset time", "5m")
    .option("--batch", "submit the harvest as one batch to the teacher's Batch API (OpenAI, or a Pedigree gateway); a rerun resumes by the batch id saved in OUT.batch.json")
    .option("--poll <duration>", "with --batch: time between status polls", "5s")
    .option("--json", "print one JSON summary document")
    .action(async (options: HarvestCommandOptions) => (options.batch ? runBatch(options) : run(options)));
}

async function run(options: HarvestCommandOptions): Promise<void> {
  const limit = options.limit === undefined ? undefined : parseInteger("--limit", options.limit, 0);
  if (limit !== undefined && limit < 1) throw new UsageError("--limit must be at least 1");
  const concurrency = parseInteger("--concurrency", options.concurrency, 4);
  if (concurrency < 1) throw new UsageError("--concurrency must be at least 1");
  const price = options.price === undefined ? undefined : parsePriceTable(options.price);
  let prompts = await loadPrompts(options.prompts);
  if (limit !== undefined) prompts = prompts.slice(0, limit);

  const maxWaitMs = parseDuration("--max-wait", options.maxWait ?? "5m");
  // Harvest's own loop is the only one that retries (and honours Retry-After and --max-wait): the
  // client's retries under it would multiply the requests a prompt can cost.
  const model = await resolveModel(options.teacher, {
    apiKey: options.apiKey,
    timeoutMs: parseNumber("--timeout", options.timeout, 60_000),
    threads: parseNumber("--threads", options.threads, 1),
    maxRetries: 0,
  });
  const reporter = createProgressReporter({
    mode: options.json ? "none" : process.stderr.isTTY ? "bar" : "lines",
    write: (text) => process.stderr.write(text),
  });
  let last: HarvestProgress | undefined;
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", interrupt);
  let summary: HarvestSummary;
  try {
    summary = await harvest({
      model,
      teacher: options.teacher,
      prompts,
      out: options.out,
      concurrency,
      temperature: parseNumber("--temperature", options.temperature, 1),
      topP: parseNumber("--top-p", options.topP, 1),
      maxTokens: parseInteger("--max-tokens", options.maxTokens, 256),
      seed: parseInteger("--seed", options.seed, 0),
      topLogprobs: parseInteger("--top-logprobs", options.topLogprobs, 0),
      retry: { maxAttempts: parseInteger("--retries", options.retries, 4) + 1, maxWaitMs },
      price,
      onProgress: (progress) => {
        last = progress;
        reporter.update(progress);
      },
      onNote: options.json ? undefined : note,
      signal: controller.signal,
    });
  } finally {
    // Also on failure, so the bar's line is finished before the error is printed.
    if (last) reporter.finish(last);
    process.removeListener("SIGINT", interrupt);
    await model.close?.();
  }
  emit(options, summary, () => describe(summary));
}

/** --batch: the teacher must be an API model; its server's Batch API runs the harvest. */
async function runBatch(options: HarvestCommandOptions): Promise<void> {
  const { batchServer } = await import("./harvest-batch.js");
  const { harvestBatch } = await import("../../distill/harvest/batch-harvest.js");
  const server = batchServer(options.teacher, options.apiKey);
  const limit = options.limit === undefined ? undefined : parseInteger("--limit", options.limit, 0);
  let prompts = await loadPrompts(options.prompts);
  if (limit !== undefined) prompts = prompts.slice(0, limit);
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", interrupt);
  try {
    const summary = await harvestBatch({
      teacher: options.teacher, ...server, prompts, out: options.out,
      temperature: parseNumber("--temperature", options.temperature, 1),
      topP: parseNumber("--top-p", options.topP, 1),
      maxTokens: parseInteger("--max-tokens", options.maxTokens, 256),
      seed: parseInteger("--seed", options.seed, 0),
      topLogprobs: parseInteger("--top-logprobs", options.topLogprobs, 0),
      pollMs: parseDuration("--poll", options.poll ?? "5s"),
      onNote: options.json ? undefined : note,
      onStatus: options.json ? undefined : (status) => note(`batch ${status.batch_id}: ${status.status}, ${status.completed}/${status.total} answered, ${status.failed} failed`),
      signal: controller.signal,
    });
    emit(options, summary, () => `harvested ${summary.rows} rows into ${summary.out} with batch ${summary.batch_id ?? "(none needed)"} (${summary.status})` + (summary.resumed ? `; ${summary.resumed} were already there` : "") + (summary.failures ? `; ${summary.failures} failed` : ""));
  } finally {
    process.removeListener("SIGINT", interrupt);
  }
}

const durationUnits: Record<string, number> = { "": 1000, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "300" (seconds), "90s", "5m", "1h", "500ms" → milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!match) throw new UsageError(`${flag} must be a duration such as 300 (seconds), 90s, 5m or 1h, got '${value}'`);
  return Number(match[1]) * durationUnits[match[2] ?? ""]!;
}

function describe(s: HarvestSummary): string {
  const lines = [
    `harvested ${s.rows} rows into ${s.out}` + (s.resumed ? ` (${s.resumed} already there)` : ""),
    `tokens: ${s.usage.prompt_tokens} prompt, ${s.usage.completion_tokens} completion; ${s.tokens_per_second.toFixed(1)} tok/s, ${s.rows_per_second.toFixed(2)} rows/s`,
    `wall time: ${s.wall_seconds.toFixed(1)} s` + (s.retries ? `, ${s.retries} retries` : ""),
  ];
  if (s.cost_usd !== null) lines.push(`estimated cost: $${s.cost_usd.toFixed(4)}`);
  if (s.failures) {
    const named = s.failed.slice(0, 5).map((f) => `${f.prompt_id} (${f.code})`).join(", ") + (s.failures > 5 ? ", …" : "");
    const recorded = s.failed.filter((f) => f.recorded).length;
    lines.push(`${s.failures} ${s.failures === 1 ? "prompt" : "prompts"} failed: ${named}; ${recorded} recorded with finish_reason "error", ${s.failures - recorded} to ask again on a rerun`);
  }
  if (s.failed_earlier) lines.push(`${s.failed_earlier} prompts failed in an earlier run and were not asked again`);
  return lines.join("\n");
}

let atlasMixLoad: Promise<import("../../corpus/index.js").Mix> | undefined;

/** Building the mix reads several packaged corpora; do it once per process. */
function atlasMix(): Promise<import("../../corpus/index.js").Mix> {
  atlasMixLoad ??= import("../../corpus/index.js").then(({ buildMix, builtinRecipes }) => buildMix(builtinRecipes.atlas));
  return atlasMixLoad;
}

export const builtinPromptSetNames = ["capitals", "definitions", "identity", "mixed"] as const;

async function loadPrompts(spec: string): Promise<Prompt[]> {
  if (!spec.startsWith("builtin:")) return loadPromptFile(spec);
  return builtinPromptSet(spec.slice("builtin:".length));
}

/**
 * A built-in prompt set: the questions of the teacher's (atlas's) training mix, without answers and
 * without repeats. The mix uses only training wordings and training entries, so no held-out
 * evaluation item is ever harvested. `mixed` is every source of the mix in its shuffled order.
 */
export async function builtinPromptSet(name: string): Promise<Prompt[]> {
  if (!(builtinPromptSetNames as readonly string[]).includes(name)) {
    throw new DistillError("HARVEST_UNKNOWN_PROMPT_SET", `unknown prompt set 'builtin:${name}'; the built-in sets are ${builtinPromptSetNames.map((n) => `builtin:${n}`).join(", ")}`);
  }
  const mix = await atlasMix();
  const sources = name === "mixed" ? null : [name];
  const seen = new Set<string>();
  const prompts: Array<{ messages: Prompt["messages"] }> = [];
  for (const example of mix.train) {
    if (sources && !sources.includes(example.source ?? "")) continue;
    let messages = example.messages;
    while (messages.at(-1)?.role === "assistant") messages = messages.slice(0, -1);
    const key = JSON.stringify(messages);
    if (messages.length === 0 || seen.has(key)) continue;
    seen.add(key);
    prompts.push({ messages });
  }
  return withUniqueIds(prompts);
}
