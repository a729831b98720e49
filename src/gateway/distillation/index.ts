// Controlled distillation through the API (OpenAI's shape): files, fine-tuning jobs and batches, for
// keys licensed for distillation. State lives in `<data>/distillation/` as atomically written files.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";
import type { GatewayContext } from "../gateway-context.js";
import { shapeCache, type DistillationContext } from "./distillation-context.js";
import { FileStore } from "./file-store.js";
import { addFileRoutes } from "./file-routes.js";
import { addJobRoutes } from "./job-routes.js";
import { JobRunner } from "./job-runner.js";
import { JobStore } from "./job-store.js";
import { addBatchRoutes } from "./batch-routes.js";
import { BatchRunner } from "./batch-runner.js";
import { BatchStore } from "./batch-store.js";
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

export function addDistillationRoutes(app: Hono, gateway: GatewayContext, options: DistillationOptions): Distillation {
  const root = join(options.dataDir, "distillation");
  const files = new FileStore(root, gateway.now);
  const jobs = new JobStore(root, gateway.now);
  const context: DistillationContext = { gateway, files, jobs, fileBytesLimit: options.fileBytes ?? DEFAULT_FILE_BYTES, studentShape: shapeCache() };
  const runner = new JobRunner({
    jobs, files, gateway, workerScript: options.workerScript ?? defaultWorkerScript(), priority: options.workerPriority ?? 19,
    onModel: (job) => gateway.backends.add(job.fine_tuned_model!, jobs.modelPath(job.id), job.key_id),
  });
  addFileRoutes(app, context);
  addJobRoutes(app, context, runner, options.adminKeySha256);
  const batches = new BatchRunner({ batches: new BatchStore(root), files, gateway, inFlight: options.inFlight ?? (() => 0) });
  addBatchRoutes(app, context, new BatchStore(root), batches);
  const stored = new StoredCompletionIndex(root);
  gateway.storedCompletions = stored;
  addStoredCompletionRoutes(app, gateway, stored);
  runner.recover();
  batches.kick();
  return { context, runner, close: async () => void (await Promise.all([runner.close(), batches.close()])) };
}
