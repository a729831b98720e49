// /v1/batches: create over a `purpose: "batch"` file (endpoint /v1/chat/completions, window 24h),
// list, retrieve and cancel. The answers come back as output and error files (/v1/files).
import type { Hono } from "hono";
import { z } from "zod";
import { requireKey } from "../auth.js";
import { badRequest } from "../errors.js";
import { jsonResponse, readJsonBody } from "../http.js";
import type { BatchRunner } from "./batch-runner.js";
import { publicBatch, type StoredBatch } from "./batch-types.js";
import type { DistillationContext } from "./distillation-context.js";
import type { BatchState } from "./distillation-state.js";
import { invalidRequest } from "./distillation-errors.js";
import { parseBatchLines } from "./batch-file-format.js";
import { paginate } from "./pagination.js";

const DAY_SECONDS = 86_400;

const createSchema = z.looseObject({
  input_file_id: z.string().min(1),
  endpoint: z.literal("/v1/chat/completions"),
  completion_window: z.literal("24h"),
  metadata: z.record(z.string().max(64), z.string().max(512)).refine((value) => Object.keys(value).length <= 16, "at most 16 pairs").nullish(),
});

export function addBatchRoutes(app: Hono, d: DistillationContext, batches: BatchState, runner: BatchRunner): void {
  app.post("/v1/batches", async (c) => {
    const key = await requireKey(d.gateway, c.req.raw);
    const parsed = createSchema.safeParse(await readJsonBody(c.req.raw, d.gateway.bodyLimit));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const param = issue.path.map(String).join(".") || null;
      throw badRequest("INVALID_REQUEST", `Invalid value for '${param}': ${issue.message}`, param);
    }
    const file = await d.files.get(key.id, parsed.data.input_file_id, "input_file_id");
    if (file.purpose !== "batch") throw invalidRequest(`File '${file.id}' was not uploaded with purpose 'batch'.`, "input_file_id");
    const total = parseBatchLines(await d.files.content(key.id, file.id)).length;
    const nowMs = d.gateway.now();
    const now = Math.floor(nowMs / 1000);
    const batch: StoredBatch = {
      id: batches.newId(), object: "batch", endpoint: "/v1/chat/completions", errors: null, input_file_id: file.id, completion_window: "24h",
      status: "validating", output_file_id: null, error_file_id: null, created_at: now, in_progress_at: null, expires_at: now + DAY_SECONDS,
      finalizing_at: null, completed_at: null, failed_at: null, expired_at: null, cancelling_at: null, cancelled_at: null,
      request_counts: { total, completed: 0, failed: 0 }, metadata: parsed.data.metadata ?? null, key_id: key.id, created_ms: nowMs,
    };
    await batches.save(batch);
    await d.gateway.log.appendEvent({ type: "batch.created", key_id: key.id, ts: d.gateway.now(), payload: { batch_id: batch.id, input_file_id: file.id, requests: total } });
    runner.kick();
    return jsonResponse(publicBatch(batch));
  });
  app.get("/v1/batches", async (c) => {
    const key = await requireKey(d.gateway, c.req.raw);
    const list = paginate((await batches.list(key.id)).reverse(), new URL(c.req.url));
    return jsonResponse({ ...list, data: list.data.map(publicBatch), first_id: list.data[0]?.id ?? null, last_id: list.data.at(-1)?.id ?? null });
  });
  app.get("/v1/batches/:id", async (c) => jsonResponse(publicBatch(await batches.get((await requireKey(d.gateway, c.req.raw)).id, c.req.param("id")))));
  app.post("/v1/batches/:id/cancel", async (c) => {
    const key = await requireKey(d.gateway, c.req.raw);
    return jsonResponse(publicBatch(await runner.cancel(key.id, c.req.param("id"))));
  });
}
