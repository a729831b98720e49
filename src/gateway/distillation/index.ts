// Controlled distillation through the API (OpenAI's shape): files, fine-tuning jobs and batches, for
// keys licensed for distillation. On SQLite the state lives in `<data>/distillation/` as atomically
// written files; on PostgreSQL files, batches, stored completions and jobs are in the shared database,
// so any replica serves them, and each batch and each job runs on one replica at a time.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";
import type { GatewayContext } from "../gateway-context.js";
import { PostgresStore } from "../store/postgres/postgres-store.js";
import { shapeCache, type DistillationContext } from "./distillation-context.js";
import { directoryState } from "./directory-state.js";
import type { DistillationState } from "./distillation-state.js";
import { addFileRoutes } from "./file-routes.js";
import { addJobRoutes } from "./job-routes.js";
import { JobRunner } from "./job-runner.js";
import { addBatchRoutes } from "./batch-routes.js";
import { BatchRunner } from "./batch-runner.js";
import { importDirectoryState } from "./import-directory-state.js";
import { DEFAULT_POLL_MS } from "./lease-timer.js";
import { postgresState } from "./postgres-state.js";
import { addStoredCompletionRoutes } from "./stored-completion-routes.js";
import { StoredCompletionIndex } from "./stored-completions.js";

export interface DistillationOptions {
  dataDir: string;
  adminKeySha256: string | null;
  /** Largest upload in bytes (default 64 MiB). */
  fileBytes?: number;
  /** The training worker's script; default the compiled training-worker.js beside this module. */
  workerScript?: string;
  /** The worker's niceness (default 19: the lowest priority, so live traffic comes first). */
  workerPriority?: number;
  /** Requests in flight on the gateway: batches wait for live traffic. */
  inFlight?: () => number;
  /** How long a replica's claim on a batch lasts unrenewed (default 30 s): how soon a dead replica's
   *  batch moves on. */
  batchLeaseMs?: number;
  /** The same for a fine-tuning job (default 30 s). */
  jobLeaseMs?: number;
  /** How often a replica sharing its state looks for batches and jobs to take and for models
   *  finished elsewhere to serve (default 5 s). */
  pollMs?: number;
}

export interface Distillation {
  context: DistillationContext;
  runner: JobRunner;
  close(): Promise<void>;
}

export const DEFAULT_FILE_BYTES = 64 * 1024 * 1024;

/** From the sources (tests), the worker is the build's: a child process runs JavaScript (`npm run build`). */
export function defaultWorkerScript(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith(".ts") ? "../../../dist/gateway/distillation/training-worker.js" : "./training-worker.js", here));
}

/** The shared database when the gateway runs on PostgreSQL (with what this replica kept on disk
 *  before, imported once), else the data directory. */
async function openState(gateway: GatewayContext, root: string): Promise<DistillationState> {
  if (!(gateway.store instanceof PostgresStore)) return directoryState(root, gateway.now);
  await importDirectoryState(root, gateway.store.pool, gateway.now()).catch((error: unknown) => {
    // Not fatal: nothing is marked imported, so the next start tries again.
    process.stderr.write(`gateway: the distillation state in ${root} was not copied to PostgreSQL (${(error as Error)?.message ?? String(error)}); it is tried again at the next start\n`);
  });
  return postgresState(gateway.store.pool, root, gateway.now);
}

export async function addDistillationRoutes(app: Hono, gateway: GatewayContext, options: DistillationOptions): Promise<Distillation> {
  const root = join(options.dataDir, "distillation");
  const state = await openState(gateway, root);
  const { files, jobs } = state;
  const context: DistillationContext = { gateway, files, jobs, fileBytesLimit: options.fileBytes ?? DEFAULT_FILE_BYTES, studentShape: shapeCache() };
  const runner = new JobRunner({
    jobs, files, gateway, workerScript: options.workerScript ?? defaultWorkerScript(), priority: options.workerPriority ?? 19,
    onModel: (job, path) => gateway.backends.add(job.fine_tuned_model!, path, job.key_id),
    shared: state.shared, leaseMs: options.jobLeaseMs, pollMs: options.pollMs,
  });
  addFileRoutes(app, context);
  addJobRoutes(app, context, runner, options.adminKeySha256);
  const batches = new BatchRunner({
    batches: state.batches, files, gateway, inFlight: options.inFlight ?? (() => 0), leaseMs: options.batchLeaseMs,
    pollMs: state.shared ? (options.pollMs ?? DEFAULT_POLL_MS) : 0,
  });
  addBatchRoutes(app, context, state.batches, batches);
  gateway.storedCompletions = new StoredCompletionIndex(state.completions);
  addStoredCompletionRoutes(app, gateway, state.completions);
  void runner.recover().catch(() => undefined); // an unreachable state: the poll (shared state) tries again
  batches.kick();
  return { context, runner, close: async () => void (await Promise.all([runner.close(), batches.close()])) };
}
