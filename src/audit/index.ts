// The audit room's public API: "did this model learn from ours?" with calibrated p-values, keeping
// similarity (resembles) apart from provenance (derived). Imports models, watermark and stats.
export { AuditError, type AuditErrorCode } from "./errors.js";
export { runAudit, type AuditOptions, type AuditReport, type SampleAnswer } from "./run-audit.js";
export { runProvenancePhase, provenanceDecided, type AuditWatermark, type AuditExchanges, type ProvenanceTest } from "./provenance-phase.js";
export { SequentialEvidence, type StoppingRule } from "./sequential.js";
export { writeAuditReport } from "./write-report.js";
export { renderReportHtml } from "./report-html.js";
export { identityProbes, type Probe, type ProbeKind } from "./identity-probes.js";
export { identityMatcher, identityVariants, guessIdentity, type Identity } from "./identity-names.js";
export { identityTest } from "./identity-test.js";
export { agreementTest, leadingWords } from "./agreement-test.js";
export { radioactivityTest, RadioactivityScorer, standardScore } from "./radioactivity-test.js";
export { readingTest, type ReadingInput, type ServedText } from "./reading-test.js";
export { applyHolm, formatPValue, verdictOf, verdictSentence, type Verdict } from "./verdict.js";
export { defaultPlanSizes, itemSeed, type AuditPlan, type AuditPrompt } from "./plan.js";
export { Transcript, entryKey, type TranscriptEntry } from "./transcript.js";
export { Querier, type QuerySlot, type Question } from "./querier.js";
export { notApplicable, testResult, type AuditTestResult, type TestKind } from "./test-result.js";
export { weightTest, weightShapeMismatch, matchHiddenUnits, type UpProjection, type ModelUpProjections, type WeightTestOptions } from "./weight-test.js";
export { trainingOrderTest, type OrderTestInput, type OrderExample } from "./order-test.js";
