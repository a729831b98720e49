// The Node adapter's fast path for chat completions answers as the hono route does: the same bodies,
// headers and errors, a chunked body over the limit refused, and a revocation seen on the next call.
import { request } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { echoModel } from "./test-support/fake-models.js";
import { startHarness, type Harness } from "./test-support/harness.js";

let harness: Harness;
let key: { id: string; secret: string };

beforeAll(async () => {
  harness = await startHarness({ echo: echoModel() }, { config: { limits: { body_bytes: 4096 } } });
  key = await harness.createKey("main");
});
afterAll(() => harness.stop());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function post(path: string, body: string, headers: Record<string, string> = {}, chunked = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${harness.server.url}${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key.secret}`, ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (part: string) => (text += part));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    if (chunked) {
      // Two writes without a declared length: node:http sends them chunked.
      req.write(body.slice(0, body.length >> 1));
      req.end(body.slice(body.length >> 1));
    } else req.end(body);
  });
}

const ask = JSON.stringify({ model: "echo", messages: [{ role: "user", content: "hello there" }] });
// Parsed, minus the fields that differ on every answer.
const stable = (answer: Answer) => {
  const { id: _id, created: _created, ...rest } = JSON.parse(answer.body) as Record<string, unknown>;
  return { status: answer.status, type: answer.headers["content-type"], body: rest };
};

it("answers with a Content-Length, as the hono route does (reached here with a query string)", async () => {
  const fast = await post("/v1/chat/completions", ask);
  const viaHono = await post("/v1/chat/completions?via=hono", ask);
  expect(fast.headers["content-length"]).toBe(String(Buffer.byteLength(fast.body)));
  expect(stable(fast)).toEqual(stable(viaHono));
  expect(stable(fast).body).toMatchObject({ object: "chat.completion", choices: [{ message: { content: "echo: hello there" } }] });
});

it("gives the same errors: a bad key, malformed JSON, an unknown model", async () => {
  for (const [body, headers] of [[ask, { authorization: "Bearer pdg-wrong" }], ["{not json", {}], [JSON.stringify({ model: "nope", messages: [{ role: "user", content: "x" }] }), {}]] as const) {
    const fast = await post("/v1/chat/completions", body, headers);
    const viaHono = await post("/v1/chat/completions?via=hono", body, headers);
    expect([fast.status, fast.body]).toEqual([viaHono.status, viaHono.body]);
    expect(fast.status).toBeGreaterThanOrEqual(400);
  }
});

it("refuses a chunked body over the limit with a 413 and closes the connection", async () => {
  const big = JSON.stringify({ model: "echo", messages: [{ role: "user", content: "x".repeat(5000) }] });
  const answer = await post("/v1/chat/completions", big, {}, true);
  expect([answer.status, JSON.parse(answer.body).error.code]).toEqual([413, "request_too_large"]);
  expect(answer.headers.connection).toBe("close");
});

it("streams through the fast path as server-sent events ending in [DONE]", async () => {
  const answer = await post("/v1/chat/completions", JSON.stringify({ model: "echo", messages: [{ role: "user", content: "a b" }], stream: true }));
  expect(answer.headers["content-type"]).toMatch(/^text\/event-stream/);
  expect(answer.body.trimEnd().endsWith("data: [DONE]")).toBe(true);
});

it("a revoked key is refused from the next request on", async () => {
  const own = await harness.createKey("revoked-soon");
  const once = (secret: string) => post("/v1/chat/completions", ask, { authorization: `Bearer ${secret}` });
  expect((await once(own.secret)).status).toBe(200);
  await harness.app.context.keys.revoke(own.id);
  expect((await once(own.secret)).status).toBe(401);
});
