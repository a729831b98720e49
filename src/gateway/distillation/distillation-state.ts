// Where the distillation room keeps its state: uploaded files, batches (with their answers so far)
// and the stored-completion index. Two implementations run one suite (distillation-state.case.ts):
// the data directory (the embedded default, one server) and PostgreSQL (replicas share it). Every
// method returns a Promise so PostgreSQL fits; the directory does its work synchronously inside.
import type { BatchResultLine, StoredBatch } from "./batch-types.js";
import type { FileObject, FilePurpose } from "./file-types.js";
import type { StoredCompletion } from "./stored-completions.js";

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

export interface DistillationState {
  /** Whether other replicas see this state (then queued work is polled for, not only kicked). */
  readonly shared: boolean;
  readonly files: FileState;
  readonly batches: BatchState;
  readonly completions: StoredCompletionState;
}
