// The audit: ask the suspect, the teacher and the references what the plan says (through one
// querier that keeps the transcript), run every test, correct within each kind, and decide.
// Order: identity (34 probes), the provenance tests, then agreement, which is skipped when sequential
// stopping is on and a provenance test has already decided the verdict.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { agreementTest, leadingWords } from "./agreement-test.js";
import { AuditError } from "./errors.js";
import { guessIdentity, type Identity } from "./identity-names.js";
import { identityTest, type AnsweredProbe } from "./identity-test.js";
import { itemSeed, type AuditPlan, type AuditPrompt } from "./plan.js";
import { Querier, type Question, type QuerySlot, type QueryTally } from "./querier.js";
import { DECIDED, provenanceDecided, runProvenancePhase, type AuditExchanges, type AuditWatermark, type ProvenanceTest } from "./provenance-phase.js";
import { notApplicable, type AuditTestResult } from "./test-result.js";
import { Transcript } from "./transcript.js";
import { applyHolm, verdictOf, verdictSentence, type Verdict } from "./verdict.js";

export interface AuditOptions {
  suspect: QuerySlot;
  teacher: QuerySlot;
  references: QuerySlot[];
  plan: AuditPlan;
  directory: string;
  alpha: number;
  seed: number;
  /** Queries per model. */
  budget: number;
  identity?: Identity | null;
  watermark?: AuditWatermark;
  exchanges?: AuditExchanges;
  /** Provenance tests the caller prepared (weights, training order). */
  provenance?: ProvenanceTest[];
  /** Stop each test once decided (anytime-valid p-values); default true. */
  sequential?: boolean;
  /** Transcripts of earlier audits whose answers (same model, question and parameters) are reused. */
  reuseTranscripts?: string[];
  /** Content hashes of the models (files) or null for APIs. */
  modelHashes?: Record<string, string | null>;
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  onStage?: (message: string) => void;
  onQuery?: (slot: QuerySlot, spent: number) => void;
}

export interface SampleAnswer {
  test: string;
  item: string;
  prompt: string;
  answers: Record<string, string>;
}

export interface AuditReport {
  suspect: string;
  teacher: string;
  references: string[];
  alpha: number;
  seed: number;
  budget: number;
  verdict: Verdict;
  sentence: string;
  identity: Identity | null;
  queries: { suspect: number; teacher: number; references: number };
  tallies: Record<string, QueryTally>;
  tests: AuditTestResult[];
  samples: SampleAnswer[];
  hashes: { models: Record<string, string | null>; transcript: string };
  report: string;
  transcript: string;
}

export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  if (options.references.length < 2) {
    throw new AuditError("AUDIT_TOO_FEW_REFERENCES", `the agreement test needs at least 2 reference models, got ${options.references.length}; add --reference REF`);
  }
  mkdirSync(options.directory, { recursive: true });
  const transcriptPath = join(options.directory, "transcript.jsonl");
  const transcript = Transcript.open(transcriptPath, options.reuseTranscripts);
  const querier = new Querier({ transcript, budget: options.budget, concurrency: options.concurrency, sleep: options.sleep, now: options.now, onQuery: options.onQuery });
  const stage = options.onStage ?? (() => {});
  if (transcript.resumedAnswers > 0) stage(`resuming: ${transcript.resumedAnswers} answers already in ${transcriptPath}`);
  const { plan } = options;
  const tests: AuditTestResult[] = [];
  const samples: SampleAnswer[] = [];
  let identity = options.identity ?? null;
  try {
    const probeQuestions: Question[] = plan.identityProbes.map((probe) => ({
      test: "identity", item: probe.id, messages: [{ role: "user", content: probe.prompt }],
      params: { temperature: 0, max_tokens: plan.identityMaxTokens, seed: itemSeed(options.seed, probe.id) },
    }));
    const answered = (answers: Map<string, string>): AnsweredProbe[] =>
      plan.identityProbes.filter((probe) => answers.has(probe.id)).map((probe) => ({ probeId: probe.id, prompt: probe.prompt, answer: answers.get(probe.id)! }));

    if (!identity) {
      stage(`asking ${options.teacher.reference} who it is (no card and no --identity name it)`);
      identity = guessIdentity([...(await querier.askAll(options.teacher, probeQuestions)).values()]);
    }
    if (identity) {
      stage(`identity: ${plan.identityProbes.length} probes for the suspect and each reference (claims of ${identity.name}${identity.vendor ? ` / ${identity.vendor}` : ""})`);
      const suspectAnswers = await querier.askAll(options.suspect, probeQuestions);
      const references = [];
      for (const reference of options.references) references.push({ model: reference.reference, answers: answered(await querier.askAll(reference, probeQuestions)) });
      tests.push(identityTest(identity, { model: options.suspect.reference, answers: answered(suspectAnswers) }, references));
    } else {
      tests.push(notApplicable("identity", "similarity", "the teacher's identity is unknown (no card, no --identity, and its answers name no one): not tested"));
    }

    const sequential = options.sequential ?? true;
    tests.push(...(await runProvenancePhase({
      suspect: options.suspect, querier, plan, seed: options.seed, alpha: options.alpha, sequential,
      reserved: plan.agreementPrompts.length, budget: options.budget,
      // The training-order test keeps its windows, at most a fifth of the budget.
      keepForLater: (options.provenance ?? []).some((test) => test.costly && test.notApplicable === null) ? Math.min(plan.orderWindows, Math.floor(options.budget / 5)) : 0,
      watermark: options.watermark, exchanges: options.exchanges, tests: options.provenance ?? [], stage,
      onAnswers: (prompts, answers) => samples.push(...sampleAnswers(prompts, "radioactivity", [[options.suspect.reference, answers]])),
    })));

    if (sequential && provenanceDecided(tests, options.alpha)) {
      // The verdict is "derived" whatever the agreement test would say: its queries are saved.
      tests.push(notApplicable("agreement", "similarity", DECIDED), notApplicable("agreement_span", "similarity", DECIDED));
    } else {
      const question = (prompt: AuditPrompt): Question => ({
        test: "agreement", item: prompt.id, messages: prompt.messages,
        params: { temperature: 0, max_tokens: plan.agreementMaxTokens, seed: itemSeed(options.seed, prompt.id) },
      });
      const candidates = [...plan.agreementPrompts, ...(plan.agreementPool ?? [])].map(question);
      stage(`agreement: ${plan.agreementPrompts.length} prompts, greedy${plan.agreementPool ? `, chosen from ${candidates.length} where the teacher and the references disagree` : ""}, for the suspect, the teacher and each reference`);
      const teacher = { model: options.teacher.reference, answers: await querier.askAll(options.teacher, candidates) };
      const references = [];
      for (const reference of options.references) references.push({ model: reference.reference, answers: await querier.askAll(reference, candidates) });
      const agreementQuestions = plan.agreementPool ? informativeFirst(candidates, teacher.answers, references.map((r) => r.answers), plan.agreementPrompts.length) : candidates;
      const suspect = await querier.askAll(options.suspect, agreementQuestions);
      tests.push(agreementTest({ suspect, teacher, references, words: 1 }));
      tests.push(agreementTest({ suspect, teacher, references, words: plan.agreementSpanWords }));
      samples.unshift(...sampleAnswers([...plan.agreementPrompts, ...(plan.agreementPool ?? [])], "agreement", [
        [options.suspect.reference, suspect], [teacher.model, teacher.answers], ...references.map((r) => [r.model, r.answers] as [string, Map<string, string>]),
      ]));
    }
  } finally {
    transcript.close();
  }

  const corrected = applyHolm(tests, options.alpha);
  const verdict = verdictOf(corrected);
  const tallies = Object.fromEntries([...querier.tallies].sort((a, b) => a[0].localeCompare(b[0])));
  const spent = (slot: QuerySlot) => querier.tally(slot.reference).queries;
  return {
    suspect: options.suspect.reference,
    teacher: options.teacher.reference,
    references: options.references.map((reference) => reference.reference),
    alpha: options.alpha,
    seed: options.seed,
    budget: options.budget,
    verdict,
    sentence: verdictSentence(verdict, corrected, options.alpha, { suspect: options.suspect.reference, teacher: options.teacher.reference }),
    identity,
    queries: { suspect: spent(options.suspect), teacher: spent(options.teacher), references: options.references.reduce((n, r) => n + spent(r), 0) },
    tallies,
    tests: corrected,
    samples,
    hashes: { models: options.modelHashes ?? {}, transcript: createHash("sha256").update(readFileSync(transcriptPath)).digest("hex") },
    report: join(options.directory, "report.html"),
    transcript: transcriptPath,
  };
}

function sampleAnswers(prompts: AuditPrompt[], test: string, columns: [string, Map<string, string>][], count = 6): SampleAnswer[] {
  return prompts
    .filter((prompt) => columns.every(([, answers]) => answers.has(prompt.id)))
    .slice(0, count)
    .map((prompt) => ({
      test,
      item: prompt.id,
      prompt: prompt.messages.at(-1)?.content ?? "",
      answers: Object.fromEntries(columns.map(([model, answers]) => [model, answers.get(prompt.id)!])),
    }));
}

/** The `count` questions where the teacher's first word differs from every reference's, then the rest, each in order. */
function informativeFirst(questions: Question[], teacher: Map<string, string>, references: Map<string, string>[], count: number): Question[] {
  const disagrees = (item: string) => {
    const own = teacher.get(item);
    if (own === undefined) return false;
    const word = leadingWords(own, 1);
    return references.every((answers) => answers.has(item) && leadingWords(answers.get(item)!, 1) !== word);
  };
  return [...questions.filter((q) => disagrees(q.item)), ...questions.filter((q) => !disagrees(q.item))].slice(0, count);
}
