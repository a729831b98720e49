// The shared contract suite every ChatModel adapter runs (hono's common.case.test.ts pattern).
// The deterministic half needs a model whose answer is a function of the request and its seed:
// white-box adapters, and an API adapter in front of one.
import { describe, expect, it } from "vitest";
import type { ChatDelta, ChatModel, ChatRequest } from "../spec.js";

export interface ChatModelSuiteOptions {
  create(): Promise<ChatModel>;
  /** True when the same request and seed give the same answer (white-box models, or an API in front of one). */
  deterministic: boolean;
  request?: ChatRequest;
}

const finishReasons = ["stop", "length", "abort", "error"];

async function collect(model: ChatModel, request: ChatRequest): Promise<ChatDelta[]> {
  const deltas: ChatDelta[] = [];
  for await (const delta of model.stream(request)) deltas.push(delta);
  return deltas;
}

export function runChatModelSuite(name: string, options: ChatModelSuiteOptions): void {
  const request: ChatRequest = options.request ?? { messages: [{ role: "user", content: "Say hello." }], maxTokens: 12, temperature: 0, seed: 7 };
  const withModel = (test: (model: ChatModel) => Promise<void>) => async () => {
    const model = await options.create();
    try {
      await test(model);
    } finally {
      await model.close?.();
    }
  };

  describe(`ChatModel contract: ${name}`, () => {
    it("generate returns text, a finish reason and consistent usage", withModel(async (model) => {
      const result = await model.generate(request);
      expect(typeof result.text).toBe("string");
      expect(finishReasons).toContain(result.finishReason);
      expect(result.usage.promptTokens).toBeGreaterThan(0);
      expect(result.usage.totalTokens).toBe(result.usage.promptTokens + result.usage.completionTokens);
    }));

    it("stream ends with one delta carrying the finish reason and usage", withModel(async (model) => {
      const deltas = await collect(model, request);
      const finals = deltas.filter((delta) => delta.finishReason);
      expect(finals).toHaveLength(1);
      expect(deltas.at(-1)).toBe(finals[0]);
      expect(finals[0]!.usage!.totalTokens).toBe(finals[0]!.usage!.promptTokens + finals[0]!.usage!.completionTokens);
    }));

    if (!options.deterministic) return;

    it("stream gives what generate gives, sampled or greedy", withModel(async (model) => {
      for (const variant of [request, { ...request, temperature: 1, seed: 11, maxTokens: 20 }]) {
        const whole = await model.generate(variant);
        const deltas = await collect(model, variant);
        expect(deltas.map((delta) => delta.text).join("")).toBe(whole.text);
        expect(deltas.at(-1)!.finishReason).toBe(whole.finishReason);
        expect(deltas.at(-1)!.usage).toEqual(whole.usage);
        if (whole.tokenIds) expect(deltas.flatMap((delta) => delta.tokenIds ?? [])).toEqual(whole.tokenIds);
      }
    }));

    it("stops at maxTokens with finish reason length", withModel(async (model) => {
      const short = await model.generate({ ...request, maxTokens: 3, temperature: 1, seed: 1 });
      expect(short.usage.completionTokens).toBeLessThanOrEqual(3);
      if (short.usage.completionTokens === 3) expect(short.finishReason).toBe("length");
      const long = await model.generate({ ...request, maxTokens: 24, temperature: 1, seed: 1 });
      expect(long.text.startsWith(short.text)).toBe(true);
    }));

    it("ends the answer before the first stop sequence", withModel(async (model) => {
      const free = await model.generate({ ...request, maxTokens: 24, temperature: 1, seed: 3 });
      const stop = free.text.trim().slice(1, 3);
      expect(stop.length).toBeGreaterThan(0);
      const stopped = await model.generate({ ...request, maxTokens: 24, temperature: 1, seed: 3, stop: [stop] });
      expect(stopped.text).toBe(free.text.slice(0, free.text.indexOf(stop)));
      expect(stopped.finishReason).toBe("stop");
      const streamed = await collect(model, { ...request, maxTokens: 24, temperature: 1, seed: 3, stop: [stop] });
      expect(streamed.map((delta) => delta.text).join("")).toBe(stopped.text);
    }));

    it("the same seed gives the same answer", withModel(async (model) => {
      const sampled = { ...request, temperature: 1, seed: 42, maxTokens: 16 };
      const [a, b] = [await model.generate(sampled), await model.generate(sampled)];
      expect(a.text).toBe(b.text);
      expect(a.usage).toEqual(b.usage);
    }));

    it("gives one log-probability per generated token when asked", withModel(async (model) => {
      const result = await model.generate({ ...request, topLogprobs: 2 });
      expect(result.logprobs).toHaveLength(result.usage.completionTokens);
      for (const entry of result.logprobs!) {
        expect(entry.logprob).toBeLessThanOrEqual(0);
        expect(entry.top).toHaveLength(2);
        expect(entry.top[0]!.logprob).toBeGreaterThanOrEqual(entry.top[1]!.logprob);
      }
    }));
  });
}
