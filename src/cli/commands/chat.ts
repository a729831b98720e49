// pedigree chat: one answer from any model, streamed to the terminal or as one JSON document.
import type { Command } from "commander";
import { addModelOptions, openModel, type ModelOptions } from "../model-options.js";
import type { ChatMessage, ChatRequest } from "../../models/spec.js";
import { UsageError } from "../errors.js";
import { emit } from "../output.js";
import { loadWatermarkProcessor } from "../watermark-option.js";

interface ChatOptions extends ModelOptions {
  system?: string;
  temperature?: number;
  topP?: number;
  seed?: number;
  maxTokens: number;
  stop?: string[];
  watermark?: string;
  json?: boolean;
}

// Sampling options left unset are not sent, so an API model keeps its server's own default.
export function configure(command: Command): void {
  addModelOptions(command)
    .argument("<prompt>", "the user message")
    .option("--system <text>", "system message (default: none)")
    .option("--temperature <t>", "sampling temperature, 0 = greedy, the most likely token at each step (default: 1 on white-box models, the server's default on API models)", checked("--temperature", "a number of at least 0", (t) => Number.isFinite(t) && t >= 0))
    .option("--top-p <p>", "nucleus sampling mass, above 0 and at most 1 (default: 1, no cut, on white-box models; the server's default on API models)", checked("--top-p", "above 0 and at most 1", (p) => p > 0 && p <= 1))
    .option("--seed <n>", "sampling seed; the same seed gives the same answer on white-box models (default: a random seed)", checked("--seed", "an integer", Number.isSafeInteger))
    .option("--max-tokens <n>", "most tokens to generate, at least 1", checked("--max-tokens", "a whole number of at least 1", (n) => Number.isSafeInteger(n) && n >= 1), 256)
    .option("--stop <text...>", "stop sequences (default: none)")
    .option("--watermark <keyfile>", "watermark the answer with this key, white-box models only (default: no watermark)")
    .option("--json", "print one JSON document")
    .action(async (prompt: string, options: ChatOptions) => run(prompt, options));
}

async function run(prompt: string, options: ChatOptions): Promise<void> {
  const messages: ChatMessage[] = [];
  if (options.system) messages.push({ role: "system", content: options.system });
  messages.push({ role: "user", content: prompt });
  const request: ChatRequest = {
    messages,
    maxTokens: options.maxTokens,
    temperature: options.temperature,
    topP: options.topP,
    seed: options.seed,
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

// A commander option parser: a bad value stops before any model loads, as a usage error (exit 2).
function checked(flag: string, requirement: string, accept: (value: number) => boolean) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === "" || !accept(value)) throw new UsageError(`${flag} must be ${requirement}, got '${text}'`);
    return value;
  };
}
