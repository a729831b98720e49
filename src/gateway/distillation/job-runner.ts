// Runs fine-tuning jobs one at a time, each in a worker process started at a low priority, as a
// state machine whose state is on disk (STYLE.md: long jobs as state machines): queued → running →
// succeeded | failed | cancelled. A gateway restart finds jobs left `running` and resumes them from
// their last checkpoint; a cancel stops the worker after its current update, checkpoint kept.
import { fork, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { setPriority } from "node:os";
import { join } from "node:path";
import type { GatewayContext } from "../gateway-context.js";
import { invalidState } from "./distillation-errors.js";
import type { FileState } from "./distillation-state.js";
import { plannedModelName, type JobStore } from "./job-store.js";
import type { StoredJob } from "./job-types.js";
import type { EvalReport, ParentMessage, WorkerMessage, WorkerSpec } from "./worker-protocol.js";
import { writeJsonAtomic } from "./state-files.js";

export interface JobRunnerOptions {
  jobs: JobStore;
  files: FileState;
  gateway: GatewayContext;
  /** The worker's entry script (the compiled training-worker.js). */
  workerScript: string;
  /** Niceness of the worker (19, the lowest priority, by default): serving comes first. */
  priority: number;
  /** A finished job's model, to be served from now on. */
  onModel(job: StoredJob): void;
}

interface Running {
  jobId: string;
  child: ChildProcess;
  cancelRequested: boolean;
  exited: Promise<void>;
}

const EVENTS_PER_JOB = 20;
const STOP_GRACE_MS = 10_000;

export class JobRunner {
  private current: Running | null = null;
  /** A job is being started (its files fetched): no second start meanwhile. */
  private starting = false;
  private closed = false;

  constructor(private readonly options: JobRunnerOptions) {}

  /** Serves finished models and puts interrupted jobs back in the queue; then starts the next job. */
  recover(): void {
    for (const job of this.options.jobs.all()) {
      if (job.status === "succeeded" && job.fine_tuned_model) this.options.onModel(job);
      if (job.status === "running") {
        this.transition(job, "queued", `The gateway restarted; the job resumes from its checkpoint at step ${job.checkpoint_step}.`, { step: job.checkpoint_step });
      }
    }
    this.kick();
  }

  submit(job: StoredJob): void {
    this.options.jobs.save(job);
    this.options.jobs.addEvent(job.id, `Created fine-tuning job: ${job.id}`);
    this.options.jobs.addEvent(job.id, "Validating training file: " + job.training_file + (job.validation_file ? ` and validation file: ${job.validation_file}` : ""));
    this.transition(job, "queued", "Files validated, fine-tuning job queued");
    this.kick();
  }

  /** Cancels a queued job at once, and a running one once its worker has stopped (within seconds). */
  async cancel(job: StoredJob): Promise<StoredJob> {
    if (job.status === "succeeded" || job.status === "failed" || job.status === "cancelled") throw invalidState(`Job ${job.id} has already ${job.status === "succeeded" ? "succeeded" : job.status === "failed" ? "failed" : "been cancelled"}; there is nothing to cancel.`);
    const running = this.current;
    if (running && running.jobId === job.id) {
      running.cancelRequested = true;
      tell(running.child, { type: "cancel" });
      const timer = setTimeout(() => running.child.kill("SIGKILL"), STOP_GRACE_MS);
      await running.exited;
      clearTimeout(timer);
      return this.options.jobs.get(null, job.id);
    }
    this.finish(job, "cancelled", "Fine-tuning job cancelled before it started");
    return job;
  }

  /** Stops the worker (it checkpoints); the job stays `running` on disk and resumes at the next start. */
  async close(): Promise<void> {
    this.closed = true;
    const running = this.current;
    if (!running) return;
    tell(running.child, { type: "cancel" });
    const timer = setTimeout(() => running.child.kill("SIGKILL"), STOP_GRACE_MS);
    await running.exited;
    clearTimeout(timer);
  }

  get runningJobId(): string | null {
    return this.current?.jobId ?? null;
  }

  private kick(): void {
    if (this.current || this.starting || this.closed) return;
    const next = this.options.jobs.all().find((job) => job.status === "queued");
    if (!next) return;
    this.starting = true;
    void this.start(next).finally(() => (this.starting = false)).then(() => this.current === null && this.kick(), () => undefined);
  }

  private async start(job: StoredJob): Promise<void> {
    const { files, jobs } = this.options;
    const trainingPath = await files.localPath(job.training_file);
    const validationPath = job.validation_file ? await files.localPath(job.validation_file) : null;
    // A cancel may have come while the files were fetched.
    if (jobs.get(null, job.id).status !== "queued") return;
    const missing = trainingPath === null ? job.training_file : job.validation_file && validationPath === null ? job.validation_file : null;
    if (missing) {
      this.finish(job, "failed", `File ${missing} was deleted before the job could start; upload it again and create a new job.`, { code: "file_deleted", param: missing === job.training_file ? "training_file" : "validation_file" });
      return;
    }
    const spec: WorkerSpec = {
      jobId: job.id, trainingPath: trainingPath!, validationPath, student: job.plan.student, teacher: job.plan.teacher, teacherName: job.plan.teacherName,
      steps: job.plan.steps, batchSize: job.plan.batchSize, sequenceLength: job.plan.sequenceLength, lr: job.plan.lr, seed: job.seed,
      checkpointPath: jobs.checkpointPath(job.id), checkpointEvery: job.plan.checkpointEvery, outPath: jobs.modelPath(job.id),
      basePath: join(jobs.workDirectory(job.id), "base.gguf"), name: plannedModelName(job),
    };
    const specPath = join(jobs.workDirectory(job.id), "spec.json");
    writeJsonAtomic(specPath, spec);
    const child = fork(this.options.workerScript, [specPath], { stdio: ["ignore", "ignore", "pipe", "ipc"], execArgv: [] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    try {
      setPriority(child.pid!, this.options.priority);
    } catch {
      // lowering a child's priority is always allowed; a failure (no pid yet) only costs speed
    }
    let settled = false;
    const running: Running = { jobId: job.id, child, cancelRequested: false, exited: new Promise((resolve) => child.once("exit", () => resolve())) };
    this.current = running;
    const resumed = job.checkpoint_step > 0;
    this.transition(job, "running", resumed ? `Fine-tuning job resumed at step ${job.checkpoint_step} of ${job.plan.steps}` : `Fine-tuning job started: ${job.plan.steps} steps`, { step: job.checkpoint_step, total_steps: job.plan.steps });
    const every = Math.max(1, Math.floor(job.plan.steps / EVENTS_PER_JOB));
    child.on("message", (message: WorkerMessage) => {
      if (settled) return;
      switch (message.type) {
        case "step":
          job.trained_tokens = message.tokensSeen;
          if (message.step % every === 0 || message.step === message.steps) {
            jobs.addEvent(job.id, `Step ${message.step}/${message.steps}: training loss=${message.loss.toFixed(4)}`, { data: { step: message.step, total_steps: message.steps, train_loss: message.loss, progress: message.step / message.steps } });
          }
          break;
        case "checkpoint":
          job.checkpoint_step = message.step;
          jobs.save(job);
          jobs.addCheckpoint(job, message.step, message.loss);
          jobs.addEvent(job.id, `Checkpoint written at step ${message.step}`, { data: { step: message.step, train_loss: message.loss } });
          break;
        case "evaluating":
          jobs.addEvent(job.id, "Evaluating the fine-tuned model, its base and the teacher on the validation file");
          break;
        case "evaluated":
          job.metadata = { ...job.metadata, ...evalMetadata(message.report) };
          jobs.save(job);
          jobs.addEvent(job.id, evalMessage(message.report), { data: { eval: message.report } });
          break;
        case "done":
          settled = true;
          job.trained_tokens = message.trainedTokens;
          job.fine_tuned_model = plannedModelName(job);
          this.finish(job, "succeeded", `The job has successfully completed: ${job.fine_tuned_model}`, undefined, { final_loss: message.finalLoss, seconds: message.seconds });
          this.options.onModel(job);
          break;
        case "stopped":
          settled = true;
          if (running.cancelRequested) this.finish(job, "cancelled", `Fine-tuning job cancelled at step ${message.step}; its checkpoint is kept`);
          break;
        case "error":
          settled = true;
          this.finish(job, "failed", `Fine-tuning failed: ${message.message}`, { code: "training_failed", param: null });
          break;
      }
    });
    void running.exited.then(() => {
      if (!settled) {
        if (running.cancelRequested) this.finish(job, "cancelled", `Fine-tuning job cancelled; its checkpoint at step ${job.checkpoint_step} is kept`);
        else if (!this.closed) this.finish(job, "failed", `The training worker exited unexpectedly (code ${child.exitCode}, signal ${child.signalCode})${stderr ? `: ${stderr.trim().split("\n").at(-1)}` : ""}`, { code: "worker_failed", param: null });
        else jobs.save(job);
      }
      rmSync(specPath, { force: true });
      this.current = null;
      this.kick();
    });
  }

  private transition(job: StoredJob, status: StoredJob["status"], message: string, data?: Record<string, unknown>): void {
    job.status = status;
    this.options.jobs.save(job);
    this.options.jobs.addEvent(job.id, message, data ? { data, type: "message" } : {});
  }

  private finish(job: StoredJob, status: "succeeded" | "failed" | "cancelled", message: string, error?: { code: string; param: string | null }, data?: Record<string, unknown>): void {
    job.finished_at = Math.floor(this.options.gateway.now() / 1000);
    if (error) job.error = { ...error, message };
    this.transition(job, status, message, data);
    if (status !== "succeeded") job.estimated_finish = null;
    void this.options.gateway.log.appendEvent({ type: `fine_tuning.job.${status}`, key_id: job.key_id, ts: this.options.gateway.now(), payload: { job_id: job.id, model: job.fine_tuned_model, trained_tokens: job.trained_tokens, error: job.error } }).catch(() => undefined);
  }
}

/** A message to the worker, unless it has already gone (its exit is handled on its own). */
function tell(child: ChildProcess, message: ParentMessage): void {
  if (child.connected) child.send(message, () => undefined);
}

function evalMetadata(report: EvalReport): Record<string, string> {
  const fmt = (value: number | null | undefined) => (value === null || value === undefined ? "null" : value.toFixed(4));
  return {
    eval_examples: String(report.validation_examples),
    eval_fine_tuned_loss: fmt(report.fine_tuned.loss),
    eval_fine_tuned_agreement: fmt(report.fine_tuned.agreement_with_teacher),
    eval_base_loss: fmt(report.base.loss),
    eval_base_agreement: fmt(report.base.agreement_with_teacher),
    eval_teacher_loss: fmt(report.teacher?.loss),
    ...(report.teacher_model ? { eval_teacher: report.teacher_model } : {}),
  };
}

function evalMessage(report: EvalReport): string {
  const part = (name: string, figures: EvalReport["base"]) => `${name} loss ${figures.loss?.toFixed(3) ?? "n/a"}, agreement ${figures.agreement_with_teacher?.toFixed(3) ?? "n/a"}`;
  return `Eval on ${report.validation_examples} validation examples: ${part("fine-tuned", report.fine_tuned)}; ${part("base", report.base)}${report.teacher ? `; teacher ${report.teacher_model} loss ${report.teacher.loss?.toFixed(3) ?? "n/a"}` : ""}`;
}
