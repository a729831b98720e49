// Uploaded files (purpose fine-tune or batch) and the files the gateway writes (batch output and
// errors) in the data directory: the content in `files/<id>.data`, its OpenAI file object and owner
// in `files/<id>.json`, both written atomically. A key sees only its own files; deleting removes both.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeOutputFile } from "../../files/index.js";
import { notFound } from "./distillation-errors.js";
import type { FileState } from "./distillation-state.js";
import { FILE_ID, newFileId, newFileObject, publicFile, type FileObject, type FilePurpose, type StoredFile } from "./file-types.js";
import { ensureDirectory, readAllJson, readJson, writeJsonAtomic } from "./state-files.js";

export class DirectoryFiles implements FileState {
  private readonly directory: string;

  constructor(root: string, private readonly now: () => number) {
    this.directory = ensureDirectory(join(root, "files"));
  }

  async create(keyId: string, purpose: FilePurpose, filename: string, content: string, lines: number): Promise<FileObject> {
    const stored = newFileObject(newFileId(), keyId, purpose, filename, content, lines, this.now());
    writeOutputFile(this.contentPath(stored.id), content, { mode: 0o600 });
    writeJsonAtomic(this.metaPath(stored.id), stored);
    return publicFile(stored);
  }

  async get(keyId: string | null, id: string, param: string | null = null): Promise<FileObject & { lines: number }> {
    return this.read(keyId, id, param);
  }

  async list(keyId: string, purpose?: string): Promise<FileObject[]> {
    return readAllJson<StoredFile>(this.directory)
      .filter((file) => file.key_id === keyId && (purpose === undefined || file.purpose === purpose))
      .sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : -1))
      .map(publicFile);
  }

  async content(keyId: string | null, id: string): Promise<string> {
    this.read(keyId, id);
    return readFileSync(this.contentPath(id), "utf8");
  }

  async localPath(id: string): Promise<string | null> {
    return FILE_ID.test(id) && existsSync(this.contentPath(id)) ? this.contentPath(id) : null;
  }

  async delete(keyId: string, id: string): Promise<{ id: string; object: "file"; deleted: true }> {
    this.read(keyId, id);
    rmSync(this.metaPath(id), { force: true });
    rmSync(this.contentPath(id), { force: true });
    return { id, object: "file", deleted: true };
  }

  private read(keyId: string | null, id: string, param: string | null = null): FileObject & { lines: number } {
    const stored = FILE_ID.test(id) ? readJson<StoredFile>(this.metaPath(id)) : null;
    if (!stored || (keyId !== null && stored.key_id !== keyId) || !existsSync(this.contentPath(id))) throw notFound("file", id, param);
    return { ...publicFile(stored), lines: stored.lines };
  }

  private contentPath(id: string): string {
    return join(this.directory, `${id}.data`);
  }

  private metaPath(id: string): string {
    return join(this.directory, `${id}.json`);
  }
}
