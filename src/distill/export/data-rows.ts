// Rows export accepts: harvested rows, or finished chat examples ({"messages": [..., assistant]}, the
// corpus format), whose last assistant message is taken as the answer. Failed harvest rows
// (finish_reason "error": the teacher gave no answer) are skipped, not exported as empty answers.
import { z } from "zod";
import { readJsonl } from "../data/jsonl-read.js";
import { harvestRowSchema, messageSchema, type HarvestMessage } from "../data/row.js";

export const exportInputSchema = z.union([harvestRowSchema, z.object({ messages: z.array(messageSchema).min(2), id: z.string().optional() })]);

export interface ExportRow {
  id: string;
  messages: HarvestMessage[];
  response: string;
}

export async function readExportRows(path: string): Promise<{ rows: ExportRow[]; notes: string[]; failedRows: number }> {
  const data = await readJsonl(path, exportInputSchema);
  const notes = data.truncatedTail ? [data.truncatedTail.message] : [];
  const isFailed = (row: (typeof data.rows)[number]) => "finish_reason" in row && row.finish_reason === "error";
  const failedRows = data.rows.filter(isFailed).length;
  if (failedRows > 0) notes.push(`${failedRows} failed harvest rows (finish_reason "error") are skipped`);
  const kept = data.rows.flatMap((row, index) => (isFailed(row) ? [] : [{ row, line: data.lineNumbers[index] }]));
  const rows = kept.map(({ row, line }): ExportRow => {
    if ("response" in row) return { id: row.id, messages: row.messages, response: row.response };
    const last = row.messages.at(-1)!;
    // A chat example without a final answer has nothing to train on; validation reports it.
    return last.role === "assistant"
      ? { id: row.id ?? `line ${line}`, messages: row.messages.slice(0, -1), response: last.content }
      : { id: row.id ?? `line ${line}`, messages: row.messages, response: "" };
  });
  return { rows, notes, failedRows };
}
