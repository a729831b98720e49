// Replicas on PostgreSQL share the distillation state through the gateway's database (the tables of
// schema version 4); the data directory keeps only this replica's working copies (file contents, a
// job's checkpoint and GGUF) for the training worker and the model loader.
import { join } from "node:path";
import type pg from "pg";
import type { DistillationState } from "./distillation-state.js";
import { PostgresBatches } from "./postgres-batches.js";
import { PostgresCompletions } from "./postgres-completions.js";
import { PostgresFiles } from "./postgres-files.js";
import { PostgresJobs } from "./postgres-jobs.js";

export function postgresState(pool: pg.Pool, root: string, now: () => number): DistillationState {
  return {
    shared: true, files: new PostgresFiles(pool, join(root, "cache", "files"), now), batches: new PostgresBatches(pool), completions: new PostgresCompletions(pool),
    jobs: new PostgresJobs(pool, root, now),
  };
}
