// The training-order manifest: what regenerates the order in which a model saw its training windows,
// without storing the data. A model's trainer packs the tokenised examples into one stream and cuts
// windows of T + 1 tokens from it; each micro-batch slot takes the window a seeded shuffle assigns
// it (engine/train/training-data.ts). So the data recipe, the tokenizer (the model file's own), and
// the plan (steps, batch, accumulation, sequence length, seed) fix the order; a SHA-256 over the
// token ids of every slot's window, in order, checks a regeneration. The order is read from the
// engine's own batch function, never re-derived here, so it is the order the trainer used.
import { createHash } from "node:crypto";
import { makeBatch, windowCount, type PackedData } from "../../engine/train/training-data.js";
import { AuditError } from "../../audit/errors.js";

export const ORDER_FORMAT = "pedigree.training-order";
export const ORDER_VERSION = 1;

export type StageData =
  | { kind: "builtin-mix"; recipe: string; seed: string }
  | { kind: "text-files"; files: { path: string; bytes: number; sha256: string }[] };

export interface StagePlan {
  steps: number;
  batch_size: number;
  grad_accumulation: number;
  sequence_length: number;
  seed: number;
  /** How windows are cut from the packed data (engine PackLayout); only "stream" is supported. */
  layout: "stream";
}

export interface OrderStage {
  name: string;
  data: StageData;
  plan: StagePlan;
  examples: number;
  tokens: number;
  windows: number;
  /** Micro-batch slots: steps × accumulation × batch, each one window. */
  slots: number;
  sha256: string;
}

export interface OrderManifest {
  format: typeof ORDER_FORMAT;
  version: typeof ORDER_VERSION;
  /** The model file whose tokenizer tokenised the data (a path relative to the manifest). */
  model: { file: string; sha256: string };
  /** Packages the built-in corpora were read from, with the versions installed at build time. */
  sources?: Record<string, string>;
  stages: OrderStage[];
  /** SHA-256 over the rest of the manifest (canonical JSON). */
  sha256: string;
}

/** The window (unit) every slot of a stage trained on, in training order. */
export function slotOrder(data: PackedData, plan: StagePlan): Int32Array {
  if (data.layout !== "stream") throw new AuditError("AUDIT_ORDER_INVALID", `the training order of layout '${data.layout}' is not supported; only the stream layout`);
  if (plan.layout !== data.layout) throw new AuditError("AUDIT_ORDER_INVALID", `the plan's layout '${plan.layout}' is not the data's '${data.layout}'`);
  const T = plan.sequence_length, B = plan.batch_size;
  // A probe stream whose every token is the number of its window: the engine's own batch function
  // then hands back, as each sequence's first input, the window it chose for that slot.
  const probe: PackedData = { ...data, tokens: Int32Array.from({ length: data.tokens.length }, (_, i) => Math.floor(i / T)), teacherIds: null, teacherLogprobs: null };
  const batches = plan.steps * plan.grad_accumulation;
  const order = new Int32Array(batches * B);
  for (let index = 0; index < batches; index++) {
    const batch = makeBatch(probe, B, T, plan.seed, index);
    for (let b = 0; b < B; b++) order[index * B + b] = batch.inputs[b * T]!;
  }
  return order;
}

/** SHA-256 over the T + 1 token ids (int32, little-endian) of every slot's window, in order. */
export function orderHash(data: PackedData, order: Int32Array, T: number): string {
  const hash = createHash("sha256");
  const bytes = new DataView(new ArrayBuffer((T + 1) * 4));
  for (const unit of order) {
    for (let t = 0; t <= T; t++) bytes.setInt32(t * 4, data.tokens[unit * T + t]!, true);
    hash.update(new Uint8Array(bytes.buffer));
  }
  return hash.digest("hex");
}

/** One stage's manifest entry and its order, from the packed data it trained on. */
export function describeStage(name: string, stageData: StageData, plan: StagePlan, data: PackedData): { stage: OrderStage; order: Int32Array } {
  const order = slotOrder(data, plan);
  const stage: OrderStage = {
    name, data: stageData, plan, examples: data.starts.length - 1, tokens: data.tokens.length,
    windows: windowCount(data, plan.sequence_length), slots: order.length, sha256: orderHash(data, order, plan.sequence_length),
  };
  return { stage, order };
}

/** JSON with every object's keys sorted, so a hash does not depend on how a file was written. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of everything in the manifest but this hash (canonical JSON): a damaged file is caught. */
export function manifestHash(manifest: Omit<OrderManifest, "sha256"> & { sha256?: string }): string {
  return createHash("sha256").update(canonical({ ...manifest, sha256: undefined })).digest("hex");
}

export function buildManifest(model: { file: string; sha256: string }, stages: OrderStage[], sources?: Record<string, string>): OrderManifest {
  const body = { format: ORDER_FORMAT, version: ORDER_VERSION, model, ...(sources ? { sources } : {}), stages } as const;
  return { ...body, sha256: manifestHash(body) };
}

export function manifestText(manifest: OrderManifest): string {
  return JSON.stringify(manifest, null, 2) + "\n";
}
