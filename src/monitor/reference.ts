// The benign reference: split by key into a fit half (topics, the template bands benign traffic
// shares, the features' medians and scales per look) and a calibration half (the conformal nulls).
// Splitting by key keeps one user's days on one side, and calibration keeps one day per key (chosen
// at random): a scanned key-day is a draw from the population of clients, and a client's days are
// alike (its habits), so several days of one calibration key would stand in for one.
import { createRandom } from "../random/index.js";
import { ConformalNull } from "./conformal.js";
import type { MonitorExchange } from "./exchange.js";
import { clientSignature, PER_CLIENT_FEATURES, templateGroups, windowFeatures, type FeatureName, type Features } from "./features.js";
import { findClusters } from "./clusters.js";
import { groupKeyDays, lookWindow, type KeyDay } from "./key-days.js";
import { MonitorError } from "./errors.js";
import { prepareExchange, type PreparedExchange } from "./prepared.js";
import { hashString, embed } from "./text-features.js";
import { fitTopics, type Topics } from "./topics.js";
import { fitNormalizer, scoreWindow, tailSurprise, type Normalizer, type WindowScore } from "./window-score.js";

/** Prefix looks in exchanges; the whole day is always the last look. */
export const DEFAULT_LOOKS = [100] as const;
const TOPIC_COUNT = 16;
const TOPIC_SAMPLE = 4000;
/** A band is commonly benign when at least this share of fit key-days (and 3 of them) use it. */
const COMMON_BAND_SHARE = 0.002;

export interface Reference {
  topics: Topics;
  commonBands: Set<number>;
  /** Prefix sizes, then null for the whole day. */
  looks: (number | null)[];
  normalizers: Normalizer[];
  /** Per look, the fit windows' scores and peaks (each ascending): a look's surprise is read on these scales. */
  lookScales: LookScale[];
  /** The fit days' whole-day scores and peaks without the features a sub-population is scored without (subPopulations). */
  partScale: LookScale;
  /** The conformal null of a key-day's statistic, its largest look surprise (keyDayStatistic). */
  keyNull: ConformalNull;
  clusterNull: ConformalNull;
  /** Calibration key-days (N of every null). */
  calibrationWindows: number;
  fitWindows: number;
}

export interface LookScale {
  score: Float64Array;
  peak: Float64Array;
  total: number;
}

export interface ReferenceOptions {
  looks?: readonly number[];
  seed?: number | string;
}

const calibrationKeys = new Map<string, boolean>();
const isCalibration = (keyId: string) => {
  let found = calibrationKeys.get(keyId);
  if (found === undefined) calibrationKeys.set(keyId, (found = (hashString(keyId, 0x5bd1e995) & 1) === 1));
  return found;
};

export function buildReference(exchanges: readonly MonitorExchange[], options: ReferenceOptions = {}): Reference {
  const rng = createRandom(options.seed ?? "pedigree-monitor-reference");
  const fitExchanges = exchanges.filter((exchange) => !isCalibration(exchange.keyId));
  const calibrationExchanges = exchanges.filter((exchange) => isCalibration(exchange.keyId));
  const sample = rng.shuffle([...fitExchanges]).slice(0, TOPIC_SAMPLE).map((exchange) => embed(exchange.prompt));
  const topics = fitTopics(sample, TOPIC_COUNT, rng);
  const fit = groupKeyDays(fitExchanges.map((exchange) => prepareExchange(exchange, topics)));
  const calibration = oneDayPerKey(groupKeyDays(calibrationExchanges.map((exchange) => prepareExchange(exchange, topics))), rng);
  if (fit.length < 20 || calibration.length < 20) {
    throw new MonitorError("MONITOR_REFERENCE_TOO_SMALL", `the benign reference has ${fit.length + calibration.length} key-days; it needs at least 40 (and about 1/α calibration days to reach a false-positive rate α, ten times that for a steady one)`);
  }
  const commonBands = findCommonBands(fit);
  const looks: (number | null)[] = [...(options.looks ?? DEFAULT_LOOKS), null];
  // A look's scales are fitted on every fit day's first n exchanges (all of a shorter day): most
  // benign days never reach an early look, and a scale fitted on the few that do cannot tell a
  // harvest's pace from a busy app's.
  const prefix = (keyDay: KeyDay, look: number | null) => (look === null ? keyDay.exchanges : keyDay.exchanges.slice(0, look));
  const normalizers = looks.map((look) => fitNormalizer(fit.map((keyDay) => windowFeatures(prefix(keyDay, look), topics.count, commonBands))));
  const scoring = { topics, commonBands, looks, normalizers };
  const scale = (scored: WindowScore[]): LookScale => ({ score: Float64Array.from(scored, (item) => item.score).sort(), peak: Float64Array.from(scored, (item) => item.peak).sort(), total: fit.length });
  const lookScales = looks.map((look, index) => scale(fit.map((keyDay) => scoreKeyWindow(scoring, prefix(keyDay, look), index))));
  const day = looks.length - 1;
  const partScale = scale(fit.map((keyDay) => scoreWindow(keyWindowFeatures(scoring, keyDay.exchanges), normalizers[day]!, SUB_POPULATION_SKIP)));
  const partial = { ...scoring, lookScales, partScale };
  const keyNull = new ConformalNull(calibration.map((keyDay) => keyDayStatistic(partial, keyDay).statistic), calibration.length);
  const clusterScores = byDay(calibration).flatMap((day) => findClusters(day, commonBands).flatMap((members) => {
    const score = scoreCluster(partial, members.map((index) => day[index]!)).score;
    return members.map(() => score);
  }));
  return { ...partial, keyNull, clusterNull: new ConformalNull(clusterScores, calibration.length), calibrationWindows: calibration.length, fitWindows: fit.length };
}

function oneDayPerKey(keyDays: KeyDay[], rng: ReturnType<typeof createRandom>): KeyDay[] {
  const byKey = new Map<string, KeyDay[]>();
  for (const keyDay of keyDays) {
    let days = byKey.get(keyDay.keyId);
    if (!days) byKey.set(keyDay.keyId, (days = []));
    days.push(keyDay);
  }
  return [...byKey.values()].map((days) => days[rng.int(days.length)]!);
}

function findCommonBands(fit: readonly KeyDay[]): Set<number> {
  const count = new Map<number, number>();
  for (const keyDay of fit) {
    const seen = new Set<number>();
    for (const item of keyDay.exchanges) for (const band of item.bands) seen.add(band);
    for (const band of seen) count.set(band, (count.get(band) ?? 0) + 1);
  }
  const threshold = Math.max(3, COMMON_BAND_SHARE * fit.length);
  return new Set([...count].filter(([, n]) => n >= threshold).map(([band]) => band));
}

export function byDay(keyDays: readonly KeyDay[]): KeyDay[][] {
  const days = new Map<number, KeyDay[]>();
  for (const keyDay of keyDays) {
    let list = days.get(keyDay.day);
    if (!list) days.set(keyDay.day, (list = []));
    list.push(keyDay);
  }
  return [...days.values()];
}

type Scoring = Pick<Reference, "topics" | "commonBands" | "looks" | "normalizers">;

export interface LookScore extends WindowScore {
  look: number;
  window: readonly PreparedExchange[];
  /** The look's score as a surprise among the fit windows at that look. */
  surprise: number;
}

/**
 * A key-day's statistic: the largest surprise over its looks, each look's score (many mild signals
 * adding up) and peak (one signal far beyond every benign window) read on that look's fit-window
 * scales. One conformal null for the maximum replaces a Bonferroni correction over the
 * looks, so the smallest p-value is 1/(N + 1), not L/(N + 1). The statistic only grows as later
 * looks arrive, so a p-value read at an early look is never undone by a later one.
 */
export function keyDayStatistic(
  reference: Scoring & Pick<Reference, "lookScales" | "partScale">, keyDay: KeyDay, onLook?: (scored: LookScore) => void, lastLook = reference.looks.length - 1,
): { statistic: number; best: LookScore | null } {
  let best: LookScore | null = null;
  reference.looks.forEach((look, index) => {
    const window = index <= lastLook ? lookWindow(keyDay, look) : null;
    if (!window) return;
    const scored = { ...scoreKeyWindow(reference, window, index), look: index, window, surprise: 0 };
    const scales = reference.lookScales[index]!;
    scored.surprise = lookSurprise(scales, scored);
    if (!best || scored.surprise > best.surprise) best = scored;
    onLook?.(scored);
  });
  const day = reference.looks.length - 1;
  if (lastLook === day) {
    // A key's day is also read as two days, a sub-population and the rest of its traffic, their
    // surprises added: a script hidden in an app's traffic is diluted in the key's day but not in
    // itself, and the host's own traits (an app's pace and breadth) count once, in the rest. A part
    // is scored without what its share of the key sets by itself (its pace, its breadth, the client
    // mix) and read on fit days scored the same way (partScale).
    for (const part of subPopulations(keyDay, reference.commonBands)) {
      const inPart = new Set(part);
      const rest = keyDay.exchanges.filter((item) => !inPart.has(item));
      const scored = { ...scoreWindow(keyWindowFeatures(reference, part), reference.normalizers[day]!, SUB_POPULATION_SKIP), look: day, window: keyDay.exchanges, surprise: 0 };
      scored.surprise = lookSurprise(reference.partScale, scored) + Math.max(0, lookSurprise(reference.lookScales[day]!, scoreKeyWindow(reference, rest, day)));
      if (!best || scored.surprise > best.surprise) best = scored;
    }
  }
  return { statistic: best ? (best as LookScore).surprise : -Infinity, best };
}

/**
 * Uncapped past the fit windows, so key-days beyond all of them still rank among themselves; out of
 * all fit key-days, so being beyond every benign day that reached an early look counts for as much.
 */
const lookSurprise = (scales: LookScale, scored: WindowScore) =>
  Math.max(tailSurprise(scales.score, scored.score, Infinity, scales.total), tailSurprise(scales.peak, scored.peak, Infinity, scales.total));

/** A sub-population needs this many exchanges in a day to be scored on its own. */
const MIN_SUB_POPULATION = 20;
/** What a sub-population's share of its key sets by itself: its pace and breadth, and the key's client mix. */
const SUB_POPULATION_SKIP: readonly FeatureName[] = [...PER_CLIENT_FEATURES, "client_mix"];

/**
 * The parts of a key's day scored as days of their own (each with at least MIN_SUB_POPULATION
 * exchanges):
 * - by options: each client, when the day's requests come with several sets of fixed options
 *   (clientSignature);
 * - by content: the prompts in templates other than the day's dominant content (its largest
 *   template, or its untemplated prompts when those are more), which finds a script that sends the
 *   host app's own options. A benign app's templated subsets (a second tool, a popular wording) are
 *   split the same way on the reference's days, so they are in the null.
 */
function subPopulations(keyDay: KeyDay, commonBands: ReadonlySet<number>): PreparedExchange[][] {
  const parts: PreparedExchange[][] = [];
  const clients = new Map<string, PreparedExchange[]>();
  for (const item of keyDay.exchanges) {
    const signature = clientSignature(item);
    let list = clients.get(signature);
    if (!list) clients.set(signature, (list = []));
    list.push(item);
  }
  if (clients.size > 1) parts.push(...clients.values());
  const groups = templateGroups(keyDay.exchanges, commonBands).sort((a, b) => b.length - a.length);
  const untemplated = keyDay.exchanges.length - groups.reduce((sum, group) => sum + group.length, 0);
  const minority = (groups[0] && groups[0].length > untemplated ? groups.slice(1) : groups).flat().sort((a, b) => a - b);
  if (minority.length < keyDay.exchanges.length) parts.push(minority.map((index) => keyDay.exchanges[index]!));
  return parts.filter((part) => part.length >= MIN_SUB_POPULATION);
}

export function keyWindowFeatures(reference: Scoring, window: readonly PreparedExchange[]): Features {
  return windowFeatures(window, reference.topics.count, reference.commonBands);
}

export function scoreKeyWindow(reference: Scoring, window: readonly PreparedExchange[], lookIndex: number): WindowScore {
  return scoreWindow(keyWindowFeatures(reference, window), reference.normalizers[lookIndex]!);
}

/**
 * A cluster's score: the sum of its members' key-day statistics (each a surprise among benign days,
 * 0 to a few units for a benign key), so fifty keys that each look only mildly unusual add up while
 * a handful of busy apps built from one boilerplate prompt add up to little more than each alone.
 * The signals are those of the pooled traffic, read without the per-client features (pace and
 * breadth change by pooling alone).
 */
export function scoreCluster(reference: Scoring & Pick<Reference, "lookScales" | "partScale">, members: readonly KeyDay[]): WindowScore & { exchanges: number } {
  const day = reference.normalizers.length - 1;
  const pooled = members.flatMap((keyDay) => keyDay.exchanges).sort((a, b) => a.exchange.ts - b.exchange.ts);
  const signals = scoreWindow(keyWindowFeatures(reference, pooled), reference.normalizers[day]!, PER_CLIENT_FEATURES);
  const score = members.reduce((sum, keyDay) => sum + Math.max(0, keyDayStatistic(reference, keyDay).statistic), 0);
  return { ...signals, score, exchanges: pooled.length };
}
