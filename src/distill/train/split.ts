// A seeded split of rows into training and held-out sets, by prompt id so that paraphrased
// duplicates of one prompt never straddle the split.
import { createHash } from "node:crypto";
import type { HarvestRow } from "../data/row.js";

export function splitRows(rows: HarvestRow[], heldOutShare: number, seed: number): { train: HarvestRow[]; heldOut: HarvestRow[] } {
  const train: HarvestRow[] = [];
  const heldOut: HarvestRow[] = [];
  for (const row of rows) {
    const digest = createHash("sha256").update(`${seed}:${row.prompt_id}`).digest();
    const u = digest.readUInt32BE(0) / 2 ** 32;
    (u < heldOutShare ? heldOut : train).push(row);
  }
  if (train.length === 0) return { train: heldOut, heldOut: [] };
  return { train, heldOut };
}
