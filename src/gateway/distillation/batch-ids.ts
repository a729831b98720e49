// Batch ids, and the statuses in which a batch still has work for a runner.
import { randomBytes } from "node:crypto";
import type { BatchStatus } from "./batch-types.js";

export const BATCH_ID = /^batch_[0-9a-f]+$/;

export const newBatchId = () => `batch_${randomBytes(12).toString("hex")}`;

export const UNFINISHED_BATCH: readonly BatchStatus[] = ["validating", "in_progress", "finalizing", "cancelling"];

/** A runner's save never undoes a cancel made meanwhile (by this replica or another). */
export function keepCancel(stored: BatchStatus | undefined, saved: BatchStatus): BatchStatus {
  return stored === "cancelling" && (saved === "validating" || saved === "in_progress") ? "cancelling" : saved;
}
