// The shared contract suite every ChatModel adapter runs (hono's common.case.test.ts pattern).
import { describe, expect, it } from "vitest";
import type { ChatDelta, ChatModel, ChatRequest } from "../spec.js";

export interface ChatModelSuiteOptions {
  create(): Promise<ChatModel>;
  /** True when the same seed and temperature 0 give the same answer (white-box adapters). */
  deterministic: boolean;
  request?: ChatRequest;
}

const finishReasons = ["stop", "length", "abort", "error"];

export function runChatModelSuite(name: string, options: ChatModelSuiteOptions): void {
  const request: ChatRequest = options.request ?? { messages: [{ role: "user", content: "Say hello." }], maxTokens: 12, temperature: 0, seed: 7 };

  describe(`ChatModel contract: ${name}`, () => {
    it("generate returns text, a finish reason and consistent usage", async () => {
      const model = await options.create();
      const result = await model.generate(request);
      expect(typeof result.text).toBe("string");
      expect(finishReasons).toContain(result.finishReason);
      expect(result.usage.promptTokens).toBeGreaterThan(0);
      expect(result.usage.totalTokens).toBe(result.usage.promptTokens + result.usage.completionTokens);
      await model.close?.();
    });

    it("stream ends with one delta carrying the finish reason and usage", async () => {
      const model = await options.create();
      const deltas: ChatDelta[] = [];
      for await (const delta of model.stream(request)) deltas.push(delta);
      const finals = deltas.filter((delta) => delta.finishReason);
      expect(finals).toHaveLength(1);
      expect(deltas.at(-1)).toBe(finals[0]);
      expect(finals[0]!.usage!.totalTokens).toBe(finals[0]!.usage!.promptTokens + finals[0]!.usage!.completionTokens);
      if (options.deterministic) {
        const whole = await model.generate(request);
        expect(deltas.map((delta) => delta.text).join("")).toBe(whole.text);
        expect(finals[0]!.usage).toEqual(whole.usage);
      }
      await model.close?.();
    });

    if (options.deterministic) {
      it("respects maxTokens and stop sequences", async () => {
        const model = await options.create();
        const short = await model.generate({ ...request, maxTokens: 3, temperature: 1, seed: 1 });
        expect(short.usage.completionTokens).toBeLessThanOrEqual(3);
        const free = await model.generate({ ...request, maxTokens: 24, temperature: 1, seed: 3 });
        const stop = free.text.trim().slice(1, 3);
        if (stop.length > 0) {
          const stopped = await model.generate({ ...request, maxTokens: 24, temperature: 1, seed: 3, stop: [stop] });
          expect(stopped.text.includes(stop)).toBe(false);
          expect(stopped.finishReason).toBe("stop");
          expect(free.text.startsWith(stopped.text)).toBe(true);
        }
        await model.close?.();
      });

      it("the same seed gives the same answer", async () => {
        const model = await options.create();
        const sampled = { ...request, temperature: 1, seed: 42, maxTokens: 16 };
        const [a, b] = [await model.generate(sampled), await model.generate(sampled)];
        expect(a.text).toBe(b.text);
        await model.close?.();
      });
    }
  });
}
