// The gateway's storage interface: keys, rate-limit counters and the hash-chained log. SQLite (one
// server, zero set-up) and PostgreSQL (replicas) implement it; store.case.ts is the suite both run.
// Every method returns a Promise so PostgreSQL fits; the SQLite store does its work synchronously
// inside and resolves at once.
import type { KeyPolicyInput, KeyRecord, RevokeResult } from "./key-policy.js";
import type { ExchangeEntry, LogEvent } from "./hash-chain.js";

export interface KeyStore {
  /** Creates a key; the returned secret is not stored anywhere and cannot be shown again. */
  create(name: string, policy?: KeyPolicyInput, now?: number): Promise<{ record: KeyRecord; secret: string }>;
  list(): Promise<KeyRecord[]>;
  get(id: string): Promise<KeyRecord | null>;
  /** Revoking again changes nothing and says so (`alreadyRevoked`). */
  revoke(id: string, now?: number): Promise<RevokeResult>;
  /** The live key whose secret this is, or null (unknown or revoked); a revocation made anywhere
   *  takes effect on the next request. */
  authenticate(secret: string): Promise<KeyRecord | null>;
}

/** One replica's writer: appends to its own chain; a promise resolves only after the row is committed. */
export interface AppendOptions {
  /** A reply is sent as soon as this row is committed, and nothing of it waits to be written first
   *  (not so for a stream, whose earlier chunks would wait behind the commit). With nothing else in
   *  flight, the SQLite writer then commits at the end of the current run instead of a loop turn
   *  later. */
  replyWaits?: boolean;
}

export interface LogWriter {
  readonly chain: string;
  /** Resolves with the row's position in this chain (1, 2, …) once committed. */
  append(entry: ExchangeEntry, options?: AppendOptions): Promise<number>;
  /** An event row (monitor action, fine-tuning job, …), chained and verified like an exchange. */
  appendEvent(event: LogEvent): Promise<number>;
  /** Rows committed by this writer since it opened. */
  readonly committed: number;
  /** Commits what is queued, then refuses new rows. */
  close(): Promise<void>;
}

export interface ChainVerifyResult {
  chain: string;
  ok: boolean;
  rows: number;
  /** Position (seq) in this chain of the first row that is edited, missing, out of place or
   *  unexpected; null when ok. */
  first_bad_row: number | null;
  reason: string | null;
  /** Hash of the chain's newest row. */
  head: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Rows in every chain. */
  rows: number;
  chains: ChainVerifyResult[];
  /** The first failing chain's bad row and reason (null when all verify). */
  first_bad_chain: string | null;
  first_bad_row: number | null;
  reason: string | null;
  /** One chain: its head hash; several: SHA-256 of their sorted `chain:head` lines. Publish it
   *  elsewhere to pin the whole history. */
  head: string;
}

export interface ExchangeQuery {
  keyId?: string;
  /** Only rows of this kind (a key's holder sees its exchanges, not the events about it). */
  kind?: "exchange" | "event";
  /** Rows with a larger global id (`id` in the row). */
  afterId?: number;
  /**
   * Paging in commit order instead: "" from the start, else a row's `cursor`; rows then carry their
   * own `cursor`. With several replicas, ids are handed out before commit, so a row with a smaller id
   * can commit after a larger one and a reader paging by id would skip it; a cursor never does.
   */
  cursor?: string;
  limit?: number;
}

export interface KeyUsage {
  key_id: string | null;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Where a row sits in the log: its chain (the replica that wrote it) and its position there. */
export interface RowRef {
  chain: string;
  seq: number;
}

/** Exchanges (never event rows) of one key in one time bucket; `slot` counts buckets from `sinceMs`. */
export interface UsageBucket {
  key_id: string | null;
  slot: number;
  requests: number;
  denied: number;
  total_tokens: number;
}

export interface UsageBucketQuery {
  sinceMs: number;
  /** Exclusive. */
  untilMs: number;
  bucketMs: number;
}

export interface LogReader {
  verify(): Promise<VerifyResult>;
  /**
   * Deletes rows older than `cutoffMs` from the front of each chain (the chain keeps an anchor), in
   * short transactions of at most `batch` rows (default 5,000), so appends never wait long.
   */
  prune(cutoffMs: number, batch?: number): Promise<number>;
  /** Rows as JSON objects (request parsed back), by global id. */
  query(query?: ExchangeQuery): Promise<Record<string, unknown>[]>;
  /** One row (as `query` shows it) by its place in a chain, or null when there is none (pruned). */
  row(ref: RowRef): Promise<Record<string, unknown> | null>;
  usage(sinceMs: number, keyId?: string): Promise<KeyUsage[]>;
  /** Usage per key over time buckets in [sinceMs, untilMs), sparse (buckets without exchanges are
   *  absent), ordered by key and slot. */
  usageBuckets(query: UsageBucketQuery): Promise<UsageBucket[]>;
  /** Tokens a key used since `sinceMs`, from the log (seeds daily quotas). */
  tokensSince(keyId: string, sinceMs: number): Promise<number>;
  /** Every row of every chain merged by time, for `pedigree log export`. */
  iterate(): AsyncIterable<Record<string, unknown>>;
}

/** Per-key limits (rpm, tpm, daily tokens), shared by every replica that uses the same store. */
export interface LimitStore {
  /** Throws a 429 GatewayError when the key is over a limit; otherwise counts the request. */
  admit(key: KeyRecord, now: number): Promise<void>;
  /** Counts tokens once an exchange has finished. */
  record(key: KeyRecord, now: number, tokens: number): Promise<void>;
  close(): Promise<void>;
}

export interface WriterOptions {
  /** Whether other work is in flight that could join an append's group commit (see AppendOptions;
   *  the PostgreSQL writer, which waits on an fsync, ignores both). Default: always. */
  othersInFlight?: () => boolean;
}

export interface GatewayStore {
  readonly kind: "sqlite" | "postgres";
  readonly keys: KeyStore;
  readonly reader: LogReader;
  readonly limits: LimitStore;
  /** The writer for `chain` (the replica id); one per process and chain. */
  openWriter(chain: string, options?: WriterOptions): Promise<LogWriter>;
  close(): Promise<void>;
}
