// Batches in the data directory: `batches/<id>.json` (the state, replaced atomically) and, while it
// runs, `batches/<id>.output.jsonl` / `.errors.jsonl` with one line per answered request, so a
// restart skips the requests already answered and goes on from there. One server owns the directory,
// so a claim needs no lease.
import { join } from "node:path";
import { BATCH_ID, keepCancel, newBatchId, UNFINISHED_BATCH } from "./batch-ids.js";
import type { BatchResultLine, StoredBatch } from "./batch-types.js";
import { notFound } from "./distillation-errors.js";
import type { BatchState, ResultKind } from "./distillation-state.js";
import { appendJsonLine, ensureDirectory, readAllJson, readJson, readJsonLines, writeJsonAtomic } from "./state-files.js";
import { byQueueOrder } from "./queue-order.js";

export class DirectoryBatches implements BatchState {
  private readonly directory: string;
  /** Custom ids answered, per batch, once read (appends drop a second answer). */
  private readonly answered = new Map<string, Set<string>>();

  constructor(root: string) {
    this.directory = ensureDirectory(join(root, "batches"));
  }

  newId(): string {
    return newBatchId();
  }

  async save(batch: StoredBatch): Promise<void> {
    const stored = BATCH_ID.test(batch.id) ? readJson<StoredBatch>(this.path(batch.id)) : null;
    writeJsonAtomic(this.path(batch.id), { ...batch, status: keepCancel(stored?.status, batch.status), cancelling_at: batch.cancelling_at ?? stored?.cancelling_at ?? null });
  }

  async get(keyId: string | null, id: string): Promise<StoredBatch> {
    const batch = BATCH_ID.test(id) ? readJson<StoredBatch>(this.path(id)) : null;
    if (!batch || (keyId !== null && batch.key_id !== keyId)) throw notFound("batch", id, "batch_id");
    return batch;
  }

  async list(keyId: string): Promise<StoredBatch[]> {
    return this.all().filter((batch) => batch.key_id === keyId);
  }

  async append(id: string, kind: ResultKind, line: BatchResultLine): Promise<void> {
    const answered = await this.answeredIn(id);
    if (answered.has(line.custom_id)) return;
    appendJsonLine(join(this.directory, `${id}.${kind}.jsonl`), line);
    answered.add(line.custom_id);
  }

  async results(id: string, kind: ResultKind): Promise<BatchResultLine[]> {
    return readJsonLines<BatchResultLine>(join(this.directory, `${id}.${kind}.jsonl`));
  }

  async claim(): Promise<StoredBatch | null> {
    return this.all().find((batch) => UNFINISHED_BATCH.includes(batch.status)) ?? null;
  }

  async renew(id: string): Promise<StoredBatch | null> {
    return this.get(null, id).catch(() => null);
  }

  async release(id: string): Promise<void> {
    this.answered.delete(id);
  }

  async requestCancel(keyId: string, id: string, atSeconds: number): Promise<StoredBatch> {
    const batch = await this.get(keyId, id);
    if (!UNFINISHED_BATCH.includes(batch.status) || batch.status === "cancelling") return batch;
    const cancelling: StoredBatch = { ...batch, status: "cancelling", cancelling_at: atSeconds };
    writeJsonAtomic(this.path(id), cancelling);
    return cancelling;
  }

  private path(id: string): string {
    return join(this.directory, `${id}.json`);
  }

  private all(): StoredBatch[] {
    return readAllJson<StoredBatch>(this.directory).sort(byQueueOrder);
  }

  private async answeredIn(id: string): Promise<Set<string>> {
    let answered = this.answered.get(id);
    if (!answered) {
      answered = new Set([...(await this.results(id, "output")), ...(await this.results(id, "errors"))].map((line) => line.custom_id));
      this.answered.set(id, answered);
    }
    return answered;
  }
}
