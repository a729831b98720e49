// Windows: a key's exchanges within one UTC day (the unit the false-positive rate is stated per),
// and their prefixes of the first n exchanges (the looks that make an alert early).
import type { PreparedExchange } from "./prepared.js";

export const DAY_MS = 86_400_000;

export interface KeyDay {
  keyId: string;
  /** Start of the UTC day (ms). */
  day: number;
  exchanges: PreparedExchange[];
}

/** Groups by key and UTC day, each in time order (ties by id). */
export function groupKeyDays(items: Iterable<PreparedExchange>): KeyDay[] {
  const groups = new Map<string, KeyDay>();
  for (const item of items) {
    const day = Math.floor(item.exchange.ts / DAY_MS) * DAY_MS;
    const name = `${item.exchange.keyId}\u0000${day}`;
    let group = groups.get(name);
    if (!group) groups.set(name, (group = { keyId: item.exchange.keyId, day, exchanges: [] }));
    group.exchanges.push(item);
  }
  const out = [...groups.values()];
  for (const group of out) group.exchanges.sort((a, b) => a.exchange.ts - b.exchange.ts || a.exchange.id - b.exchange.id);
  return out.sort((a, b) => a.day - b.day || (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0));
}

/** The window a look sees: the first n exchanges (null: the whole day), or null if the day never reaches n. */
export function lookWindow(keyDay: KeyDay, look: number | null): PreparedExchange[] | null {
  if (look === null) return keyDay.exchanges;
  return keyDay.exchanges.length >= look ? keyDay.exchanges.slice(0, look) : null;
}
