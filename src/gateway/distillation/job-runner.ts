// Runs fine-tuning jobs one at a time, each in a worker process started at a low priority, as a
// state machine whose state is stored (STYLE.md: long jobs as state machines): queued → running →
// succeeded | failed | cancelled. A runner claims a job under a lease it renews while the worker
// runs, so with replicas sharing the state exactly one trains each job. A restart (or, on shared
// state, another replica once the lease of a dead one lapses) resumes a running job from its last
// checkpoint; a cancel, asked at any replica, stops the worker after its current update, checkpoint
// kept. Every replica serves the finished model to its key once it sees the job succeeded.
import { fork, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { setPriority } from "node:os";
import { join } from "node:path";
import type { GatewayContext } from "../gateway-context.js";
import { invalidState } from "./distillation-errors.js";
import type { FileState, JobState } from "./distillation-state.js";
import { evalMessage, evalMetadata } from "./job-eval-report.js";
import { plannedModelName } from "./job-records.js";
import { DEFAULT_LEASE_MS, DEFAULT_POLL_MS, renewEvery } from "./lease-timer.js";
import type { StoredJob } from "./job-types.js";
import type { ParentMessage, WorkerMessage, WorkerSpec } from "./worker-protocol.js";
import { ensureDirectory, writeJsonAtomic } from "./state-files.js";

export interface JobRunnerOptions {
  jobs: JobState;
  files: FileState;
  gateway: GatewayContext;
  /** The worker's entry script (the compiled training-worker.js). */
  workerScript: string;
  /** Niceness of the worker (19, the lowest priority, by default): serving comes first. */
  priority: number;
  /** A finished job's model, its GGUF at `path`, to be served from now on. */
  onModel(job: StoredJob, path: string): void;
  /** Whether other replicas share the jobs: then a running job is theirs until its lease lapses (not
   *  requeued at start), and finished models and queued jobs are polled for. */
  shared?: boolean;
  /** How long a claim holds without renewal (default 30 s). */
  leaseMs?: number;
  /** How often a replica sharing its state looks for jobs to train and models to serve (default 5 s). */
  pollMs?: number;
}

interface Running {
  jobId: string;
  child: ChildProcess;
  cancelRequested: boolean;
  /** Another replica took the job over (this one lost its lease): this one stops without a verdict. */
  leaseLost: boolean;
  exited: Promise<void>;
  /** The worker has exited and its job's state is written. */
  done: Promise<void>;
}

const EVENTS_PER_JOB = 20;
const STOP_GRACE_MS = 10_000;
const TERMINAL = ["succeeded", "failed", "cancelled"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class JobRunner {
  private current: Running | null = null;
  /** A job is being claimed or started (its files fetched): no second start meanwhile. */
  private starting = false;
  private closed = false;
  private readonly served = new Set<string>();
  private readonly leaseMs: number;
  private readonly poll: NodeJS.Timeout | undefined;

  constructor(private readonly options: JobRunnerOptions) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    if (options.shared) this.poll = setInterval(() => void this.serveFinished().then(() => this.kick(), () => undefined), options.pollMs ?? DEFAULT_POLL_MS).unref();
  }

  private get owner(): string {
    return this.options.gateway.replica;
  }

  /** Serves finished models and, on a server of its own, puts interrupted jobs back in the queue; then starts the next job. */
  async recover(): Promise<void> {
    await this.serveFinished();
    if (!this.options.shared) {
      for (const job of await this.options.jobs.all()) {
        if (job.status === "running") await this.transition(job, "queued", `The gateway restarted; the job resumes from its checkpoint at step ${job.checkpoint_step}.`, { step: job.checkpoint_step });
      }
    }
    this.kick();
  }

  async submit(job: StoredJob): Promise<void> {
    const { jobs } = this.options;
    await jobs.save(job);
    await jobs.addEvent(job.id, `Created fine-tuning job: ${job.id}`);
    await jobs.addEvent(job.id, "Validating training file: " + job.training_file + (job.validation_file ? ` and validation file: ${job.validation_file}` : ""));
    await this.transition(job, "queued", "Files validated, fine-tuning job queued");
    this.kick();
  }

  /** Cancels a queued job at once, and a running one once its worker has stopped (within seconds),
   *  wherever it runs. */
  async cancel(job: StoredJob): Promise<StoredJob> {
    const { jobs } = this.options;
    if (TERMINAL.includes(job.status)) throw invalidState(`Job ${job.id} has already ${job.status === "succeeded" ? "succeeded" : job.status === "failed" ? "failed" : "been cancelled"}; there is nothing to cancel.`);
    const running = this.current;
    if (running && running.jobId === job.id) {
      running.cancelRequested = true;
      await this.stop(running);
      return jobs.get(null, job.id);
    }
    const queued = await jobs.claimQueued(job.id, this.owner, this.leaseMs);
    if (queued) {
      await this.finish(queued, "cancelled", "Fine-tuning job cancelled before it started");
      await jobs.release(job.id, this.owner);
      return queued;
    }
    // Another replica trains it (or is starting it): its lease holder stops the worker.
    await jobs.requestCancel(job.id);
    let latest = await jobs.get(null, job.id);
    for (const until = Date.now() + STOP_GRACE_MS + this.leaseMs; !TERMINAL.includes(latest.status) && Date.now() < until; latest = await jobs.get(null, job.id)) await sleep(100);
    return latest;
  }

  /** Stops the worker (it checkpoints); the job stays `running` and resumes at the next start, here
   *  or (on shared state) at another replica, which may take it at once. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poll);
    const running = this.current;
    if (running) await this.stop(running);
  }

  get runningJobId(): string | null {
    return this.current?.jobId ?? null;
  }

  private async stop(running: Running): Promise<void> {
    tell(running.child, { type: "cancel" });
    const timer = setTimeout(() => running.child.kill("SIGKILL"), STOP_GRACE_MS);
    await running.exited;
    clearTimeout(timer);
    await running.done;
  }

  /** Serves every succeeded job's model not served here yet (made here, or by another replica). */
  private async serveFinished(): Promise<void> {
    for (const job of await this.options.jobs.all()) {
      if (job.status !== "succeeded" || !job.fine_tuned_model || this.served.has(job.id)) continue;
      const path = await this.options.jobs.modelFile(job.id);
      if (path === null) continue;
      this.served.add(job.id);
      this.options.onModel(job, path);
    }
  }

  private kick(): void {
    if (this.current || this.starting || this.closed) return;
    this.starting = true;
    void (async () => {
      const job = await this.options.jobs.claim(this.owner, this.leaseMs);
      if (!job) return false;
      try {
        await this.start(job);
      } catch (error) {
        // Not retried elsewhere: a job that cannot start (its working files cannot be written) fails once.
        await this.finish(job, "failed", `The training worker could not start: ${(error as Error)?.message ?? String(error)}`, { code: "worker_failed", param: null }).catch(() => undefined);
        await this.options.jobs.release(job.id, this.owner);
      }
      return true;
    })().catch(() => false) // the state is unreachable: the next kick or poll tries again
      .then((claimed) => {
        this.starting = false;
        if (claimed && !this.current) this.kick();
      });
  }

  private async start(claimed: StoredJob): Promise<void> {
    const { files, jobs } = this.options;
    const trainingPath = await files.localPath(claimed.training_file);
    const validationPath = claimed.validation_file ? await files.localPath(claimed.validation_file) : null;
    // A cancel may have come while the files were fetched.
    const held = await jobs.renew(claimed.id, this.owner, this.leaseMs);
    if (!held) return;
    const job = held.job;
    const release = () => jobs.release(job.id, this.owner);
    if (job.status !== "queued" && job.status !== "running") return release();
    if (held.cancelRequested) {
      await this.finish(job, "cancelled", "Fine-tuning job cancelled before it started");
      return release();
    }
    const missing = trainingPath === null ? job.training_file : job.validation_file && validationPath === null ? job.validation_file : null;
    if (missing) {
      await this.finish(job, "failed", `File ${missing} was deleted before the job could start; upload it again and create a new job.`, { code: "file_deleted", param: missing === job.training_file ? "training_file" : "validation_file" });
      return release();
    }
    if (job.status === "running") {
      // Taken over: the replica that ran it stopped renewing its lease.
      await jobs.addEvent(job.id, `The replica training the job stopped; ${this.owner} takes it over from its checkpoint at step ${job.checkpoint_step}.`, { data: { step: job.checkpoint_step }, type: "message" });
    }
    await jobs.restoreCheckpoint(job.id);
    await this.transition(job, "running", job.checkpoint_step > 0 ? `Fine-tuning job resumed at step ${job.checkpoint_step} of ${job.plan.steps}` : `Fine-tuning job started: ${job.plan.steps} steps`, { step: job.checkpoint_step, total_steps: job.plan.steps });
    this.run(job, trainingPath!, validationPath);
  }

  /** Forks the worker and follows it; every write about the job happens in the order the worker said it. */
  private run(job: StoredJob, trainingPath: string, validationPath: string | null): void {
    const { jobs } = this.options;
    const spec: WorkerSpec = {
      jobId: job.id, trainingPath, validationPath, student: job.plan.student, teacher: job.plan.teacher, teacherName: job.plan.teacherName,
      steps: job.plan.steps, batchSize: job.plan.batchSize, sequenceLength: job.plan.sequenceLength, lr: job.plan.lr, seed: job.seed,
      checkpointPath: jobs.checkpointPath(job.id), checkpointEvery: job.plan.checkpointEvery, outPath: jobs.modelPath(job.id),
      basePath: join(jobs.workDirectory(job.id), "base.gguf"), name: plannedModelName(job),
    };
    const specPath = join(ensureDirectory(jobs.workDirectory(job.id)), "spec.json");
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
    let writes: Promise<unknown> = Promise.resolve();
    const later = (work: () => Promise<unknown>) => (writes = writes.then(work).catch(() => undefined));
    let finished!: () => void;
    const running: Running = {
      jobId: job.id, child, cancelRequested: false, leaseLost: false,
      exited: new Promise((resolve) => child.once("exit", () => resolve())), done: new Promise((resolve) => (finished = resolve)),
    };
    this.current = running;
    const stopRenewing = renewEvery(this.leaseMs, async () => {
      const held = await jobs.renew(job.id, this.owner, this.leaseMs);
      if (held === null) running.leaseLost = true;
      if (held?.cancelRequested) running.cancelRequested = true;
      if (running.leaseLost || running.cancelRequested) tell(child, { type: "cancel" });
    });
    const every = Math.max(1, Math.floor(job.plan.steps / EVENTS_PER_JOB));
    child.on("message", (message: WorkerMessage) => {
      if (settled) return;
      switch (message.type) {
        case "step":
          job.trained_tokens = message.tokensSeen;
          if (message.step % every === 0 || message.step === message.steps) {
            later(() => jobs.addEvent(job.id, `Step ${message.step}/${message.steps}: training loss=${message.loss.toFixed(4)}`, { data: { step: message.step, total_steps: message.steps, train_loss: message.loss, progress: message.step / message.steps } }));
          }
          break;
        case "checkpoint":
          later(async () => {
            // The weights first: a replica that resumes from this step finds them.
            await jobs.keepCheckpoint(job.id);
            job.checkpoint_step = message.step;
            await jobs.save(job);
            await jobs.addCheckpoint(job, message.step, message.loss);
            await jobs.addEvent(job.id, `Checkpoint written at step ${message.step}`, { data: { step: message.step, train_loss: message.loss } });
          });
          break;
        case "evaluating":
          later(() => jobs.addEvent(job.id, "Evaluating the fine-tuned model, its base and the teacher on the validation file"));
          break;
        case "evaluated":
          later(async () => {
            job.metadata = { ...job.metadata, ...evalMetadata(message.report) };
            await jobs.save(job);
            await jobs.addEvent(job.id, evalMessage(message.report), { data: { eval: message.report } });
          });
          break;
        case "done":
          settled = true;
          later(async () => {
            if (running.leaseLost) return;
            job.trained_tokens = message.trainedTokens;
            job.fine_tuned_model = plannedModelName(job);
            // The GGUF first: a replica that sees the job succeeded can fetch it.
            await jobs.keepModel(job.id);
            await this.finish(job, "succeeded", `The job has successfully completed: ${job.fine_tuned_model}`, undefined, { final_loss: message.finalLoss, seconds: message.seconds });
            this.served.add(job.id);
            this.options.onModel(job, jobs.modelPath(job.id));
          });
          break;
        case "stopped":
          settled = true;
          if (running.cancelRequested && !running.leaseLost) later(() => this.finish(job, "cancelled", `Fine-tuning job cancelled at step ${message.step}; its checkpoint is kept`));
          break;
        case "error":
          settled = true;
          if (!running.leaseLost) later(() => this.finish(job, "failed", `Fine-tuning failed: ${message.message}`, { code: "training_failed", param: null }));
          break;
      }
    });
    void running.exited.then(() => later(async () => {
      stopRenewing();
      if (!settled && !running.leaseLost) {
        if (running.cancelRequested) await this.finish(job, "cancelled", `Fine-tuning job cancelled; its checkpoint at step ${job.checkpoint_step} is kept`);
        else if (!this.closed) await this.finish(job, "failed", `The training worker exited unexpectedly (code ${child.exitCode}, signal ${child.signalCode})${stderr ? `: ${stderr.trim().split("\n").at(-1)}` : ""}`, { code: "worker_failed", param: null });
        else await jobs.save(job);
      }
      rmSync(specPath, { force: true });
      await jobs.release(job.id, this.owner);
    })).then(() => {
      this.current = null;
      finished();
      this.kick();
    });
  }

  private async transition(job: StoredJob, status: StoredJob["status"], message: string, data?: Record<string, unknown>): Promise<void> {
    job.status = status;
    await this.options.jobs.save(job);
    await this.options.jobs.addEvent(job.id, message, data ? { data, type: "message" } : {});
  }

  private async finish(job: StoredJob, status: "succeeded" | "failed" | "cancelled", message: string, error?: { code: string; param: string | null }, data?: Record<string, unknown>): Promise<void> {
    job.finished_at = Math.floor(this.options.gateway.now() / 1000);
    if (error) job.error = { ...error, message };
    if (status !== "succeeded") job.estimated_finish = null;
    await this.transition(job, status, message, data);
    void this.options.gateway.log.appendEvent({ type: `fine_tuning.job.${status}`, key_id: job.key_id, ts: this.options.gateway.now(), payload: { job_id: job.id, model: job.fine_tuned_model, trained_tokens: job.trained_tokens, error: job.error } }).catch(() => undefined);
  }
}

/** A message to the worker, unless it has already gone (its exit is handled on its own). */
function tell(child: ChildProcess, message: ParentMessage): void {
  if (child.connected) child.send(message, () => undefined);
}
