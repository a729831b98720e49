// The benign reference: split by key into a fit half (topics, the template bands benign traffic
// shares, the features' medians and scales per look) and a calibration half (the conformal nulls).
// Splitting by key keeps one user's days on one side, and calibration keeps one day per key (chosen
// at random): a scanned key-day is a draw from the population of clients, and a client's days are
// alike (its habits), so several days of one calibration key would stand in for one.
import { createRandom } from "../random/index.js";
import { ConformalNull } from "./conformal.js";
import type { MonitorExchange } from "./exchange.js";
import { PER_CLIENT_FEATURES, windowFeatures, type Features } from "./features.js";
import { findClusters } from "./clusters.js";
import { groupKeyDays, lookWindow, type KeyDay } from "./key-days.js";
import { MonitorError } from "./errors.js";
import { prepareExchange, type PreparedExchange } from "./prepared.js";
import { hashString, embed } from "./text-features.js";
import { fitTopics, type Topics } from "./topics.js";
import { fitNormalizer, scoreWindow, type Normalizer, type WindowScore } from "./window-score.js";

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
  nulls: ConformalNull[];
  clusterNull: ConformalNull;
  /** Calibration key-days (N of every null). */
  calibrationWindows: number;
  fitWindows: number;
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
    throw new MonitorError("MONITOR_REFERENCE_TOO_SMALL", `the benign reference has ${fit.length + calibration.length} key-days; it needs at least 40 (and about L/α of them to reach a false-positive rate α with L looks)`);
  }
  const commonBands = findCommonBands(fit);
  const looks: (number | null)[] = [...(options.looks ?? DEFAULT_LOOKS), null];
  const normalizers = looks.map((look) => {
    const samples = fit.flatMap((keyDay) => {
      const window = lookWindow(keyDay, look);
      return window ? [windowFeatures(window, topics.count, commonBands)] : [];
    });
    return fitNormalizer(samples.length > 0 ? samples : [windowFeatures([], topics.count, commonBands)]);
  });
  const partial = { topics, commonBands, looks, normalizers };
  const nulls = looks.map((look, index) => {
    const scores = calibration.flatMap((keyDay) => {
      const window = lookWindow(keyDay, look);
      return window ? [scoreKeyWindow(partial, window, index).score] : [];
    });
    return new ConformalNull(scores, calibration.length);
  });
  const clusterScores = byDay(calibration).flatMap((day) => findClusters(day, commonBands).flatMap((members) => {
    const score = scoreCluster(partial, members.map((index) => day[index]!)).score;
    return members.map(() => score);
  }));
  return { ...partial, nulls, clusterNull: new ConformalNull(clusterScores, calibration.length), calibrationWindows: calibration.length, fitWindows: fit.length };
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

export function keyWindowFeatures(reference: Scoring, window: readonly PreparedExchange[]): Features {
  return windowFeatures(window, reference.topics.count, reference.commonBands);
}

export function scoreKeyWindow(reference: Scoring, window: readonly PreparedExchange[], lookIndex: number): WindowScore {
  return scoreWindow(keyWindowFeatures(reference, window), reference.normalizers[lookIndex]!);
}

/**
 * A cluster's score: the sum of its members' whole-day scores, so fifty keys that each look only
 * mildly unusual add up (a benign key's score is a few units). The signals are those of the pooled
 * traffic, read without the per-client features (pace and breadth change by pooling alone).
 */
export function scoreCluster(reference: Scoring, members: readonly KeyDay[]): WindowScore & { exchanges: number } {
  const day = reference.normalizers.length - 1;
  const pooled = members.flatMap((keyDay) => keyDay.exchanges).sort((a, b) => a.exchange.ts - b.exchange.ts);
  const signals = scoreWindow(keyWindowFeatures(reference, pooled), reference.normalizers[day]!, PER_CLIENT_FEATURES);
  const score = members.reduce((sum, keyDay) => sum + scoreKeyWindow(reference, keyDay.exchanges, day).score, 0);
  return { ...signals, score, exchanges: pooled.length };
}
