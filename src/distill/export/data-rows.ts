// Rows export accepts: harvested rows, or finished chat examples ({"messages": [..., assistant]}, the
// corpus format), whose last assistant message is taken as the answer.
import { z } from "zod";
import { readJsonl } from "../data/jsonl-read.js";
import { harvestRowSchema, messageSchema, type HarvestMessage } from "../data/row.js";

export const exportInputSchema = z.union([harvestRowSchema, z.object({ messages: z.array(messageSchema).min(2), id: z.string().optional() })]);

export interface ExportRow {
  id: string;
  messages: HarvestMessage[];
  response: string;
}

export async function readExportRows(path: string): Promise<{ rows: ExportRow[]; notes: string[] }> {
  const data = await readJsonl(path, exportInputSchema);
  const notes = data.truncatedTail ? [data.truncatedTail.message] : [];
  const rows = data.rows.map((row, index): ExportRow => {
    if ("response" in row) return { id: row.id, messages: row.messages, response: row.response };
    const last = row.messages.at(-1)!;
    const line = data.lineNumbers[index];
    // A chat example without a final answer has nothing to train on; validation reports it.
    return last.role === "assistant"
      ? { id: row.id ?? `line ${line}`, messages: row.messages.slice(0, -1), response: last.content }
      : { id: row.id ?? `line ${line}`, messages: row.messages, response: "" };
  });
  return { rows, notes };
}
