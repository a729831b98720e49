// pedigree chat: one answer from any model, streamed to the terminal or as one JSON document.
import type { Command } from "commander";
import { addModelOptions, openModel, parseInteger, parseNumber, type ModelOptions } from "../model-options.js";
import type { ChatMessage, ChatRequest } from "../../models/spec.js";
import { emit } from "../output.js";
import { loadWatermarkProcessor } from "../watermark-option.js";

interface ChatOptions extends ModelOptions {
  system?: string;
  temperature?: string;
  topP?: string;
  seed?: string;
  maxTokens?: string;
  stop?: string[];
  watermark?: string;
  json?: boolean;
}

export function configure(command: Command): void {
  addModelOptions(command)
    .argument("<prompt>", "the user message")
    .option("--system <text>", "system message")
    .option("--temperature <t>", "sampling temperature (0 = greedy)")
    .option("--top-p <p>", "nucleus sampling mass")
    .option("--seed <n>", "sampling seed (same seed, same answer on white-box models)")
    .option("--max-tokens <n>", "most tokens to generate", "256")
    .option("--stop <text...>", "stop sequences")
    .option("--watermark <keyfile>", "watermark the answer with this key (white-box models)")
    .option("--json", "print one JSON document")
    .action(async (prompt: string, options: ChatOptions) => run(prompt, options));
}

async function run(prompt: string, options: ChatOptions): Promise<void> {
  const messages: ChatMessage[] = [];
  if (options.system) messages.push({ role: "system", content: options.system });
  messages.push({ role: "user", content: prompt });
  const request: ChatRequest = {
    messages,
    maxTokens: parseInteger("--max-tokens", options.maxTokens, 256),
    temperature: options.temperature === undefined ? undefined : parseNumber("--temperature", options.temperature, 1),
    topP: options.topP === undefined ? undefined : parseNumber("--top-p", options.topP, 1),
    seed: options.seed === undefined ? undefined : parseInteger("--seed", options.seed, 0),
    stop: options.stop,
  };
  const model = await openModel(options.model, options);
  try {
    const watermark = options.watermark ? await loadWatermarkProcessor(options.watermark, model) : undefined;
    if (watermark) request.logitsProcessors = [watermark.processor];
    if (options.json) {
      const result = await model.generate(request);
      emit(options, {
        model: options.model,
        text: result.text,
        finish_reason: result.finishReason,
        usage: { prompt_tokens: result.usage.promptTokens, completion_tokens: result.usage.completionTokens, total_tokens: result.usage.totalTokens },
        ...(watermark ? { watermark: { scheme: watermark.scheme, key_id: watermark.keyId } } : {}),
      }, () => "");
      return;
    }
    for await (const delta of model.stream(request)) process.stdout.write(delta.text);
    process.stdout.write("\n");
  } finally {
    await model.close?.();
  }
}
