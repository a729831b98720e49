// Prompt files for harvest: JSONL ({"messages": [...]} or {"prompt": "..."}, optional "id") or plain
// text with one prompt per line. Each prompt gets a stable id (its own "id", else a hash of its
// messages), which is what a resumed harvest uses to skip prompts already answered.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { DistillError } from "../data/errors.js";
import { messageSchema, type HarvestMessage } from "../data/row.js";

export interface Prompt {
  id: string;
  messages: HarvestMessage[];
}

const promptLineSchema = z.union([
  z.object({ id: z.union([z.string(), z.number()]).optional(), messages: z.array(messageSchema).min(1) }),
  z.object({ id: z.union([z.string(), z.number()]).optional(), prompt: z.string().min(1), system: z.string().optional() }),
]);

export async function loadPromptFile(path: string): Promise<Prompt[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new DistillError("HARVEST_BAD_PROMPTS", `cannot read the prompt file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parsePromptText(text, path);
}

export function parsePromptText(text: string, source: string): Prompt[] {
  const body = text.replace(/^\uFEFF/, "");
  const isJsonl = source.endsWith(".jsonl") || body.trimStart().startsWith("{");
  const prompts = isJsonl ? parseJsonlPrompts(body, source) : parseTextPrompts(body);
  if (prompts.length === 0) throw new DistillError("HARVEST_BAD_PROMPTS", `${source} holds no prompts`);
  return withUniqueIds(prompts);
}

function parseTextPrompts(text: string): Array<{ id?: string; messages: HarvestMessage[] }> {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => ({ messages: [{ role: "user" as const, content: line }] }));
}

function parseJsonlPrompts(text: string, source: string): Array<{ id?: string; messages: HarvestMessage[] }> {
  const prompts: Array<{ id?: string; messages: HarvestMessage[] }> = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw bad(source, index + 1, `not valid JSON (${(error as Error).message})`);
    }
    const parsed = promptLineSchema.safeParse(value);
    if (!parsed.success) throw bad(source, index + 1, `expected {"messages": [{"role", "content"}, ...]} or {"prompt": "..."}`);
    const entry = parsed.data;
    let messages: HarvestMessage[] =
      "messages" in entry ? entry.messages : [...(entry.system ? [{ role: "system" as const, content: entry.system }] : []), { role: "user" as const, content: entry.prompt }];
    // A training example carries its answer: the teacher is asked the conversation without it.
    while (messages.at(-1)?.role === "assistant") messages = messages.slice(0, -1);
    if (!messages.some((message) => message.role === "user")) throw bad(source, index + 1, "the conversation has no user message");
    prompts.push({ id: entry.id === undefined ? undefined : String(entry.id), messages });
  });
  return prompts;
}

/** Ids from the file, else a content hash; a repeated prompt gets "~2", "~3", … so each is asked. */
export function withUniqueIds(prompts: Array<{ id?: string; messages: HarvestMessage[] }>): Prompt[] {
  const seen = new Map<string, number>();
  return prompts.map((prompt) => {
    const base = prompt.id ?? promptHash(prompt.messages);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return { id: count === 1 ? base : `${base}~${count}`, messages: prompt.messages };
  });
}

export function promptHash(messages: HarvestMessage[]): string {
  const canonical = JSON.stringify(messages.map((message) => [message.role, message.content]));
  return "p-" + createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

function bad(source: string, line: number, detail: string): DistillError {
  return new DistillError("HARVEST_BAD_PROMPTS", `${source}: line ${line}: ${detail}`);
}
