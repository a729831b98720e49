// API keys in SQLite. Lookups are cached until the database changes: a write through this store
// clears the cache, and a commit from any other connection (`pedigree keys revoke` in another
// process) moves SQLite's data_version, checked on every call, so a revocation takes effect on the
// next request.
import { keyNotFound, newKey, sha256Hex, toRecord, type KeyPolicyInput, type KeyRecord, type KeyRow, type RevokeResult } from "../key-policy.js";
import type { KeyStore } from "../store.js";
import type { SqliteDatabase } from "./database.js";

export class SqliteKeys implements KeyStore {
  private readonly byHash;
  private readonly byId;
  private readonly dataVersion;
  private cachedVersion = -1;
  private readonly cache = new Map<string, KeyRecord | null>();

  constructor(private readonly db: SqliteDatabase) {
    this.byHash = db.prepare<[string], KeyRow>("SELECT * FROM keys WHERE secret_sha256 = ?");
    this.byId = db.prepare<[string], KeyRow>("SELECT * FROM keys WHERE id = ?");
    // data_version changes when another connection commits, not for this connection's own writes.
    this.dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
  }

  async create(name: string, policy: KeyPolicyInput = {}, now = Date.now()): Promise<{ record: KeyRecord; secret: string }> {
    const { record, secret, secretSha256 } = newKey(name, policy, now);
    this.db
      .prepare("INSERT INTO keys (id, name, secret_sha256, created_at, revoked_at, policy) VALUES (?, ?, ?, ?, NULL, ?)")
      .run(record.id, name, secretSha256, now, JSON.stringify(record.policy));
    this.cache.clear();
    return { record, secret };
  }

  async list(): Promise<KeyRecord[]> {
    return this.db.prepare<[], KeyRow>("SELECT * FROM keys ORDER BY created_at, id").all().map(toRecord);
  }

  async get(id: string): Promise<KeyRecord | null> {
    const row = this.byId.get(id);
    return row ? toRecord(row) : null;
  }

  async revoke(id: string, now = Date.now()): Promise<RevokeResult> {
    const changes = this.db.prepare("UPDATE keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(now, id).changes;
    this.cache.clear();
    const record = await this.get(id);
    if (!record) throw keyNotFound(id);
    return { record, alreadyRevoked: changes === 0 };
  }

  async authenticate(secret: string): Promise<KeyRecord | null> {
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
