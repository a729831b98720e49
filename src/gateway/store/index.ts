// The gateway's storage: one interface (store.ts), SQLite and PostgreSQL behind it, limits in memory,
// Redis or PostgreSQL.
export type { ChainVerifyResult, ExchangeQuery, GatewayStore, KeyStore, KeyUsage, LimitStore, LogReader, LogWriter, RowRef, UsageBucket, UsageBucketQuery, VerifyResult } from "./store.js";
export { alreadyRevokedError, keyPolicySchema, servesWatermarked, sha256Hex, type KeyPolicy, type KeyPolicyInput, type KeyRecord, type RevokeResult } from "./key-policy.js";
export { GENESIS_HASH, LEGACY_CHAIN, rowHash, type ExchangeEntry, type LogEvent, type LogRow } from "./hash-chain.js";
export { defaultReplicaId, openStore, type StorageChoice } from "./open-store.js";
export { databasePath, openDatabase, type Durability, type SqliteDatabase } from "./sqlite/database.js";
export { SqliteStore } from "./sqlite/sqlite-store.js";
export { verifySqliteLog } from "./sqlite/sqlite-log-reader.js";
export { PostgresStore, type PostgresStoreOptions } from "./postgres/postgres-store.js";
export { SCHEMA_VERSION } from "./schema-version.js";
