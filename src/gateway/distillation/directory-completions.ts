// The stored-completion index in the data directory: an append-only JSONL of operations (store,
// update, delete), replayed at start into memory. Deleting hides a completion from the API and never
// touches the log, whose hash chain stays whole.
import { join } from "node:path";
import type { StoredCompletionState } from "./distillation-state.js";
import type { StoredCompletion } from "./stored-completion-types.js";
import { appendJsonLine, ensureDirectory, readJsonLines } from "./state-files.js";

type Operation =
  | { op: "store"; entry: StoredCompletion }
  | { op: "update"; id: string; metadata: Record<string, string> }
  | { op: "delete"; id: string };

export class DirectoryCompletions implements StoredCompletionState {
  private readonly path: string;
  private readonly entries = new Map<string, StoredCompletion>();

  constructor(root: string) {
    this.path = join(ensureDirectory(root), "stored-completions.jsonl");
    for (const operation of readJsonLines<Operation>(this.path)) this.apply(operation);
  }

  async add(entry: StoredCompletion): Promise<void> {
    this.write({ op: "store", entry });
  }

  async list(keyId: string): Promise<StoredCompletion[]> {
    return [...this.entries.values()].filter((entry) => entry.key_id === keyId).map((entry) => ({ ...entry }));
  }

  /** Every key's, in the order they were stored. */
  async all(): Promise<StoredCompletion[]> {
    return [...this.entries.values()].map((entry) => ({ ...entry }));
  }

  async get(keyId: string, id: string): Promise<StoredCompletion | null> {
    const entry = this.entries.get(id);
    return entry && entry.key_id === keyId ? { ...entry } : null;
  }

  async update(id: string, metadata: Record<string, string>): Promise<void> {
    this.write({ op: "update", id, metadata });
  }

  async delete(id: string): Promise<void> {
    this.write({ op: "delete", id });
  }

  private write(operation: Operation): void {
    appendJsonLine(this.path, operation);
    this.apply(operation);
  }

  private apply(operation: Operation): void {
    if (operation.op === "store") this.entries.set(operation.entry.id, operation.entry);
    else if (operation.op === "delete") this.entries.delete(operation.id);
    else {
      const entry = this.entries.get(operation.id);
      if (entry) entry.metadata = operation.metadata;
    }
  }
}
