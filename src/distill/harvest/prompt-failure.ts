// A prompt the teacher cannot answer as asked (longer than its context, or rejected as invalid)
// fails only that prompt, not the run. A context overflow is recorded as a failed row
// (finish_reason "error", with its reason) so a resumed run does not ask the hopeless prompt again;
// other rejections are only reported, so a rerun asks them again once the cause is fixed.
import { ModelError } from "../../models/errors.js";
import type { HarvestParams, HarvestRow } from "../data/row.js";
import type { Prompt } from "./prompts.js";
import { rowId } from "./row-from-result.js";

export type PromptFailureKind = "context_overflow" | "rejected";

export interface FailedHarvestRow extends HarvestRow {
  error: { code: string; message: string };
}

export function promptFailureKind(error: unknown): PromptFailureKind | null {
  if (!ModelError.isInstance(error)) return null;
  if (isContextOverflow(error)) return "context_overflow";
  if (error.isRetryable) return null;
  return error.statusCode === 400 || error.statusCode === 413 || error.statusCode === 422 ? "rejected" : null;
}

/** White-box adapters raise MODEL_CONTEXT_OVERFLOW; OpenAI-style servers answer 400 context_length_exceeded. */
function isContextOverflow(error: ModelError): boolean {
  if (error.code === "MODEL_CONTEXT_OVERFLOW") return true;
  if (error.statusCode !== 400 && error.statusCode !== 413) return false;
  for (let current: unknown = error.cause, depth = 0; current && depth < 3; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code ?? (current as { error?: { code?: unknown } }).error?.code;
    if (code === "context_length_exceeded") return true;
  }
  return false;
}

/** The error code a failed row records: the OpenAI name for an overflow, else the adapter's code. */
export function failureCode(kind: PromptFailureKind, error: unknown): string {
  return kind === "context_overflow" ? "context_length_exceeded" : String((error as { code?: unknown }).code ?? "error");
}

export function failedRow(teacher: string, prompt: Prompt, params: HarvestParams, error: { code: string; message: string }, created: Date): FailedHarvestRow {
  return {
    id: rowId(teacher, prompt.id, params.seed),
    prompt_id: prompt.id,
    messages: prompt.messages,
    response: "",
    teacher,
    params,
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    finish_reason: "error",
    created: created.toISOString(),
    error,
  };
}

/** `p-3f2a ("Summarise the following report: …", 48,211 characters)`: enough to find it in the file. */
export function describePrompt(prompt: Prompt): string {
  const text = prompt.messages.at(-1)?.content ?? "";
  const characters = prompt.messages.reduce((sum, message) => sum + message.content.length, 0);
  const preview = text.length > 40 ? `${text.slice(0, 40).trimEnd()}…` : text;
  return `${prompt.id} (${JSON.stringify(preview)}, ${characters.toLocaleString("en-US")} characters)`;
}
