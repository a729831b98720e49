// Checks one chain row by row (rows in seq order), from its retention anchor to its recorded head.
// Used by both stores and by the check of an exported log, so every reader applies the same rules.
import { rowHash, type ChainPoint, type HashedFields } from "./hash-chain.js";
import type { ChainVerifyResult, VerifyResult } from "./store.js";
import { combinedHead } from "./hash-chain.js";

export class ChainVerifier {
  private expected: number;
  private prev: string;
  private rows = 0;
  private failure: { row: number; reason: string } | null = null;

  /** `anchor`: the last row removed by retention (or the genesis point); `trustFirst`: take the first
   *  row's position and prev_hash as given (an export of a pruned log). */
  constructor(readonly chain: string, anchor: ChainPoint, private trustFirst = false) {
    this.expected = anchor.seq + 1;
    this.prev = anchor.hash;
  }

  get ok(): boolean {
    return this.failure === null;
  }

  /** Feeds the next row; false once the chain has failed (further rows are ignored). */
  push(row: HashedFields & { hash: string }): boolean {
    if (this.failure) return false;
    const fail = (at: number, reason: string) => ((this.failure = { row: at, reason }), false);
    if (this.trustFirst) {
      this.trustFirst = false;
      this.expected = row.seq;
      this.prev = row.prev_hash;
    }
    if (row.seq < this.expected) return fail(row.seq, `row ${row.seq} of chain ${this.chain} lies before the retention anchor (row ${this.expected - 1})`);
    if (row.seq > this.expected) return fail(this.expected, `row ${this.expected} of chain ${this.chain} is missing (the next row is ${row.seq})`);
    if (row.prev_hash !== this.prev) return fail(row.seq, `row ${row.seq} of chain ${this.chain} does not commit to the hash of row ${row.seq - 1}`);
    if (rowHash(row) !== row.hash) return fail(row.seq, `row ${row.seq} of chain ${this.chain} was changed after it was written (its hash does not match its content)`);
    this.rows += 1;
    this.expected += 1;
    this.prev = row.hash;
    return true;
  }

  /** `head`: the head the store recorded (null for an export, whose head is published elsewhere). */
  finish(head: ChainPoint | null): ChainVerifyResult {
    const result = (first_bad_row: number | null, reason: string | null): ChainVerifyResult => ({ chain: this.chain, ok: first_bad_row === null, rows: this.rows, first_bad_row, reason, head: this.prev });
    if (this.failure) return result(this.failure.row, this.failure.reason);
    const last = this.expected - 1;
    if (head && head.seq > last) return result(last + 1, `row ${last + 1} of chain ${this.chain} is missing (the chain's head is row ${head.seq})`);
    if (head && head.seq < last) return result(head.seq + 1, `row ${head.seq + 1} of chain ${this.chain} was added outside the log writer (the head is row ${head.seq})`);
    if (head && head.hash !== this.prev) return result(last, `row ${last} of chain ${this.chain} does not match the recorded head hash`);
    return result(null, null);
  }
}

export function verifyResult(chains: ChainVerifyResult[]): VerifyResult {
  const bad = chains.find((chain) => !chain.ok) ?? null;
  return {
    ok: bad === null,
    rows: chains.reduce((sum, chain) => sum + chain.rows, 0),
    chains,
    first_bad_chain: bad?.chain ?? null,
    first_bad_row: bad?.first_bad_row ?? null,
    reason: bad?.reason ?? null,
    head: combinedHead(chains),
  };
}
