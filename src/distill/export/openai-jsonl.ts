// Fine-tuning JSONL in OpenAI's chat format: one {"messages": [system?, user, …, assistant]} per line;
// assistant messages may carry "weight": 0|1 (0 = shown but not trained on). A harvested row becomes
// its prompt plus the teacher's answer; earlier assistant turns of a multi-turn prompt get weight 0 so
// that only the teacher's own answer is learned. At least 10 examples are required (50–100 advised).
import { z } from "zod";
import type { HarvestRow } from "../data/row.js";
import { DistillError } from "../data/errors.js";

const roleMessage = (role: "system" | "user") => z.object({ role: z.literal(role), content: z.string().min(1) }).strict();
const assistantMessage = z.object({ role: z.literal("assistant"), content: z.string().min(1), weight: z.union([z.literal(0), z.literal(1)]).optional() }).strict();

export const openAIFineTuningLineSchema = z
  .object({ messages: z.array(z.discriminatedUnion("role", [roleMessage("system"), roleMessage("user"), assistantMessage])).min(2) })
  .strict()
  .superRefine((line, context) => {
    const messages = line.messages;
    messages.forEach((message, index) => {
      if (message.role === "system" && index !== 0) context.addIssue({ code: "custom", message: "a system message may only come first", path: ["messages", index] });
    });
    if (!messages.some((message) => message.role === "user")) context.addIssue({ code: "custom", message: "needs a user message", path: ["messages"] });
    const last = messages.at(-1)!;
    if (last.role !== "assistant") context.addIssue({ code: "custom", message: "must end with an assistant message", path: ["messages"] });
    if (!messages.some((message) => message.role === "assistant" && message.weight !== 0)) context.addIssue({ code: "custom", message: "no assistant message is trained on (all weights are 0)", path: ["messages"] });
  });

export type OpenAIFineTuningLine = z.infer<typeof openAIFineTuningLineSchema>;
type LineMessage = OpenAIFineTuningLine["messages"][number];

/** OpenAI rejects files with fewer examples than this. */
export const openAIMinimumExamples = 10;

export interface OpenAIExportOptions {
  /** Replaces the prompt's own system message (or adds one). */
  system?: string;
}

export function toOpenAILine(row: Pick<HarvestRow, "messages" | "response" | "id">, options: OpenAIExportOptions = {}): OpenAIFineTuningLine {
  const history = row.messages.filter((message) => !(options.system !== undefined && message.role === "system"));
  const hasEarlierAnswers = history.some((message) => message.role === "assistant");
  const messages: LineMessage[] = [];
  if (options.system !== undefined && options.system !== "") messages.push({ role: "system", content: options.system });
  for (const message of history) messages.push(message.role === "assistant" ? { role: "assistant", content: message.content, weight: 0 } : { role: message.role, content: message.content });
  messages.push(hasEarlierAnswers ? { role: "assistant", content: row.response, weight: 1 } : { role: "assistant", content: row.response });
  const line = { messages };
  const checked = openAIFineTuningLineSchema.safeParse(line);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new DistillError("EXPORT_INVALID", `row ${row.id} does not make a valid OpenAI fine-tuning example: ${issue.path.join(".")}: ${issue.message}; curate the data set first (pedigree curate drops empty answers)`);
  }
  return checked.data;
}

export interface OpenAIExport {
  lines: OpenAIFineTuningLine[];
  warnings: string[];
}

export function toOpenAIFineTuning(rows: Array<Pick<HarvestRow, "messages" | "response" | "id">>, options: OpenAIExportOptions = {}): OpenAIExport {
  const lines = rows.map((row) => toOpenAILine(row, options));
  const warnings: string[] = [];
  if (lines.length < openAIMinimumExamples) warnings.push(`only ${lines.length} examples: OpenAI fine-tuning needs at least ${openAIMinimumExamples} (50–100 recommended)`);
  return { lines, warnings };
}
