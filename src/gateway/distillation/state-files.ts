// The distillation state on disk (uploaded files, jobs, batches): JSON documents replaced atomically
// (temporary file, fsync, rename: files/), and append-only JSONL for events, one write per line.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeOutputFile } from "../../files/index.js";

export function ensureDirectory(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  return path;
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeOutputFile(path, JSON.stringify(value, null, 1) + "\n", { force: true, mode: 0o600 });
}

export function readJson<T>(path: string): T | null {
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** Every `*.json` document in a directory, parsed. */
export function readAllJson<T>(directory: string): T[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory).filter((name) => name.endsWith(".json")).map((name) => readJson<T>(join(directory, name))!).filter((value) => value !== null);
}

export function appendJsonLine(path: string, value: unknown): void {
  appendFileSync(path, JSON.stringify(value) + "\n", { mode: 0o600 });
}

/** The complete lines of a JSONL file (a torn last line, from a crash mid-write, is skipped). */
export function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, "utf8").split("\n");
  const rows: T[] = [];
  for (const line of lines) {
    if (line.trim() === "") continue;
    try {
      rows.push(JSON.parse(line) as T);
    } catch {
      // only the last line can be torn; it is dropped
    }
  }
  return rows;
}
