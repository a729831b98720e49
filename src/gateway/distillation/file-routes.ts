// /v1/files: multipart upload (purpose fine-tune or batch, checked at upload), list, retrieve,
// content and delete. Fine-tuning files need the distillation licence; nothing of a refused upload
// is stored.
import type { Hono } from "hono";
import { requireKey } from "../auth.js";
import { GatewayError } from "../errors.js";
import { jsonResponse } from "../http.js";
import { parseBatchLines } from "./batch-file-format.js";
import { invalidRequest, requireLicence } from "./distillation-errors.js";
import type { DistillationContext } from "./distillation-context.js";
import { checkTrainingFile } from "./training-file-format.js";

async function readBoundedBytes(request: Request, limit: number): Promise<Buffer> {
  const tooLarge = () => new GatewayError("FILE_TOO_LARGE", `The upload is larger than the gateway's file limit of ${limit} bytes.`, { status: 413, type: "invalid_request_error", param: "file" });
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

export function addFileRoutes(app: Hono, d: DistillationContext): void {
  app.post("/v1/files", async (c) => {
    const key = await requireKey(d.gateway, c.req.raw);
    const type = c.req.header("content-type") ?? "";
    if (!type.startsWith("multipart/form-data")) throw invalidRequest("Upload files as multipart/form-data with the fields 'file' and 'purpose'.");
    const bytes = await readBoundedBytes(c.req.raw, d.fileBytesLimit);
    const form = await new Response(bytes, { headers: { "content-type": type } }).formData().catch(() => {
      throw invalidRequest("The multipart body could not be parsed.");
    });
    const purpose = form.get("purpose");
    const file = form.get("file");
    if (purpose !== "fine-tune" && purpose !== "batch") throw invalidRequest("'purpose' must be 'fine-tune' or 'batch'.", "purpose");
    if (file === null || typeof file === "string") throw invalidRequest("The multipart field 'file' must be a file.", "file");
    if (purpose === "fine-tune") requireLicence(key, "upload fine-tuning files");
    const text = await file.text();
    const lines = purpose === "fine-tune" ? checkTrainingFile(text).length : parseBatchLines(text).length;
    return jsonResponse(await d.files.create(key.id, purpose, file.name || "upload.jsonl", text, lines));
  });
  app.get("/v1/files", async (c) => {
    const key = await requireKey(d.gateway, c.req.raw);
    const data = await d.files.list(key.id, c.req.query("purpose"));
    return jsonResponse({ object: "list", data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
  });
  app.get("/v1/files/:id", async (c) => {
    const key = await requireKey(d.gateway, c.req.raw);
    const { lines: _lines, ...file } = await d.files.get(key.id, c.req.param("id"));
    return jsonResponse(file);
  });
  app.get("/v1/files/:id/content", async (c) => {
    const key = await requireKey(d.gateway, c.req.raw);
    return new Response(await d.files.content(key.id, c.req.param("id")), { headers: { "content-type": "application/jsonl" } });
  });
  app.delete("/v1/files/:id", async (c) => {
    const key = await requireKey(d.gateway, c.req.raw);
    const deleted = await d.files.delete(key.id, c.req.param("id"));
    await d.gateway.log.appendEvent({ type: "file.deleted", key_id: key.id, payload: { file_id: deleted.id }, ts: d.gateway.now() });
    return jsonResponse(deleted);
  });
}
