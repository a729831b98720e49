// Runs batches one request at a time through the gateway's own chat handler, so every answer is
// checked against the key's policy and quotas, watermarked and logged exactly as a live one. Live
// traffic comes first: before each request the runner waits (up to a second) until no live request
// is in flight, and a 429 for the key's rate limit is waited out, not failed.
import { randomBytes } from "node:crypto";
import { handleChatCompletions } from "../chat-completions.js";
import type { GatewayContext } from "../gateway-context.js";
import { errorReply } from "../http.js";
import { requestSource } from "../request-source.js";
import { parseBatchLines, type BatchRequestLine } from "./batch-file-format.js";
import type { BatchStore } from "./batch-store.js";
import type { BatchResultLine, StoredBatch } from "./batch-types.js";
import type { FileStore } from "./file-store.js";

export interface BatchRunnerOptions {
  batches: BatchStore;
  files: FileStore;
  gateway: GatewayContext;
  /** Requests in flight on the gateway (live ones, and this runner's own while it holds one). */
  inFlight(): number;
}

const LIVE_WAIT_MS = 1000;
const MAX_RETRY_WAIT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class BatchRunner {
  private running: Promise<void> | null = null;
  private readonly cancelRequested = new Set<string>();
  private closed = false;

  constructor(private readonly options: BatchRunnerOptions) {}

  /** Starts the oldest batch not finished yet (after a restart, the one that was running). */
  kick(): void {
    if (this.running || this.closed) return;
    const next = this.options.batches.all().find((batch) => ["validating", "in_progress", "finalizing", "cancelling"].includes(batch.status));
    if (!next) return;
    this.running = this.run(next).catch((error: unknown) => {
      this.finish(next, "failed", { code: "batch_failed", message: (error as Error)?.message ?? String(error) });
    }).finally(() => {
      this.running = null;
      this.kick();
    });
  }

  cancel(batch: StoredBatch): StoredBatch {
    if (["completed", "failed", "expired", "cancelled"].includes(batch.status)) return batch;
    this.cancelRequested.add(batch.id);
    batch.status = "cancelling";
    batch.cancelling_at = this.seconds();
    this.options.batches.save(batch);
    this.kick();
    return batch;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }

  private seconds(): number {
    return Math.floor(this.options.gateway.now() / 1000);
  }

  private async run(batch: StoredBatch): Promise<void> {
    const { batches, files, gateway } = this.options;
    const lines = parseBatchLines(files.content(null, batch.input_file_id));
    const answered = new Set([...batches.results(batch.id, "output"), ...batches.results(batch.id, "errors")].map((line) => line.custom_id));
    if (batch.status === "validating") {
      batch.status = "in_progress";
      batch.in_progress_at = this.seconds();
      batch.request_counts.total = lines.length;
      batches.save(batch);
    }
    let stopped: "cancelled" | "expired" | null = batch.status === "cancelling" ? "cancelled" : null;
    for (const line of lines) {
      if (stopped || this.closed) break;
      if (answered.has(line.custom_id)) continue;
      if (this.cancelRequested.has(batch.id)) {
        stopped = "cancelled";
        break;
      }
      if (this.seconds() > batch.expires_at) {
        stopped = "expired";
        break;
      }
      const result = await this.answer(batch, line);
      if (result === null) continue;
      const failed = result.error !== null || result.response!.status_code !== 200;
      batches.append(batch.id, failed ? "errors" : "output", result);
      batch.request_counts[failed ? "failed" : "completed"]++;
      batches.save(batch);
    }
    if (this.closed && !stopped) return; // resumes at the next start
    this.finalize(batch, stopped);
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

  private finalize(batch: StoredBatch, stopped: "cancelled" | "expired" | null): void {
    const { batches, files } = this.options;
    batch.status = "finalizing";
    batch.finalizing_at = this.seconds();
    batches.save(batch);
    const write = (kind: "output" | "errors") => {
      const lines = batches.results(batch.id, kind);
      return lines.length === 0 ? null : files.create(batch.key_id, "batch_output", `${batch.id}_${kind === "output" ? "output" : "error"}.jsonl`, lines.map((line) => JSON.stringify(line)).join("\n") + "\n", lines.length).id;
    };
    batch.output_file_id = write("output");
    batch.error_file_id = write("errors");
    this.finish(batch, stopped ?? "completed");
  }

  private finish(batch: StoredBatch, status: "completed" | "cancelled" | "expired" | "failed", error?: { code: string; message: string }): void {
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
    this.options.batches.save(batch);
    void this.options.gateway.log.appendEvent({ type: `batch.${status}`, key_id: batch.key_id, ts: this.options.gateway.now(), payload: { batch_id: batch.id, request_counts: batch.request_counts, output_file_id: batch.output_file_id, error_file_id: batch.error_file_id } }).catch(() => undefined);
  }
}
