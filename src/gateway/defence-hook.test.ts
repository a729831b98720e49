// The defence hook: the key policy switches antidistillation on and off, the watermark still detects
// answers served with both, a defence that does not fit its model stops the start, black-box models
// say they are unprotected (or are watermarked by candidate selection, degrading to fewer candidates).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyDefence, writeModel, type TinyDefence } from "../defend/test-support/tiny-defence.js";
import { openEngineModel } from "../models/builtin/index.js";
import { resolveModel, type ChatModel, type ChatRequest, type TokenModel } from "../models/index.js";
import { createRandom } from "../random/index.js";
import { brownWords } from "../watermark/test-support/brown.js";
import { DEFAULT_PARAMS, WatermarkKey, writeKeyFile } from "../watermark/index.js";
import { Backends } from "./backends.js";
import { defencesSchema } from "./defence-config.js";
import { DefenceHook } from "./defence-hook.js";
import { ADMIN_KEY, startHarness, type Harness } from "./test-support/harness.js";
import { loadWatermarkHook, type WatermarkHook } from "./watermark-hook.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-defence-hook-"));
let fixture: TinyDefence;
let watermark: WatermarkHook;
let harness: Harness;

/** A black-box upstream: random words, a different answer per seed; fails every third request. */
function wordsUpstream(options: { flaky?: boolean } = {}): ChatModel & { requests: ChatRequest[] } {
  const words = [...new Set(brownWords(20).map((word) => word.toLowerCase()).filter((word) => /^[a-z]+$/.test(word)))].slice(0, 3000);
  const requests: ChatRequest[] = [];
  const generate = async (request: ChatRequest) => {
    requests.push(request);
    if (options.flaky && requests.length % 3 === 0) throw new Error("upstream hiccup");
    const random = createRandom(request.seed ?? 0);
    const count = Math.min(request.maxTokens ?? 60, 60);
    const text = Array.from({ length: count }, () => ` ${words[random.int(words.length)]}`).join("");
    return { model: "words", text, finishReason: count < 60 ? "length" as const : "stop" as const, usage: { promptTokens: 5, completionTokens: count, totalTokens: count + 5 } };
  };
  return {
    id: "words", requests, generate,
    async *stream(request) {
      const result = await generate(request);
      yield { text: result.text, finishReason: result.finishReason, usage: result.usage };
    },
  };
}

beforeAll(async () => {
  fixture = await tinyDefence(dir, { lambda: 1 });
  // A fixed key, so the answers (and what the detector scores) are the same on every run.
  await writeKeyFile(join(dir, "wm.key"), new WatermarkKey("kgw", DEFAULT_PARAMS.kgw, Uint8Array.from({ length: 32 }, (_, i) => i + 7)));
  watermark = (await loadWatermarkHook(join(dir, "wm.key"), "kgw")).hook;
  const models = { tiny: fixture.teacherPath, up: wordsUpstream() };
  harness = await startHarness(models, { watermark });
  const config = defencesSchema.parse({ antidistill: { tiny: { directory: fixture.directory } }, candidate_selection: { enabled: true, n: 4, chunk_tokens: 6, tokenizer: "atlas" } });
  harness.app.context.defence = await DefenceHook.load({ config, sources: models, backends: harness.app.context.backends, watermark });
});
afterAll(async () => {
  await harness.stop();
  rmSync(dir, { recursive: true, force: true });
});

const decisions = (id: string) => (harness.db.prepare("SELECT decision FROM exchanges WHERE key_id = ? ORDER BY id").all(id) as { decision: string }[]).map((row) => row.decision);

describe("defence hook", () => {
  it("switches antidistillation per key: same prompt and seed, another answer, and the log says so", async () => {
    const plain = await harness.createKey("plain", { distillation: true, watermark: false });
    const defended = await harness.createKey("defended", { distillation: true, watermark: false, defence: "antidistill" });
    const ask = (secret: string) => harness.client(secret).chat.completions.create({ model: "tiny", messages: [{ role: "user", content: "Tell me about Paris." }], temperature: 0, max_tokens: 40 });
    const [a, b, c] = [await ask(plain.secret), await ask(defended.secret), await ask(plain.secret)];
    expect(a.choices[0]!.message.content).toBe(c.choices[0]!.message.content);
    expect(b.choices[0]!.message.content).not.toBe(a.choices[0]!.message.content);
    expect(decisions(plain.id)).toEqual(["allowed", "allowed"]);
    expect(decisions(defended.id)).toEqual(["allowed;antidistill=1"]);
    const models = await (await fetch(`${harness.baseURL}/models`, { headers: { authorization: `Bearer ${defended.secret}` } })).json() as { data: { id: string; protection: unknown }[] };
    expect(models.data.find((model) => model.id === "tiny")?.protection).toEqual({ watermark: null, defence: "antidistill" });
  });

  it("composes with the watermark: answers generated through the hook's chain are still detected", async () => {
    const both = (await harness.createKey("both", { defence: "antidistill" })).id;
    const key = (await harness.app.context.keys.get(both))!;
    const backend = await harness.app.context.backends.get("tiny");
    const ids: number[][] = [];
    let changed = 0;
    for (let seed = 0; seed < 4; seed++) {
      // As the chat route does: the watermark's processor, then the defence hook.
      const chat: ChatRequest = { messages: [{ role: "user", content: `Write ${seed}.` }], seed, maxTokens: 80, logitsProcessors: [watermark.processor()] };
      harness.app.context.defence!.apply(backend, key, chat, { watermarkKeyId: watermark.keyId });
      expect(chat.logitsProcessors).toHaveLength(2);
      const result = await backend.model.generate(chat);
      const watermarkOnly = await backend.model.generate({ ...chat, logitsProcessors: [watermark.processor()] });
      if (result.text !== watermarkOnly.text) changed++;
      ids.push(result.tokenIds!);
    }
    expect(changed).toBeGreaterThan(0);
    const detection = watermark.watermark!.detectTokens(ids);
    expect(detection.scored).toBeGreaterThan(50);
    expect(detection.p_value).toBeLessThan(1e-6);
  });

  it("watermarks a black-box upstream by candidate selection and logs the candidates used", async () => {
    const key = await harness.createKey("customer");
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await harness.client(key.secret).chat.completions.create({ model: "up", messages: [{ role: "user", content: `question ${i}` }] });
      texts.push(answer.choices[0]!.message.content ?? "");
    }
    const atlas = (await resolveModel("atlas")) as TokenModel;
    const detection = watermark.watermark!.detectText(texts, atlas.tokenizer);
    await atlas.close?.();
    expect(detection.p_value).toBeLessThan(1e-3);
    expect(decisions(key.id)).toEqual(Array(3).fill(expect.stringMatching(/^allowed;candidates=4\/4;chunks=43;upstream_tokens=1024$/)));
    const row = harness.db.prepare("SELECT watermark_key_id FROM exchanges WHERE key_id = ?").get(key.id) as { watermark_key_id: string };
    expect(row.watermark_key_id).toBe(watermark.keyId);
    const admin = await (await fetch(`${harness.server.url}/admin/models`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json() as { data: { model: string; watermark: { scheme: string | null }; defences: string[] }[] };
    expect(admin.data.map(({ model, watermark, defences }) => ({ model, scheme: watermark.scheme, defences }))).toEqual([{ model: "tiny", scheme: "kgw", defences: ["antidistill"] }, { model: "up", scheme: "candidate-selection", defences: [] }]);
  });

  it("streams a selected answer chunk by chunk", async () => {
    const key = await harness.createKey("streamer");
    const stream = await harness.client(key.secret).chat.completions.create({ model: "up", messages: [{ role: "user", content: "stream it" }], max_tokens: 30, stream: true });
    const pieces: string[] = [];
    for await (const part of stream) if (part.choices[0]?.delta.content) pieces.push(part.choices[0].delta.content);
    expect(pieces.length).toBe(5);
    expect(pieces.join("").split(" ").filter(Boolean)).toHaveLength(30);
    expect(decisions(key.id)).toEqual([expect.stringMatching(/^allowed;candidates=4\/4;chunks=5;/)]);
  });

  it("degrades to the candidates a flaky upstream returns", async () => {
    const upstream = wordsUpstream({ flaky: true });
    const sources = { flaky: upstream };
    const config = defencesSchema.parse({ candidate_selection: { enabled: true, n: 3, tokenizer: fixture.teacherPath } });
    const hook = await DefenceHook.load({ config, sources, backends: new Backends(sources, async () => upstream), watermark });
    const start = { watermarkKeyId: null as string | null, notes: [] as string[] };
    const key = { id: "k", name: "k", createdAt: 0, revokedAt: null, policy: { models: null, rpm: null, tpm: null, dailyTokens: null, watermark: true, distillation: false, defence: "none" as const } };
    const served = hook.apply({ name: "flaky", model: upstream, whiteBox: false }, key, {}, start);
    await served.model.generate({ messages: [{ role: "user", content: "hi" }], seed: 1 });
    expect(start.notes).toContain("candidates=2/3");
  });

  it("warns for a black-box model it cannot watermark, and refuses a defence that does not fit its model", async () => {
    const other = writeModel(dir, "other.gguf", { seed: 3, texts: ["another corpus entirely, with other words"], vocabSize: 290 });
    const sources = { other, up: "http://127.0.0.1:9/v1#m" };
    const backends = new Backends(sources, async (reference) => openEngineModel(reference));
    const plain = await DefenceHook.load({ config: defencesSchema.parse({}), sources: { up: sources.up }, backends, watermark });
    expect(plain.warnings).toEqual([expect.stringMatching(/^warning: model 'up' is a black-box upstream: the gateway cannot watermark its answers/)]);
    expect(plain.protection("up")).toEqual({ watermark: null, defence: null });
    const config = defencesSchema.parse({ antidistill: { other: { directory: fixture.directory } } });
    await expect(DefenceHook.load({ config, sources, backends, watermark })).rejects.toMatchObject({ code: "DEFENCE_MISMATCH" });
    const blackBox = defencesSchema.parse({ antidistill: { up: { directory: fixture.directory } } });
    await expect(DefenceHook.load({ config: blackBox, sources, backends: new Backends(sources, async () => wordsUpstream()), watermark })).rejects.toMatchObject({ code: "CONFIG_INVALID" });
  });
});
