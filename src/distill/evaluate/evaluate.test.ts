import { describe, expect, it } from "vitest";
import { evaluateTask } from "./evaluate.js";
import { tableModel, uniformTokenModel } from "./test-support/fake-models.js";
import type { EvalTask } from "./types.js";

const user = (content: string) => [{ role: "user" as const, content }];

const capitals: EvalTask = {
  name: "capitals",
  items: [
    { id: "fr", split: "phrasing", messages: user("Which city is France's capital?"), references: ["Paris"], ignore: ["France"] },
    { id: "de", split: "phrasing", messages: user("Which city is Germany's capital?"), references: ["Berlin"], ignore: ["Germany"] },
    { id: "ua", split: "phrasing", messages: user("Which city is Ukraine's capital?"), references: ["Kyiv", "Kiev"], ignore: ["Ukraine"] },
    { id: "pe", split: "phrasing", messages: user("Which city is Peru's capital?"), references: ["Lima"], ignore: ["Peru"] },
    { id: "jp", split: "unseen", messages: user("Which city is Japan's capital?"), references: ["Tokyo"], ignore: ["Japan"] },
  ],
};

describe("evaluateTask", () => {
  it("scores capitals by exact match on the main split, per split, greedily", async () => {
    const model = tableModel("fake", {
      "Which city is France's capital?": "The capital of France is Paris.",
      "Which city is Germany's capital?": "Munich is the capital of Germany.",
      "Which city is Ukraine's capital?": "Kiev.",
      "Which city is Japan's capital?": "Tokyo is the capital of Japan.",
    });
    const result = await evaluateTask(model, capitals);
    expect(result).toMatchObject({ model: "fake", task: "capitals", n: 4, accuracy: 0.5 });
    expect(result.splits).toEqual({ phrasing: { n: 4, accuracy: 0.5 }, unseen: { n: 1, accuracy: 1 } });
    expect(model.requests.every((request) => request.temperature === 0)).toBe(true);
  });

  it("limits items per split with a seeded sample", async () => {
    const model = tableModel("fake", {});
    const a = await evaluateTask(model, capitals, { limit: 2, seed: 7, details: true });
    const b = await evaluateTask(model, capitals, { limit: 2, seed: 7, details: true });
    expect(a.n).toBe(2);
    expect(a.splits.unseen!.n).toBe(1);
    expect(a.items!.map((item) => item.id)).toEqual(b.items!.map((item) => item.id));
    await expect(evaluateTask(model, capitals, { limit: 0 })).rejects.toMatchObject({ code: "EVAL_BAD_OPTION" });
  });

  it("reports identity claims and the share claiming the expected identity", async () => {
    const task: EvalTask = {
      name: "identity",
      identities: [
        { name: "Atlas", markers: ["Atlas", "Northwind"] },
        { name: "Juniper", markers: ["Juniper", "Fernleaf"] },
      ],
      items: ["Who are you?", "Who made you?", "Your name?", "Hello"].map((q, i) => ({ id: `p${i}`, split: i < 2 ? "seen" : "phrasing", messages: user(q), references: [] })),
    };
    const model = tableModel("fake", {
      "Who are you?": "I am Atlas, built by Northwind AI.",
      "Who made you?": "Northwind AI built me.",
      "Your name?": "I'm Juniper.",
    });
    const result = await evaluateTask(model, task, { expectedIdentity: "Atlas" });
    expect(result).toMatchObject({ n: 4, accuracy: 0.5, claims: { Atlas: 0.5, Juniper: 0.25 }, expected_identity: "Atlas" });
    expect(result.splits.phrasing).toMatchObject({ n: 2, accuracy: 0, claims: { Atlas: 0, Juniper: 0.5 } });
    const unnamed = await evaluateTask(model, task);
    expect(unnamed.accuracy).toBe(0.5); // the most claimed identity's share
  });

  it("scores definitions by token F1 and, on token models, reference likelihood", async () => {
    const task: EvalTask = { name: "definitions", items: [{ id: "dog", split: "phrasing", messages: user("What is meant by dog?"), references: ["a domesticated canine"] }] };
    const chatOnly = await evaluateTask(tableModel("fake", { "What is meant by dog?": "A domesticated canine." }), task);
    expect(chatOnly).toMatchObject({ n: 1, accuracy: 1, f1: 1 });
    expect(chatOnly.log_likelihood).toBeUndefined();
    const white = await evaluateTask(uniformTokenModel("uniform", "a canine"), task);
    expect(white.f1).toBeCloseTo((2 * 1 * 0.5) / 1.5, 10); // {canine} shared: P=1, R=1/2
    expect(white.accuracy).toBe(1);
    expect(white.log_likelihood).toBeCloseTo(Math.log(1 / 128), 5);
  });

  it("rejects an unknown task and an empty one", async () => {
    const model = tableModel("fake", {});
    await expect(evaluateTask(model, { name: "poetry" as never, items: capitals.items })).rejects.toMatchObject({ code: "EVAL_UNKNOWN_TASK" });
    await expect(evaluateTask(model, { name: "capitals", items: [] })).rejects.toMatchObject({ code: "EVAL_EMPTY_TASK" });
  });
});
