// harvest: ask a teacher every prompt and append one row per answer to a JSONL file.
// Requests run in a worker pool with whole-request retries (the only retrying layer); each prompt
// gets seed + its index, so a re-run asks the same questions with the same seeds. A run resumes from
// what is on disk: prompts whose id is already there are skipped and a partial last line (a crash
// mid-write) is cut off. A prompt longer than the teacher's context becomes a failed row
// (finish_reason "error") and the run goes on.
import type { ChatModel } from "../../models/spec.js";
import { DistillError } from "../data/errors.js";
import { JsonlAppender } from "../../files/jsonl-append.js";
import { linkedSignal } from "./linked-signal.js";
import { harvestParams, type ParamOptions } from "./params.js";
import { runPool } from "./pool.js";
import { costOf, type PriceTable } from "./price.js";
import type { HarvestProgress } from "./progress.js";
import { describePrompt, failedRow, failureCode, promptFailureKind } from "./prompt-failure.js";
import type { Prompt } from "./prompts.js";
import { readResumeState } from "./resume.js";
import { sleep, withRetries, type RetryOptions } from "./retry.js";
import { rowFromResult } from "./row-from-result.js";
import { WaitBoard } from "./waiting.js";

export interface HarvestOptions extends ParamOptions {
  model: ChatModel;
  /** The teacher's reference as the user gave it (recorded in every row). */
  teacher: string;
  prompts: Prompt[];
  out: string;
  concurrency?: number;
  retry?: RetryOptions;
  price?: PriceTable;
  fsyncEveryRows?: number;
  onProgress?: (progress: HarvestProgress) => void;
  onNote?: (message: string) => void;
  signal?: AbortSignal;
  now?: () => number;
}

export interface HarvestFailure {
  prompt_id: string;
  code: string;
  message: string;
  /** True when the failure is on disk as a row with finish_reason "error" (not asked again). */
  recorded: boolean;
}

export interface HarvestSummary {
  teacher: string;
  out: string;
  prompts: number;
  /** Rows already on disk for these prompts at the start (failed ones included). */
  resumed: number;
  /** Answers written by this run. */
  rows: number;
  /** Prompts that failed in this run. */
  failures: number;
  failed: HarvestFailure[];
  /** Of the resumed rows, those an earlier run recorded as failed. */
  failed_earlier: number;
  retries: number;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  wall_seconds: number;
  tokens_per_second: number;
  rows_per_second: number;
  cost_usd: number | null;
  truncated_line_removed: boolean;
}

export async function harvest(options: HarvestOptions): Promise<HarvestSummary> {
  const now = options.now ?? Date.now;
  const note = options.onNote ?? (() => undefined);
  const started = now();
  const params = harvestParams(options, options.model, note);
  const { existing, done, resumed, failedEarlier } = await readResumeState(options.out, options.teacher, options.prompts, params, note);
  const todo = options.prompts.map((prompt, index) => ({ prompt, index })).filter(({ prompt }) => !done.has(prompt.id));

  const appender = JsonlAppender.open(options.out, {
    validBytes: existing.validBytes,
    missingFinalNewline: existing.missingFinalNewline,
    fsyncEveryRows: options.fsyncEveryRows,
  });
  const totals = { prompt: 0, completion: 0, total: 0, retries: 0, answered: 0 };
  const failed: HarvestFailure[] = [];
  const waits = new WaitBoard(now);
  // Fires when the run fails, so retries sleeping elsewhere in the pool stop at once.
  const stopWaits = new AbortController();
  const waitSignal = options.signal ? AbortSignal.any([options.signal, stopWaits.signal]) : stopWaits.signal;
  const progress = (): HarvestProgress => ({
    done: resumed + totals.answered + failed.length,
    total: options.prompts.length,
    resumed,
    promptTokens: totals.prompt,
    completionTokens: totals.completion,
    elapsedMs: now() - started,
    costUsd: options.price ? costOf(options.price, totals.prompt, totals.completion) : null,
    failed: failed.length,
    waiting: waits.current(),
  });
  const report = (): void => options.onProgress?.(progress());
  const baseSleep = options.retry?.sleep ?? sleep;

  async function ask(prompt: Prompt, index: number): Promise<void> {
    // Models that ignore the signal still stop here: no new request once interrupted.
    if (options.signal?.aborted) throw options.signal.reason ?? new Error("interrupted");
    const rowParams = { ...params, seed: params.seed + index };
    let reason = "";
    let outcome;
    try {
      outcome = await withRetries(
        () =>
          linkedSignal(options.signal, (signal) =>
            options.model.generate({
              messages: prompt.messages,
              temperature: rowParams.temperature,
              topP: rowParams.top_p,
              maxTokens: rowParams.max_tokens,
              seed: rowParams.seed,
              topLogprobs: rowParams.top_logprobs || undefined,
              signal,
            }),
          ),
        {
          now,
          ...options.retry,
          seed: rowParams.seed,
          onRetry: (info) => {
            totals.retries++;
            reason = info.reason;
            options.retry?.onRetry?.(info);
          },
          sleep: async (ms, signal) => {
            const id = waits.begin(ms, reason);
            report();
            try {
              await baseSleep(ms, signal);
            } finally {
              waits.end(id);
              report();
            }
          },
        },
        waitSignal,
      );
    } catch (error) {
      const kind = promptFailureKind(error);
      if (kind === null) throw error;
      const failure = { prompt_id: prompt.id, code: failureCode(kind, error), message: (error as Error).message, recorded: kind === "context_overflow" };
      if (failure.recorded) appender.append(failedRow(options.teacher, prompt, rowParams, { code: failure.code, message: failure.message }, new Date(now())));
      failed.push(failure);
      note(`prompt ${describePrompt(prompt)} failed: ${failure.message}; ${failure.recorded ? 'recorded as a failed row (finish_reason "error") and not asked again' : "skipped; a rerun asks it again"}`);
      report();
      return;
    }
    const row = rowFromResult(options.teacher, prompt, rowParams, outcome.value, new Date(now()));
    appender.append(row);
    totals.answered++;
    totals.prompt += row.usage.prompt_tokens;
    totals.completion += row.usage.completion_tokens;
    totals.total += row.usage.total_tokens;
    report();
  }

  try {
    report();
    await runPool(todo, options.concurrency ?? 4, async ({ prompt, index }) => {
      try {
        await ask(prompt, index);
      } catch (error) {
        stopWaits.abort(error);
        throw error;
      }
    });
  } catch (error) {
    throw stopped(error, totals.answered, resumed + totals.answered + failed.length, options);
  } finally {
    appender.close();
  }
  const elapsedMs = now() - started;
  return {
    teacher: options.teacher,
    out: options.out,
    prompts: options.prompts.length,
    resumed,
    rows: totals.answered,
    failures: failed.length,
    failed,
    failed_earlier: failedEarlier,
    retries: totals.retries,
    usage: { prompt_tokens: totals.prompt, completion_tokens: totals.completion, total_tokens: totals.total },
    wall_seconds: elapsedMs / 1000,
    tokens_per_second: elapsedMs > 0 ? (1000 * totals.completion) / elapsedMs : 0,
    rows_per_second: elapsedMs > 0 ? (1000 * totals.answered) / elapsedMs : 0,
    cost_usd: options.price ? costOf(options.price, totals.prompt, totals.completion) : null,
    truncated_line_removed: existing.truncatedTail !== null,
  };
}

/** One line: why the run stopped, and that every finished row is saved for a resume. */
function stopped(error: unknown, written: number, onDisk: number, options: HarvestOptions): DistillError {
  const reason = error instanceof Error ? error.message : String(error);
  const saved = `${written} new rows (${onDisk} of ${options.prompts.length} in ${options.out})`;
  if (options.signal?.aborted) {
    return new DistillError("HARVEST_INTERRUPTED", `harvest stopped after ${saved}: ${reason}; every finished row is saved, so run the same command again to resume`, { cause: error });
  }
  if (DistillError.isInstance(error) && error.code === "HARVEST_RATE_LIMITED") {
    return new DistillError("HARVEST_RATE_LIMITED", `harvest stopped after ${saved}: ${reason}; every finished row is saved, so run the same command again after that time to resume (or raise --max-wait to wait)`, { cause: error });
  }
  return new DistillError("HARVEST_REQUEST_FAILED", `harvest stopped after ${saved}: ${reason}; every finished row is saved, so run the same command again to resume`, { cause: error });
}
