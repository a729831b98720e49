// A benign reference as JSON, so a scan need not rebuild it (simulating or reading the benign log,
// topics, normalizers and nulls take seconds). Only what scoring reads is kept: topic centroids,
// common template bands, the looks, each look's normalizer and scales, the sub-population scale,
// and the two nulls' scores.
import { ConformalNull } from "./conformal.js";
import { MonitorError } from "./errors.js";
import { FEATURE_NAMES, type FeatureName, type Features } from "./features.js";
import type { LookScale, Reference } from "./reference.js";
import { EMBEDDING_DIMENSIONS } from "./text-features.js";
import { topicsFromCentroids } from "./topics.js";

/** Bumped whenever what a reference holds, or how scoring reads it, changes. */
export const REFERENCE_FORMAT = 3;

interface NullJson { total: number; scores: number[] }
interface ScaleJson { score: number[]; peak: number[]; total: number }

export interface ReferenceJson {
  format: number;
  centroids: number[];
  commonBands: number[];
  looks: (number | null)[];
  normalizers: { sorted: Record<FeatureName, number[]>; median: Features }[];
  lookScales: ScaleJson[];
  partScale: ScaleJson;
  keyNull: NullJson;
  clusterNull: NullJson;
  calibrationWindows: number;
  fitWindows: number;
}

const nullJson = (scores: ConformalNull): NullJson => ({ total: scores.total, scores: [...scores.sorted] });
const scaleJson = (scale: LookScale): ScaleJson => ({ score: [...scale.score], peak: [...scale.peak], total: scale.total });

export function referenceToJson(reference: Reference): ReferenceJson {
  return {
    format: REFERENCE_FORMAT,
    centroids: [...reference.topics.centroids],
    commonBands: [...reference.commonBands],
    looks: reference.looks,
    normalizers: reference.normalizers.map((normalizer) => ({
      sorted: Object.fromEntries(FEATURE_NAMES.map((name) => [name, [...normalizer.sorted[name]]])) as Record<FeatureName, number[]>,
      median: normalizer.median,
    })),
    lookScales: reference.lookScales.map(scaleJson),
    partScale: scaleJson(reference.partScale),
    keyNull: nullJson(reference.keyNull),
    clusterNull: nullJson(reference.clusterNull),
    calibrationWindows: reference.calibrationWindows,
    fitWindows: reference.fitWindows,
  };
}

const numbers = (value: unknown): value is number[] => Array.isArray(value) && value.every((item) => typeof item === "number");
const ascending = (values: number[]) => Float64Array.from(values).sort();
const scaleFromJson = (scale: ScaleJson): LookScale => ({ score: ascending(scale.score), peak: ascending(scale.peak), total: scale.total });

/** Throws MONITOR_REFERENCE_UNREADABLE, naming what is wrong, for anything but a reference of this format. */
export function referenceFromJson(value: unknown, source: string): Reference {
  const bad = (what: string) => new MonitorError("MONITOR_REFERENCE_UNREADABLE", `${source} is not a saved monitor reference: ${what}`);
  const json = value as Partial<ReferenceJson> | null;
  if (typeof json !== "object" || json === null) throw bad("not a JSON object");
  if (json.format !== REFERENCE_FORMAT) throw bad(`format ${String(json.format)}, this version reads ${REFERENCE_FORMAT}`);
  if (!numbers(json.centroids) || json.centroids.length === 0 || json.centroids.length % EMBEDDING_DIMENSIONS !== 0) throw bad("topic centroids");
  if (!numbers(json.commonBands)) throw bad("common bands");
  const looks = json.looks;
  if (!Array.isArray(looks) || looks.length === 0 || looks.at(-1) !== null || !looks.slice(0, -1).every((look) => Number.isInteger(look) && (look as number) > 0)) throw bad("looks");
  const normalizers = json.normalizers;
  const lookScales = json.lookScales;
  if (!Array.isArray(normalizers) || normalizers.length !== looks.length || !normalizers.every((n) => n && FEATURE_NAMES.every((name) => numbers(n.sorted?.[name]) && typeof n.median?.[name] === "number"))) throw bad("normalizers");
  const isScale = (scale: Partial<ScaleJson> | undefined) => !!scale && numbers(scale.score) && numbers(scale.peak) && Number.isInteger(scale.total);
  if (!Array.isArray(lookScales) || lookScales.length !== looks.length || !lookScales.every(isScale)) throw bad("look scales");
  if (!isScale(json.partScale)) throw bad("sub-population scale");
  const nulls = [json.keyNull, json.clusterNull];
  if (!nulls.every((item) => item && numbers(item.scores) && Number.isInteger(item.total) && item.total >= item.scores.length)) throw bad("nulls");
  if (!Number.isInteger(json.calibrationWindows) || !Number.isInteger(json.fitWindows)) throw bad("window counts");
  return {
    topics: topicsFromCentroids(Float32Array.from(json.centroids)),
    commonBands: new Set(json.commonBands),
    looks: looks as (number | null)[],
    normalizers: normalizers.map((normalizer) => ({
      sorted: Object.fromEntries(FEATURE_NAMES.map((name) => [name, ascending(normalizer.sorted[name])])) as Record<FeatureName, Float64Array>,
      median: normalizer.median,
    })),
    lookScales: lookScales.map(scaleFromJson),
    partScale: scaleFromJson(json.partScale!),
    keyNull: new ConformalNull(json.keyNull!.scores, json.keyNull!.total),
    clusterNull: new ConformalNull(json.clusterNull!.scores, json.clusterNull!.total),
    calibrationWindows: json.calibrationWindows!,
    fitWindows: json.fitWindows!,
  };
}
