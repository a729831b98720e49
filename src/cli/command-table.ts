// The command table: names and one-line descriptions, each lazily loading its module.
// A module exports `configure(command)`, which declares options and the action.
import type { Command } from "commander";

export interface CommandModule {
  configure(command: Command): void;
}

export interface CommandEntry {
  name: string;
  description: string;
}

/** Each command lives in `commands/<name>.ts`; only the one that runs is loaded. */
export async function loadCommand(name: string): Promise<CommandModule> {
  const specifier = `./commands/${name}.js`;
  return (await import(/* @vite-ignore */ specifier)) as CommandModule;
}

export const commandTable: CommandEntry[] = [
  { name: "models", description: "list built-in and configured models" },
  { name: "chat", description: "one answer from a model" },
  { name: "score", description: "per-position log-probabilities, top-K alternatives, perplexity" },
  { name: "eval", description: "task accuracy on held-out prompts" },
  { name: "train", description: "train a model from a corpus or a student from harvested data" },
  { name: "watermark", description: "watermark keys and detection (keygen, detect)" },
  { name: "serve", description: "the OpenAI-compatible gateway" },
  { name: "keys", description: "gateway API keys and their policies (create, list, revoke)" },
  { name: "log", description: "verify or export the gateway's exchange log" },
  { name: "harvest", description: "collect a teacher's answers" },
  { name: "curate", description: "de-duplicate, filter and scrub a harvested data set" },
  { name: "export", description: "hand a model or data set to other tools (gguf, openai-jsonl)" },
  { name: "defend", description: "serving-time defences: prepare antidistillation sampling (prepare)" },
  { name: "audit", description: "did a suspect model learn from a teacher? calibrated verdict and evidence report" },
  { name: "monitor", description: "extraction-campaign alerts over the exchange log (scan, watch, simulate)" },
  { name: "story", description: "the end-to-end story on the built-in models (npm start)" },
];
