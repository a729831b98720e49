// Fine-tuning jobs in PostgreSQL, shared by every replica: the job document (distillation_jobs) with
// a lease, its events and checkpoints, and its weights (distillation_job_blobs: the trainer's last
// checkpoint and the finished GGUF). Any replica lists and serves a job; exactly one trains it, under
// a lease it renews while the worker runs; when that replica dies, another claims the job once the
// lease lapses and resumes from the kept checkpoint. The worker itself reads and writes files, so
// each replica keeps a working copy under its own data directory.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { writeOutputFile } from "../../files/index.js";
import { notFound } from "./distillation-errors.js";
import type { HeldJob, JobEventOptions, JobState } from "./distillation-state.js";
import { JobFiles } from "./job-files.js";
import { JOB_ID, newJobCheckpoint, newJobEvent, newJobId } from "./job-records.js";
import type { JobCheckpoint, JobEvent, StoredJob } from "./job-types.js";
import { DB_NOW_MS } from "./postgres-transaction.js";
import { ensureDirectory } from "./state-files.js";
import { queuedAtMs } from "./queue-order.js";

type Blob = "checkpoint" | "model";

/** Nobody holds the lease, or it lapsed, or it is the claimer's own (a replica restarted under its name). */
const CLAIMABLE = `(lease_owner IS NULL OR lease_owner = $1 OR lease_until < ${DB_NOW_MS})`;

export class PostgresJobs implements JobState {
  private readonly files: JobFiles;

  constructor(private readonly pool: pg.Pool, root: string, private readonly now: () => number) {
    this.files = new JobFiles(join(root, "jobs"));
  }

  newId(): string {
    return newJobId();
  }

  async save(job: StoredJob): Promise<void> {
    await this.pool.query(
      `INSERT INTO distillation_jobs (id, key_id, created_ms, status, doc) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, doc = EXCLUDED.doc`,
      [job.id, job.key_id, queuedAtMs(job), job.status, JSON.stringify(job)]);
  }

  async get(keyId: string | null, id: string): Promise<StoredJob> {
    const row = JOB_ID.test(id) ? (await this.pool.query<{ doc: string }>("SELECT doc FROM distillation_jobs WHERE id = $1", [id])).rows[0] : undefined;
    const job = row ? (JSON.parse(row.doc) as StoredJob) : null;
    if (!job || (keyId !== null && job.key_id !== keyId)) throw notFound("fine-tuning job", id, "fine_tuning_job_id");
    return job;
  }

  async all(): Promise<StoredJob[]> {
    const { rows } = await this.pool.query<{ doc: string }>("SELECT doc FROM distillation_jobs ORDER BY created_ms, id");
    return rows.map((row) => JSON.parse(row.doc) as StoredJob);
  }

  async addEvent(id: string, message: string, options: JobEventOptions = {}): Promise<JobEvent> {
    const event = newJobEvent(message, options, this.now());
    await this.pool.query("INSERT INTO distillation_job_events (job_id, event) VALUES ($1, $2)", [id, JSON.stringify(event)]);
    return event;
  }

  async events(id: string): Promise<JobEvent[]> {
    const { rows } = await this.pool.query<{ event: string }>("SELECT event FROM distillation_job_events WHERE job_id = $1 ORDER BY seq DESC", [id]);
    return rows.map((row) => JSON.parse(row.event) as JobEvent);
  }

  async addCheckpoint(job: StoredJob, step: number, loss: number): Promise<void> {
    await this.pool.query("INSERT INTO distillation_job_checkpoints (job_id, checkpoint) VALUES ($1, $2)", [job.id, JSON.stringify(newJobCheckpoint(job, step, loss, this.now()))]);
  }

  async checkpoints(id: string): Promise<JobCheckpoint[]> {
    const { rows } = await this.pool.query<{ checkpoint: string }>("SELECT checkpoint FROM distillation_job_checkpoints WHERE job_id = $1 ORDER BY seq DESC", [id]);
    return rows.map((row) => JSON.parse(row.checkpoint) as JobCheckpoint);
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

  async keepCheckpoint(id: string): Promise<void> {
    if (existsSync(this.checkpointPath(id))) await this.keep(id, "checkpoint", readFileSync(this.checkpointPath(id)));
  }

  async restoreCheckpoint(id: string): Promise<void> {
    // The kept checkpoint is the newest any replica reached (this one's copy may be older).
    await this.fetch(id, "checkpoint", this.checkpointPath(id));
  }

  async keepModel(id: string): Promise<void> {
    await this.keep(id, "model", readFileSync(this.modelPath(id)));
  }

  async modelFile(id: string): Promise<string | null> {
    if (!JOB_ID.test(id)) return null;
    const path = this.modelPath(id);
    return existsSync(path) || (await this.fetch(id, "model", path)) ? path : null;
  }

  async claim(owner: string, leaseMs: number): Promise<StoredJob | null> {
    const { rows } = await this.pool.query<{ doc: string }>(
      `UPDATE distillation_jobs SET lease_owner = $1, lease_until = ${DB_NOW_MS} + $2
       WHERE id = (SELECT id FROM distillation_jobs WHERE status IN ('queued', 'running') AND ${CLAIMABLE} ORDER BY created_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING doc`, [owner, leaseMs]);
    return rows[0] ? (JSON.parse(rows[0].doc) as StoredJob) : null;
  }

  async claimQueued(id: string, owner: string, leaseMs: number): Promise<StoredJob | null> {
    const { rows } = await this.pool.query<{ doc: string }>(
      `UPDATE distillation_jobs SET lease_owner = $1, lease_until = ${DB_NOW_MS} + $2 WHERE id = $3 AND status = 'queued' AND ${CLAIMABLE} RETURNING doc`, [owner, leaseMs, id]);
    return rows[0] ? (JSON.parse(rows[0].doc) as StoredJob) : null;
  }

  async renew(id: string, owner: string, leaseMs: number): Promise<HeldJob | null> {
    const { rows } = await this.pool.query<{ doc: string; cancel_requested: boolean }>(
      `UPDATE distillation_jobs SET lease_until = ${DB_NOW_MS} + $3 WHERE id = $1 AND lease_owner = $2 RETURNING doc, cancel_requested`, [id, owner, leaseMs]);
    return rows[0] ? { job: JSON.parse(rows[0].doc) as StoredJob, cancelRequested: rows[0].cancel_requested } : null;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.pool.query("UPDATE distillation_jobs SET lease_owner = NULL, lease_until = 0 WHERE id = $1 AND lease_owner = $2", [id, owner]);
  }

  async requestCancel(id: string): Promise<void> {
    await this.pool.query("UPDATE distillation_jobs SET cancel_requested = TRUE WHERE id = $1", [id]);
  }

  private async keep(id: string, name: Blob, bytes: Buffer): Promise<void> {
    await this.pool.query("INSERT INTO distillation_job_blobs (job_id, name, bytes) VALUES ($1, $2, $3) ON CONFLICT (job_id, name) DO UPDATE SET bytes = EXCLUDED.bytes", [id, name, bytes]);
  }

  /** Writes the kept blob to `path` (atomically); false when none is kept. */
  private async fetch(id: string, name: Blob, path: string): Promise<boolean> {
    const row = (await this.pool.query<{ bytes: Buffer }>("SELECT bytes FROM distillation_job_blobs WHERE job_id = $1 AND name = $2", [id, name])).rows[0];
    if (!row) return false;
    ensureDirectory(this.workDirectory(id));
    writeOutputFile(path, row.bytes, { force: true, mode: 0o600 });
    return true;
  }
}
