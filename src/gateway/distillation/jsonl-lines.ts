// One JSON object per line, each checked against a schema; the first bad line is named in OpenAI's
// words ("Invalid file format. Line N ..."), so the 400 says where to look. Blank lines are skipped.
import type { z } from "zod";
import { invalidFile } from "./distillation-errors.js";

export function parseJsonlLines<T>(text: string, schema: z.ZodType<T>, onLine?: (line: T, lineNumber: number) => void): T[] {
  const lines: T[] = [];
  text.split("\n").forEach((raw, index) => {
    if (raw.trim() === "") return;
    const lineNumber = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw invalidFile(`Invalid file format. Line ${lineNumber} is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const at = issue.path.length > 0 ? `, key "${issue.path.join(".")}"` : "";
      throw invalidFile(`Invalid file format. Line ${lineNumber}${at}: ${issue.message}`);
    }
    onLine?.(parsed.data, lineNumber);
    lines.push(parsed.data);
  });
  return lines;
}
