// The teacher's training order for the training-order test: its manifest (a built-in model's
// committed models/<name>.order.json, the file `pedigree train corpus` writes beside a model, or
// --teacher-order FILE), checked against the teacher's file, and the last stage regenerated and
// checked against the manifest's hash. Only the last stage's windows are returned: positions are
// random only within a stage (each stage shuffles its own data), and the last stage is the one a
// model remembers best (Kuditipudi et al., arXiv 2510.19796).
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { AuditError } from "../../audit/errors.js";
import type { OrderExample } from "../../audit/order-test.js";
import { readGgufFile } from "../../engine/gguf/index.js";
import { tokenizerFromGguf, type BpeTokenizer } from "../../engine/tokenizer/index.js";
import type { PackedData } from "../../engine/train/training-data.js";
import { builtinModelsDirectory } from "../../models/builtin-models.js";
import { parseModelReference } from "../../models/index.js";
import { corpusSources, packStage, sha256Hex } from "./order-data.js";
import { describeStage, manifestHash, type OrderManifest } from "./order-manifest.js";
import { parseManifest } from "./order-schema.js";

export interface TeacherOrder {
  manifest: OrderManifest;
  /** The stage the examples come from (the last). */
  stage: string;
  /** Each window of that stage once: its text, and the micro-batch slot (counted from the start of
   *  training) in which it was last seen. */
  examples: OrderExample[];
}

/** The local file of a model reference, if it has one (built-in, engine or llama.cpp GGUF). */
function localFile(reference: string): string | null {
  const parsed = parseModelReference(reference);
  if (parsed.kind === "builtin") return resolve(builtinModelsDirectory, `${parsed.name}.gguf`);
  return parsed.kind === "engine" || parsed.kind === "llama-cpp" ? resolve(parsed.path) : null;
}

/** Where the teacher's manifest is: `orderFile` when given, else a built-in model's committed one or
 *  the one beside a GGUF teacher (<file>.order.json); null when there is none. */
export function teacherOrderPath(teacherRef: string, orderFile?: string): string | null {
  if (orderFile) return resolve(orderFile);
  const beside = besidePath(teacherRef);
  return beside && existsSync(beside) ? beside : null;
}

function besidePath(teacherRef: string): string | null {
  const parsed = parseModelReference(teacherRef);
  if (parsed.kind === "builtin") return resolve(builtinModelsDirectory, `${parsed.name}.order.json`);
  const file = localFile(teacherRef);
  return file ? `${file}.order.json` : null;
}

function readManifest(path: string): OrderManifest {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new AuditError("AUDIT_ORDER_INVALID", `cannot read the training-order manifest ${path} (${(cause as NodeJS.ErrnoException).code ?? "error"}); check the path`, { cause });
  }
  const manifest = parseManifest(text, path);
  if (manifestHash(manifest) !== manifest.sha256) throw new AuditError("AUDIT_ORDER_INVALID", `the training-order manifest ${path} is damaged: its hash does not match its stages`);
  return manifest;
}

function fileHash(path: string, what: string): string {
  try {
    return sha256Hex(readFileSync(path));
  } catch (cause) {
    throw new AuditError("AUDIT_ORDER_INVALID", `cannot read ${what} ${path} (${(cause as NodeJS.ErrnoException).code ?? "error"})`, { cause });
  }
}

/** Regenerates stage `index` of a manifest read from `path`; AUDIT_ORDER_INVALID unless it matches. */
export function regenerateStage(manifest: OrderManifest, index: number, tokenizer: BpeTokenizer, path: string): { order: Int32Array; data: PackedData } {
  const recorded = manifest.stages[index]!;
  const data = packStage(recorded.data, tokenizer, dirname(path));
  const { stage, order } = describeStage(recorded.name, recorded.data, recorded.plan, data);
  if (stage.sha256 !== recorded.sha256 || stage.tokens !== recorded.tokens || stage.slots !== recorded.slots) {
    const sources = manifest.sources ? corpusSources() : {};
    const changed = Object.entries(manifest.sources ?? {}).filter(([name, version]) => sources[name] !== version).map(([name, version]) => `${name} ${version} → ${sources[name] ?? "missing"}`);
    throw new AuditError("AUDIT_ORDER_INVALID", `the regenerated training order of stage '${recorded.name}' does not match the manifest ${path} (${stage.tokens} tokens, hash ${stage.sha256.slice(0, 12)}…; the manifest has ${recorded.tokens}, ${recorded.sha256.slice(0, 12)}…)${changed.length ? `; corpus packages changed: ${changed.join(", ")}` : ""}`);
  }
  return { order, data };
}

export async function loadTeacherOrder(teacherRef: string, orderFile?: string): Promise<TeacherOrder> {
  const path = teacherOrderPath(teacherRef, orderFile);
  if (!path) {
    const beside = besidePath(teacherRef);
    throw new AuditError("AUDIT_ORDER_INVALID", `no training-order manifest for the teacher ${teacherRef}${beside ? ` (looked for ${beside})` : ""}; pass --teacher-order FILE, the .order.json written when the teacher was trained`);
  }
  const manifest = readManifest(path);
  const modelPath = resolve(dirname(path), manifest.model.file);
  if (fileHash(modelPath, "the model file named by the training-order manifest") !== manifest.model.sha256) {
    throw new AuditError("AUDIT_ORDER_INVALID", `${modelPath} is not the model file the training-order manifest ${path} was written for (its SHA-256 differs)`);
  }
  const teacherFile = localFile(teacherRef);
  if (teacherFile && teacherFile !== modelPath && fileHash(teacherFile, "the teacher") !== manifest.model.sha256) {
    throw new AuditError("AUDIT_ORDER_INVALID", `the training-order manifest ${path} describes the training of ${manifest.model.file}, not of the teacher ${teacherRef}`);
  }
  const tokenizer = tokenizerFromGguf((await readGgufFile(modelPath)).metadata);
  const last = manifest.stages.at(-1)!;
  const { order, data } = regenerateStage(manifest, manifest.stages.length - 1, tokenizer, path);
  const offset = manifest.stages.slice(0, -1).reduce((n, s) => n + s.slots, 0);
  const lastSeen = new Map<number, number>();
  order.forEach((unit, slot) => lastSeen.set(unit, offset + slot));
  const T = last.plan.sequence_length;
  const examples = [...lastSeen].sort((a, b) => a[1] - b[1]).map(([unit, position]) => ({
    position, text: tokenizer.decode(data.tokens.subarray(unit * T, unit * T + T + 1), { special: true }),
  }));
  return { manifest, stage: last.name, examples };
}
