// The Files API's `file` object (OpenAI's shape) and the purposes the gateway accepts or writes.
import { randomBytes } from "node:crypto";

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

/** What a state keeps beside the public object. */
export interface StoredFile extends FileObject {
  key_id: string;
  /** Lines (examples or requests) counted at upload. */
  lines: number;
}

export const FILE_ID = /^file-[0-9a-f]+$/;

export const newFileId = () => `file-${randomBytes(12).toString("hex")}`;

export function newFileObject(id: string, keyId: string, purpose: FilePurpose, filename: string, content: string, lines: number, nowMs: number): StoredFile {
  return {
    id, object: "file", bytes: Buffer.byteLength(content), created_at: Math.floor(nowMs / 1000), filename, purpose,
    status: "processed", status_details: null, key_id: keyId, lines,
  };
}

export function publicFile(stored: StoredFile): FileObject {
  const { key_id: _key, lines: _lines, ...file } = stored;
  return file;
}
