// Ids and records of fine-tuning jobs shared by both job states: a job's id, its events and
// checkpoints in OpenAI's shape, and the fine-tuned model's name.
import { randomBytes } from "node:crypto";
import type { JobEventOptions } from "./distillation-state.js";
import type { JobCheckpoint, JobEvent, StoredJob } from "./job-types.js";

export const JOB_ID = /^ftjob-[0-9a-f]+$/;

export const newJobId = () => `ftjob-${randomBytes(12).toString("hex")}`;

export function newJobEvent(message: string, options: JobEventOptions, nowMs: number): JobEvent {
  return {
    id: `ftevent-${randomBytes(12).toString("hex")}`, object: "fine_tuning.job.event", created_at: Math.floor(nowMs / 1000),
    level: options.level ?? "info", message, type: options.type ?? (options.data ? "metrics" : "message"), data: options.data ?? null,
  };
}

export function newJobCheckpoint(job: StoredJob, step: number, loss: number, nowMs: number): JobCheckpoint {
  return {
    id: `ftckpt-${randomBytes(12).toString("hex")}`, object: "fine_tuning.job.checkpoint", created_at: Math.floor(nowMs / 1000),
    fine_tuned_model_checkpoint: `${job.fine_tuned_model ?? plannedModelName(job)}:ckpt-step-${step}`, fine_tuning_job_id: job.id,
    step_number: step, metrics: { step, train_loss: loss },
  };
}

/** `ft:<base>:<org>:<suffix>:<id>`, OpenAI's naming; the org is the key that made it. */
export function plannedModelName(job: Pick<StoredJob, "model" | "organization_id" | "suffix" | "id">): string {
  return `ft:${job.model}:${job.organization_id}:${job.suffix ?? ""}:${job.id.slice("ftjob-".length, "ftjob-".length + 8)}`;
}
