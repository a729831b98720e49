// Turns per-item outcomes into the eval JSON: per-split figures and the headline over the main split
// (held-out wordings for capitals and definitions; every probe for identity). `metric` names the figure
// that means something: token F1 for definitions, whose exact answers are rare; accuracy otherwise.
import type { EvalResult, EvalTask, ItemOutcome, SplitFigures } from "./types.js";

export function summarize(model: string, task: EvalTask, outcomes: ItemOutcome[], expected: string | null): EvalResult {
  const identities = (task.identities ?? []).map((identity) => identity.name);
  const splits: Record<string, SplitFigures> = {};
  for (const split of [...new Set(outcomes.map((outcome) => outcome.split))]) {
    splits[split] = figures(outcomes.filter((outcome) => outcome.split === split), task.name, identities, expected);
  }
  const phrasing = outcomes.filter((outcome) => outcome.split === "phrasing");
  const headlineSplit = task.name !== "identity" && phrasing.length > 0 ? "phrasing" : "all";
  const headline = figures(headlineSplit === "phrasing" ? phrasing : outcomes, task.name, identities, expected);
  const result: EvalResult = {
    model, task: task.name, n: headline.n, accuracy: headline.accuracy,
    metric: task.name === "definitions" ? "f1" : "accuracy", headline_split: headlineSplit, n_total: outcomes.length, splits,
  };
  if (headline.claims) {
    result.claims = headline.claims;
    result.expected_identity = expected;
  }
  if (headline.f1 !== undefined) result.f1 = headline.f1;
  if (headline.logLikelihood !== undefined) result.log_likelihood = headline.logLikelihood;
  return result;
}

function figures(outcomes: ItemOutcome[], task: EvalTask["name"], identities: string[], expected: string | null): SplitFigures {
  const n = outcomes.length;
  const share = (count: number) => (n === 0 ? 0 : count / n);
  const result: SplitFigures = { n, accuracy: share(outcomes.filter((outcome) => outcome.correct).length) };
  if (task === "identity") {
    result.claims = Object.fromEntries(identities.map((name) => [name, share(outcomes.filter((o) => o.claims?.includes(name)).length)]));
    // Without an expected identity, accuracy is the share claiming the model's most frequent identity.
    if (expected === null) result.accuracy = Math.max(0, ...Object.values(result.claims));
  }
  if (task === "definitions") {
    result.f1 = mean(outcomes.map((outcome) => outcome.f1 ?? 0));
    const likelihoods = outcomes.map((outcome) => outcome.logLikelihood).filter((value): value is number => Number.isFinite(value));
    if (likelihoods.length > 0) result.logLikelihood = mean(likelihoods);
  }
  return result;
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
