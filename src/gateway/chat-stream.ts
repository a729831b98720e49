// Streamed chat completions in OpenAI's exact SSE framing: a role chunk, content chunks, a chunk with
// the finish reason, a usage chunk with empty choices when `stream_options.include_usage` is set, and
// `data: [DONE]`. The exchange is committed to the log before [DONE] is sent, so a client that saw
// [DONE] holds an exchange that is durably logged.
import type { ChatDelta, ChatRequest, FinishReason, Usage } from "../models/spec.js";
import type { Backend } from "./backends.js";
import { backendError } from "./backend-errors.js";
import { GatewayError } from "./errors.js";
import type { GenerationControl } from "./generation-control.js";
import { recordExchange, type ExchangeStart, type GatewayContext } from "./gateway-context.js";
import { StreamReply } from "./replies.js";
import { SSE_DONE, chunkObject, openaiFinishReason, openaiLogprobs, openaiUsage, sseEvent, type CompletionHeader } from "./openai-format.js";

export interface StreamPlan {
  start: ExchangeStart;
  backend: Backend;
  chat: ChatRequest;
  control: GenerationControl;
  header: CompletionHeader;
  includeUsage: boolean;
  topLogprobs: number;
}

const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" };
const encoder = new TextEncoder();

export async function streamCompletion(context: GatewayContext, plan: StreamPlan): Promise<StreamReply> {
  const { start, backend, chat, control, header, includeUsage } = plan;
  const iterator = backend.model.stream(chat)[Symbol.asyncIterator]();
  const fail = async (error: unknown) => {
    const failure = backendError(error, start.model, control.timedOut);
    context.metrics.recordUpstreamError(start.model, failure.code);
    await recordExchange(context, start, { status: failure.status, response: text, decision: "allowed", finishReason: "error" });
    return failure;
  };
  let text = "";
  // The first delta is awaited before any byte is sent, so an early failure still gets a 502/504.
  let first: IteratorResult<ChatDelta>;
  try {
    first = await iterator.next();
  } catch (error) {
    control.stop();
    throw await fail(error);
  }
  control.touch();

  const release = context.hold();
  const usageField = includeUsage ? null : undefined;
  // After a cancel the controller refuses bytes; nothing is listening then, so they are dropped.
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, data: string) => {
    try {
      controller.enqueue(encoder.encode(data));
    } catch {
      // cancelled
    }
  };
  const close = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    try {
      controller.close();
    } catch {
      // cancelled
    }
  };
  const chunk = (delta: Record<string, unknown>, logprobs: unknown, finish: string | null) =>
    sseEvent(chunkObject(header, [{ index: 0, delta, logprobs, finish_reason: finish }], usageField));
  let pending: IteratorResult<ChatDelta> | null = first;
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;
  let ended = false;
  const end = () => {
    ended = true;
    control.stop();
    release();
  };

  // The client went away: stop generating and keep what was produced in the log (once).
  const logAbort = async () => {
    if (ended) return;
    ended = true;
    control.controller.abort(new Error("client disconnected"));
    void iterator.return?.().catch(() => undefined);
    if (usage) await context.limiter.record(start.key, context.now(), usage.totalTokens).catch(() => undefined);
    await recordExchange(context, start, {
      status: 499,
      response: text,
      decision: "allowed",
      finishReason: "abort",
      promptTokens: usage?.promptTokens,
      completionTokens: usage?.completionTokens,
      totalTokens: usage?.totalTokens,
    }).catch(() => undefined);
    end();
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      send(controller, chunk({ role: "assistant", content: "", refusal: null }, null, null));
    },
    async pull(controller) {
      if (ended) return;
      try {
        // A pull must enqueue something (or end the stream), or the stream stalls: skip empty deltas.
        for (;;) {
          const step = pending ?? (await iterator.next());
          pending = null;
          control.touch();
          if (step.done) break;
          const delta = step.value;
          text += delta.text;
          if (delta.finishReason) finishReason = delta.finishReason;
          if (delta.usage) usage = delta.usage;
          if (delta.text.length > 0 || (chat.logprobs && (delta.logprobs?.length ?? 0) > 0)) {
            const logprobs = chat.logprobs ? openaiLogprobs(delta.logprobs ?? [], plan.topLogprobs) : null;
            send(controller, chunk({ content: delta.text }, logprobs, null));
            return;
          }
        }
        const total = usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
        send(controller, chunk({}, null, openaiFinishReason(finishReason)));
        if (includeUsage) send(controller, sseEvent(chunkObject(header, [], openaiUsage(total))));
        // From here a disconnect must not log the exchange a second time.
        ended = true;
        // A limit store that is down costs the count, not the answer or its log row.
        await context.limiter.record(start.key, context.now(), total.totalTokens).catch(() => undefined);
        try {
          await recordExchange(context, start, {
            status: 200,
            response: text,
            decision: "allowed",
            finishReason: finishReason ?? "stop",
            promptTokens: total.promptTokens,
            completionTokens: total.completionTokens,
            totalTokens: total.totalTokens,
          });
          send(controller, SSE_DONE);
        } catch {
          // Not durably logged: the client gets an error event instead of [DONE].
          send(controller, sseEvent(new GatewayError("LOG_FAILED", "The exchange could not be written to the log; the answer is void.", { status: 500, type: "server_error" }).toJSON()));
        }
        close(controller);
        end();
      } catch (error) {
        if (ended) return;
        if (control.controller.signal.aborted && !control.timedOut) return logAbort();
        ended = true;
        const failure = await fail(error).catch(() => backendError(error, start.model, control.timedOut));
        send(controller, sseEvent(failure.toJSON()));
        close(controller);
        end();
      }
    },
    cancel() {
      return logAbort();
    },
  });
  return new StreamReply(SSE_HEADERS, body);
}
