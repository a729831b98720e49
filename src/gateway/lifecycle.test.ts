// A client that disconnects mid-stream stops the generation; shutdown drains requests in flight.
// The fake backends stall or wait for the test's go-ahead, so nothing here races a timer.
import { request } from "node:http";
import { afterEach, expect, it } from "vitest";
import type { SqliteDatabase } from "./store/sqlite/database.js";
import { echoModel } from "./test-support/fake-models.js";
import { startHarness, type Harness } from "./test-support/harness.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** The first logged exchange, once the gateway has written it (the test's timeout bounds the wait). */
async function loggedExchange(db: SqliteDatabase): Promise<Record<string, unknown>> {
  for (;;) {
    const row = db.prepare("SELECT status, finish_reason, response FROM exchanges ORDER BY id LIMIT 1").get() as Record<string, unknown> | undefined;
    if (row) return row;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

it("stops generating when the client disconnects mid-stream, and logs the partial exchange", async () => {
  // Three words ("echo:", "go", "echo:"), then the backend stalls until it is stopped.
  const slow = echoModel({ words: 200, hangAfter: 3 });
  harness = await startHarness({ slow });
  const { secret } = await harness.createKey("leaver");
  const url = new URL(`${harness.baseURL}/chat/completions`);
  const body = JSON.stringify({ model: "slow", messages: [{ role: "user", content: "go" }], stream: true });
  await new Promise<void>((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('"content":" echo:"')) {
          req.destroy();
          resolve();
        }
      });
    });
    req.on("error", (error) => (error.message.includes("socket hang up") || error.message.includes("aborted") ? undefined : reject(error)));
    req.end(body);
  });
  await slow.untilAborted(1);
  expect(await loggedExchange(harness.db)).toEqual({ status: 499, finish_reason: "abort", response: "echo: go echo:" });
});

it("graceful shutdown lets requests in flight finish and refuses new ones", async () => {
  let answer: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (answer = resolve));
  const slow = echoModel({ gate });
  harness = await startHarness({ slow });
  const { secret } = await harness.createKey("patient");
  const client = harness.client(secret);
  const inFlight = client.chat.completions.create({ model: "slow", messages: [{ role: "user", content: "one two three" }] });
  await slow.untilRequests(1);
  expect(harness.app.inFlight).toBe(1);
  const closing = harness.server.close(30_000);
  answer();
  expect((await inFlight).choices[0]!.message.content).toBe("echo: one two three");
  await closing;
  await expect(client.chat.completions.create({ model: "slow", messages: [{ role: "user", content: "late" }] })).rejects.toThrow();
});

it("a non-streamed request whose client leaves is stopped and logged as aborted", async () => {
  const slow = echoModel({ hangAfter: 0 });
  harness = await startHarness({ slow });
  const { secret } = await harness.createKey("impatient");
  const controller = new AbortController();
  const pending = fetch(`${harness.baseURL}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "slow", messages: [{ role: "user", content: "go" }] }),
    signal: controller.signal,
  }).catch(() => "aborted");
  await slow.untilRequests(1);
  controller.abort();
  expect(await pending).toBe("aborted");
  await slow.untilAborted(1);
  expect(await loggedExchange(harness.db)).toEqual({ status: 499, finish_reason: "abort", response: "" });
});
