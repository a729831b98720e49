// The Batch API's input file: one request per line, {"custom_id", "method": "POST",
// "url": "/v1/chat/completions", "body": {...}}, custom ids unique (OpenAI's batch guide).
import { z } from "zod";
import { invalidFile } from "./distillation-errors.js";
import { parseJsonlLines } from "./jsonl-lines.js";

const requestLineSchema = z.looseObject({
  custom_id: z.string().min(1),
  method: z.literal("POST"),
  url: z.literal("/v1/chat/completions"),
  body: z.looseObject({}),
});

export type BatchRequestLine = z.infer<typeof requestLineSchema>;

export const MAX_BATCH_REQUESTS = 50_000;

export function parseBatchLines(text: string): BatchRequestLine[] {
  const seen = new Set<string>();
  const lines = parseJsonlLines(text, requestLineSchema, (line, lineNumber) => {
    if (seen.has(line.custom_id)) throw invalidFile(`Invalid file format. Line ${lineNumber}: custom_id '${line.custom_id}' is used twice; each request needs its own.`);
    seen.add(line.custom_id);
  });
  if (lines.length === 0) throw invalidFile("The batch file has no requests.");
  if (lines.length > MAX_BATCH_REQUESTS) throw invalidFile(`The batch file has ${lines.length} requests; at most ${MAX_BATCH_REQUESTS} are allowed.`);
  return lines;
}
