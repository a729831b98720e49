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

/** What an output file is made of: text, bytes, or chunks of either written in turn (streamed, so a
 * large file such as a log export never has to sit in memory whole). */
export type OutputData = string | Uint8Array | Iterable<string | Uint8Array>;

function chunksOf(data: OutputData): Iterable<string | Uint8Array> {
  return typeof data === "string" || data instanceof Uint8Array ? [data] : data;
}

/** Writes `data` to `path` atomically (temporary file, fsync, rename). A chunk source that throws
 * leaves no file and no temporary file; the error reaches the caller unchanged. */
export function writeOutputFile(path: string, data: OutputData, options: OutputOptions = {}): void {
  assertOutputFree(path, options);
  const file = new TemporaryOutput(path, options);
  // An error of the chunk source (e.g. a database read) is the caller's, not a failed write.
  let sourceFailed = false;
  const pieces = (function* () {
    try {
      yield* chunksOf(data);
    } catch (error) {
      sourceFailed = true;
      throw error;
    }
  })();
  try {
    file.open();
    for (const piece of pieces) file.write(piece);
    file.commit();
  } catch (error) {
    file.fail(error, sourceFailed);
  }
}

/** writeOutputFile for a source that arrives asynchronously (a log export paged from a database
 * server): the same temporary file, fsync, rename and refusal rules. */
export async function writeOutputFileFrom(path: string, data: AsyncIterable<string | Uint8Array>, options: OutputOptions = {}): Promise<void> {
  assertOutputFree(path, options);
  const file = new TemporaryOutput(path, options);
  let sourceFailed = false;
  try {
    file.open();
    const iterator = data[Symbol.asyncIterator]();
    for (;;) {
      let step: IteratorResult<string | Uint8Array>;
      try {
        step = await iterator.next();
      } catch (error) {
        sourceFailed = true;
        throw error;
      }
      if (step.done) break;
      file.write(step.value);
    }
    file.commit();
  } catch (error) {
    file.fail(error, sourceFailed);
  }
}

/** The temporary file beside `path` that both writers fill, then fsync and rename over it. */
class TemporaryOutput {
  private fd: number | undefined;
  private readonly temporary: string;

  constructor(private readonly path: string, private readonly options: OutputOptions) {
    this.temporary = temporaryPathFor(path);
  }

  open(): void {
    this.fd = openSync(this.temporary, "wx", this.options.mode ?? 0o644);
  }

  write(piece: string | Uint8Array): void {
    const chunk = typeof piece === "string" ? Buffer.from(piece, "utf8") : piece;
    let offset = 0;
    while (offset < chunk.byteLength) offset += writeSync(this.fd!, chunk, offset, chunk.byteLength - offset);
  }

  commit(): void {
    fsyncSync(this.fd!);
    closeSync(this.fd!);
    this.fd = undefined;
    // Checked again just before the rename: another process may have created the file meanwhile.
    assertOutputFree(this.path, this.options);
    renameSync(this.temporary, this.path);
  }

  /** Removes the temporary file and throws: the source's own error as it is, a write error as ours. */
  fail(error: unknown, sourceFailed: boolean): never {
    if (this.fd !== undefined) closeSync(this.fd);
    rmSync(this.temporary, { force: true });
    if (FilesError.isInstance(error) || sourceFailed) throw error;
    throw new FilesError("OUTPUT_WRITE_FAILED", `could not write ${this.path}: ${(error as Error).message}`, { cause: error });
  }
}
