// POST /v1/chat/completions: authenticate → parse → policy (model allow-list, limits) → backend →
// log (durably) → reply. Streams go through chat-stream.ts.
import type { ChatRequest, ChatResult } from "../models/spec.js";
import { backendError } from "./backend-errors.js";
import { chatMessages, chatRequest, loggedRequest, parseChatBody } from "./chat-request.js";
import { streamCompletion } from "./chat-stream.js";
import { badRequest, GatewayError, modelNotFound } from "./errors.js";
import { recordExchange, type ExchangeEnd, type ExchangeStart, type GatewayContext } from "./gateway-context.js";
import { JsonReply, type ChatReply } from "./replies.js";
import type { RequestSource } from "./request-source.js";
import { servesWatermarked, type KeyRecord } from "./store/key-policy.js";
import { GenerationControl } from "./generation-control.js";
import { completionId, completionObject, openaiLogprobs } from "./openai-format.js";

function allowed(key: KeyRecord, model: string): boolean {
  return key.policy.models === null || key.policy.models.includes(model);
}

/** The answer or its stream; errors are thrown (GatewayError). */
export async function handleChatCompletions(context: GatewayContext, request: RequestSource, key: KeyRecord): Promise<ChatReply> {
  const ts = context.now();
  const startedAt = performance.now();
  const body = parseChatBody(await request.json(context.bodyLimit));
  if (!context.backends.has(body.model) || !context.backends.usableBy(body.model, key.id)) throw modelNotFound(body.model);
  const messages = chatMessages(body);
  const storing = context.storedCompletions?.prepare(key, body) ?? null;
  if ((body.n ?? 1) > 1 && storing) throw badRequest("UNSUPPORTED_VALUE", "'store' is not supported with 'n' greater than 1; store one completion per request.", "n");
  const start: ExchangeStart = { ts, startedAt, key, model: body.model, request: loggedRequest(body, messages), watermarkKeyId: null };
  // Every reply here is sent right after its row is committed (see AppendOptions).
  const record = (end: ExchangeEnd) => recordExchange(context, start, end, { replyWaits: true });
  if (!allowed(key, body.model) && !context.backends.isOwner(body.model, key.id)) {
    await record({ status: 404, response: "", decision: "denied:model_not_allowed", finishReason: null });
    throw modelNotFound(body.model);
  }
  try {
    await context.limiter.admit(key, ts);
    context.monitor?.admit(key.id, ts);
  } catch (error) {
    const code = GatewayError.isInstance(error) ? error.code.toLowerCase() : "limit";
    await record({ status: GatewayError.isInstance(error) ? error.status : 429, response: "", decision: `denied:${code}`, finishReason: null });
    throw error;
  }

  const loaded = await context.backends.get(body.model);
  const choices = body.n ?? 1;
  // Each choice is a generation of its own: its own processors (watermark, defence), its own seed
  // (seed + i when one is given) and its own row in the log.
  const prepare = (index: number, exchange: ExchangeStart) => {
    const chat: ChatRequest = chatRequest(body, messages);
    if (chat.seed !== undefined && index > 0) chat.seed += index;
    const forcedDelta = context.monitor?.forcedWatermarkDelta(key.id) ?? null;
    if (loaded.whiteBox && (servesWatermarked(key.policy) || forcedDelta !== null) && context.watermark) {
      const ownDelta = (context.watermark.watermark?.params as { delta?: number } | undefined)?.delta;
      const delta = forcedDelta !== null && ownDelta !== undefined ? Math.max(forcedDelta, ownDelta) : undefined;
      chat.logitsProcessors = [context.watermark.processor(delta === undefined ? undefined : { delta })];
      exchange.watermarkKeyId = context.watermark.keyId;
    }
    const backend = context.defence ? context.defence.apply(loaded, key, chat, exchange) : loaded;
    return { chat, backend };
  };
  const { chat, backend } = prepare(0, start);
  const control = new GenerationControl(context.upstreamTimeoutMs, (abort) => request.onClientGone(abort));
  chat.signal = control.controller.signal;
  const header = { id: completionId(), created: Math.floor(ts / 1000), model: body.model };
  if (storing) start.onRecorded = (exchange, end) => storing(exchange, end, header);
  if (body.stream) {
    return streamCompletion(context, { start, backend, chat, control, header, includeUsage: body.stream_options?.include_usage === true, topLogprobs: body.top_logprobs ?? 0 });
  }

  const generations: { start: ExchangeStart; chat: ChatRequest; result: ChatResult }[] = [];
  try {
    for (let index = 0; index < choices; index++) {
      const exchange = index === 0 ? start : { ...start, watermarkKeyId: null, notes: undefined };
      const planned = index === 0 ? { chat, backend } : prepare(index, exchange);
      planned.chat.signal = control.controller.signal;
      generations.push({ start: exchange, chat: planned.chat, result: await planned.backend.model.generate(planned.chat) });
    }
  } catch (error) {
    // Choices already generated were never served: only the failure is logged.
    if (control.controller.signal.aborted && !control.timedOut) {
      // The client went away; nobody reads the reply, but the log keeps the attempt.
      await record({ status: 499, response: "", decision: "allowed", finishReason: "abort" });
      throw new GatewayError("CLIENT_CLOSED", "The client closed the connection before the answer was ready.", { status: 499, type: "invalid_request_error" });
    }
    const failure = backendError(error, body.model, control.timedOut);
    context.metrics.recordUpstreamError(body.model, failure.code);
    await record({ status: failure.status, response: "", decision: "allowed", finishReason: "error" });
    throw failure;
  } finally {
    control.stop();
  }
  const totalTokens = generations.reduce((sum, { result }) => sum + result.usage.totalTokens, 0);
  // A limit store that is down costs the count, not the answer or its log row.
  await context.limiter.record(key, context.now(), totalTokens).catch(() => undefined);
  await Promise.all(generations.map(({ start: exchange, result }) => recordExchange(context, exchange, {
    status: 200,
    response: result.text,
    decision: "allowed",
    finishReason: result.finishReason,
    promptTokens: result.usage.promptTokens,
    completionTokens: result.usage.completionTokens,
    totalTokens: result.usage.totalTokens,
  }, { replyWaits: true })));
  const answers = generations.map(({ chat: asked, result }) => ({
    text: result.text,
    finishReason: result.finishReason,
    logprobs: asked.logprobs ? openaiLogprobs(result.logprobs, asked.topLogprobs ?? 0) : null,
  }));
  const first = generations[0]!.result.usage;
  const completionTokens = generations.reduce((sum, { result }) => sum + result.usage.completionTokens, 0);
  const usage = { promptTokens: first.promptTokens, completionTokens, totalTokens: first.promptTokens + completionTokens };
  return new JsonReply(200, JSON.stringify(completionObject(header, answers, usage)));
}
