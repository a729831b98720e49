// The Batch API's input file: one request per line, {"custom_id", "method": "POST",
// "url": "/v1/chat/completions", "body": {...}}, custom ids unique (OpenAI's batch guide).
import { z } from "zod";
import { invalidFile } from "./distillation-errors.js";

const requestLineSchema = z.looseObject({
  custom_id: z.string().min(1),
  method: z.literal("POST"),
  url: z.literal("/v1/chat/completions"),
  body: z.looseObject({}),
});

export type BatchRequestLine = z.infer<typeof requestLineSchema>;

export const MAX_BATCH_REQUESTS = 50_000;

export function parseBatchLines(text: string): BatchRequestLine[] {
  const lines: BatchRequestLine[] = [];
  const seen = new Set<string>();
  text.split("\n").forEach((raw, index) => {
    if (raw.trim() === "") return;
    const lineNumber = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw invalidFile(`Invalid file format. Line ${lineNumber} is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = requestLineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw invalidFile(`Invalid file format. Line ${lineNumber}, key "${issue.path.join(".")}": ${issue.message}`);
    }
    if (seen.has(parsed.data.custom_id)) throw invalidFile(`Invalid file format. Line ${lineNumber}: custom_id '${parsed.data.custom_id}' is used twice; each request needs its own.`);
    seen.add(parsed.data.custom_id);
    lines.push(parsed.data);
  });
  if (lines.length === 0) throw invalidFile("The batch file has no requests.");
  if (lines.length > MAX_BATCH_REQUESTS) throw invalidFile(`The batch file has ${lines.length} requests; at most ${MAX_BATCH_REQUESTS} are allowed.`);
  return lines;
}
