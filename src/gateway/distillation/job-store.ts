// Fine-tuning jobs on disk: `jobs/<id>.json` (the state, replaced atomically at every transition),
// and beside it `jobs/<id>/` with events.jsonl, checkpoints.jsonl, the trainer's checkpoint and the
// finished GGUF. Every transition appends an event, so the events are the job's history.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { notFound } from "./distillation-errors.js";
import type { JobCheckpoint, JobEvent, StoredJob } from "./job-types.js";
import { appendJsonLine, ensureDirectory, readAllJson, readJson, readJsonLines, writeJsonAtomic } from "./state-files.js";

export class JobStore {
  readonly directory: string;

  constructor(root: string, private readonly now: () => number) {
    this.directory = ensureDirectory(join(root, "jobs"));
  }

  newId(): string {
    return `ftjob-${randomBytes(12).toString("hex")}`;
  }

  save(job: StoredJob): void {
    ensureDirectory(this.workDirectory(job.id));
    writeJsonAtomic(join(this.directory, `${job.id}.json`), job);
  }

  get(keyId: string | null, id: string): StoredJob {
    const job = /^ftjob-[0-9a-f]+$/.test(id) ? readJson<StoredJob>(join(this.directory, `${id}.json`)) : null;
    if (!job || (keyId !== null && job.key_id !== keyId)) throw notFound("fine-tuning job", id, "fine_tuning_job_id");
    return job;
  }

  /** All jobs, oldest first (the queue's order). */
  all(): StoredJob[] {
    return readAllJson<StoredJob>(this.directory).sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
  }

  workDirectory(id: string): string {
    return join(this.directory, id);
  }

  checkpointPath(id: string): string {
    return join(this.workDirectory(id), "checkpoint.bin");
  }

  modelPath(id: string): string {
    return join(this.workDirectory(id), "model.gguf");
  }

  addEvent(id: string, message: string, options: { level?: JobEvent["level"]; data?: Record<string, unknown>; type?: JobEvent["type"] } = {}): JobEvent {
    const event: JobEvent = {
      id: `ftevent-${randomBytes(12).toString("hex")}`, object: "fine_tuning.job.event", created_at: Math.floor(this.now() / 1000),
      level: options.level ?? "info", message, type: options.type ?? (options.data ? "metrics" : "message"), data: options.data ?? null,
    };
    appendJsonLine(join(ensureDirectory(this.workDirectory(id)), "events.jsonl"), event);
    return event;
  }

  /** Newest first, as OpenAI lists them. */
  events(id: string): JobEvent[] {
    return readJsonLines<JobEvent>(join(this.workDirectory(id), "events.jsonl")).reverse();
  }

  addCheckpoint(job: StoredJob, step: number, loss: number): void {
    const checkpoint: JobCheckpoint = {
      id: `ftckpt-${randomBytes(12).toString("hex")}`, object: "fine_tuning.job.checkpoint", created_at: Math.floor(this.now() / 1000),
      fine_tuned_model_checkpoint: `${job.fine_tuned_model ?? plannedModelName(job)}:ckpt-step-${step}`, fine_tuning_job_id: job.id,
      step_number: step, metrics: { step, train_loss: loss },
    };
    appendJsonLine(join(this.workDirectory(job.id), "checkpoints.jsonl"), checkpoint);
  }

  checkpoints(id: string): JobCheckpoint[] {
    return readJsonLines<JobCheckpoint>(join(this.workDirectory(id), "checkpoints.jsonl")).reverse();
  }
}

/** `ft:<base>:<org>:<suffix>:<id>`, OpenAI's naming; the org is the key that made it. */
export function plannedModelName(job: Pick<StoredJob, "model" | "organization_id" | "suffix" | "id">): string {
  return `ft:${job.model}:${job.organization_id}:${job.suffix ?? ""}:${job.id.slice("ftjob-".length, "ftjob-".length + 8)}`;
}
