// API keys: the secret (`pdg-…`) is shown once and only its SHA-256 is stored. Each key carries a
// policy (allowed models, rates, daily quota, watermark, distillation licence).
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { SqliteDatabase } from "./database.js";
import { GatewayError } from "./errors.js";

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

interface KeyRow {
  id: string;
  name: string;
  created_at: number;
  revoked_at: number | null;
  policy: string;
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

function toRecord(row: KeyRow): KeyRecord {
  return { id: row.id, name: row.name, createdAt: row.created_at, revokedAt: row.revoked_at, policy: keyPolicySchema.parse(JSON.parse(row.policy)) };
}

export class KeyStore {
  private readonly byHash;
  private readonly byId;
  private readonly dataVersion;
  private cachedVersion = -1;
  private readonly cache = new Map<string, KeyRecord | null>();

  constructor(private readonly db: SqliteDatabase) {
    this.byHash = db.prepare<[string], KeyRow>("SELECT * FROM keys WHERE secret_sha256 = ?");
    this.byId = db.prepare<[string], KeyRow>("SELECT * FROM keys WHERE id = ?");
    // SQLite's data_version changes when another connection (another process's `pedigree keys
    // revoke`, say) commits to the file, and not for this connection's own writes (the exchange log).
    this.dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
  }

  /** Creates a key; the returned secret is not stored anywhere and cannot be shown again. */
  create(name: string, policy: KeyPolicyInput = {}, now = Date.now()): { record: KeyRecord; secret: string } {
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
    this.db
      .prepare("INSERT INTO keys (id, name, secret_sha256, created_at, revoked_at, policy) VALUES (?, ?, ?, ?, NULL, ?)")
      .run(id, name, sha256Hex(secret), now, JSON.stringify(parsed.data));
    this.cache.clear();
    return { record: { id, name, createdAt: now, revokedAt: null, policy: parsed.data }, secret };
  }

  list(): KeyRecord[] {
    return this.db.prepare<[], KeyRow>("SELECT * FROM keys ORDER BY created_at, id").all().map(toRecord);
  }

  get(id: string): KeyRecord | null {
    const row = this.byId.get(id);
    return row ? toRecord(row) : null;
  }

  /** Revokes a key; revoking it again changes nothing and says so (`alreadyRevoked`). */
  revoke(id: string, now = Date.now()): RevokeResult {
    const changes = this.db.prepare("UPDATE keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(now, id).changes;
    this.cache.clear();
    const record = this.get(id);
    if (!record) throw new GatewayError("API_KEY_NOT_FOUND", `no key with id '${id}'; 'pedigree keys list' shows the ids`, { status: 404, type: "not_found_error" });
    return { record, alreadyRevoked: changes === 0 };
  }

  /**
   * The live key whose secret this is, or null (unknown or revoked). Lookups are cached until the
   * database changes: a write through this store clears the cache, and a commit from any other
   * connection (`pedigree keys revoke` in another process) moves SQLite's data_version, checked on
   * every call, so a revocation takes effect on the next request.
   */
  authenticate(secret: string): KeyRecord | null {
    const version = this.dataVersion.get()!;
    if (version !== this.cachedVersion) {
      this.cache.clear();
      this.cachedVersion = version;
    }
    const hash = sha256Hex(secret);
    const cached = this.cache.get(hash);
    if (cached !== undefined) return cached;
    const row = this.byHash.get(hash);
    const record = row && row.revoked_at === null ? toRecord(row) : null;
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(hash, record);
    return record;
  }
}

/** Revoking a revoked key is a conflict (409), so scripts can tell it from a revocation that happened now. */
export function alreadyRevokedError(record: KeyRecord): GatewayError {
  const when = new Date(record.revokedAt ?? 0).toISOString();
  return new GatewayError("API_KEY_ALREADY_REVOKED", `key ${record.id} (${record.name}) was already revoked at ${when}; nothing changed`, { status: 409, type: "invalid_request_error" });
}

function badPolicy(message: string): GatewayError {
  return new GatewayError("API_KEY_BAD_POLICY", message, { status: 400, type: "invalid_request_error" });
}
