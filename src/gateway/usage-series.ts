// Usage per key over time: the exchange log's exchanges counted in UTC-aligned buckets (minute, hour or day),
// dense (a zero where a key made no request) so a chart can draw it as it comes.
import { badRequest } from "./errors.js";
import type { LogReader } from "./store/store.js";

export const BUCKETS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type BucketName = keyof typeof BUCKETS;
/** More points than this is not a chart any more; ask for a wider bucket. */
export const MAX_BUCKETS = 1000;
/** Default span: the last 60 minutes, 24 hours or 30 days. */
const DEFAULT_BUCKETS: Record<BucketName, number> = { minute: 60, hour: 24, day: 30 };

export interface SeriesQuery {
  bucket: BucketName;
  /** Start of the first bucket (ms, aligned). */
  since: number;
  /** End of the last bucket (ms, exclusive, aligned). */
  until: number;
}

export interface KeySeries {
  key_id: string | null;
  requests: number[];
  denied: number[];
  total_tokens: number[];
}

export interface UsageSeries {
  bucket: BucketName;
  bucket_ms: number;
  since: string;
  until: string;
  /** Start of each bucket (ISO 8601). */
  buckets: string[];
  series: KeySeries[];
}

function timeParam(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null || value === "") return undefined;
  const time = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(time)) throw badRequest("INVALID_REQUEST", `'${name}' must be milliseconds since 1970 or an ISO 8601 time, got '${value}'.`, name);
  return time;
}

/** `?bucket=minute|hour|day&since=&until=` (times in ms or ISO 8601); bounds are aligned to the bucket. */
export function parseSeriesQuery(url: URL, now: number): SeriesQuery {
  const name = url.searchParams.get("bucket") ?? "hour";
  if (!Object.hasOwn(BUCKETS, name)) throw badRequest("INVALID_REQUEST", `'bucket' must be one of ${Object.keys(BUCKETS).join(", ")}, got '${name}'.`, "bucket");
  const bucket = name as BucketName;
  const width = BUCKETS[bucket];
  const until = Math.ceil((timeParam(url, "until") ?? now + 1) / width) * width;
  const since = Math.floor((timeParam(url, "since") ?? until - DEFAULT_BUCKETS[bucket] * width) / width) * width;
  if (since >= until) throw badRequest("INVALID_REQUEST", "'since' must be before 'until'.", "since");
  if ((until - since) / width > MAX_BUCKETS) throw badRequest("INVALID_REQUEST", `That span holds more than ${MAX_BUCKETS} ${bucket} buckets; use a wider bucket or a later 'since'.`, "since");
  return { bucket, since, until };
}

/** Reads the buckets from the log (exchanges only, not event rows) and fills in the zeros. */
export async function usageSeries(reader: LogReader, query: SeriesQuery): Promise<UsageSeries> {
  const width = BUCKETS[query.bucket];
  const count = (query.until - query.since) / width;
  const rows = await reader.usageBuckets({ sinceMs: query.since, untilMs: query.until, bucketMs: width });
  const byKey = new Map<string | null, KeySeries>();
  for (const row of rows) {
    let series = byKey.get(row.key_id);
    if (!series) {
      series = { key_id: row.key_id, requests: new Array<number>(count).fill(0), denied: new Array<number>(count).fill(0), total_tokens: new Array<number>(count).fill(0) };
      byKey.set(row.key_id, series);
    }
    series.requests[row.slot] = row.requests;
    series.denied[row.slot] = row.denied;
    series.total_tokens[row.slot] = row.total_tokens;
  }
  return {
    bucket: query.bucket,
    bucket_ms: width,
    since: new Date(query.since).toISOString(),
    until: new Date(query.until).toISOString(),
    buckets: Array.from({ length: count }, (_, i) => new Date(query.since + i * width).toISOString()),
    series: [...byKey.values()],
  };
}
