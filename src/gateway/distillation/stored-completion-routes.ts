// /v1/chat/completions/{id} and the list: a key's own stored completions, read back from the
// exchange log (through the store) by the chain and position the index keeps; metadata updates; delete (hidden, log untouched).
import type { Hono } from "hono";
import { requireKey } from "../auth.js";
import type { GatewayContext } from "../gateway-context.js";
import { jsonResponse, readJsonBody } from "../http.js";
import { invalidRequest, notFound } from "./distillation-errors.js";
import type { StoredCompletionState } from "./distillation-state.js";
import { exchangeRef, parseMetadata, type StoredCompletion } from "./stored-completions.js";

interface LoggedExchange {
  request: { messages: { role: string; content: string }[] };
  response: string;
}

async function loggedExchange(gateway: GatewayContext, entry: StoredCompletion): Promise<LoggedExchange | null> {
  const row = await gateway.reader.row(exchangeRef(entry));
  return row && row.key_id === entry.key_id && row.kind === "exchange" ? (row as unknown as LoggedExchange) : null;
}

function completionObject(entry: StoredCompletion, exchange: LoggedExchange | null): Record<string, unknown> {
  return {
    id: entry.id, object: "chat.completion", created: entry.created, model: entry.model, metadata: entry.metadata, request_id: `exchange-${exchangeRef(entry).chain}:${entry.exchange_id}`,
    choices: [{ index: 0, message: { role: "assistant", content: exchange?.response ?? null, refusal: null }, logprobs: null, finish_reason: entry.finish_reason }],
    usage: entry.usage,
  };
}

function intParam(url: URL, name: string, fallback: number, max: number): number {
  const text = url.searchParams.get(name);
  const value = text === null ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw invalidRequest(`'${name}' must be an integer from 1 to ${max}.`, name);
  return value;
}

export function addStoredCompletionRoutes(app: Hono, gateway: GatewayContext, index: StoredCompletionState): void {
  const find = async (keyId: string, id: string) => {
    const entry = await index.get(keyId, id);
    if (!entry) throw notFound("stored completion", id, "completion_id");
    return entry;
  };
  app.get("/v1/chat/completions", async (c) => {
    const key = await requireKey(gateway, c.req.raw);
    const url = new URL(c.req.url);
    const order = url.searchParams.get("order") ?? "asc";
    if (order !== "asc" && order !== "desc") throw invalidRequest("'order' must be 'asc' or 'desc'.", "order");
    const model = url.searchParams.get("model");
    const wanted = [...url.searchParams].flatMap(([name, value]) => {
      const match = /^metadata\[(.+)\]$/.exec(name);
      return match ? [[match[1]!, value] as const] : [];
    });
    let entries = (await index.list(key.id)).filter((entry) => (model === null || entry.model === model) && wanted.every(([k, v]) => entry.metadata[k] === v));
    if (order === "desc") entries = entries.reverse();
    const after = url.searchParams.get("after");
    if (after !== null) entries = entries.slice(entries.findIndex((entry) => entry.id === after) + 1);
    const limit = intParam(url, "limit", 20, 100);
    const page = entries.slice(0, limit);
    const data = await Promise.all(page.map(async (entry) => completionObject(entry, await loggedExchange(gateway, entry))));
    return jsonResponse({ object: "list", data, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null, has_more: entries.length > limit });
  });
  app.get("/v1/chat/completions/:id", async (c) => {
    const entry = await find((await requireKey(gateway, c.req.raw)).id, c.req.param("id"));
    return jsonResponse(completionObject(entry, await loggedExchange(gateway, entry)));
  });
  app.get("/v1/chat/completions/:id/messages", async (c) => {
    const entry = await find((await requireKey(gateway, c.req.raw)).id, c.req.param("id"));
    const exchange = await loggedExchange(gateway, entry);
    const url = new URL(c.req.url);
    let messages = (exchange?.request.messages ?? []).map((message, i) => ({ id: `${entry.id}-${i}`, role: message.role, content: message.content }));
    if (url.searchParams.get("order") === "desc") messages = messages.reverse();
    const after = url.searchParams.get("after");
    if (after !== null) messages = messages.slice(messages.findIndex((message) => message.id === after) + 1);
    const limit = intParam(url, "limit", 20, 100);
    const data = messages.slice(0, limit);
    return jsonResponse({ object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: messages.length > limit });
  });
  app.post("/v1/chat/completions/:id", async (c) => {
    const key = await requireKey(gateway, c.req.raw);
    const entry = await find(key.id, c.req.param("id"));
    const body = (await readJsonBody(c.req.raw, gateway.bodyLimit)) as { metadata?: unknown };
    await index.update(entry.id, parseMetadata(body?.metadata));
    return jsonResponse(completionObject(await find(key.id, entry.id), await loggedExchange(gateway, entry)));
  });
  app.delete("/v1/chat/completions/:id", async (c) => {
    const key = await requireKey(gateway, c.req.raw);
    const entry = await find(key.id, c.req.param("id"));
    await index.delete(entry.id);
    // The deletion is itself evidence: a chained event names the exchange it hid.
    await gateway.log.appendEvent({ type: "chat.completion.deleted", key_id: key.id, ts: gateway.now(), payload: { completion_id: entry.id, exchange_chain: exchangeRef(entry).chain, exchange_id: entry.exchange_id } });
    return jsonResponse({ object: "chat.completion.deleted", id: entry.id, deleted: true });
  });
}
