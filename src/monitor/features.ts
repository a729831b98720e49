// The features of one window of exchanges (a key's day, its first n exchanges, or a cluster's
// pooled traffic). Every feature is oriented so that larger looks more like extraction; the
// signals follow Anthropic's disclosure (23 Feb 2026): volume, repetitive templates, narrow or
// exhaustive coverage, chain-of-thought elicitation, and the API options a harvester uses.
import type { PreparedExchange } from "./prepared.js";

export const FEATURE_NAMES = [
  "rate",
  "timing_regularity",
  "template_repetition",
  "template_cluster",
  "template_count",
  "coverage",
  "elicitation",
  "logprobs",
  "multiple_samples",
  "greedy",
  "truncated",
  "client_mix",
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Features = Record<FeatureName, number>;

/** Features that pooling several clients changes by itself (pace, breadth); clusters are scored without them. */
export const PER_CLIENT_FEATURES: readonly FeatureName[] = ["rate", "timing_regularity", "coverage"];

/**
 * Shares and rates are shrunk towards "nothing unusual" by this many pseudo-exchanges (and the rate
 * by RATE_PRIOR_HOURS), so one truncated answer among nine, or four questions in a minute, is weak
 * evidence rather than a share beyond every benign day: small windows are where benign noise is
 * largest, and a conformal p-value at 1e-3 is decided by the benign maximum.
 */
const PRIOR_EXCHANGES = 10;
const RATE_PRIOR_HOURS = 0.5;

/** Exchanges must be in time order. `commonBands`: template keys that benign traffic shares (ignored). */
export function windowFeatures(window: readonly PreparedExchange[], topicCount: number, commonBands: ReadonlySet<number>): Features {
  const n = window.length;
  const share = (test: (item: PreparedExchange) => boolean) => (n === 0 ? 0 : window.filter(test).length / (n + PRIOR_EXCHANGES));
  const first = window[0]?.exchange.ts ?? 0;
  const last = window.at(-1)?.exchange.ts ?? 0;
  const hours = (last - first) / 3_600_000 + RATE_PRIOR_HOURS;
  const found = templates(window, commonBands);
  return {
    rate: Math.log10(Math.max(n, 1) / hours),
    timing_regularity: timingRegularity(window) * (n / (n + PRIOR_EXCHANGES)),
    ...found,
    template_repetition: found.template_repetition * (n / (n + PRIOR_EXCHANGES)),
    coverage: topicEvenness(window, topicCount),
    elicitation: share((item) => item.elicitation),
    logprobs: share((item) => item.exchange.logprobs || item.exchange.topLogprobs > 0),
    multiple_samples: share((item) => item.exchange.n > 1),
    greedy: share((item) => item.exchange.temperature === 0),
    truncated: share((item) => item.exchange.finishReason === "length"),
    client_mix: clientMix(window, n + PRIOR_EXCHANGES),
  };
}

/** The request options a client's code fixes (sampling, length, log-probabilities). */
export const clientSignature = (item: PreparedExchange) =>
  `${item.exchange.temperature}|${item.exchange.maxTokens}|${item.exchange.logprobs || item.exchange.topLogprobs > 0}|${item.exchange.n}`;

/**
 * The share of the window sent with options other than the key's most common ones. A client's code
 * sets them once, so one client behind a key gives 0; a script run under someone else's key (a
 * campaign hidden in an app's traffic, a proxy that resells access) shows as a second client.
 */
function clientMix(window: readonly PreparedExchange[], denominator: number): number {
  if (window.length < 2) return 0;
  return (window.length - modalClient(window).count) / denominator;
}

/** The client (clientSignature) that sends most of these exchanges, and how many it sends. */
function modalClient(items: Iterable<PreparedExchange>): { signature: string; count: number } {
  const counts = new Map<string, number>();
  let modal = { signature: "", count: 0 };
  for (const item of items) {
    const signature = clientSignature(item);
    const count = (counts.get(signature) ?? 0) + 1;
    counts.set(signature, count);
    if (count > modal.count) modal = { signature, count };
  }
  return modal;
}

/** 1 − the coefficient of variation of the gaps: 1 for a metronome, about 0 for Poisson arrivals, negative for bursts. */
function timingRegularity(window: readonly PreparedExchange[]): number {
  if (window.length < 4) return 0;
  const gaps: number[] = [];
  for (let i = 1; i < window.length; i++) gaps.push(window[i]!.exchange.ts - window[i - 1]!.exchange.ts);
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  if (mean <= 0) return 1;
  const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length;
  return Math.max(-4, 1 - Math.sqrt(variance) / mean);
}

/**
 * Template features over bands that benign traffic does not commonly share: the share of prompts
 * that share a band with a different prompt, and log2(1 + the largest such band's prompt count).
 */
export function templates(window: readonly PreparedExchange[], commonBands: ReadonlySet<number>): { template_repetition: number; template_cluster: number; template_count: number } {
  if (window.length < 2) return { template_repetition: 0, template_cluster: 0, template_count: 0 };
  const { owner, size } = bandOwners(window, commonBands);
  let templated = 0;
  for (const item of window) if (item.bands.some((band) => owner.get(band) === "")) templated++;
  let largest = 0;
  for (const [band, count] of size) if (owner.get(band) === "" && count > largest) largest = count;
  return { template_repetition: templated / window.length, template_cluster: Math.log2(1 + largest), template_count: templatesPerClient(window, templateGroups(window, commonBands, owner)) };
}

/**
 * The most templates one client sends: each template group counts for the client (clientSignature)
 * that sends most of it. A benign app wraps everything in its one template, and two tools sharing a
 * key each send their own; a script rotates several wrappers from the same code.
 */
function templatesPerClient(window: readonly PreparedExchange[], groups: readonly number[][]): number {
  if (groups.length < 2) return groups.length;
  const perClient = new Map<string, number>();
  let most = 0;
  for (const group of groups) {
    const modal = modalClient(group.map((index) => window[index]!)).signature;
    const templates = (perClient.get(modal) ?? 0) + 1;
    perClient.set(modal, templates);
    most = Math.max(most, templates);
  }
  return most;
}

/** Each band's first prompt text, or "" once two different texts share it, and its prompt count. */
function bandOwners(window: readonly PreparedExchange[], commonBands: ReadonlySet<number>): { owner: Map<number, string>; size: Map<number, number> } {
  const owner = new Map<number, string>();
  const size = new Map<number, number>();
  for (const item of window) {
    for (const band of item.bands) {
      if (commonBands.has(band)) continue;
      size.set(band, (size.get(band) ?? 0) + 1);
      const seen = owner.get(band);
      if (seen === undefined) owner.set(band, item.textHash);
      else if (seen !== item.textHash) owner.set(band, "");
    }
  }
  return { owner, size };
}

/**
 * Distinct templates: groups of at least MIN_TEMPLATE prompts linked by shared template bands (union
 * find), as indices into the window. A benign app wraps everything in its one template; a campaign
 * rotates several. Prompts are first joined by a shared frame (the same opening words); a shared
 * question's bands never join two groups with different shared frames, since most wrappers put the
 * question last and a question asked under two wrappers would otherwise make them one.
 */
const MIN_TEMPLATE = 3;
/** …and at least this share of the window: a question asked three times with courtesies is not a template. */
const MIN_TEMPLATE_SHARE = 0.01;
export function templateGroups(window: readonly PreparedExchange[], commonBands: ReadonlySet<number>, owner = bandOwners(window, commonBands).owner): number[][] {
  const parent = window.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  // A frame counts once two different prompts share it (a question's own opening does not).
  const rootFrame = window.map((item) => (item.frame !== null && owner.get(item.frame) === "" ? item.frame : null));
  const join = (i: number, j: number): boolean => {
    const a = find(i);
    const b = find(j);
    if (a === b) return true;
    const frameA = rootFrame[a] ?? null;
    const frameB = rootFrame[b] ?? null;
    if (frameA !== null && frameB !== null && frameA !== frameB) return false;
    parent[a] = b;
    rootFrame[b] = frameB ?? frameA;
    return true;
  };
  const firstWithFrame = new Map<number, number>();
  window.forEach((item, i) => {
    const frame = rootFrame[i] ?? null;
    if (frame === null) return;
    const first = firstWithFrame.get(frame);
    if (first === undefined) firstWithFrame.set(frame, i);
    else join(i, first);
  });
  // Each band keeps one holder per group it could not join (a handful at most).
  const holders = new Map<number, number[]>();
  window.forEach((item, i) => {
    for (const band of item.bands) {
      if (band === item.frame || owner.get(band) !== "") continue;
      const list = holders.get(band);
      if (!list) {
        holders.set(band, [i]);
        continue;
      }
      let joined = false;
      for (const holder of list) if (join(i, holder)) joined = true;
      if (!joined) list.push(i);
    }
  });
  const groups = new Map<number, number[]>();
  for (let i = 0; i < window.length; i++) {
    const root = find(i);
    let members = groups.get(root);
    if (!members) groups.set(root, (members = []));
    members.push(i);
  }
  const needed = Math.max(MIN_TEMPLATE, Math.ceil(MIN_TEMPLATE_SHARE * window.length));
  return [...groups.values()].filter((members) => members.length >= needed);
}

/** Normalised entropy of the topic histogram: 1 when every topic is asked equally (a harvest sweeping a domain). */
function topicEvenness(window: readonly PreparedExchange[], topicCount: number): number {
  if (window.length < 2 || topicCount < 2) return 0;
  const counts = new Array<number>(topicCount).fill(0);
  for (const item of window) counts[item.topic]! += 1;
  let entropy = 0;
  for (const count of counts) if (count > 0) entropy -= (count / window.length) * Math.log(count / window.length);
  return entropy / Math.log(Math.min(topicCount, window.length));
}
