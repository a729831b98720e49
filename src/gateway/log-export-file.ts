// `pedigree log export --out FILE`: the log can be larger than memory, so rows stream into a temporary
// file beside FILE, which is fsynced and renamed into place only when complete. A crash leaves the old
// FILE (or none), never half an export; an existing FILE is refused unless `force`.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { assertOutputFree, FilesError } from "../files/index.js";
import type { SqliteDatabase } from "./database.js";
import { iterateLog } from "./log-store.js";

/** Writes every exchange as one JSON line; returns the number of rows. The file is owner-only (0600). */
export function exportLogToFile(db: SqliteDatabase, path: string, options: { force?: boolean } = {}): number {
  assertOutputFree(path, options);
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, "wx", 0o600);
    let rows = 0;
    for (const row of iterateLog(db)) {
      writeSync(fd, JSON.stringify(row) + "\n");
      rows += 1;
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    // Checked again: another process may have created the file during a long export.
    assertOutputFree(path, options);
    renameSync(temporary, path);
    return rows;
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    if (FilesError.isInstance(error)) throw error;
    throw new FilesError("OUTPUT_WRITE_FAILED", `could not write ${path}: ${(error as Error).message}`, { cause: error });
  }
}
