// The order batches and jobs run in: first made, first served. OpenAI's `created_at` counts whole
// seconds, and two jobs made in one second must not run in the order of their random ids, so the
// stored record also keeps the time it was made in milliseconds (records made before it existed
// fall back on their second).
export interface Queued {
  id: string;
  created_at: number;
  /** When the record was made, in ms (internal; not in the API's object). */
  created_ms?: number;
}

export function queuedAtMs(record: Queued): number {
  return record.created_ms ?? record.created_at * 1000;
}

/** Sorts oldest first, ties by id. */
export function byQueueOrder(a: Queued, b: Queued): number {
  return queuedAtMs(a) - queuedAtMs(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
