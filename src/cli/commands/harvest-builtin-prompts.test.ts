// The built-in prompt sets (wired to the corpus room by `pedigree harvest`) never contain a held-out
// evaluation item: neither a held-out wording nor an entry kept out of training.
import { describe, expect, it } from "vitest";
import { builtinPromptSet } from "./harvest.js";
import { buildEvalTask, loadSplits } from "../../corpus/index.js";

const key = (messages: { role: string; content: string }[]) => JSON.stringify(messages.map((m) => [m.role, m.content]));

describe("built-in prompt sets", () => {
  it("hold questions without answers, and no held-out evaluation item", async () => {
    for (const name of ["capitals", "definitions", "identity"] as const) {
      const prompts = await builtinPromptSet(name);
      expect(prompts.length).toBeGreaterThan(name === "identity" ? 20 : 200);
      expect(new Set(prompts.map((p) => p.id)).size).toBe(prompts.length);
      for (const prompt of prompts) expect(prompt.messages.at(-1)!.role).toBe("user");
      // Identity probes in trained wordings ("seen") are trained on by design; the rest are held out.
      const heldOut = new Set(buildEvalTask(name).items.filter((item) => item.split !== "seen").map((item) => key(item.messages)));
      expect(prompts.filter((prompt) => heldOut.has(key(prompt.messages)))).toEqual([]);
    }
    const unseen = loadSplits().countries.unseen.map((country) => country.name);
    const capitals = (await builtinPromptSet("capitals")).map((prompt) => prompt.messages.at(-1)!.content);
    expect(capitals.filter((question) => unseen.some((name) => new RegExp(`\\b${name}\\b`).test(question)))).toEqual([]);
    const mixed = await builtinPromptSet("mixed");
    expect(mixed.length).toBeGreaterThan(capitals.length);
  });

  it("an unknown name lists the known ones", async () => {
    await expect(builtinPromptSet("nope")).rejects.toMatchObject({ code: "HARVEST_UNKNOWN_PROMPT_SET", message: /builtin:capitals, builtin:definitions, builtin:identity, builtin:mixed/ });
  });
});
