// A ChatModel whose answers are a function of the prompt, counting every call: lets audit tests
// check what is asked, how often, and how failures are handled, without a real model.
import { ModelError, type ChatModel, type ChatRequest, type ChatResult } from "../../models/index.js";

export interface ScriptedModel extends ChatModel {
  calls: ChatRequest[];
}

export function scriptedModel(id: string, answer: (prompt: string, request: ChatRequest) => string | Error): ScriptedModel {
  const calls: ChatRequest[] = [];
  const generate = async (request: ChatRequest): Promise<ChatResult> => {
    calls.push(request);
    const text = answer(request.messages.at(-1)?.content ?? "", request);
    if (text instanceof Error) throw text;
    return { model: id, text, finishReason: "stop", usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 } };
  };
  return {
    id,
    calls,
    generate,
    async *stream(request) {
      const result = await generate(request);
      yield { text: result.text, finishReason: result.finishReason, usage: result.usage };
    },
  };
}

export const retryableError = () => new ModelError("MODEL_API_ERROR", "503 from the fake server", { statusCode: 503 });
