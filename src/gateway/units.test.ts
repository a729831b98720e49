// Small pieces: bounded chunked bodies and the pass-through client's error mapping (the limits'
// sliding windows are in store/limits.case.ts, run by every limit store).
import { describe, expect, it } from "vitest";
import { createOpenAICompatibleModel } from "../models/openai-compatible/index.js";
import { Backends, defaultResolver } from "./backends.js";
import { GatewayError } from "./errors.js";
import { readJsonBody } from "./http.js";
import { startFakeUpstream } from "./test-support/fake-upstream.js";

describe("readJsonBody", () => {
  const chunked = (text: string) => new Request("http://x/", { method: "POST", body: new Blob([text]).stream(), duplex: "half" } as RequestInit);

  it("counts a chunked body against the limit", async () => {
    await expect(readJsonBody(chunked("x".repeat(100)), 50)).rejects.toMatchObject({ status: 413 });
    expect(await readJsonBody(chunked('{"ok":true}'), 50)).toEqual({ ok: true });
  });
});

describe("pass-through client", () => {
  it("keeps the upstream's status on failures and retries only when asked", async () => {
    const upstream = await startFakeUpstream();
    try {
      upstream.mode = 500;
      const once = createOpenAICompatibleModel({ baseURL: upstream.baseURL, model: "m", maxRetries: 0, transport: "http" });
      await expect(once.generate({ messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ code: "MODEL_API_ERROR", statusCode: 500 });
      expect(upstream.requests).toBe(1);
      const twice = createOpenAICompatibleModel({ baseURL: upstream.baseURL, model: "m", maxRetries: 1, transport: "http" });
      await expect(twice.generate({ messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ statusCode: 500 });
      expect(upstream.requests).toBe(3);
      upstream.mode = 400;
      await expect(twice.generate({ messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ statusCode: 400 });
      expect(upstream.requests).toBe(4);
    } finally {
      await upstream.close();
    }
    const gone = createOpenAICompatibleModel({ baseURL: upstream.baseURL, model: "m", maxRetries: 0, transport: "http" });
    await expect(gone.generate({ messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ code: "MODEL_CONNECTION" });
  });
});

describe("backends from config", () => {
  it("sends each upstream the key named by its api_key_env", async () => {
    const upstream = await startFakeUpstream();
    try {
      const env = { TEACHER_KEY: "sk-teacher", PEDIGREE_API_KEY: "sk-default" };
      const backends = new Backends({ named: { reference: `${upstream.baseURL}#m`, api_key_env: "TEACHER_KEY" }, plain: `${upstream.baseURL}#m` }, defaultResolver({ env, maxRetries: 0 }), env);
      await (await backends.get("named")).model.generate({ messages: [{ role: "user", content: "x" }] });
      expect(upstream.authorization).toBe("Bearer sk-teacher");
      await (await backends.get("plain")).model.generate({ messages: [{ role: "user", content: "x" }] });
      expect(upstream.authorization).toBe("Bearer sk-default");
    } finally {
      await upstream.close();
    }
  });
});
