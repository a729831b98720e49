// harvest --batch: the same harvest submitted as one batch to any server with OpenAI's Batch API
// (OpenAI itself at half the price, or the Pedigree gateway, which answers and logs each request like
// live traffic). The batch id is saved beside the data set (`OUT.batch.json`) before any waiting, so
// a crashed or interrupted run resumes by polling that batch instead of paying for a second one.
// Answers are ingested as the usual rows, in prompt order; a prompt too long for the teacher becomes
// a failed row as in a live harvest, and other failures are left for a rerun to ask again.
import { existsSync, readFileSync, rmSync } from "node:fs";
import OpenAI, { toFile } from "openai";
import { JsonlAppender } from "../../files/jsonl-append.js";
import { writeOutputFile } from "../../files/index.js";
import { toFinishReason, toLogprobs, toUsage, type WireBody } from "../../models/index.js";
import type { ChatModel, ChatResult } from "../../models/spec.js";
import { DistillError } from "../data/errors.js";
import type { HarvestParams } from "../data/row.js";
import { harvestParams, type ParamOptions } from "./params.js";
import { failedRow } from "./prompt-failure.js";
import type { Prompt } from "./prompts.js";
import { readResumeState } from "./resume.js";
import { rowFromResult } from "./row-from-result.js";
import { sleep } from "./retry.js";

export interface BatchHarvestOptions extends ParamOptions {
  /** The teacher's reference as the user gave it (recorded in every row). */
  teacher: string;
  /** The Batch API's server and the model name it knows the teacher by. */
  baseURL: string;
  model: string;
  apiKey: string;
  prompts: Prompt[];
  out: string;
  /** Between status polls (default 5 s). */
  pollMs?: number;
  onNote?: (message: string) => void;
  onStatus?: (status: { batch_id: string; status: string; completed: number; failed: number; total: number }) => void;
  signal?: AbortSignal;
  now?: () => number;
  fetch?: typeof fetch;
}

export interface BatchHarvestSummary {
  teacher: string;
  out: string;
  batch_id: string | null;
  status: string;
  prompts: number;
  resumed: number;
  rows: number;
  failures: number;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  wall_seconds: number;
}

interface BatchState {
  batch_id: string;
  base_url: string;
  /** The prompts submitted, in order, and the seed of each (base seed + the prompt's index). */
  prompts: { id: string; seed: number }[];
}

const finished = new Set(["completed", "failed", "expired", "cancelled"]);

export function batchStatePath(out: string): string {
  return `${out}.batch.json`;
}

export async function harvestBatch(options: BatchHarvestOptions): Promise<BatchHarvestSummary> {
  const now = options.now ?? Date.now;
  const started = now();
  const note = options.onNote ?? (() => undefined);
  // A batch server is an API teacher (not white-box): at most 20 top log-probabilities.
  const apiTeacher = { id: options.model } as unknown as ChatModel;
  const params = harvestParams(options, apiTeacher, note);
  const { existing, done, resumed } = await readResumeState(options.out, options.teacher, options.prompts, params, note);
  const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 4, fetch: options.fetch });
  const statePath = batchStatePath(options.out);
  let state: BatchState | null = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, "utf8")) as BatchState) : null;
  if (state) note(`resuming batch ${state.batch_id} (from ${statePath})`);
  const todo = options.prompts.map((prompt, index) => ({ prompt, seed: params.seed + index })).filter(({ prompt }) => !done.has(prompt.id));
  const summary = (batchId: string | null, status: string, rows = 0, failures = 0, usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }): BatchHarvestSummary => ({
    teacher: options.teacher, out: options.out, batch_id: batchId, status, prompts: options.prompts.length, resumed, rows, failures, usage, wall_seconds: (now() - started) / 1000,
  });
  if (!state && todo.length === 0) return summary(null, "nothing_to_do");
  if (!state) {
    const lines = todo.map(({ prompt, seed }) => JSON.stringify({ custom_id: prompt.id, method: "POST", url: "/v1/chat/completions", body: requestBody(options.model, prompt, params, seed) }));
    const file = await client.files.create({ file: await toFile(Buffer.from(lines.join("\n") + "\n"), "harvest.jsonl"), purpose: "batch" });
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { pedigree: "harvest" } });
    state = { batch_id: batch.id, base_url: options.baseURL, prompts: todo.map(({ prompt, seed }) => ({ id: prompt.id, seed })) };
    writeOutputFile(statePath, JSON.stringify(state) + "\n", { force: true });
    note(`submitted batch ${batch.id} with ${todo.length} requests; if this run stops, the same command resumes it`);
  }
  let batch = await client.batches.retrieve(state.batch_id);
  for (;;) {
    const counts = batch.request_counts ?? { completed: 0, failed: 0, total: 0 };
    options.onStatus?.({ batch_id: batch.id, status: batch.status, ...counts });
    if (finished.has(batch.status)) break;
    if (options.signal?.aborted) throw new DistillError("HARVEST_INTERRUPTED", `stopped waiting for batch ${batch.id} (${batch.status}); it keeps running on the server, and the same command resumes it`);
    await sleep(options.pollMs ?? 5000, options.signal).catch(() => undefined);
    if (options.signal?.aborted) continue;
    batch = await client.batches.retrieve(state.batch_id);
  }
  if (batch.status === "failed" && !batch.output_file_id) {
    rmSync(statePath, { force: true });
    const why = batch.errors?.data?.map((error) => error.message).join("; ") || "no reason given";
    throw new DistillError("HARVEST_BATCH_FAILED", `batch ${batch.id} failed on the server (${why}); nothing was answered, so fix that and run the command again to submit a new batch`);
  }
  const results = new Map<string, { status_code: number; body: WireBody & { error?: { code?: string | null; message?: string } } }>();
  for (const fileId of [batch.output_file_id, batch.error_file_id]) {
    if (!fileId) continue;
    const text = await (await client.files.content(fileId)).text();
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const parsed = JSON.parse(line) as { custom_id: string; response: { status_code: number; body: WireBody } | null; error: { code?: string; message?: string } | null };
      results.set(parsed.custom_id, parsed.response ?? { status_code: 500, body: { error: { code: parsed.error?.code ?? "batch_error", message: parsed.error?.message ?? "no response" } } });
    }
  }
  const byId = new Map(options.prompts.map((prompt) => [prompt.id, prompt]));
  const appender = JsonlAppender.open(options.out, { validBytes: existing.validBytes, missingFinalNewline: existing.missingFinalNewline });
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  let rows = 0;
  let failures = 0;
  try {
    for (const { id, seed } of state.prompts) {
      const prompt = byId.get(id);
      const result = results.get(id);
      if (!prompt || !result || done.has(id)) continue;
      const rowParams: HarvestParams = { ...params, seed };
      if (result.status_code === 200) {
        const row = rowFromResult(options.teacher, prompt, rowParams, chatResult(result.body, options.model), new Date(now()));
        appender.append(row);
        rows++;
        usage.prompt_tokens += row.usage.prompt_tokens;
        usage.completion_tokens += row.usage.completion_tokens;
        usage.total_tokens += row.usage.total_tokens;
      } else {
        failures++;
        const code = result.body.error?.code ?? `http_${result.status_code}`;
        if (code === "context_length_exceeded") appender.append(failedRow(options.teacher, prompt, rowParams, { code: "context_overflow", message: result.body.error?.message ?? code }, new Date(now())));
        else note(`prompt ${id} failed in the batch (${code}); a rerun asks it again`);
      }
    }
  } finally {
    appender.close();
  }
  rmSync(statePath, { force: true });
  if (batch.status !== "completed") note(`batch ${batch.id} ended ${batch.status}; its ${rows} answers are saved, and a rerun submits the rest`);
  return summary(batch.id, batch.status, rows, failures, usage);
}

function requestBody(model: string, prompt: Prompt, params: HarvestParams, seed: number): Record<string, unknown> {
  const body: Record<string, unknown> = { model, messages: prompt.messages, temperature: params.temperature, top_p: params.top_p, max_tokens: params.max_tokens, seed };
  if (params.top_logprobs > 0) Object.assign(body, { logprobs: true, top_logprobs: params.top_logprobs });
  return body;
}

function chatResult(body: WireBody, model: string): ChatResult {
  const choice = body.choices?.[0];
  return { model: body.model ?? model, text: choice?.message?.content ?? "", finishReason: toFinishReason(choice?.finish_reason), usage: toUsage(body.usage), logprobs: toLogprobs(choice?.logprobs) };
}
