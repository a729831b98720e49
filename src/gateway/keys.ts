// API keys: the secret (`pdg-…`) is shown once and only its SHA-256 is stored. Each key carries a
// policy (allowed models, rates, daily quota, watermark, distillation licence).
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { SqliteDatabase } from "./database.js";
import { GatewayError } from "./errors.js";

export const keyPolicySchema = z.strictObject({
  /** Model names this key may use; null: all served models. */
  models: z.array(z.string().min(1)).nullable().default(null),
  rpm: z.number().int().positive().nullable().default(null),
  tpm: z.number().int().positive().nullable().default(null),
  /** Tokens (prompt + completion) per UTC day. */
  dailyTokens: z.number().int().positive().nullable().default(null),
  watermark: z.boolean().default(true),
  /** Whether outputs served to this key are licensed for distillation (recorded on every exchange). */
  distillation: z.boolean().default(false),
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

function toRecord(row: KeyRow): KeyRecord {
  return { id: row.id, name: row.name, createdAt: row.created_at, revokedAt: row.revoked_at, policy: keyPolicySchema.parse(JSON.parse(row.policy)) };
}

export class KeyStore {
  private readonly byHash;
  private readonly byId;

  private readonly cache = new Map<string, { record: KeyRecord | null; until: number }>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly cacheMs = 1000,
  ) {
    this.byHash = db.prepare<[string], KeyRow>("SELECT * FROM keys WHERE secret_sha256 = ?");
    this.byId = db.prepare<[string], KeyRow>("SELECT * FROM keys WHERE id = ?");
  }

  /** Creates a key; the returned secret is not stored anywhere and cannot be shown again. */
  create(name: string, policy: KeyPolicyInput = {}, now = Date.now()): { record: KeyRecord; secret: string } {
    const parsed = keyPolicySchema.safeParse(policy);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new GatewayError("KEY_BAD_POLICY", `key policy field '${issue.path.join(".")}': ${issue.message}`, { status: 400, type: "invalid_request_error" });
    }
    const secret = `pdg-${randomBytes(24).toString("base64url")}`;
    const id = `key_${randomBytes(8).toString("hex")}`;
    this.db
      .prepare("INSERT INTO keys (id, name, secret_sha256, created_at, revoked_at, policy) VALUES (?, ?, ?, ?, NULL, ?)")
      .run(id, name, sha256Hex(secret), now, JSON.stringify(parsed.data));
    return { record: { id, name, createdAt: now, revokedAt: null, policy: parsed.data }, secret };
  }

  list(): KeyRecord[] {
    return this.db.prepare<[], KeyRow>("SELECT * FROM keys ORDER BY created_at, id").all().map(toRecord);
  }

  get(id: string): KeyRecord | null {
    const row = this.byId.get(id);
    return row ? toRecord(row) : null;
  }

  revoke(id: string, now = Date.now()): KeyRecord {
    const result = this.db.prepare("UPDATE keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(now, id);
    this.cache.clear();
    const record = this.get(id);
    if (!record) throw new GatewayError("KEY_NOT_FOUND", `no key with id '${id}'; 'pedigree keys list' shows the ids`, { status: 404, type: "not_found_error" });
    if (result.changes === 0 && record.revokedAt === null) throw new Error(`could not revoke ${id}`);
    return record;
  }

  /**
   * The live key whose secret this is, or null (unknown or revoked). Lookups are cached for
   * `cacheMs`, so a key revoked from another process (`pedigree keys revoke`) stops working
   * within that time, and at once when revoked through this store.
   */
  authenticate(secret: string, now = Date.now()): KeyRecord | null {
    const hash = sha256Hex(secret);
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.record;
    const row = this.byHash.get(hash);
    const record = row && row.revoked_at === null ? toRecord(row) : null;
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(hash, { record, until: now + this.cacheMs });
    return record;
  }
}
