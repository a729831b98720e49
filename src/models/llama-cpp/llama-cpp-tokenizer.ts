// The Tokenizer of the model spec on top of llama.cpp's own tokenizer, so ids are exactly those
// llama.cpp computes with. ChatML models (a template that uses <|im_start|>) are rendered by the
// project's ChatML renderer; other templates go through node-llama-cpp's chat wrapper for the model.
import type { LlamaModel, Token } from "node-llama-cpp";
import { resolveChatWrapper } from "node-llama-cpp";
import { renderChatml } from "../../engine/tokenizer/chat-template.js";
import type { ChatMessage, Tokenizer } from "../spec.js";

export function createLlamaCppTokenizer(model: LlamaModel, vocabSize: number, chatTemplate: string | undefined): Tokenizer {
  const bosId = model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
  const eosId = model.tokens.eos ?? model.tokens.eot ?? 0;
  const chatml = chatTemplate === undefined || chatTemplate.includes("<|im_start|>");
  const stopIds = new Set<number>();
  for (let id = 0; id < vocabSize; id++) if (model.isEogToken(id as Token)) stopIds.add(id);
  if (chatml) {
    const imEnd = model.tokenize("<|im_end|>", true);
    if (imEnd.length === 1) stopIds.add(imEnd[0]!);
  }
  stopIds.add(eosId);

  const encode = (text: string, options: { special?: boolean } = {}): number[] => {
    const ids = Array.from(model.tokenize(text, options.special ?? false), Number);
    return bosId !== null ? [bosId, ...ids] : ids;
  };
  const wrapperState = (messages: ChatMessage[], addGenerationPrompt: boolean) => {
    const wrapper = resolveChatWrapper(model);
    const chatHistory = messages.map((m) =>
      m.role === "assistant" ? { type: "model" as const, response: [m.content] } : { type: m.role, text: m.content },
    );
    if (addGenerationPrompt) chatHistory.push({ type: "model", response: [] });
    return wrapper.generateContextState({ chatHistory }).contextText;
  };

  return {
    vocabSize,
    bosId,
    eosId,
    stopIds: [...stopIds].sort((a, b) => a - b),
    encode,
    decode: (ids) => model.detokenize(Array.from(ids) as Token[], false),
    tokenText: (id) => model.detokenize([id as Token], true),
    applyChatTemplate(messages, options = {}) {
      return chatml ? renderChatml(messages, options) : wrapperState(messages, options.addGenerationPrompt ?? false).toString();
    },
    encodeChat(messages, options = {}) {
      if (chatml) return encode(renderChatml(messages, options), { special: true });
      return Array.from(wrapperState(messages, options.addGenerationPrompt ?? false).tokenize(model.tokenizer), Number);
    },
  };
}
