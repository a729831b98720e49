// What the monitor reads of one exchange, from a stored log row (request as a JSON string) or an
// exported JSONL line (request parsed). Rows that are not exchanges (the log's event rows, whose
// model is "", see the gateway's appendEvent), rows without a key and requests that were refused or
// failed (status other than 200) are not exchanges the monitor scores.
import type { LogRow } from "../gateway/store/hash-chain.js";

export interface MonitorExchange {
  id: number;
  ts: number;
  keyId: string;
  /** The last user message (what a campaign varies). */
  prompt: string;
  /** Every message's text, joined (elicitation phrases may sit in a system message). */
  allText: string;
  topLogprobs: number;
  logprobs: boolean;
  n: number;
  temperature: number | null;
  maxTokens: number | null;
  finishReason: string | null;
  completionTokens: number;
}

type LooseRow = Partial<Omit<LogRow, "request">> & { request?: unknown };

interface LoggedRequest {
  messages?: { role?: string; content?: unknown }[];
  params?: Record<string, unknown>;
}

const asNumber = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/** A log row as the monitor sees it, or a reason why it is not one. */
export function toMonitorExchange(row: LooseRow): MonitorExchange | string {
  if (typeof row.id !== "number" || typeof row.ts !== "number") return "no numeric id or ts";
  if (row.kind === "event" || row.model === "") return "an event row";
  if (typeof row.key_id !== "string" || row.key_id === "") return "no key";
  if (typeof row.status === "number" && row.status !== 200) return "not answered";
  let request: LoggedRequest;
  try {
    request = (typeof row.request === "string" ? JSON.parse(row.request) : row.request ?? {}) as LoggedRequest;
  } catch {
    return "a request that is not JSON";
  }
  const messages = Array.isArray(request.messages) ? request.messages : [];
  const texts = messages.map((message) => (typeof message?.content === "string" ? message.content : ""));
  const lastUser = [...messages].reverse().find((message) => message?.role === "user");
  const params = request.params ?? {};
  return {
    id: row.id,
    ts: row.ts,
    keyId: row.key_id,
    prompt: typeof lastUser?.content === "string" ? lastUser.content : texts.at(-1) ?? "",
    allText: texts.join("\n"),
    topLogprobs: asNumber(params.top_logprobs) ?? 0,
    logprobs: params.logprobs === true,
    n: asNumber(params.n) ?? 1,
    temperature: asNumber(params.temperature),
    maxTokens: asNumber(params.max_completion_tokens) ?? asNumber(params.max_tokens),
    finishReason: typeof row.finish_reason === "string" ? row.finish_reason : null,
    completionTokens: asNumber(row.completion_tokens) ?? 0,
  };
}
