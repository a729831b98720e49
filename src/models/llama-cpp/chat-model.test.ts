// The whole ChatModel contract on llama.cpp: sampling is the project's seeded loop, and one thread
// gives the same logits every time, so the deterministic half runs too. One tiny model serves
// every test (loading is the slow part).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { tinyGguf } from "../../engine/test-support/tiny-gguf.js";
import type { TokenModel } from "../spec.js";
import { runChatModelSuite } from "../test-support/chat-model.case.js";
import { openLlamaCppModel } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "llama-cpp-chat-"));
const path = join(dir, "tiny.gguf");
writeFileSync(path, tinyGguf({ layers: 1, width: 32, heads: 4, ff: 64, seed: 6 }).bytes);

let shared: Promise<TokenModel> | undefined;
afterAll(async () => {
  await (await shared)?.close?.();
  rmSync(dir, { recursive: true, force: true });
});

runChatModelSuite("llama-cpp", {
  deterministic: true,
  create: async () => {
    shared ??= openLlamaCppModel(path, { contextSize: 128, threads: 1 });
    // The suite closes each model it creates; this one is closed once, after the suite.
    return { ...(await shared), close: undefined };
  },
});
