// API keys: the secret (`pdg-…`) is shown once and only its SHA-256 is stored. Each key carries a
// policy (allowed models, rates, daily quota, watermark, distillation licence). Storage-free: the
// stores (sqlite/sqlite-keys.ts, postgres/postgres-keys.ts) keep the rows.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { GatewayError } from "../errors.js";

export const keyPolicySchema = z.strictObject({
  /** Model names this key may use; null: all served models. */
  models: z.array(z.string().min(1)).nullable().default(null),
  /** Requests per sliding minute; past it, 429 with Retry-After. */
  rpm: z.number().int().positive().nullable().default(null),
  /** Tokens (prompt + completion) per sliding minute. */
  tpm: z.number().int().positive().nullable().default(null),
  /** Tokens (prompt + completion) per UTC day. */
  dailyTokens: z.number().int().positive().nullable().default(null),
  /** Watermark answers from white-box backends; only a licensed key may turn it off. */
  watermark: z.boolean().default(true),
  /** Whether outputs served to this key are licensed for distillation (recorded on every exchange);
   *  an unlicensed key is always watermarked. */
  distillation: z.boolean().default(false),
  /** Serving-time defence on white-box models: "antidistill" samples answers that train students worse. */
  defence: z.enum(["none", "antidistill"]).default("none"),
});

export type KeyPolicy = z.infer<typeof keyPolicySchema>;
export type KeyPolicyInput = z.input<typeof keyPolicySchema>;

export interface KeyRecord {
  id: string;
  name: string;
  createdAt: number;
  revokedAt: number | null;
  policy: KeyPolicy;
}

/** A key as both stores return it (PostgreSQL gives BIGINT columns as strings and JSONB parsed). */
export interface KeyRow {
  id: string;
  name: string;
  created_at: number | string;
  revoked_at: number | string | null;
  policy: string | object;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** An unlicensed key's answers carry the watermark whatever its `watermark` field says. */
export function servesWatermarked(policy: KeyPolicy): boolean {
  return policy.watermark || !policy.distillation;
}

export interface RevokeResult {
  record: KeyRecord;
  /** The key had been revoked before; nothing changed. */
  alreadyRevoked: boolean;
}

export function toRecord(row: KeyRow): KeyRecord {
  return { id: row.id, name: row.name, createdAt: Number(row.created_at), revokedAt: row.revoked_at === null ? null : Number(row.revoked_at), policy: keyPolicySchema.parse(typeof row.policy === "string" ? JSON.parse(row.policy) : row.policy) };
}

/** A new key's record and secret, after the policy is checked (every store calls this). */
export function newKey(name: string, policy: KeyPolicyInput, now: number): { record: KeyRecord; secret: string; secretSha256: string } {
  const parsed = keyPolicySchema.safeParse(policy);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badPolicy(`key policy field '${issue.path.join(".")}': ${issue.message}`);
  }
  if (!parsed.data.watermark && !parsed.data.distillation) {
    throw badPolicy("only a key licensed for distillation may be served without the watermark: add --distillation (distillation: true), or keep the watermark");
  }
  const secret = `pdg-${randomBytes(24).toString("base64url")}`;
  const id = `key_${randomBytes(8).toString("hex")}`;
  return { record: { id, name, createdAt: now, revokedAt: null, policy: parsed.data }, secret, secretSha256: sha256Hex(secret) };
}

export function keyNotFound(id: string): GatewayError {
  return new GatewayError("API_KEY_NOT_FOUND", `no key with id '${id}'; 'pedigree keys list' shows the ids`, { status: 404, type: "not_found_error" });
}

/** Revoking a revoked key is a conflict (409), so scripts can tell it from a revocation that happened now. */
export function alreadyRevokedError(record: KeyRecord): GatewayError {
  const when = new Date(record.revokedAt ?? 0).toISOString();
  return new GatewayError("API_KEY_ALREADY_REVOKED", `key ${record.id} (${record.name}) was already revoked at ${when}; nothing changed`, { status: 409, type: "invalid_request_error" });
}

function badPolicy(message: string): GatewayError {
  return new GatewayError("API_KEY_BAD_POLICY", message, { status: 400, type: "invalid_request_error" });
}
