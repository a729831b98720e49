// Where the distillation room keeps its state: uploaded files, batches (with their answers so far),
// the stored-completion index and fine-tuning jobs (with their events, checkpoints and weights). Two implementations run one suite (distillation-state.case.ts):
// the data directory (the embedded default, one server) and PostgreSQL (replicas share it). Every
// method returns a Promise so PostgreSQL fits; the directory does its work synchronously inside.
import type { BatchResultLine, StoredBatch } from "./batch-types.js";
import type { FileObject, FilePurpose } from "./file-types.js";
import type { JobCheckpoint, JobEvent, StoredJob } from "./job-types.js";
import type { StoredCompletion } from "./stored-completion-types.js";

export interface FileState {
  create(keyId: string, purpose: FilePurpose, filename: string, content: string, lines: number): Promise<FileObject>;
  /** The key's file (any key's for null), or 404: another key's file does not exist for it. */
  get(keyId: string | null, id: string, param?: string | null): Promise<FileObject & { lines: number }>;
  /** The key's files, newest first. */
  list(keyId: string, purpose?: string): Promise<FileObject[]>;
  content(keyId: string | null, id: string): Promise<string>;
  /** A path on this machine holding the file's content (the training worker reads it), or null when
   *  the file is gone. */
  localPath(id: string): Promise<string | null>;
  delete(keyId: string, id: string): Promise<{ id: string; object: "file"; deleted: true }>;
}

export type ResultKind = "output" | "errors";

export interface BatchState {
  newId(): string;
  /**
   * Replaces the batch's document. A cancel is never undone by a runner's save: while the stored
   * batch is `cancelling`, a save that says `validating` or `in_progress` keeps `cancelling`.
   */
  save(batch: StoredBatch): Promise<void>;
  get(keyId: string | null, id: string): Promise<StoredBatch>;
  /** The key's batches, oldest first. */
  list(keyId: string): Promise<StoredBatch[]>;
  /** Records one answered request; a second answer to the same custom_id is dropped. */
  append(id: string, kind: ResultKind, line: BatchResultLine): Promise<void>;
  /** The answers recorded so far, in the order they were recorded. */
  results(id: string, kind: ResultKind): Promise<BatchResultLine[]>;
  /**
   * Takes the oldest unfinished batch for `owner` for `leaseMs` (its own lease, or one that expired:
   * a replica that died), or null. Two owners never hold one batch at once.
   */
  claim(owner: string, leaseMs: number): Promise<StoredBatch | null>;
  /** Extends the owner's lease and returns the batch as stored, or null when the lease was lost. */
  renew(id: string, owner: string, leaseMs: number): Promise<StoredBatch | null>;
  release(id: string, owner: string): Promise<void>;
  /** Marks an unfinished batch `cancelling` (at `atSeconds`), atomically; a finished one is returned
   *  as it is. */
  requestCancel(keyId: string, id: string, atSeconds: number): Promise<StoredBatch>;
}

export interface StoredCompletionState {
  add(entry: StoredCompletion): Promise<void>;
  /** The key's stored completions, oldest first. */
  list(keyId: string): Promise<StoredCompletion[]>;
  get(keyId: string, id: string): Promise<StoredCompletion | null>;
  update(id: string, metadata: Record<string, string>): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface JobEventOptions {
  level?: JobEvent["level"];
  data?: Record<string, unknown>;
  type?: JobEvent["type"];
}

/** A job as its lease holder sees it: the stored job, and whether a cancel was asked for anywhere. */
export interface HeldJob {
  job: StoredJob;
  cancelRequested: boolean;
}

export interface JobState {
  newId(): string;
  save(job: StoredJob): Promise<void>;
  get(keyId: string | null, id: string): Promise<StoredJob>;
  /** Every key's jobs, oldest first (the queue's order). */
  all(): Promise<StoredJob[]>;
  addEvent(id: string, message: string, options?: JobEventOptions): Promise<JobEvent>;
  /** Newest first, as OpenAI lists them. */
  events(id: string): Promise<JobEvent[]>;
  addCheckpoint(job: StoredJob, step: number, loss: number): Promise<void>;
  /** Newest first. */
  checkpoints(id: string): Promise<JobCheckpoint[]>;
  /** The job's working directory on this machine (the worker's spec, checkpoint and GGUF). */
  workDirectory(id: string): string;
  checkpointPath(id: string): string;
  modelPath(id: string): string;
  /** Keeps the trainer's checkpoint (at checkpointPath) where any replica can resume from it. */
  keepCheckpoint(id: string): Promise<void>;
  /** Puts the kept checkpoint, when there is one, at checkpointPath. */
  restoreCheckpoint(id: string): Promise<void>;
  /** Keeps the finished GGUF (at modelPath) where any replica can serve it. */
  keepModel(id: string): Promise<void>;
  /** A path on this machine holding the job's GGUF (fetched when only kept elsewhere), or null. */
  modelFile(id: string): Promise<string | null>;
  /** Takes the oldest queued job, or a running one whose lease lapsed (its replica died), for `owner`. */
  claim(owner: string, leaseMs: number): Promise<StoredJob | null>;
  /** Takes this job only if it is queued and nobody holds it (to cancel it at once). */
  claimQueued(id: string, owner: string, leaseMs: number): Promise<StoredJob | null>;
  /** Extends the owner's lease; null when the lease was lost. */
  renew(id: string, owner: string, leaseMs: number): Promise<HeldJob | null>;
  release(id: string, owner: string): Promise<void>;
  /** Asks the job's lease holder, wherever it runs, to cancel it. */
  requestCancel(id: string): Promise<void>;
}

export interface DistillationState {
  /** Whether other replicas see this state (then queued work is polled for, not only kicked). */
  readonly shared: boolean;
  readonly files: FileState;
  readonly batches: BatchState;
  readonly completions: StoredCompletionState;
  readonly jobs: JobState;
}
