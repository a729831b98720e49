// Batches on disk: `batches/<id>.json` (the state, replaced atomically) and, while it runs,
// `batches/<id>.output.jsonl` / `.errors.jsonl` with one line per answered request, so a restart
// skips the requests already answered and goes on from there.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { notFound } from "./distillation-errors.js";
import type { BatchResultLine, StoredBatch } from "./batch-types.js";
import { appendJsonLine, ensureDirectory, readAllJson, readJson, readJsonLines, writeJsonAtomic } from "./state-files.js";

export class BatchStore {
  private readonly directory: string;

  constructor(root: string) {
    this.directory = ensureDirectory(join(root, "batches"));
  }

  newId(): string {
    return `batch_${randomBytes(12).toString("hex")}`;
  }

  save(batch: StoredBatch): void {
    writeJsonAtomic(join(this.directory, `${batch.id}.json`), batch);
  }

  get(keyId: string | null, id: string): StoredBatch {
    const batch = /^batch_[0-9a-f]+$/.test(id) ? readJson<StoredBatch>(join(this.directory, `${id}.json`)) : null;
    if (!batch || (keyId !== null && batch.key_id !== keyId)) throw notFound("batch", id, "batch_id");
    return batch;
  }

  all(): StoredBatch[] {
    return readAllJson<StoredBatch>(this.directory).sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
  }

  append(id: string, kind: "output" | "errors", line: BatchResultLine): void {
    appendJsonLine(join(this.directory, `${id}.${kind}.jsonl`), line);
  }

  results(id: string, kind: "output" | "errors"): BatchResultLine[] {
    return readJsonLines<BatchResultLine>(join(this.directory, `${id}.${kind}.jsonl`));
  }
}
