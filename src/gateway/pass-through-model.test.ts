// The gateway's pass-through model (what defaultResolver makes of an HTTP reference) runs the whole
// ChatModel contract in front of a tiny seeded model, and never retries under its client's retries.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyGguf } from "../engine/test-support/tiny-gguf.js";
import { openEngineModel } from "../models/builtin/index.js";
import { runChatModelSuite } from "../models/test-support/chat-model.case.js";
import { serveChatModel, type ChatModelServer } from "../models/test-support/chat-model-server.js";
import { defaultResolver } from "./backends.js";
import { startFakeUpstream } from "./test-support/fake-upstream.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-pass-through-"));
const path = join(dir, "tiny.gguf");
writeFileSync(path, tinyGguf({ layers: 1, width: 32, heads: 4, ff: 64, seed: 10 }).bytes);
let upstream: ChatModelServer;
beforeAll(async () => {
  upstream = await serveChatModel(await openEngineModel(path));
});
afterAll(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

runChatModelSuite("gateway pass-through model", {
  deterministic: true,
  create: () => defaultResolver({ env: {} })(`${upstream.baseURL}#tiny`),
});

describe("pass-through retries", () => {
  it("makes one upstream attempt unless upstream_retries asks for more", async () => {
    const failing = await startFakeUpstream();
    try {
      failing.mode = 503;
      const model = await defaultResolver({ env: {} })(`${failing.baseURL}#m`);
      await expect(model.generate({ messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ statusCode: 503 });
      expect(failing.requests).toBe(1);
    } finally {
      await failing.close();
    }
  });
});
