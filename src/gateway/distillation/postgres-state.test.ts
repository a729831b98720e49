// The PostgreSQL state runs the shared distillation-state suite on a database of its own per test; a
// reopened state is another replica (its own pool and its own local cache) on the same database. And
// a replica's directory state from before is imported once.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { PostgresStore } from "../store/postgres/postgres-store.js";
import { describeWithServices, scratchDatabase } from "../test-support/services.js";
import type { StoredBatch } from "./batch-types.js";
import { directoryState } from "./directory-state.js";
import { importDirectoryState } from "./import-directory-state.js";
import { runDistillationStateSuite } from "./distillation-state.case.js";
import { postgresState } from "./postgres-state.js";

await describeWithServices("PostgreSQL distillation state", () => {
  runDistillationStateSuite("PostgreSQL", async () => {
    const database = await scratchDatabase();
    const root = mkdtempSync(join(tmpdir(), "pedigree-distillation-pg-"));
    let now = 1_700_000_000_000;
    const clock = () => (now += 1000);
    const stores: PostgresStore[] = [];
    const replica = async () => {
      const store = await PostgresStore.open({ postgres: database.url, poolSize: 3 });
      stores.push(store);
      return postgresState(store.pool, join(root, String(stores.length)), clock);
    };
    return {
      state: await replica(),
      reopen: replica,
      leases: true,
      async close() {
        for (const store of stores) await store.close().catch(() => undefined);
        await database.drop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  });
});

await describeWithServices("PostgreSQL distillation state: a replica's directory imported", () => {
  it("copies files, batches with their answers, stored completions and jobs with their weights, once", async () => {
    const database = await scratchDatabase();
    const root = mkdtempSync(join(tmpdir(), "pedigree-distillation-import-"));
    const store = await PostgresStore.open({ postgres: database.url, poolSize: 2 });
    try {
      const before = directoryState(join(root, "old"), () => 1_700_000_000_000);
      const file = await before.files.create("key_a", "batch", "batch.jsonl", "{}\n", 1);
      const batchId = before.batches.newId();
      const batch: StoredBatch = {
        id: batchId, object: "batch", endpoint: "/v1/chat/completions", errors: null, input_file_id: file.id, completion_window: "24h", status: "in_progress", output_file_id: null,
        error_file_id: null, created_at: 1, in_progress_at: 1, expires_at: 86_401, finalizing_at: null, completed_at: null, failed_at: null, expired_at: null, cancelling_at: null,
        cancelled_at: null, request_counts: { total: 2, completed: 1, failed: 0 }, metadata: null, key_id: "key_a",
      };
      await before.batches.save(batch);
      await before.batches.append(batchId, "output", { id: "r1", custom_id: "a", response: { status_code: 200, request_id: "r1", body: {} }, error: null });
      await before.completions.add({ id: "chatcmpl-1", exchange_chain: "replica-a", exchange_id: 3, key_id: "key_a", model: "echo", created: 1, metadata: {}, finish_reason: "stop", usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
      const jobs = before.jobs;
      const jobId = jobs.newId();
      const hyperparameters = { n_epochs: 1, batch_size: 1, learning_rate_multiplier: 1 };
      await jobs.save({
        id: jobId, object: "fine_tuning.job", created_at: 1, finished_at: null, model: "tiny", fine_tuned_model: null, organization_id: "key_a", status: "running", training_file: file.id,
        validation_file: null, hyperparameters, method: { type: "supervised", supervised: { hyperparameters } }, result_files: [], trained_tokens: null, error: null, seed: 0, suffix: null,
        user_provided_suffix: null, estimated_finish: null, integrations: null, metadata: null, key_id: "key_a",
        plan: { student: "tiny", teacher: null, teacherName: null, steps: 10, batchSize: 1, sequenceLength: 32, lr: 3e-3, checkpointEvery: 2 }, checkpoint_step: 4, download_approved: false,
      });
      await jobs.addEvent(jobId, "Created");
      writeFileSync(jobs.checkpointPath(jobId), "PDGCKPT step 4");

      expect(await importDirectoryState(join(root, "old"), store.pool, 1_700_000_000_000)).toEqual({ files: 1, batches: 1, stored_completions: 1, jobs: 1 });
      expect(await importDirectoryState(join(root, "old"), store.pool, 1_700_000_000_000)).toBeNull();
      const after = postgresState(store.pool, join(root, "new"), Date.now);
      expect(await after.files.get("key_a", file.id)).toEqual({ ...file, lines: 1 });
      expect(await after.files.content("key_a", file.id)).toBe("{}\n");
      expect(await after.batches.get("key_a", batchId)).toMatchObject({ status: "in_progress", request_counts: { completed: 1 } });
      expect((await after.batches.results(batchId, "output")).map((line) => line.custom_id)).toEqual(["a"]);
      expect((await after.completions.list("key_a")).map((entry) => entry.id)).toEqual(["chatcmpl-1"]);
      expect((await after.jobs.events(jobId)).map((event) => event.message)).toEqual(["Created"]);
      // Left running on that replica: any replica claims it and resumes from the imported checkpoint.
      expect(await after.jobs.claim("replica-b", 60_000)).toMatchObject({ id: jobId, checkpoint_step: 4 });
      await after.jobs.restoreCheckpoint(jobId);
      expect(readFileSync(after.jobs.checkpointPath(jobId), "utf8")).toBe("PDGCKPT step 4");
    } finally {
      await store.close();
      await database.drop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
