// A client that disconnects mid-stream stops the generation; shutdown drains requests in flight.
import { request } from "node:http";
import { afterEach, expect, it } from "vitest";
import { echoModel } from "./test-support/fake-models.js";
import { startHarness, type Harness } from "./test-support/harness.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

it("stops generating when the client disconnects mid-stream, and logs the partial exchange", async () => {
  const slow = echoModel({ delayMs: 40, words: 200 });
  harness = await startHarness({ slow });
  const { secret } = harness.createKey("leaver");
  const url = new URL(`${harness.baseURL}/chat/completions`);
  const body = JSON.stringify({ model: "slow", messages: [{ role: "user", content: "go" }], stream: true });
  await new Promise<void>((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" } }, (res) => {
      let seen = 0;
      res.on("data", () => {
        seen += 1;
        if (seen === 3) {
          req.destroy();
          resolve();
        }
      });
    });
    req.on("error", (error) => (error.message.includes("socket hang up") || error.message.includes("aborted") ? undefined : reject(error)));
    req.end(body);
  });
  await until(() => slow.aborted === 1);
  await until(() => harness!.app.inFlight === 0);
  const row = harness.app.context.db.prepare("SELECT status, finish_reason, response FROM exchanges").get() as { status: number; finish_reason: string; response: string };
  expect(row.status).toBe(499);
  expect(row.finish_reason).toBe("abort");
  expect(row.response.split(" ").length).toBeLessThan(20);
});

it("graceful shutdown lets requests in flight finish and refuses new ones", async () => {
  harness = await startHarness({ slow: echoModel({ delayMs: 50 }) });
  const { secret } = harness.createKey("patient");
  const client = harness.client(secret);
  const inFlight = client.chat.completions.create({ model: "slow", messages: [{ role: "user", content: "one two three" }] });
  await until(() => harness!.app.inFlight === 1);
  const closing = harness.server.close(5000);
  const answer = await inFlight;
  expect(answer.choices[0]!.message.content).toBe("echo: one two three");
  await closing;
  await expect(client.chat.completions.create({ model: "slow", messages: [{ role: "user", content: "late" }] })).rejects.toThrow();
});

it("a non-streamed request whose client leaves is stopped and logged as aborted", async () => {
  const slow = echoModel({ delayMs: 100, words: 50 });
  harness = await startHarness({ slow });
  const { secret } = harness.createKey("impatient");
  const controller = new AbortController();
  const pending = fetch(`${harness.baseURL}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "slow", messages: [{ role: "user", content: "go" }] }),
    signal: controller.signal,
  }).catch(() => "aborted");
  await until(() => slow.requests.length === 1);
  controller.abort();
  expect(await pending).toBe("aborted");
  await until(() => slow.aborted === 1);
  await until(() => harness!.app.inFlight === 0);
  expect(harness.app.context.db.prepare("SELECT status, finish_reason FROM exchanges").get()).toEqual({ status: 499, finish_reason: "abort" });
});
