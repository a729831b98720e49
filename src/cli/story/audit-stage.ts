// The story's last act: the provider exports its exchange log and audits three suspects against the
// teacher with its key and the log: the distilled student (it must come out derived), the raw-corpus
// model, trained on the teacher's data but never on its outputs (it resembles the teacher, yet carries
// no watermark: the control that matters most), and an unrelated baseline (no evidence).
import { basename, isAbsolute, join, relative } from "node:path";
import { writeOutputFile } from "../../files/index.js";
import { openDatabase, SqliteStore } from "../../gateway/index.js";
import type { AuditTestResult, Verdict } from "../../audit/index.js";
import { runAuditCommand } from "../audit/audit-run.js";
import type { StoryPlan } from "./plan.js";

export interface AuditFigures {
  verdict: Verdict;
  sentence: string;
  directory: string;
  queries: number;
  tests: Pick<AuditTestResult, "name" | "kind" | "applicable" | "p_value" | "log10_p" | "p_holm" | "rejected" | "detail">[];
}

/** Writes the gateway's log as `pedigree log export` does and checks its chain. */
export async function exportExchanges(storyDirectory: string): Promise<{ path: string; rows: number; ok: boolean }> {
  const store = new SqliteStore(openDatabase(join(storyDirectory, "gateway")));
  try {
    const verified = await store.reader.verify();
    const lines: string[] = [];
    for await (const row of store.reader.iterate()) lines.push(JSON.stringify(row) + "\n");
    const path = join(storyDirectory, "exchanges.jsonl");
    writeOutputFile(path, lines.join(""), { force: true, mode: 0o600 });
    return { path, rows: lines.length, ok: verified.ok };
  } finally {
    await store.close();
  }
}

export interface SuspectSpec {
  name: string;
  reference: string;
  references: string[];
}

export async function auditSuspect(storyDirectory: string, teacher: string, suspect: SuspectSpec, plan: StoryPlan, seed: number, note: (m: string) => void, earlier: AuditFigures[] = []): Promise<AuditFigures> {
  const directory = join(storyDirectory, `audit-${basename(suspect.name).replace(/\.gguf$/, "").replace(/[^A-Za-z0-9._-]+/g, "-")}`);
  const report = await runAuditCommand({
    suspect: relativeReference(suspect.reference),
    teacher,
    references: suspect.references.map(relativeReference),
    key: join(storyDirectory, "watermark.key"),
    exchanges: join(storyDirectory, "exchanges.jsonl"),
    budget: plan.auditBudget,
    alpha: 0.01,
    seed,
    out: relativeReference(directory),
    concurrency: 1,
    // The story shows every test's full evidence, not the earliest decision.
    sequential: false,
    // The teacher and the references answer the same questions in every audit: ask them once.
    reuseTranscripts: earlier.map((audit) => join(audit.directory, "transcript.jsonl")),
    plan: { agreementPrompts: plan.auditAgreementPrompts, radioactivityMaxTokens: plan.radioactivityMaxTokens },
    note: (message) => { if (!message.startsWith("     ")) note(`     ${message}`); },
  });
  return {
    verdict: report.verdict,
    sentence: report.sentence,
    directory,
    queries: report.queries.suspect,
    tests: report.tests.map(({ name, kind, applicable, p_value, log10_p, p_holm, rejected, detail }) => ({ name, kind, applicable, p_value, log10_p, p_holm, rejected, detail })),
  };
}

/** A file reference relative to the working directory ("./.pedigree/story/student.gguf"), so reports
 *  and sentences name what a reader can open from where they ran the story. */
function relativeReference(reference: string): string {
  if (!isAbsolute(reference)) return reference;
  const path = relative(process.cwd(), reference);
  return path.startsWith("..") ? reference : `./${path}`;
}
