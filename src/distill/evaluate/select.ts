// Item selection for --limit: at most `limit` items per split, a seeded sample, in task order.
import type { EvalItem } from "./types.js";
import { DistillError } from "../data/errors.js";
import { createRandom } from "../../random/index.js";

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

/** Partial Fisher–Yates; each split draws from its own stream of the seed, so splits do not shift each other. */
function sample<T>(pool: T[], count: number, seed: number): T[] {
  const copy = pool.slice();
  const random = createRandom(seed);
  const n = Math.min(count, copy.length);
  for (let i = 0; i < n; i++) {
    const j = i + random.int(copy.length - i);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}
