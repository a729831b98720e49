// Uploaded files (purpose fine-tune or batch) and the files the gateway writes (batch output and
// errors): the content in `<id>.data`, its OpenAI file object and owner in `<id>.json`, both written
// atomically. A key sees only its own files; deleting removes both.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeOutputFile } from "../../files/index.js";
import { notFound } from "./distillation-errors.js";
import { ensureDirectory, readAllJson, readJson, writeJsonAtomic } from "./state-files.js";

export type FilePurpose = "fine-tune" | "batch" | "batch_output" | "fine-tune-results";

export interface FileObject {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  filename: string;
  purpose: FilePurpose;
  status: "processed";
  status_details: null;
}

interface StoredFile extends FileObject {
  key_id: string;
  /** Lines (examples or requests) counted at upload. */
  lines: number;
}

export class FileStore {
  private readonly directory: string;

  constructor(root: string, private readonly now: () => number) {
    this.directory = ensureDirectory(join(root, "files"));
  }

  create(keyId: string, purpose: FilePurpose, filename: string, content: string, lines: number): FileObject {
    const id = `file-${randomBytes(12).toString("hex")}`;
    const stored: StoredFile = {
      id, object: "file", bytes: Buffer.byteLength(content), created_at: Math.floor(this.now() / 1000), filename, purpose,
      status: "processed", status_details: null, key_id: keyId, lines,
    };
    writeOutputFile(this.contentPath(id), content, { mode: 0o600 });
    writeJsonAtomic(this.metaPath(id), stored);
    return publicFile(stored);
  }

  /** The key's file, or 404 (another key's file does not exist for it). */
  get(keyId: string | null, id: string, param: string | null = null): FileObject & { lines: number } {
    const stored = /^file-[0-9a-f]+$/.test(id) ? readJson<StoredFile>(this.metaPath(id)) : null;
    if (!stored || (keyId !== null && stored.key_id !== keyId) || !existsSync(this.contentPath(id))) throw notFound("file", id, param);
    return { ...publicFile(stored), lines: stored.lines };
  }

  list(keyId: string, purpose?: string): FileObject[] {
    return readAllJson<StoredFile>(this.directory)
      .filter((file) => file.key_id === keyId && (purpose === undefined || file.purpose === purpose))
      .sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : -1))
      .map(publicFile);
  }

  content(keyId: string | null, id: string): string {
    this.get(keyId, id);
    return readFileSync(this.contentPath(id), "utf8");
  }

  contentPath(id: string): string {
    return join(this.directory, `${id}.data`);
  }

  delete(keyId: string, id: string): { id: string; object: "file"; deleted: true } {
    this.get(keyId, id);
    rmSync(this.metaPath(id), { force: true });
    rmSync(this.contentPath(id), { force: true });
    return { id, object: "file", deleted: true };
  }

  private metaPath(id: string): string {
    return join(this.directory, `${id}.json`);
  }
}

function publicFile(stored: StoredFile): FileObject {
  const { key_id: _key, lines: _lines, ...file } = stored;
  return file;
}
