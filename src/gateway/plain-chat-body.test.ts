// The hand check of common bodies against the schema, on seeded random bodies: whatever it accepts,
// the schema accepts too and returns the same value with its keys in the same order.
import { expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { parseWithSchema } from "./chat-request.js";
import { plainChatBody } from "./plain-chat-body.js";

const random = createRandom("plain-chat-body");
const pick = <T>(items: readonly T[]): T => items[random.int(items.length)]!;

// [valid values, invalid ones]: mostly valid, so that many bodies are plain and some are nearly so.
type Pool = readonly [readonly unknown[], readonly unknown[]];
const value = ([valid, invalid]: Pool): unknown => (random.int(5) > 0 ? pick(valid) : pick(invalid));

const messageFields: Record<string, Pool & { share: number }> = {
  role: Object.assign([["user", "system", "developer", "assistant"], ["tool", "", 1, null]] as const, { share: 0.95 }),
  content: Object.assign([["hi", ""], [null, 3, [{ type: "text", text: "hi" }], { text: "hi" }]] as const, { share: 0.95 }),
  name: Object.assign([["bob", ""], [1, null]] as const, { share: 0.1 }),
  extra: Object.assign([[1, "x"], []] as const, { share: 0.03 }),
};
const bodyFields: Record<string, Pool & { share: number }> = {
  model: Object.assign([["m"], ["", 1, null]] as const, { share: 0.97 }),
  stream: Object.assign([[true, false], [null, "true", 0]] as const, { share: 0.2 }),
  seed: Object.assign([[0, 7, -3], [1.5, 2 ** 60, "1", null]] as const, { share: 0.2 }),
  max_tokens: Object.assign([[1, 16], [0, -1, 2.5, null, "16"]] as const, { share: 0.2 }),
  max_completion_tokens: Object.assign([[1, 8], [0, 1.5, null]] as const, { share: 0.1 }),
  temperature: Object.assign([[0, 1, 2, -0, 0.7], [2.5, -0.1, "1", null]] as const, { share: 0.2 }),
  top_p: Object.assign([[0, 0.5, 1], [1.01, null]] as const, { share: 0.2 }),
  n: Object.assign([[1], [2]] as const, { share: 0.03 }),
  logprobs: Object.assign([[true, false], []] as const, { share: 0.03 }),
  user: Object.assign([["u"], []] as const, { share: 0.03 }),
};

function randomRecord(fields: Record<string, Pool & { share: number }>, extra?: [string, () => unknown]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  // Shuffled key order: the output order must follow the schema, not the input.
  for (const name of random.shuffle([...Object.keys(fields), ...(extra ? [extra[0]] : [])])) {
    if (extra && name === extra[0]) record[name] = extra[1]();
    else if (random.uniform32() < fields[name]!.share) record[name] = fields[name]![1].length === 0 || random.int(5) > 0 ? pick(fields[name]![0]) : value(fields[name]!);
  }
  return record;
}

function randomBody(): unknown {
  if (random.int(50) === 0) return pick([null, [], "x", 3]);
  const messages = () => (random.int(30) === 0 ? pick([[], "hi", null]) : Array.from({ length: 1 + random.int(3) }, () => (random.int(50) === 0 ? pick(["hi", null, 3]) : randomRecord(messageFields))));
  const body = randomRecord(bodyFields, ["messages", messages]);
  if (random.int(30) === 0) delete body.messages;
  return body;
}

function schemaResult(raw: unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parseWithSchema(raw) };
  } catch {
    return { ok: false };
  }
}

it("accepts only what the schema accepts, and returns the same value in the same key order", () => {
  let taken = 0;
  for (let i = 0; i < 20_000; i++) {
    const raw = JSON.parse(JSON.stringify(randomBody())) as unknown;
    const plain = plainChatBody(raw);
    if (plain === null) continue;
    taken += 1;
    const schema = schemaResult(raw);
    expect(schema.ok, JSON.stringify(raw)).toBe(true);
    expect(JSON.stringify(plain)).toBe(JSON.stringify((schema as { value: unknown }).value));
  }
  // The check is not vacuous: a good share of the random bodies take the plain path.
  expect(taken).toBeGreaterThan(2000);
});

it("takes the plain path for the body a typical client sends", () => {
  const body = { messages: [{ content: "What is the capital of France?", role: "user" }], model: "gpt", temperature: 0.2, max_tokens: 64 };
  expect(JSON.stringify(plainChatBody(body))).toBe(JSON.stringify(parseWithSchema(body)));
  expect(plainChatBody({ ...body, n: 2 })).toBeNull();
});
