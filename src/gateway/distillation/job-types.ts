// Fine-tuning jobs in OpenAI's shape (the `fine_tuning.job` object, its events and checkpoints), and
// what the gateway keeps beside them to run and resume a job.
export type JobStatus = "validating_files" | "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface Hyperparameters {
  n_epochs: number;
  batch_size: number;
  learning_rate_multiplier: number;
}

export interface FineTuningJob {
  id: string;
  object: "fine_tuning.job";
  created_at: number;
  finished_at: number | null;
  model: string;
  fine_tuned_model: string | null;
  organization_id: string;
  status: JobStatus;
  training_file: string;
  validation_file: string | null;
  hyperparameters: Hyperparameters;
  method: { type: "supervised"; supervised: { hyperparameters: Hyperparameters } };
  result_files: string[];
  trained_tokens: number | null;
  error: { code: string; message: string; param: string | null } | null;
  seed: number;
  suffix: string | null;
  user_provided_suffix: string | null;
  estimated_finish: number | null;
  integrations: null;
  metadata: Record<string, string> | null;
}

/** How the worker trains the job: resolved once, at creation, so a resumed run is the same run. */
export interface TrainingPlan {
  /** A named size for a fresh student, or the model reference whose weights it starts from. */
  student: string;
  /** The served teacher the evaluation compares against (a model reference), or null. */
  teacher: string | null;
  teacherName: string | null;
  steps: number;
  batchSize: number;
  sequenceLength: number;
  lr: number;
  checkpointEvery: number;
}

export interface StoredJob extends FineTuningJob {
  key_id: string;
  plan: TrainingPlan;
  /** Updates done at the last checkpoint (what a resumed run starts from). */
  checkpoint_step: number;
  /** Whether the key's download of the model's GGUF was approved by the admin. */
  download_approved: boolean;
  /** When the job was made, in ms: the queue's order (created_at counts whole seconds). */
  created_ms?: number;
}

export interface JobEvent {
  id: string;
  object: "fine_tuning.job.event";
  created_at: number;
  level: "info" | "warn" | "error";
  message: string;
  type: "message" | "metrics";
  data: Record<string, unknown> | null;
}

export interface JobCheckpoint {
  id: string;
  object: "fine_tuning.job.checkpoint";
  created_at: number;
  fine_tuned_model_checkpoint: string;
  fine_tuning_job_id: string;
  step_number: number;
  metrics: { step: number; train_loss: number };
}

export function publicJob(job: StoredJob): FineTuningJob {
  const { key_id: _key, plan: _plan, checkpoint_step: _step, download_approved: _approved, created_ms: _ms, ...rest } = job;
  return rest;
}
