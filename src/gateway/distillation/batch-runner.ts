// Runs batches one request at a time through the gateway's own chat handler, so every answer is
// checked against the key's policy and quotas, watermarked and logged exactly as a live one. Live
// traffic comes first: before each request the runner waits (up to a second) until no live request
// is in flight, and a 429 for the key's rate limit is waited out, not failed. A runner claims a batch
// (a lease, renewed while it runs, before every request and on a timer), so with replicas sharing the
// state each batch runs on one of them; when that one dies, another takes the batch over after the
// lease expires and goes on after the answers already recorded.
import { randomBytes } from "node:crypto";
import { handleChatCompletions } from "../chat-completions.js";
import type { GatewayContext } from "../gateway-context.js";
import { errorReply } from "../http.js";
import { requestSource } from "../request-source.js";
import { parseBatchLines, type BatchRequestLine } from "./batch-file-format.js";
import type { BatchResultLine, StoredBatch } from "./batch-types.js";
import type { BatchState, FileState } from "./distillation-state.js";
import { DEFAULT_LEASE_MS, renewEvery } from "./lease-timer.js";

export interface BatchRunnerOptions {
  batches: BatchState;
  files: FileState;
  gateway: GatewayContext;
  /** Requests in flight on the gateway (live ones, and this runner's own while it holds one). */
  inFlight(): number;
  /** How long a claim holds without renewal (default 30 s): how soon a dead replica's batch moves on. */
  leaseMs?: number;
  /** How often to look for batches created or left by other replicas (0, the default: never; a
   *  replica sharing its state sets it). */
  pollMs?: number;
}

const LIVE_WAIT_MS = 1000;
const MAX_RETRY_WAIT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class BatchRunner {
  private running: Promise<void> | null = null;
  private readonly cancelRequested = new Set<string>();
  private closed = false;
  private readonly leaseMs: number;
  private readonly poll: NodeJS.Timeout | undefined;

  constructor(private readonly options: BatchRunnerOptions) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    if (options.pollMs) this.poll = setInterval(() => this.kick(), options.pollMs).unref();
  }

  /** Claims and runs the oldest batch not finished yet (after a restart, the one that was running). */
  kick(): void {
    if (this.running || this.closed) return;
    const { batches, gateway } = this.options;
    let claimed = false;
    this.running = (async () => {
      const next = await batches.claim(gateway.replica, this.leaseMs);
      if (!next) return;
      claimed = true;
      try {
        await this.run(next);
      } catch (error) {
        await this.finish(next, "failed", { code: "batch_failed", message: (error as Error)?.message ?? String(error) });
      } finally {
        await batches.release(next.id, gateway.replica);
      }
    })().catch(() => undefined) // the state is unreachable: the next kick or poll tries again
      .finally(() => {
        this.running = null;
        if (claimed) this.kick();
      });
  }

  /** Cancels the key's batch wherever it runs: the stored batch turns `cancelling`, and its runner
   *  (this one or another replica's) stops before its next request. */
  async cancel(keyId: string, id: string): Promise<StoredBatch> {
    const batch = await this.options.batches.requestCancel(keyId, id, this.seconds());
    if (batch.status === "cancelling") {
      this.cancelRequested.add(batch.id);
      this.kick();
    }
    return batch;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poll);
    await this.running;
  }

  private seconds(): number {
    return Math.floor(this.options.gateway.now() / 1000);
  }

  private async run(batch: StoredBatch): Promise<void> {
    const { batches, files, gateway } = this.options;
    const lines = parseBatchLines(await files.content(null, batch.input_file_id));
    const [output, errors] = [await batches.results(batch.id, "output"), await batches.results(batch.id, "errors")];
    const answered = new Set([...output, ...errors].map((line) => line.custom_id));
    // The recorded answers are the counts (a runner that died may not have saved its last ones).
    batch.request_counts.completed = output.length;
    batch.request_counts.failed = errors.length;
    if (batch.status === "validating") {
      batch.status = "in_progress";
      batch.in_progress_at = this.seconds();
      batch.request_counts.total = lines.length;
      await batches.save(batch);
    }
    const lease = this.holdLease(batch.id);
    let stopped: "cancelled" | "expired" | null = batch.status === "cancelling" ? "cancelled" : null;
    try {
      for (const line of lines) {
        if (stopped || this.closed) break;
        if (answered.has(line.custom_id)) continue;
        // Still ours, and not cancelled through any replica?
        const stored = await batches.renew(batch.id, gateway.replica, this.leaseMs);
        if (stored === null || lease.lost) return; // another replica took it over
        if (stored.status === "cancelling" || this.cancelRequested.has(batch.id)) {
          stopped = "cancelled";
          break;
        }
        if (this.seconds() > batch.expires_at) {
          stopped = "expired";
          break;
        }
        const result = await this.answer(batch, line);
        if (result === null) continue;
        if (lease.lost) return;
        const failed = result.error !== null || result.response!.status_code !== 200;
        await batches.append(batch.id, failed ? "errors" : "output", result);
        batch.request_counts[failed ? "failed" : "completed"]++;
        await batches.save(batch);
      }
    } finally {
      lease.stop();
    }
    if (this.closed && !stopped) return; // resumes at the next start, here or on another replica
    await this.finalize(batch, stopped);
  }

  /** Renews the lease on a timer while a request may take long (a slow model, a 429 waited out). */
  private holdLease(id: string): { readonly lost: boolean; stop(): void } {
    const { batches, gateway } = this.options;
    const state = { lost: false, stop: () => {} };
    state.stop = renewEvery(this.leaseMs, async () => {
      const stored = await batches.renew(id, gateway.replica, this.leaseMs);
      if (stored === null) state.lost = true;
      else if (stored.status === "cancelling") this.cancelRequested.add(id);
    });
    return state;
  }

  /** One request through the chat handler; null when the batch was cancelled while it waited. */
  private async answer(batch: StoredBatch, line: BatchRequestLine): Promise<BatchResultLine | null> {
    const { gateway } = this.options;
    const id = `batch_req_${randomBytes(12).toString("hex")}`;
    for (;;) {
      for (const until = Date.now() + LIVE_WAIT_MS; this.options.inFlight() > 0 && Date.now() < until; ) await sleep(2);
      const key = await gateway.keys.get(batch.key_id);
      if (!key || key.revokedAt !== null) return { id, custom_id: line.custom_id, response: null, error: { code: "invalid_api_key", message: "The batch's key was revoked." } };
      const { stream: _stream, stream_options: _options, ...body } = line.body as Record<string, unknown>;
      const request = new Request("http://batch.internal/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const release = gateway.hold();
      let response: Response;
      try {
        response = (await handleChatCompletions(gateway, requestSource(request), key).catch((error: unknown) => errorReply(error))).toResponse();
      } finally {
        release();
      }
      const payload = (await response.json()) as { error?: { code?: string } };
      if (response.status === 429 && payload.error?.code === "rate_limit_exceeded") {
        const wait = Math.min(MAX_RETRY_WAIT_MS, 1000 * Number(response.headers.get("retry-after") ?? 1));
        for (const until = Date.now() + wait; Date.now() < until; await sleep(50)) if (this.cancelRequested.has(batch.id) || this.closed) return null;
        continue;
      }
      return { id, custom_id: line.custom_id, response: { status_code: response.status, request_id: id, body: payload }, error: null };
    }
  }

  private async finalize(batch: StoredBatch, stopped: "cancelled" | "expired" | null): Promise<void> {
    const { batches, files } = this.options;
    batch.status = "finalizing";
    batch.finalizing_at = this.seconds();
    await batches.save(batch);
    const write = async (kind: "output" | "errors") => {
      const lines = await batches.results(batch.id, kind);
      return lines.length === 0 ? null : (await files.create(batch.key_id, "batch_output", `${batch.id}_${kind === "output" ? "output" : "error"}.jsonl`, lines.map((line) => JSON.stringify(line)).join("\n") + "\n", lines.length)).id;
    };
    batch.output_file_id = await write("output");
    batch.error_file_id = await write("errors");
    await this.finish(batch, stopped ?? "completed");
  }

  private async finish(batch: StoredBatch, status: "completed" | "cancelled" | "expired" | "failed", error?: { code: string; message: string }): Promise<void> {
    batch.status = status;
    const at = this.seconds();
    if (status === "completed") batch.completed_at = at;
    if (status === "cancelled") batch.cancelled_at = at;
    if (status === "expired") batch.expired_at = at;
    if (status === "failed") {
      batch.failed_at = at;
      batch.errors = { object: "list", data: [{ ...error!, param: null, line: null }] };
    }
    this.cancelRequested.delete(batch.id);
    await this.options.batches.save(batch);
    void this.options.gateway.log.appendEvent({ type: `batch.${status}`, key_id: batch.key_id, ts: this.options.gateway.now(), payload: { batch_id: batch.id, request_counts: batch.request_counts, output_file_id: batch.output_file_id, error_file_id: batch.error_file_id } }).catch(() => undefined);
  }
}
