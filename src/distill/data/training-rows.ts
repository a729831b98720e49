// What `train` reads: harvested rows, or chat lines ({messages}, e.g. OpenAI fine-tuning JSONL).
// Both become training rows: the conversation before the last trained answer, that answer, and the
// earlier assistant turns that are trained on too. A chat line's assistant turns after its last
// trained one are dropped: a causal model's loss on earlier tokens never sees them.
import { createHash } from "node:crypto";
import { z } from "zod";
import { chatLineSchema, type ChatLine } from "./chat-line.js";
import { readJsonl } from "./jsonl-read.js";
import { harvestRowSchema, type HarvestMessage, type HarvestRow } from "./row.js";

export interface TrainingRow extends Pick<HarvestRow, "id" | "prompt_id" | "messages" | "response" | "logprobs" | "token_ids"> {
  /** Indices of assistant messages in `messages` that are trained on as well (chat lines only). */
  trainedTurns?: number[];
}

/** A harvested row when the line has a `response`, else a chat line; issues name the fields of that shape. */
export const trainingLineSchema = z.unknown().transform((value, context): HarvestRow | ChatLine => {
  const schema: z.ZodType<HarvestRow | ChatLine> = typeof value === "object" && value !== null && "response" in value ? harvestRowSchema : chatLineSchema;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) context.addIssue({ code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
});

export function chatLineToTrainingRow(line: ChatLine, lineNumber: number): TrainingRow {
  const messages = line.messages;
  let answer = messages.length - 1;
  while (!(messages[answer]!.role === "assistant" && messages[answer]!.weight !== 0)) answer--;
  const prompt: HarvestMessage[] = messages.slice(0, answer).map(({ role, content }) => ({ role, content }));
  const trainedTurns = messages.slice(0, answer).flatMap((message, index) => (message.role === "assistant" && message.weight !== 0 ? [index] : []));
  // Identical conversations share a prompt id, so repeated examples never straddle the held-out split.
  const promptId = createHash("sha256").update(JSON.stringify(prompt)).digest("hex").slice(0, 16);
  return { id: line.id ?? `line ${lineNumber}`, prompt_id: promptId, messages: prompt, response: messages[answer]!.content, ...(trainedTurns.length ? { trainedTurns } : {}) };
}

export interface TrainingData {
  rows: TrainingRow[];
  /** Harvested rows whose request failed (finish_reason "error"): nothing to learn from. */
  failedRows: number;
  notes: string[];
}

export async function readTrainingRows(path: string): Promise<TrainingData> {
  const data = await readJsonl(path, trainingLineSchema);
  const rows: TrainingRow[] = [];
  let failedRows = 0;
  data.rows.forEach((line, index) => {
    if (!("response" in line)) rows.push(chatLineToTrainingRow(line, data.lineNumbers[index]!));
    else if (line.finish_reason === "error") failedRows++;
    else rows.push(line);
  });
  const notes = data.truncatedTail ? [data.truncatedTail.message] : [];
  if (failedRows > 0) notes.push(`${failedRows} failed harvest rows (finish_reason "error") are skipped`);
  return { rows, failedRows, notes };
}
