// Template features on hand-made windows: what counts as one template, and whose templates count
// together (the evidence that separates a script rotating wrappers from two tools sharing a key).
import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import type { MonitorExchange } from "./exchange.js";
import { templateGroups, templates } from "./features.js";
import { prepareExchange } from "./prepared.js";
import { embed } from "./text-features.js";
import { fitTopics } from "./topics.js";

const rng = createRandom("features-test");
const word = () => Array.from({ length: 3 + rng.int(6) }, () => String.fromCharCode(97 + rng.int(26))).join("");
/** A question of its own, long enough that a short preamble leaves the MinHash bands to it. */
const question = (length = 24) => `${Array.from({ length }, word).join(" ")}?`;
const topics = fitTopics(Array.from({ length: 20 }, () => embed(question())), 2, rng);

function exchange(id: number, prompt: string, temperature: number | null = null): MonitorExchange {
  return { id, ts: id * 1000, keyId: "k", prompt, allText: prompt, topLogprobs: 0, logprobs: false, n: 1, temperature, maxTokens: null, finishReason: "stop", completionTokens: 10 };
}
const window = (prompts: readonly { text: string; temperature?: number | null }[]) =>
  prompts.map((prompt, i) => prepareExchange(exchange(i + 1, prompt.text, prompt.temperature ?? null), topics));

const PREAMBLE = "You are quorbel, a study helper. Answer briefly.\nUser:";
const WRAPPERS = ["Give a complete answer with background and an example for: {q}", "Provide a detailed structured answer with numbered steps. Task: {q}"];

describe("template features", () => {
  it("counts a short preamble before long questions as one template", () => {
    const items = window(Array.from({ length: 8 }, () => ({ text: `${PREAMBLE} ${question(40)}` })));
    expect(templateGroups(items, new Set()).map((group) => group.length)).toEqual([8]);
    expect(templates(items, new Set()).template_count).toBe(1);
  });

  it("counts one template for each of two tools sharing a key", () => {
    const other = "You are zintrak, a quiz app. Reply in at most three sentences.\nUser:";
    const items = window(Array.from({ length: 60 }, (_, i) => (i % 2 ? { text: `${PREAMBLE} ${question()}` } : { text: `${other} ${question()}`, temperature: 0 })));
    expect(templateGroups(items, new Set())).toHaveLength(2);
    expect(templates(items, new Set()).template_count).toBe(1);
  });

  it("counts every wrapper one client rotates", () => {
    const items = window(Array.from({ length: 60 }, (_, i) => ({ text: WRAPPERS[i % 2]!.replace("{q}", question()), temperature: 0 })));
    expect(templates(items, new Set()).template_count).toBe(2);
  });

  it("keeps two wrappers apart when they carry the same questions", () => {
    // Ten questions asked under both wrappers: the questions' bands link the two, the frames do not.
    const asked = Array.from({ length: 10 }, () => question(40));
    const items = window(Array.from({ length: 60 }, (_, i) => ({ text: WRAPPERS[i % 2]!.replace("{q}", asked[Math.floor(i / 2) % 10]!), temperature: 0 })));
    expect(templateGroups(items, new Set()).map((group) => group.length).sort()).toEqual([30, 30]);
    expect(templates(items, new Set()).template_count).toBe(2);
  });

  it("does not join different questions that share no wrapper", () => {
    const items = window(Array.from({ length: 30 }, () => ({ text: question() })));
    expect(templates(items, new Set()).template_count).toBe(0);
  });
});
