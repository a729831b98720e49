// report.json and report.html in the audit directory, each written atomically. Neither ever holds
// a watermark key or an API key: the report names the key by its public id only.
import { join } from "node:path";
import { writeOutputFile } from "../files/index.js";
import { renderReportHtml } from "./report-html.js";
import type { AuditReport } from "./run-audit.js";

export function writeAuditReport(directory: string, report: AuditReport): { json: string; html: string } {
  const json = join(directory, "report.json");
  const html = join(directory, "report.html");
  // The audit directory is the audit's own: a resumed audit rewrites its report.
  writeOutputFile(json, JSON.stringify(report, null, 2) + "\n", { force: true });
  writeOutputFile(html, renderReportHtml(report), { force: true });
  return { json, html };
}
