// The provider's exchange log (`pedigree log export`) as audit evidence: the chain must verify, then
// the watermarked answers this key served become the filter φ, and their prompts what the suspect
// is asked. A log that fails verification is refused before any query is spent.
import { readFileSync } from "node:fs";
import { AuditError, type AuditExchanges, type AuditPrompt, type ServedText } from "../../audit/index.js";
import { storedRow, verifyExportedRows, type ExportedRow } from "../../gateway/verify-export.js";
import type { ChatMessage } from "../../models/index.js";

export function readExchanges(path: string, keyId: string, limit: number): AuditExchanges {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new AuditError("AUDIT_EXCHANGES_INVALID", `cannot read the exchange log ${path}: ${(error as Error).message}; write one with 'pedigree log export --out FILE'`, { cause: error });
  }
  const exported: ExportedRow[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    try {
      exported.push(JSON.parse(line) as ExportedRow);
    } catch (error) {
      throw new AuditError("AUDIT_EXCHANGES_INVALID", `${path} line ${index + 1} is not JSON; pass the file 'pedigree log export' wrote`, { cause: error });
    }
  }
  const verified = verifyExportedRows(exported);
  const rows = exported.map(storedRow);
  if (!verified.ok) throw new AuditError("AUDIT_EXCHANGES_INVALID", `${path} fails verification at row ${verified.first_bad_row}: ${verified.reason}; the log cannot serve as evidence`);
  const prompts: AuditPrompt[] = [];
  const served: string[] = [];
  const texts: ServedText[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.status !== 200 || row.watermark_key_id !== keyId || row.response.length === 0) continue;
    served.push(row.response);
    const messages = (JSON.parse(row.request) as { messages: ChatMessage[] }).messages;
    texts.push({ prompt: messages, answer: row.response });
    const signature = JSON.stringify(messages);
    if (seen.has(signature) || prompts.length >= limit) continue;
    seen.add(signature);
    prompts.push({ id: `exchange-${row.id}`, messages });
  }
  if (served.length === 0) {
    throw new AuditError("AUDIT_EXCHANGES_INVALID", `${path} holds ${rows.length} exchanges but none watermarked with key ${keyId}; pass the key the gateway served with`);
  }
  return { prompts, served, texts, rows: rows.length };
}
