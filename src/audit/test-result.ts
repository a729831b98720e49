// One result shape for every audit test (scipy.stats-style: a name, a statistic, a p-value and the
// detail behind it), built by one helper so that the verdict and the report never special-case a test.
import { toLog10 } from "../stats/index.js";

/** similarity: "closer to the teacher than to the references" (shared data can cause it too).
 *  provenance: H0 "never saw the teacher's outputs", exact whatever data the suspect saw. */
export type TestKind = "similarity" | "provenance";

export interface AuditTestResult {
  name: string;
  kind: TestKind;
  /** The test's statistic (a count, a rate, a score); its meaning is in `detail`. */
  statistic: number;
  /** The p-value the verdict uses (conservative where a randomised one also exists). */
  p_value: number;
  log10_p: number;
  /** Holm-adjusted within the test's kind; filled by the verdict. */
  p_holm: number;
  log10_p_holm: number;
  rejected: boolean;
  /** False when the test could not run on these models (its note says why); left out of Holm's family. */
  applicable: boolean;
  /** Queries this test spent on the suspect. */
  queries: number;
  /** What the test saw, in plain words: why it did not run, or what limited it. */
  note: string | null;
  detail: Record<string, unknown>;
}

export interface TestOutcome {
  name: string;
  kind: TestKind;
  statistic: number;
  /** Natural log of the p-value, so that values below 1e-308 stay exact. */
  logP: number;
  queries: number;
  note?: string | null;
  /** Default true; false for a test that does not apply (then logP is 0 and the note says why). */
  applicable?: boolean;
  detail: Record<string, unknown>;
}

export function testResult(outcome: TestOutcome): AuditTestResult {
  const logP = Math.min(0, outcome.logP);
  return {
    name: outcome.name,
    kind: outcome.kind,
    statistic: outcome.statistic,
    p_value: Math.exp(logP),
    log10_p: toLog10(logP),
    p_holm: Math.exp(logP),
    log10_p_holm: toLog10(logP),
    rejected: false,
    applicable: outcome.applicable ?? true,
    queries: outcome.queries,
    note: outcome.note ?? null,
    detail: outcome.detail,
  };
}

/** A test that cannot run on these models: reported with its reason, never counted in Holm's family. */
export function notApplicable(name: string, kind: TestKind, reason: string, detail: Record<string, unknown> = {}): AuditTestResult {
  return testResult({ name, kind, statistic: 0, logP: 0, queries: 0, note: reason, applicable: false, detail });
}
