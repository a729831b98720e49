// resolveModel hands an HTTP reference's retry count and transport to the one adapter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveModel } from "./resolve.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "./test-support/fake-openai-server.js";

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer({ object: "list", data: [] });
});
afterAll(() => server.close());

describe("resolveModel for HTTP references", () => {
  it.each(["sdk", "http"] as const)("makes exactly maxRetries + 1 attempts (%s transport)", async (transport) => {
    server.script([{ status: 500, json: { error: { message: "boom" } } }]);
    for (const maxRetries of [0, 1]) {
      const before = server.requests.length;
      const model = await resolveModel(`${server.baseURL}#m`, { maxRetries, transport, apiKey: "k" });
      await expect(model.generate({ messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ statusCode: 500 });
      expect(server.requests.length - before).toBe(maxRetries + 1);
      expect(server.requests.at(-1)!.headers.authorization).toBe("Bearer k");
      await model.close?.();
    }
  });
});
