// The body most clients send (a model, text messages, a few sampling fields with plainly valid
// values) checked by hand, built exactly as the schema would return it: same keys, same order, so the
// logged request is the same string. Anything else returns null and goes through the schema, which
// names the first bad field. On the gateway's path zod cost more than this in a loopback benchmark
// (BENCHMARKS.md); plain-chat-body.test.ts checks on random bodies that this never accepts what the
// schema rejects and returns what the schema returns.
const ROLES = new Set(["system", "developer", "user", "assistant"]);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const positiveInteger = (value: unknown) => Number.isSafeInteger(value) && (value as number) > 0;
const inRange = (low: number, high: number) => (value: unknown) => typeof value === "number" && value >= low && value <= high;

/** The fields taken here, in the schema's order (its output order). */
const FIELDS: readonly [string, (value: unknown) => boolean][] = [
  ["model", (value) => typeof value === "string" && value.length > 0],
  ["messages", (value) => Array.isArray(value) && value.length > 0 && value.every(plainMessage)],
  ["stream", (value) => typeof value === "boolean"],
  ["seed", (value) => Number.isSafeInteger(value)],
  ["max_tokens", positiveInteger],
  ["max_completion_tokens", positiveInteger],
  ["temperature", inRange(0, 2)],
  ["top_p", inRange(0, 1)],
];
const KNOWN = new Set(FIELDS.map(([name]) => name));

function plainMessage(message: unknown): boolean {
  if (!isRecord(message) || !ROLES.has(message.role as string) || typeof message.content !== "string") return false;
  for (const name in message) if (name !== "role" && name !== "content" && (name !== "name" || typeof message.name !== "string")) return false;
  return true;
}

/** The body as the schema would return it, or null (then the schema decides). */
export function plainChatBody(raw: unknown): Record<string, unknown> | null {
  if (!isRecord(raw) || raw.model === undefined || raw.messages === undefined) return null;
  for (const name in raw) if (!KNOWN.has(name)) return null;
  const body: Record<string, unknown> = {};
  for (const [name, valid] of FIELDS) {
    if (!Object.hasOwn(raw, name)) continue;
    if (!valid(raw[name])) return null;
    body[name] = raw[name];
  }
  body.messages = (raw.messages as Record<string, unknown>[]).map((message) => ("name" in message ? { role: message.role, content: message.content, name: message.name } : { role: message.role, content: message.content }));
  return body;
}
