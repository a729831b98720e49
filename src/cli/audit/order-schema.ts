// The training-order manifest's JSON schema: a file that is not one, or one of another version, is
// refused with AUDIT_ORDER_INVALID before any work, naming the first field that is wrong.
import { z } from "zod";
import { AuditError } from "../../audit/errors.js";
import { ORDER_FORMAT, ORDER_VERSION, type OrderManifest } from "./order-manifest.js";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().min(0);
const positive = z.number().int().min(1);

const stageData = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("builtin-mix"), recipe: z.string().min(1), seed: z.string() }),
  z.object({ kind: z.literal("text-files"), files: z.array(z.object({ path: z.string().min(1), bytes: count, sha256 })).min(1) }),
]);

const stage = z.object({
  name: z.string().min(1),
  data: stageData,
  plan: z.object({ steps: count, batch_size: positive, grad_accumulation: positive, sequence_length: positive, seed: count, layout: z.literal("stream") }),
  examples: count,
  tokens: count,
  windows: count,
  slots: count,
  sha256,
});

const manifest = z.object({
  format: z.literal(ORDER_FORMAT),
  version: z.literal(ORDER_VERSION),
  model: z.object({ file: z.string().min(1), sha256 }),
  sources: z.record(z.string(), z.string()).optional(),
  stages: z.array(stage).min(1),
  sha256,
});

export function parseManifest(text: string, path: string): OrderManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AuditError("AUDIT_ORDER_INVALID", `${path} is not JSON, so not a training-order manifest: ${(cause as Error).message}`, { cause });
  }
  const parsed = manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AuditError("AUDIT_ORDER_INVALID", `${path} is not a training-order manifest (${ORDER_FORMAT} version ${ORDER_VERSION}): ${issue.path.join(".") || "the document"}: ${issue.message}`);
  }
  return parsed.data as OrderManifest;
}
