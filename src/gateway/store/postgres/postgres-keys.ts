// API keys in PostgreSQL, shared by every replica. Every authentication reads the row (a primary-key
// lookup), so a revocation by any replica or by `pedigree keys revoke` holds from the next request.
import type pg from "pg";
import { keyNotFound, newKey, sha256Hex, toRecord, type KeyPolicyInput, type KeyRecord, type KeyRow, type RevokeResult } from "../key-policy.js";
import type { KeyStore } from "../store.js";

export class PostgresKeys implements KeyStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(name: string, policy: KeyPolicyInput = {}, now = Date.now()): Promise<{ record: KeyRecord; secret: string }> {
    const { record, secret, secretSha256 } = newKey(name, policy, now);
    await this.pool.query("INSERT INTO keys (id, name, secret_sha256, created_at, revoked_at, policy) VALUES ($1, $2, $3, $4, NULL, $5)", [record.id, name, secretSha256, now, JSON.stringify(record.policy)]);
    return { record, secret };
  }

  async list(): Promise<KeyRecord[]> {
    return (await this.pool.query<KeyRow>("SELECT * FROM keys ORDER BY created_at, id")).rows.map(toRecord);
  }

  async get(id: string): Promise<KeyRecord | null> {
    const row = (await this.pool.query<KeyRow>("SELECT * FROM keys WHERE id = $1", [id])).rows[0];
    return row ? toRecord(row) : null;
  }

  async revoke(id: string, now = Date.now()): Promise<RevokeResult> {
    const changed = await this.pool.query("UPDATE keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", [now, id]);
    const record = await this.get(id);
    if (!record) throw keyNotFound(id);
    return { record, alreadyRevoked: changed.rowCount === 0 };
  }

  async authenticate(secret: string): Promise<KeyRecord | null> {
    const row = (await this.pool.query<KeyRow>({ name: "pedigree_authenticate", text: "SELECT * FROM keys WHERE secret_sha256 = $1", values: [sha256Hex(secret)] })).rows[0];
    return row && row.revoked_at === null ? toRecord(row) : null;
  }
}
