// The model `pedigree monitor simulate` serves: it answers "echo: " + the prompt, cut at max_tokens,
// in microseconds, so a day of simulated traffic replays through the real gateway quickly and the
// logged rows match the simulator's own (see the monitor's simulate/direct.ts).
import type { ChatDelta, ChatModel, ChatRequest, ChatResult } from "../../models/spec.js";

function answer(request: ChatRequest): { words: string[]; finish: "stop" | "length"; prompt: number } {
  const last = request.messages.at(-1)?.content ?? "";
  const all = `echo: ${last}`.split(" ");
  const words = all.slice(0, request.maxTokens ?? Infinity);
  const prompt = request.messages.reduce((sum, message) => sum + message.content.split(" ").length, 0);
  return { words, finish: words.length === request.maxTokens ? "length" : "stop", prompt };
}

export const echoModel: ChatModel = {
  id: "echo",
  async generate(request): Promise<ChatResult> {
    const { words, finish, prompt } = answer(request);
    const logprobs = request.logprobs ? words.map((word, i) => ({ token: i === 0 ? word : ` ${word}`, logprob: -0.5, top: [{ token: i === 0 ? word : ` ${word}`, logprob: -0.5 }] })) : undefined;
    return { model: "echo", text: words.join(" "), finishReason: finish, usage: { promptTokens: prompt, completionTokens: words.length, totalTokens: prompt + words.length }, logprobs };
  },
  async *stream(request): AsyncIterable<ChatDelta> {
    const result = await echoModel.generate(request);
    yield { text: result.text };
    yield { text: "", finishReason: result.finishReason, usage: result.usage };
  },
};
