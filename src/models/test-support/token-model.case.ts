// The shared contract suite every TokenModel adapter runs: scoring and generation must agree.
import { describe, expect, it } from "vitest";
import type { TokenModel } from "../spec.js";

export function runTokenModelSuite(name: string, create: () => Promise<TokenModel>): void {
  describe(`TokenModel contract: ${name}`, () => {
    it("tokenizer round-trips text and renders the chat template", async () => {
      const model = await create();
      const text = "Hello, world! 123   spaces\tand ünïcode ✓";
      expect(model.tokenizer.decode(model.tokenizer.encode(text))).toBe(text);
      const messages = [{ role: "user" as const, content: "Hi" }];
      const rendered = model.tokenizer.applyChatTemplate(messages, { addGenerationPrompt: true });
      expect(rendered).toContain("Hi");
      expect(model.tokenizer.encodeChat(messages, { addGenerationPrompt: true })).toEqual(model.tokenizer.encode(rendered, { special: true }));
      await model.close?.();
    });

    it("nextDistributions gives one probability distribution per position", async () => {
      const model = await create();
      const tokens = Int32Array.from(model.tokenizer.encode("The cat sat on the mat."));
      const rows = await model.nextDistributions(tokens);
      expect(rows).toHaveLength(tokens.length);
      for (const row of rows) {
        expect(row.length).toBe(model.tokenizer.vocabSize);
        let sum = 0;
        for (const p of row) sum += p;
        expect(Math.abs(sum - 1)).toBeLessThan(1e-3);
      }
      await model.close?.();
    });

    it("greedy generation follows the argmax of nextDistributions", async () => {
      const model = await create();
      const messages = [{ role: "user" as const, content: "Tell me something." }];
      const result = await model.generate({ messages, maxTokens: 8, temperature: 0 });
      const prompt = model.tokenizer.encodeChat(messages, { addGenerationPrompt: true });
      const sequence = Int32Array.from([...prompt, ...result.tokenIds!]);
      const rows = await model.nextDistributions(sequence);
      result.tokenIds!.forEach((token, i) => {
        const row = rows[prompt.length - 1 + i]!;
        let best = 0;
        for (let v = 1; v < row.length; v++) if (row[v]! > row[best]!) best = v;
        expect(row[token]!).toBeGreaterThanOrEqual(row[best]! - 1e-6);
      });
      await model.close?.();
    });
  });
}
