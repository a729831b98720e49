// Identity (a similarity test): how often does the suspect name the teacher or its vendor, against
// how often the reference models do? One-sided Fisher exact test of the suspect's rate against the
// pooled references' rate (H0: the suspect claims the teacher no more often than the references).
// Exact for any sample size. Shared training data can make a model claim the teacher's name too, so
// a rejection says "resembles", never "derived".
import { fisherExactTest } from "../stats/index.js";
import { identityMatcher, type Identity } from "./identity-names.js";
import { testResult, type AuditTestResult } from "./test-result.js";

export interface AnsweredProbe {
  probeId: string;
  prompt: string;
  answer: string;
}

export interface IdentityMatch {
  model: string;
  probe: string;
  matched: string;
  answer: string;
}

export function identityTest(
  identity: Identity,
  suspect: { model: string; answers: AnsweredProbe[] },
  references: { model: string; answers: AnsweredProbe[] }[],
): AuditTestResult {
  const match = identityMatcher(identity);
  const matches: IdentityMatch[] = [];
  const count = (model: string, answers: AnsweredProbe[]) => {
    let claims = 0;
    for (const answer of answers) {
      const matched = match(answer.answer);
      if (matched === null) continue;
      claims += 1;
      matches.push({ model, probe: answer.probeId, matched, answer: answer.answer });
    }
    return claims;
  };
  const suspectClaims = count(suspect.model, suspect.answers);
  const rates: Record<string, { claims: number; answers: number; rate: number }> = {};
  rates[suspect.model] = { claims: suspectClaims, answers: suspect.answers.length, rate: rateOf(suspectClaims, suspect.answers.length) };
  let referenceClaims = 0;
  let referenceAnswers = 0;
  for (const reference of references) {
    const claims = count(reference.model, reference.answers);
    rates[reference.model] = { claims, answers: reference.answers.length, rate: rateOf(claims, reference.answers.length) };
    referenceClaims += claims;
    referenceAnswers += reference.answers.length;
  }
  const n = suspect.answers.length;
  const note = n === 0 || referenceAnswers === 0 ? "no answers to compare: the test could not run" : null;
  const logP = note ? 0 : fisherExactTest([[suspectClaims, n - suspectClaims], [referenceClaims, referenceAnswers - referenceClaims]], "greater").log_p;
  return testResult({
    name: "identity",
    kind: "similarity",
    statistic: rateOf(suspectClaims, n),
    logP,
    queries: n,
    note,
    detail: {
      identity,
      suspect_rate: rateOf(suspectClaims, n),
      references_rate: rateOf(referenceClaims, referenceAnswers),
      rates,
      matches,
      method: "one-sided Fisher exact test, suspect vs pooled references",
    },
  });
}

const rateOf = (x: number, n: number) => (n === 0 ? 0 : x / n);
