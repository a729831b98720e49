// Appends rows to a JSONL file (harvest rows, audit transcripts) so that a crash loses no completed row: one write() per row (a row is
// either wholly in the file or is a partial last line that the reader ignores), and fsync every few
// rows or seconds so rows survive a power cut too, not only a killed process.
import { closeSync, fsyncSync, openSync, truncateSync, writeSync } from "node:fs";

export interface AppendOptions {
  /** fsync after this many rows (default 32). */
  fsyncEveryRows?: number;
  /** …or when this long has passed since the last fsync (default 1000 ms). */
  fsyncEveryMs?: number;
  now?: () => number;
}

export class JsonlAppender {
  private rowsSinceSync = 0;
  private lastSync: number;
  private closed = false;
  rowsWritten = 0;

  private constructor(private readonly fd: number, private readonly options: Required<AppendOptions>) {
    this.lastSync = options.now();
  }

  /** Opens `path` for appending; `validBytes` (from the reader) cuts off a truncated last line first. */
  static open(path: string, options: AppendOptions & { validBytes?: number; missingFinalNewline?: boolean } = {}): JsonlAppender {
    if (options.validBytes !== undefined) {
      try {
        truncateSync(path, options.validBytes);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
    const fd = openSync(path, "a");
    if (options.missingFinalNewline) writeSync(fd, "\n");
    return new JsonlAppender(fd, {
      fsyncEveryRows: options.fsyncEveryRows ?? 32,
      fsyncEveryMs: options.fsyncEveryMs ?? 1000,
      now: options.now ?? Date.now,
    });
  }

  append(row: unknown): void {
    const bytes = Buffer.from(JSON.stringify(row) + "\n", "utf8");
    let offset = 0;
    // One write normally; the loop only guards against a short write.
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
    this.rowsWritten++;
    this.rowsSinceSync++;
    if (this.rowsSinceSync >= this.options.fsyncEveryRows || this.options.now() - this.lastSync >= this.options.fsyncEveryMs) this.sync();
  }

  sync(): void {
    fsyncSync(this.fd);
    this.rowsSinceSync = 0;
    this.lastSync = this.options.now();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.sync();
    } finally {
      closeSync(this.fd);
    }
  }
}

/** Writes a whole JSONL file (curate and export outputs). */
export function jsonlText(rows: Iterable<unknown>): string {
  let text = "";
  for (const row of rows) text += JSON.stringify(row) + "\n";
  return text;
}
