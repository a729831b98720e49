// Writing a user's output file safely: refuse to replace an existing file unless the caller was told
// `--force`, and write to a temporary file in the same directory, fsync it, then rename it into place,
// so a crash never leaves half a file and never destroys the old one.
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { FilesError } from "./errors.js";

export interface OutputOptions {
  /** Replace an existing file (the command's --force). */
  force?: boolean;
  /** File mode of the new file, e.g. 0o600 for secrets. */
  mode?: number;
}

/** Throws OUTPUT_EXISTS unless `force` or the path is free. Call it before any long work starts. */
export function assertOutputFree(path: string, options: OutputOptions = {}): void {
  if (!options.force && existsSync(path)) {
    throw new FilesError("OUTPUT_EXISTS", `${path} already exists; pass --force to replace it, or choose another --out`);
  }
}

let counter = 0;
function temporaryPathFor(path: string): string {
  counter += 1;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
}

/** Writes `chunks` to `path` atomically (temporary file, fsync, rename). */
export function writeOutputFile(path: string, data: string | Uint8Array | readonly Uint8Array[], options: OutputOptions = {}): void {
  assertOutputFree(path, options);
  const temporary = temporaryPathFor(path);
  const chunks = typeof data === "string" ? [Buffer.from(data, "utf8")] : data instanceof Uint8Array ? [data] : data;
  let fd: number | undefined;
  try {
    fd = openSync(temporary, "wx", options.mode ?? 0o644);
    for (const chunk of chunks) {
      let offset = 0;
      while (offset < chunk.byteLength) offset += writeSync(fd, chunk, offset, chunk.byteLength - offset);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    // Checked again just before the rename: another process may have created the file meanwhile.
    assertOutputFree(path, options);
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    if (FilesError.isInstance(error)) throw error;
    throw new FilesError("OUTPUT_WRITE_FAILED", `could not write ${path}: ${(error as Error).message}`, { cause: error });
  }
}
