// Fine-tuning jobs in the data directory: `jobs/<id>.json` (the state, replaced atomically at every
// transition), and beside it `jobs/<id>/` with events.jsonl, checkpoints.jsonl, the trainer's
// checkpoint and the finished GGUF. Every transition appends an event, so the events are the job's
// history. One server owns the directory: its claims need no lease, its files are already local.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { notFound } from "./distillation-errors.js";
import type { HeldJob, JobEventOptions, JobState } from "./distillation-state.js";
import { JobFiles } from "./job-files.js";
import { JOB_ID, newJobCheckpoint, newJobEvent, newJobId } from "./job-records.js";
import type { JobCheckpoint, JobEvent, StoredJob } from "./job-types.js";
import { appendJsonLine, ensureDirectory, readAllJson, readJson, readJsonLines, writeJsonAtomic } from "./state-files.js";
import { byQueueOrder } from "./queue-order.js";

export class DirectoryJobs implements JobState {
  private readonly files: JobFiles;
  private readonly cancelRequested = new Set<string>();

  constructor(root: string, private readonly now: () => number) {
    this.files = new JobFiles(ensureDirectory(join(root, "jobs")));
  }

  newId(): string {
    return newJobId();
  }

  async save(job: StoredJob): Promise<void> {
    ensureDirectory(this.workDirectory(job.id));
    writeJsonAtomic(join(this.files.directory, `${job.id}.json`), job);
  }

  async get(keyId: string | null, id: string): Promise<StoredJob> {
    return this.read(keyId, id);
  }

  async all(): Promise<StoredJob[]> {
    return readAllJson<StoredJob>(this.files.directory).sort(byQueueOrder);
  }

  async addEvent(id: string, message: string, options: JobEventOptions = {}): Promise<JobEvent> {
    const event = newJobEvent(message, options, this.now());
    appendJsonLine(join(ensureDirectory(this.workDirectory(id)), "events.jsonl"), event);
    return event;
  }

  async events(id: string): Promise<JobEvent[]> {
    return readJsonLines<JobEvent>(join(this.workDirectory(id), "events.jsonl")).reverse();
  }

  async addCheckpoint(job: StoredJob, step: number, loss: number): Promise<void> {
    appendJsonLine(join(ensureDirectory(this.workDirectory(job.id)), "checkpoints.jsonl"), newJobCheckpoint(job, step, loss, this.now()));
  }

  async checkpoints(id: string): Promise<JobCheckpoint[]> {
    return readJsonLines<JobCheckpoint>(join(this.workDirectory(id), "checkpoints.jsonl")).reverse();
  }

  workDirectory(id: string): string {
    return this.files.workDirectory(id);
  }

  checkpointPath(id: string): string {
    return this.files.checkpointPath(id);
  }

  modelPath(id: string): string {
    return this.files.modelPath(id);
  }

  async keepCheckpoint(): Promise<void> {}

  async restoreCheckpoint(): Promise<void> {}

  async keepModel(): Promise<void> {}

  async modelFile(id: string): Promise<string | null> {
    return JOB_ID.test(id) && existsSync(this.modelPath(id)) ? this.modelPath(id) : null;
  }

  async claim(): Promise<StoredJob | null> {
    return (await this.all()).find((job) => job.status === "queued") ?? null;
  }

  async claimQueued(id: string): Promise<StoredJob | null> {
    const job = this.read(null, id);
    return job.status === "queued" ? job : null;
  }

  async renew(id: string): Promise<HeldJob | null> {
    return { job: this.read(null, id), cancelRequested: this.cancelRequested.has(id) };
  }

  async release(id: string): Promise<void> {
    this.cancelRequested.delete(id);
  }

  async requestCancel(id: string): Promise<void> {
    this.cancelRequested.add(id);
  }

  private read(keyId: string | null, id: string): StoredJob {
    const job = JOB_ID.test(id) ? readJson<StoredJob>(join(this.files.directory, `${id}.json`)) : null;
    if (!job || (keyId !== null && job.key_id !== keyId)) throw notFound("fine-tuning job", id, "fine_tuning_job_id");
    return job;
  }
}
