// A robust JSONL reader. A last line without its newline that does not parse is what a crash in the
// middle of a write leaves behind: it is reported and ignored (and `validBytes` says where the good
// part ends, so a writer can cut it off before appending). Any other bad line is an error that names
// the file and the line number.
import { readFile } from "node:fs/promises";
import type { ZodType } from "zod";
import { DistillError } from "./errors.js";

export interface TruncatedTail {
  /** 1-based line number of the partial line. */
  line: number;
  /** Byte offset where the partial line starts (= where the complete lines end). */
  byteOffset: number;
  bytes: number;
  message: string;
}

export interface JsonlReadResult<T> {
  rows: T[];
  /** The 1-based line number of each row (blank lines are skipped). */
  lineNumbers: number[];
  /** Bytes of complete, valid lines (the file length unless the tail is truncated). */
  validBytes: number;
  truncatedTail: TruncatedTail | null;
  /** The last line is complete JSON but has no newline after it (append one before more rows). */
  missingFinalNewline: boolean;
}

const newline = 0x0a;

export function parseJsonl<T>(bytes: Buffer, schema: ZodType<T>, source: string): JsonlReadResult<T> {
  const result: JsonlReadResult<T> = { rows: [], lineNumbers: [], validBytes: bytes.length, truncatedTail: null, missingFinalNewline: false };
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let line = 1; start < bytes.length; line++) {
    const end = bytes.indexOf(newline, start);
    const last = end < 0;
    const text = bytes.toString("utf8", start, last ? bytes.length : end).replace(/\r$/, "");
    if (text.trim() !== "") {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        if (last) {
          result.truncatedTail = truncatedTail(source, line, start, bytes.length - start);
          result.validBytes = start;
          return result;
        }
        throw malformed(source, line, `not valid JSON (${(error as Error).message})`);
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const where = issue.path.length ? `field '${issue.path.join(".")}': ` : "";
        throw malformed(source, line, `${where}${issue.message}`);
      }
      result.rows.push(parsed.data);
      result.lineNumbers.push(line);
      if (last) result.missingFinalNewline = true;
    }
    if (last) break;
    start = end + 1;
  }
  return result;
}

export async function readJsonl<T>(path: string, schema: ZodType<T>, options: { allowMissing?: boolean } = {}): Promise<JsonlReadResult<T>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      if (options.allowMissing) return { rows: [], lineNumbers: [], validBytes: 0, truncatedTail: null, missingFinalNewline: false };
      throw new DistillError("DATA_NOT_FOUND", `no such data file: ${path}`, { cause: error });
    }
    throw new DistillError("DATA_NOT_FOUND", `cannot read data file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseJsonl(bytes, schema, path);
}

function truncatedTail(source: string, line: number, byteOffset: number, bytes: number): TruncatedTail {
  return {
    line,
    byteOffset,
    bytes,
    message: `${source}: line ${line} is incomplete (${bytes} bytes with no newline, as a crash in the middle of a write leaves); it is ignored`,
  };
}

function malformed(source: string, line: number, detail: string): DistillError {
  return new DistillError("DATA_MALFORMED_LINE", `${source}: line ${line} is malformed: ${detail}; fix or delete that line`);
}
