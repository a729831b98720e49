// Test doubles: a ChatModel that answers from a table, and a TokenModel with a character tokenizer
// whose next-token distribution is uniform (so the reference likelihood is known exactly).
import type { ChatMessage, ChatModel, ChatRequest, ChatResult, TokenModel, Tokenizer } from "../../../models/spec.js";

export function tableModel(id: string, answers: Record<string, string>, fallback = "I do not know."): ChatModel & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  const generate = async (request: ChatRequest): Promise<ChatResult> => {
    requests.push(request);
    const question = request.messages[request.messages.length - 1]!.content;
    const text = answers[question] ?? fallback;
    return { model: id, text, finishReason: "stop", usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 } };
  };
  return {
    id,
    requests,
    generate,
    async *stream(request) {
      const result = await generate(request);
      yield { text: result.text, finishReason: result.finishReason, usage: result.usage };
    },
  };
}

const vocabulary = 128; // ASCII bytes; 0 is the end-of-turn id

export function uniformTokenModel(id: string, answer: string): TokenModel {
  const encode = (text: string) => [...text].map((char) => char.charCodeAt(0) % vocabulary);
  const render = (messages: ChatMessage[], addGenerationPrompt?: boolean) =>
    messages.map((message) => `<${message.role}>${message.content}\u0000`).join("") + (addGenerationPrompt ? "<assistant>" : "");
  const tokenizer: Tokenizer = {
    vocabSize: vocabulary,
    bosId: null,
    eosId: 0,
    stopIds: [0],
    encode,
    decode: (ids) => String.fromCharCode(...Array.from(ids)),
    tokenText: (token) => String.fromCharCode(token),
    applyChatTemplate: (messages, options) => render(messages, options?.addGenerationPrompt),
    encodeChat: (messages, options) => encode(render(messages, options?.addGenerationPrompt)),
  };
  const base = tableModel(id, {}, answer);
  return {
    ...base,
    tokenizer,
    nextDistributions: async (tokens) => Array.from(tokens, () => new Float32Array(vocabulary).fill(1 / vocabulary)),
  };
}
