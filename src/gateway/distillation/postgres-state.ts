// Replicas on PostgreSQL share the distillation state through the gateway's database (the tables of
// schema version 4); the data directory keeps only this replica's local copies of file contents.
import { join } from "node:path";
import type pg from "pg";
import type { DistillationState } from "./distillation-state.js";
import { PostgresBatches } from "./postgres-batches.js";
import { PostgresCompletions } from "./postgres-completions.js";
import { PostgresFiles } from "./postgres-files.js";

export function postgresState(pool: pg.Pool, root: string, now: () => number): DistillationState {
  return { shared: true, files: new PostgresFiles(pool, join(root, "cache", "files"), now), batches: new PostgresBatches(pool), completions: new PostgresCompletions(pool) };
}
