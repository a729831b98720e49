// Key files: JSON that starts with a magic string and a version (llm.c-style header), holding the
// scheme, its parameters, the tokenizer it was used with and the base64 secret. Written atomically
// with mode 0600; the format is documented in src/watermark/README.md.
import { access, open, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { WatermarkError } from "./errors.js";
import { WatermarkKey } from "./key.js";
import { isScheme, normalizeParams } from "./params.js";
import type { SchemeName } from "./types.js";

export const KEY_FILE_MAGIC = "pedigree-watermark-key";
export const KEY_FILE_VERSION = 1;

interface KeyFileV1 {
  magic: typeof KEY_FILE_MAGIC;
  version: 1;
  scheme: SchemeName;
  params: Record<string, unknown>;
  tokenizer: string | null;
  key_id: string;
  prf: string;
  created: string;
  secret: string;
}

const PRF_NOTE = "HalfSipHash-1-3(HMAC-SHA256(secret, label)[0..8], [context, token]); see src/watermark/README.md";

export function serializeKey(key: WatermarkKey, created = new Date()): string {
  const file: KeyFileV1 = {
    magic: KEY_FILE_MAGIC,
    version: KEY_FILE_VERSION,
    scheme: key.scheme,
    params: { ...key.params },
    tokenizer: key.tokenizer,
    key_id: key.keyId,
    prf: PRF_NOTE,
    created: created.toISOString(),
    secret: Buffer.from(key.exportSecret()).toString("base64"),
  };
  return JSON.stringify(file, null, 2) + "\n";
}

export function parseKey(text: string, source = "key file"): WatermarkKey {
  let data: Partial<KeyFileV1>;
  try {
    data = JSON.parse(text) as Partial<KeyFileV1>;
  } catch (error) {
    throw new WatermarkError("WATERMARK_KEY_BAD_MAGIC", `${source} is not a Pedigree watermark key (not JSON); pass a file written by 'pedigree watermark keygen'`, { cause: error });
  }
  if (data === null || typeof data !== "object" || data.magic !== KEY_FILE_MAGIC) {
    throw new WatermarkError("WATERMARK_KEY_BAD_MAGIC", `${source} is not a Pedigree watermark key (magic missing); pass a file written by 'pedigree watermark keygen'`);
  }
  if (data.version !== KEY_FILE_VERSION) {
    throw new WatermarkError("WATERMARK_KEY_BAD_VERSION", `${source} has key format version ${String(data.version)}, this build reads version ${KEY_FILE_VERSION}; upgrade Pedigree`);
  }
  if (!isScheme(data.scheme) || typeof data.secret !== "string") {
    throw new WatermarkError("WATERMARK_KEY_INVALID", `${source} lacks a valid scheme or secret; generate a new key`);
  }
  const secret = Buffer.from(data.secret, "base64");
  let params;
  try {
    params = normalizeParams(data.scheme, (data.params ?? {}) as never);
  } catch (error) {
    throw new WatermarkError("WATERMARK_KEY_INVALID", `${source} has invalid parameters: ${(error as Error).message}`, { cause: error });
  }
  const key = new WatermarkKey(data.scheme, params, new Uint8Array(secret), typeof data.tokenizer === "string" ? data.tokenizer : null);
  if (data.key_id !== undefined && data.key_id !== key.keyId) {
    throw new WatermarkError("WATERMARK_KEY_INVALID", `${source} is damaged: its key_id does not match its secret; restore it from a backup`);
  }
  return key;
}

let temporaryCounter = 0;

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

function existsError(path: string): WatermarkError {
  return new WatermarkError("WATERMARK_KEY_EXISTS", `${path} already exists; pass --force to replace it (text marked with the old key can then no longer be tested), or choose another --out`);
}

/**
 * Writes the key with mode 0600 to a temporary file beside `path`, fsyncs it and renames it into place,
 * so a crash never leaves half a key. Refuses to replace a file unless `overwrite` is set. (The watermark
 * room imports nothing but stats and the random and errors leaves, so it keeps its own small copy of
 * the files leaf's writer.)
 */
export async function writeKeyFile(path: string, key: WatermarkKey, options: { overwrite?: boolean } = {}): Promise<void> {
  if (!options.overwrite && (await exists(path))) throw existsError(path);
  temporaryCounter += 1;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${temporaryCounter}.tmp`);
  try {
    const file = await open(temporary, "wx", 0o600);
    try {
      await file.writeFile(serializeKey(key));
      await file.chmod(0o600); // exactly 0600 whatever the umask
      await file.sync();
    } finally {
      await file.close();
    }
    // Checked again just before the rename: another process may have created the file meanwhile.
    if (!options.overwrite && (await exists(path))) throw existsError(path);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    if (WatermarkError.isInstance(error)) throw error;
    throw new WatermarkError("WATERMARK_KEY_WRITE_FAILED", `could not write the key file ${path}: ${(error as Error).message}; check that its directory exists and is writable`, { cause: error });
  }
}

export interface ReadKeyFileOptions {
  /** Called when the file is readable by group or others: whoever reads the secret can forge or strip the mark. */
  onWarning?: (message: string) => void;
}

export async function readKeyFile(path: string, options: ReadKeyFileOptions = {}): Promise<WatermarkKey> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new WatermarkError("WATERMARK_KEY_NOT_FOUND", `no key file at ${path}; create one with 'pedigree watermark keygen --out ${path}'`);
    }
    throw new WatermarkError("WATERMARK_KEY_UNREADABLE", `cannot read the key file ${path}: ${(error as Error).message}; pass a key file written by 'pedigree watermark keygen'`, { cause: error });
  }
  const key = parseKey(text, path);
  if (options.onWarning && process.platform !== "win32") {
    const mode = (await stat(path)).mode & 0o777;
    if (mode & 0o077) {
      options.onWarning(`key file ${path} is readable by ${mode & 0o007 ? "others" : "its group"} (mode ${mode.toString(8).padStart(4, "0")}); anyone who reads it can forge or remove the watermark: run 'chmod 600 ${path}'`);
    }
  }
  return key;
}
