// Uploaded and written files in PostgreSQL (distillation_files): the content as bytea beside its file
// object, so a file uploaded through one replica is listed, read and deleted through any other. The
// training worker reads a file from disk: localPath copies the content into this replica's cache.
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { writeOutputFile } from "../../files/index.js";
import { notFound } from "./distillation-errors.js";
import type { FileState } from "./distillation-state.js";
import { FILE_ID, newFileId, newFileObject, publicFile, type FileObject, type FilePurpose } from "./file-types.js";
import { ensureDirectory } from "./state-files.js";

interface FileRow {
  key_id: string;
  lines: number;
  object: string;
}

export class PostgresFiles implements FileState {
  constructor(private readonly pool: pg.Pool, private readonly cacheDirectory: string, private readonly now: () => number) {}

  async create(keyId: string, purpose: FilePurpose, filename: string, content: string, lines: number): Promise<FileObject> {
    const stored = newFileObject(newFileId(), keyId, purpose, filename, content, lines, this.now());
    const file = publicFile(stored);
    await this.pool.query("INSERT INTO distillation_files (id, key_id, purpose, created_at, lines, object, content) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
      file.id, keyId, purpose, file.created_at, lines, JSON.stringify(file), Buffer.from(content),
    ]);
    return file;
  }

  async get(keyId: string | null, id: string, param: string | null = null): Promise<FileObject & { lines: number }> {
    const row = FILE_ID.test(id) ? (await this.pool.query<FileRow>("SELECT key_id, lines, object FROM distillation_files WHERE id = $1", [id])).rows[0] : undefined;
    if (!row || (keyId !== null && row.key_id !== keyId)) throw notFound("file", id, param);
    return { ...(JSON.parse(row.object) as FileObject), lines: row.lines };
  }

  async list(keyId: string, purpose?: string): Promise<FileObject[]> {
    const { rows } = await this.pool.query<FileRow>(
      "SELECT object FROM distillation_files WHERE key_id = $1 AND ($2::text IS NULL OR purpose = $2) ORDER BY created_at DESC, id DESC", [keyId, purpose ?? null]);
    return rows.map((row) => JSON.parse(row.object) as FileObject);
  }

  async content(keyId: string | null, id: string): Promise<string> {
    const row = FILE_ID.test(id) ? (await this.pool.query<{ key_id: string; content: Buffer }>("SELECT key_id, content FROM distillation_files WHERE id = $1", [id])).rows[0] : undefined;
    if (!row || (keyId !== null && row.key_id !== keyId)) throw notFound("file", id);
    return row.content.toString("utf8");
  }

  async localPath(id: string): Promise<string | null> {
    if (!FILE_ID.test(id)) return null;
    const content = await this.content(null, id).catch(() => null);
    const path = join(ensureDirectory(this.cacheDirectory), `${id}.data`);
    // A deleted file leaves no copy here; an uploaded file's content never changes, so a copy is it.
    if (content === null) {
      rmSync(path, { force: true });
      return null;
    }
    if (!existsSync(path)) writeOutputFile(path, content, { force: true, mode: 0o600 });
    return path;
  }

  async delete(keyId: string, id: string): Promise<{ id: string; object: "file"; deleted: true }> {
    const deleted = FILE_ID.test(id) ? (await this.pool.query("DELETE FROM distillation_files WHERE id = $1 AND key_id = $2", [id, keyId])).rowCount : 0;
    if (!deleted) throw notFound("file", id);
    rmSync(join(this.cacheDirectory, `${id}.data`), { force: true });
    return { id, object: "file", deleted: true };
  }
}
