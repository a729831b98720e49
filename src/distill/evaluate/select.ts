// Item selection for --limit: at most `limit` items per split, a seeded sample, in task order.
import type { EvalItem } from "./types.js";
import { DistillError } from "../data/errors.js";

export function selectItems(items: EvalItem[], limit: number | undefined, seed: number): EvalItem[] {
  if (limit === undefined) return items;
  if (!Number.isInteger(limit) || limit < 1) throw new DistillError("EVAL_BAD_OPTION", `limit must be a positive integer, got ${limit}`);
  const keep = new Set<EvalItem>();
  const splits = [...new Set(items.map((item) => item.split))];
  for (const split of splits) {
    const pool = items.filter((item) => item.split === split);
    for (const item of sample(pool, limit, seed)) keep.add(item);
  }
  return items.filter((item) => keep.has(item));
}

/** Partial Fisher–Yates with a mulberry32 stream (same mixer as the corpus room's PRNG). */
function sample<T>(pool: T[], count: number, seed: number): T[] {
  const copy = pool.slice();
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const n = Math.min(count, copy.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(next() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}
