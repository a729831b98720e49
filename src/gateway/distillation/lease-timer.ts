// A lease renewed on a timer while work runs: every third of the lease, so two renewals can fail
// (a database blip) before another replica may take the work over.
export const DEFAULT_LEASE_MS = 30_000;
/** How often a replica sharing its state looks for batches and jobs to take over, and for models
 *  finished elsewhere. */
export const DEFAULT_POLL_MS = 5000;

/** Calls `renew` until the returned function stops it; a failed renewal waits for the next one. */
export function renewEvery(leaseMs: number, renew: () => Promise<void>): () => void {
  const timer = setInterval(() => void renew().catch(() => undefined), Math.max(50, Math.floor(leaseMs / 3)));
  timer.unref();
  return () => clearInterval(timer);
}
