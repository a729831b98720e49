// The verdict: Holm's correction within each kind of test, then
//   derived     a provenance test rejects at α (exact whatever data the suspect saw);
//   resembles   no provenance test rejects, but a similarity test does;
//   no_evidence nothing rejects.
// Similarity never upgrades to "derived": shared training data explains resemblance as well.
import { holmBonferroniLog, toLog10 } from "../stats/index.js";
import type { AuditTestResult, TestKind } from "./test-result.js";

export type Verdict = "derived" | "resembles" | "no_evidence";

export function applyHolm(tests: AuditTestResult[], alpha: number): AuditTestResult[] {
  const out = tests.map((test) => ({ ...test }));
  for (const kind of ["provenance", "similarity"] as TestKind[]) {
    const family = out.filter((test) => test.kind === kind && test.applicable);
    if (family.length === 0) continue;
    const holm = holmBonferroniLog(family.map((test) => test.log10_p * Math.LN10), alpha);
    family.forEach((test, i) => {
      test.log10_p_holm = toLog10(holm.adjusted_log[i]!);
      test.p_holm = Math.exp(holm.adjusted_log[i]!);
      test.rejected = holm.rejected[i]!;
    });
  }
  return out;
}

export function verdictOf(tests: AuditTestResult[]): Verdict {
  if (tests.some((test) => test.kind === "provenance" && test.rejected)) return "derived";
  if (tests.some((test) => test.kind === "similarity" && test.rejected)) return "resembles";
  return "no_evidence";
}

/** A p-value for people, from its log10: "0.0031" above 1e-4, "1e-23" below (log space keeps it exact). */
export const formatPValue = (log10: number): string => (log10 > -4 ? Math.pow(10, log10).toPrecision(2) : `1e${Math.round(log10)}`);

/** One sentence that says what was shown and what was not. */
export function verdictSentence(verdict: Verdict, tests: AuditTestResult[], alpha: number, names: { suspect: string; teacher: string }): string {
  const rejected = (kind: TestKind) => tests.filter((test) => test.kind === kind && test.rejected);
  const list = (family: AuditTestResult[]) => family.map((test) => `${test.name} p = ${formatPValue(test.log10_p_holm)}`).join(", ");
  const ranProvenance = tests.some((test) => test.kind === "provenance" && test.applicable);
  if (verdict === "derived") {
    const found = rejected("provenance");
    const claim = found.every((test) => test.name === "weights")
      ? `carries ${names.teacher}'s weights (a copy or fine-tune)`
      : found.some((test) => test.name.startsWith("radioactivity"))
        ? `was trained on ${names.teacher}'s outputs`
        : `learned from ${names.teacher}`;
    return `${names.suspect} ${claim}: ${list(found)} (Holm-corrected, α = ${alpha}), a provenance test whose p-value is exact whatever data ${names.suspect} also saw.`;
  }
  if (verdict === "resembles") {
    return `${names.suspect} resembles ${names.teacher} more than the references do (${list(rejected("similarity"))}, α = ${alpha}), but ${ranProvenance ? "no provenance test rejects" : "no provenance test was run (give --key)"}: shared training data explains resemblance as well as distillation does, so this does not show that ${names.suspect} learned from ${names.teacher}'s outputs.`;
  }
  return `No test rejects at α = ${alpha}: this audit shows neither that ${names.suspect} resembles ${names.teacher} nor that it learned from its outputs${ranProvenance ? "" : " (no provenance test was run: give --key)"}; it does not prove independence either.`;
}
