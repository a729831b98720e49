// The command table: names and one-line descriptions, each lazily loading its module.
// A module exports `configure(command)`, which declares options and the action.
import type { Command } from "commander";

export interface CommandModule {
  configure(command: Command): void;
}

export interface CommandEntry {
  name: string;
  description: string;
  load: () => Promise<CommandModule>;
}

export const commandTable: CommandEntry[] = [
  { name: "models", description: "list built-in and configured models", load: () => import("./commands/models.js") },
  { name: "chat", description: "one answer from a model", load: () => import("./commands/chat.js") },
  { name: "score", description: "per-position log-probabilities, top-K alternatives, perplexity", load: () => import("./commands/score.js") },
  { name: "eval", description: "task accuracy on held-out prompts", load: () => import("./commands/eval.js") },
  { name: "train", description: "train a model from a corpus or a student from harvested data", load: () => import("./commands/train.js") },
  { name: "watermark", description: "watermark keys and detection (keygen, detect)", load: () => import("./commands/watermark.js") },
  { name: "serve", description: "the OpenAI-compatible gateway", load: () => import("./commands/serve.js") },
  { name: "keys", description: "gateway API keys and their policies (create, list, revoke)", load: () => import("./commands/keys.js") },
  { name: "log", description: "verify or export the gateway's exchange log", load: () => import("./commands/log.js") },
  { name: "harvest", description: "collect a teacher's answers", load: () => import("./commands/harvest.js") },
  { name: "export", description: "hand a model or data set to other tools", load: () => import("./commands/export.js") },
  { name: "story", description: "the end-to-end story on the built-in models (npm start)", load: () => import("./commands/story.js") },
];
