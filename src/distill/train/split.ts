// A seeded split of rows into training and held-out sets, by prompt id so that paraphrased
// duplicates of one prompt never straddle the split.
import { createHash } from "node:crypto";

export function splitRows<Row extends { prompt_id: string }>(rows: Row[], heldOutShare: number, seed: number): { train: Row[]; heldOut: Row[] } {
  const train: Row[] = [];
  const heldOut: Row[] = [];
  for (const row of rows) {
    const digest = createHash("sha256").update(`${seed}:${row.prompt_id}`).digest();
    const u = digest.readUInt32BE(0) / 2 ** 32;
    (u < heldOutShare ? heldOut : train).push(row);
  }
  if (train.length === 0) return { train: heldOut, heldOut: [] };
  return { train, heldOut };
}
