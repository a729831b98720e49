// A replica that ran on PostgreSQL before the distillation state was shared kept its files, batches,
// stored completions and jobs in its own data directory. At its first start on shared state it copies
// them into the database (ids are random, so replicas importing at once never collide; a row already
// there is kept), then leaves a marker so it never imports twice. The directory is left as it was.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import type { BatchResultLine, StoredBatch } from "./batch-types.js";
import { DirectoryCompletions } from "./directory-completions.js";
import type { StoredFile } from "./file-types.js";
import type { JobCheckpoint, JobEvent, StoredJob } from "./job-types.js";
import { readAllJson, readJsonLines, writeJsonAtomic } from "./state-files.js";
import { inTransaction } from "./postgres-transaction.js";
import { queuedAtMs } from "./queue-order.js";

export interface ImportedCounts {
  files: number;
  batches: number;
  stored_completions: number;
  jobs: number;
}

const MARKER = "imported-to-postgres.json";

/** Copies the directory's state into the database once; null when there was nothing to do. */
export async function importDirectoryState(root: string, pool: pg.Pool, nowMs: number): Promise<ImportedCounts | null> {
  if (!existsSync(root) || existsSync(join(root, MARKER))) return null;
  const files = readAllJson<StoredFile>(join(root, "files")).filter((file) => existsSync(join(root, "files", `${file.id}.data`)));
  const batches = readAllJson<StoredBatch>(join(root, "batches"));
  const completions = existsSync(join(root, "stored-completions.jsonl")) ? await new DirectoryCompletions(root).all() : [];
  const jobs = readAllJson<StoredJob>(join(root, "jobs"));
  const counts: ImportedCounts = { files: files.length, batches: batches.length, stored_completions: completions.length, jobs: jobs.length };
  if (Object.values(counts).some((count) => count > 0)) {
    await inTransaction(pool, async (client) => {
      for (const { key_id, lines, ...file } of files) {
        await client.query("INSERT INTO distillation_files (id, key_id, purpose, created_at, lines, object, content) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING", [
          file.id, key_id, file.purpose, file.created_at, lines, JSON.stringify(file), readFileSync(join(root, "files", `${file.id}.data`)),
        ]);
      }
      for (const batch of batches) {
        await client.query("INSERT INTO distillation_batches (id, key_id, created_ms, status, doc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING", [batch.id, batch.key_id, queuedAtMs(batch), batch.status, JSON.stringify(batch)]);
        for (const kind of ["output", "errors"] as const) {
          for (const line of readJsonLines<BatchResultLine>(join(root, "batches", `${batch.id}.${kind}.jsonl`))) {
            await client.query("INSERT INTO distillation_batch_results (batch_id, custom_id, kind, line) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", [batch.id, line.custom_id, kind, JSON.stringify(line)]);
          }
        }
      }
      for (const entry of completions) {
        await client.query("INSERT INTO distillation_stored_completions (id, key_id, entry) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [entry.id, entry.key_id, JSON.stringify(entry)]);
      }
      for (const job of jobs) await importJob(client, join(root, "jobs", job.id), job);
    });
  }
  writeJsonAtomic(join(root, MARKER), { imported_at: nowMs, ...counts });
  return counts;
}

/** A job with its history and weights; one left running resumes, from its checkpoint, at whichever replica claims it. */
async function importJob(client: pg.PoolClient, work: string, job: StoredJob): Promise<void> {
  const inserted = await client.query("INSERT INTO distillation_jobs (id, key_id, created_ms, status, doc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING", [job.id, job.key_id, queuedAtMs(job), job.status, JSON.stringify(job)]);
  if (!inserted.rowCount) return;
  for (const event of readJsonLines<JobEvent>(join(work, "events.jsonl"))) await client.query("INSERT INTO distillation_job_events (job_id, event) VALUES ($1, $2)", [job.id, JSON.stringify(event)]);
  for (const checkpoint of readJsonLines<JobCheckpoint>(join(work, "checkpoints.jsonl"))) await client.query("INSERT INTO distillation_job_checkpoints (job_id, checkpoint) VALUES ($1, $2)", [job.id, JSON.stringify(checkpoint)]);
  for (const [name, file] of [["checkpoint", "checkpoint.bin"], ["model", "model.gguf"]] as const) {
    if (existsSync(join(work, file))) await client.query("INSERT INTO distillation_job_blobs (job_id, name, bytes) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [job.id, name, readFileSync(join(work, file))]);
  }
}
