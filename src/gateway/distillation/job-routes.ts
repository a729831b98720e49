// /v1/fine_tuning/jobs: create (licensed keys only, recorded in the exchange log's chain), list,
// retrieve, cancel, events and checkpoints; and the fine-tuned model's GGUF, which its key may
// download once the admin approved it (the admin always may).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Hono } from "hono";
import { requireAdmin, requireKey } from "../auth.js";
import { GatewayError } from "../errors.js";
import { jsonResponse, readJsonBody } from "../http.js";
import type { DistillationContext } from "./distillation-context.js";
import { notFound, requireLicence } from "./distillation-errors.js";
import { parseJobRequest } from "./job-request.js";
import type { JobRunner } from "./job-runner.js";
import { planJob } from "./job-planning.js";
import { publicJob, type StoredJob } from "./job-types.js";
import { paginate } from "./pagination.js";

const newestFirst = (jobs: StoredJob[]) => [...jobs].reverse();

/** The GGUF of a finished job; every download is a chained event (the weights left the gateway). */
async function modelFile(d: DistillationContext, job: StoredJob, by: "key" | "admin"): Promise<Response> {
  if (job.status !== "succeeded") throw notFound("fine-tuned model for job", job.id);
  const path = await d.jobs.modelFile(job.id);
  if (path === null) throw notFound("fine-tuned model for job", job.id);
  const bytes = readFileSync(path);
  await d.gateway.log.appendEvent({ type: "fine_tuning.model.downloaded", key_id: job.key_id, ts: d.gateway.now(), payload: { job_id: job.id, model: job.fine_tuned_model, by, bytes: bytes.length } });
  return new Response(bytes, { headers: { "content-type": "application/octet-stream", "content-disposition": `attachment; filename="${job.id}.gguf"` } });
}

export function addJobRoutes(app: Hono, d: DistillationContext, runner: JobRunner, adminKeySha256: string | null): void {
  app.post("/v1/fine_tuning/jobs", async (c) => {
    const key = await requireKey(d.gateway, c.req.raw);
    requireLicence(key, "start fine-tuning jobs");
    const request = parseJobRequest(await readJsonBody(c.req.raw, d.gateway.bodyLimit));
    const planned = await planJob(d, key, request);
    const id = d.jobs.newId();
    const now = d.gateway.now();
    const job: StoredJob = {
      id, object: "fine_tuning.job", created_at: Math.floor(now / 1000), finished_at: null, model: request.model, fine_tuned_model: null,
      organization_id: key.id, status: "validating_files", training_file: request.training_file, validation_file: request.validation_file ?? null,
      hyperparameters: planned.hyperparameters, method: { type: "supervised", supervised: { hyperparameters: planned.hyperparameters } },
      result_files: [], trained_tokens: null, error: null, seed: request.seed ?? 0, suffix: request.suffix ?? null, user_provided_suffix: request.suffix ?? null,
      estimated_finish: null, integrations: null, metadata: request.metadata ?? null,
      key_id: key.id, plan: planned.plan, checkpoint_step: 0, download_approved: false, created_ms: now,
    };
    const sha256 = async (fileId: string) => createHash("sha256").update(await d.files.content(key.id, fileId)).digest("hex");
    // The provider's evidence: who distilled what (the files' hashes), from which model, when.
    await d.gateway.log.appendEvent({
      type: "fine_tuning.job.created", key_id: key.id, ts: now,
      payload: {
        job_id: id, model: request.model, teacher: planned.plan.teacherName, examples: planned.examples, hyperparameters: planned.hyperparameters,
        training_file: { id: request.training_file, sha256: await sha256(request.training_file) },
        validation_file: request.validation_file ? { id: request.validation_file, sha256: await sha256(request.validation_file) } : null,
      },
    });
    await runner.submit(job);
    return jsonResponse(publicJob(await d.jobs.get(key.id, id)));
  });
  app.get("/v1/fine_tuning/jobs", async (c) => {
    const key = await requireKey(d.gateway, c.req.raw);
    const list = paginate(newestFirst((await d.jobs.all()).filter((job) => job.key_id === key.id)), new URL(c.req.url));
    return jsonResponse({ ...list, data: list.data.map(publicJob) });
  });
  app.get("/v1/fine_tuning/jobs/:id", async (c) => jsonResponse(publicJob(await d.jobs.get((await requireKey(d.gateway, c.req.raw)).id, c.req.param("id")))));
  app.post("/v1/fine_tuning/jobs/:id/cancel", async (c) => {
    const job = await d.jobs.get((await requireKey(d.gateway, c.req.raw)).id, c.req.param("id"));
    return jsonResponse(publicJob(await runner.cancel(job)));
  });
  app.get("/v1/fine_tuning/jobs/:id/events", async (c) => {
    const job = await d.jobs.get((await requireKey(d.gateway, c.req.raw)).id, c.req.param("id"));
    return jsonResponse(paginate(await d.jobs.events(job.id), new URL(c.req.url)));
  });
  app.get("/v1/fine_tuning/jobs/:id/checkpoints", async (c) => {
    const job = await d.jobs.get((await requireKey(d.gateway, c.req.raw)).id, c.req.param("id"));
    const list = paginate(await d.jobs.checkpoints(job.id), new URL(c.req.url), 10);
    return jsonResponse({ ...list, first_id: list.data[0]?.id ?? null, last_id: list.data.at(-1)?.id ?? null });
  });
  app.get("/v1/fine_tuning/jobs/:id/model", async (c) => {
    const job = await d.jobs.get((await requireKey(d.gateway, c.req.raw)).id, c.req.param("id"));
    if (!job.download_approved) {
      throw new GatewayError("DISTILLATION_NOT_LICENSED", `The weights of ${job.fine_tuned_model ?? job.id} are served here but leave the gateway only with the operator's approval (POST /admin/fine_tuning/jobs/${job.id}/approve_download).`, { status: 403, type: "permission_error" });
    }
    return modelFile(d, job, "key");
  });

  app.get("/admin/fine_tuning/jobs", async (c) => {
    requireAdmin(adminKeySha256, c.req.raw);
    return jsonResponse({ object: "list", data: newestFirst(await d.jobs.all()).map((job) => ({ ...publicJob(job), key_id: job.key_id, download_approved: job.download_approved })) });
  });
  app.post("/admin/fine_tuning/jobs/:id/approve_download", async (c) => {
    requireAdmin(adminKeySha256, c.req.raw);
    const job = await d.jobs.get(null, c.req.param("id"));
    job.download_approved = true;
    await d.jobs.save(job);
    await d.gateway.log.appendEvent({ type: "fine_tuning.model.download_approved", key_id: job.key_id, ts: d.gateway.now(), payload: { job_id: job.id, model: job.fine_tuned_model } });
    return jsonResponse({ ...publicJob(job), download_approved: true });
  });
  app.get("/admin/fine_tuning/jobs/:id/model", async (c) => {
    requireAdmin(adminKeySha256, c.req.raw);
    return modelFile(d, await d.jobs.get(null, c.req.param("id")), "admin");
  });
}
