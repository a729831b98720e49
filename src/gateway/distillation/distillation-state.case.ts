// The one suite every DistillationState runs (STYLE.md: one suite per interface): files, batches
// with their answers and claims, and the stored-completion index, each read back through a second
// state on the same data (another replica, or the same server restarted).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StoredBatch } from "./batch-types.js";
import type { DistillationState } from "./distillation-state.js";
import type { StoredJob } from "./job-types.js";
import type { StoredCompletion } from "./stored-completion-types.js";

export interface DistillationStateFixture {
  state: DistillationState;
  /** Another state on the same data: another replica's, or this server's after a restart. */
  reopen(): Promise<DistillationState>;
  /** Whether claims are leases other replicas respect (false: one server owns the data). */
  leases: boolean;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function batch(id: string, keyId: string, createdAt: number, status: StoredBatch["status"] = "validating"): StoredBatch {
  return {
    id, object: "batch", endpoint: "/v1/chat/completions", errors: null, input_file_id: "file-00", completion_window: "24h", status,
    output_file_id: null, error_file_id: null, created_at: createdAt, in_progress_at: null, expires_at: createdAt + 86_400, finalizing_at: null,
    completed_at: null, failed_at: null, expired_at: null, cancelling_at: null, cancelled_at: null,
    request_counts: { total: 3, completed: 0, failed: 0 }, metadata: { run: "1" }, key_id: keyId,
  };
}

const answer = (customId: string) => ({ id: `batch_req_${customId}`, custom_id: customId, response: { status_code: 200, request_id: `batch_req_${customId}`, body: { text: customId } }, error: null });

function completion(id: string, keyId: string, seq: number): StoredCompletion {
  return {
    id, exchange_chain: "replica-a", exchange_id: seq, key_id: keyId, model: "echo", created: 1_700_000_000 + seq, metadata: { topic: "geo" },
    finish_reason: "stop", usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
  };
}

function job(id: string, keyId: string, createdAt: number, status: StoredJob["status"] = "queued"): StoredJob {
  const hyperparameters = { n_epochs: 3, batch_size: 1, learning_rate_multiplier: 1 };
  return {
    id, object: "fine_tuning.job", created_at: createdAt, finished_at: null, model: "tiny", fine_tuned_model: null, organization_id: keyId, status,
    training_file: "file-00", validation_file: null, hyperparameters, method: { type: "supervised", supervised: { hyperparameters } }, result_files: [],
    trained_tokens: null, error: null, seed: 0, suffix: null, user_provided_suffix: null, estimated_finish: null, integrations: null, metadata: null,
    key_id: keyId, plan: { student: "tiny", teacher: null, teacherName: null, steps: 10, batchSize: 1, sequenceLength: 32, lr: 3e-3, checkpointEvery: 2 },
    checkpoint_step: 0, download_approved: false,
  };
}

function writeBytes(path: string, bytes: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

export function runDistillationStateSuite(name: string, open: () => Promise<DistillationStateFixture>): void {
  let fixture: DistillationStateFixture;
  beforeEach(async () => void (fixture = await open()));
  afterEach(() => fixture.close());

  describe(`${name}: files`, () => {
    it("stores a file for its key: get, list newest first by purpose, content, a local copy, delete", async () => {
      const { files } = fixture.state;
      const text = '{"a":1}\n{"a":2}\n';
      const first = await files.create("key_a", "fine-tune", "train.jsonl", text, 2);
      const second = await files.create("key_a", "batch", "batch.jsonl", "{}\n", 1);
      await files.create("key_b", "batch", "theirs.jsonl", "{}\n", 1);
      expect(first).toEqual({ id: expect.stringMatching(/^file-[0-9a-f]+$/), object: "file", bytes: Buffer.byteLength(text), created_at: expect.any(Number), filename: "train.jsonl", purpose: "fine-tune", status: "processed", status_details: null });
      const other = await fixture.reopen();
      expect(await other.files.get("key_a", first.id)).toEqual({ ...first, lines: 2 });
      expect(await other.files.get(null, first.id)).toEqual({ ...first, lines: 2 });
      await expect(other.files.get("key_b", first.id, "training_file")).rejects.toMatchObject({ code: "NOT_FOUND", param: "training_file" });
      await expect(other.files.get("key_a", "file-0000")).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(other.files.get("key_a", "../etc/passwd")).rejects.toMatchObject({ code: "NOT_FOUND" });
      const ids = (await other.files.list("key_a")).map((file) => file.id);
      expect(new Set(ids)).toEqual(new Set([first.id, second.id]));
      expect((await other.files.list("key_a", "batch")).map((file) => file.id)).toEqual([second.id]);
      expect(await other.files.content("key_a", first.id)).toBe(text);
      await expect(other.files.content("key_b", first.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
      const path = await other.files.localPath(first.id);
      expect(readFileSync(path!, "utf8")).toBe(text);
      await expect(other.files.delete("key_b", first.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await other.files.delete("key_a", first.id)).toEqual({ id: first.id, object: "file", deleted: true });
      await expect(fixture.state.files.get("key_a", first.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await fixture.state.files.localPath(first.id)).toBeNull();
      expect(existsSync(path!)).toBe(false);
    });

    it("keeps a 1 MiB file byte for byte, UTF-8 included", async () => {
      const text = `${"é".repeat(512 * 1024)}\n`;
      const file = await fixture.state.files.create("key_a", "batch", "big.jsonl", text, 1);
      expect(file.bytes).toBe(1024 * 1024 + 1);
      expect(await (await fixture.reopen()).files.content("key_a", file.id)).toBe(text);
    });
  });

  describe(`${name}: batches`, () => {
    it("saves, gets and lists a key's batches oldest first; another key sees none", async () => {
      const { batches } = fixture.state;
      const [a, b] = [batch(batches.newId(), "key_a", 100), batch(batches.newId(), "key_a", 200)];
      await batches.save(b);
      await batches.save(a);
      await batches.save(batch(batches.newId(), "key_b", 50));
      const other = await fixture.reopen();
      expect((await other.batches.list("key_a")).map((x) => x.id)).toEqual([a.id, b.id]);
      expect(await other.batches.get("key_a", a.id)).toEqual(a);
      await expect(other.batches.get("key_b", a.id)).rejects.toMatchObject({ code: "NOT_FOUND", param: "batch_id" });
      await batches.save({ ...a, status: "in_progress", request_counts: { total: 3, completed: 1, failed: 0 } });
      expect(await other.batches.get(null, a.id)).toMatchObject({ status: "in_progress", request_counts: { completed: 1 } });
    });

    it("records each request's answer once, in order, and a cancel is never undone by a runner's save", async () => {
      const { batches } = fixture.state;
      const running = { ...batch(batches.newId(), "key_a", 100), status: "in_progress" as const };
      await batches.save(running);
      await batches.append(running.id, "output", answer("a"));
      await batches.append(running.id, "errors", answer("b"));
      await batches.append(running.id, "output", answer("c"));
      await (await fixture.reopen()).batches.append(running.id, "output", answer("a"));
      expect((await batches.results(running.id, "output")).map((line) => line.custom_id)).toEqual(["a", "c"]);
      expect(await batches.results(running.id, "errors")).toEqual([answer("b")]);
      const other = await fixture.reopen();
      expect(await other.batches.requestCancel("key_a", running.id, 150)).toMatchObject({ status: "cancelling", cancelling_at: 150 });
      await expect(other.batches.requestCancel("key_b", running.id, 150)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await batches.save({ ...running, request_counts: { total: 3, completed: 2, failed: 1 } });
      expect(await other.batches.get(null, running.id)).toMatchObject({ status: "cancelling", cancelling_at: 150, request_counts: { completed: 2 } });
      await batches.save({ ...running, status: "cancelled", cancelled_at: 160 });
      expect(await other.batches.requestCancel("key_a", running.id, 170)).toMatchObject({ status: "cancelled", cancelled_at: 160 });
    });

    it("claims the oldest unfinished batch, and renews and releases the claim", async () => {
      const { batches } = fixture.state;
      const done = { ...batch(batches.newId(), "key_a", 50), status: "completed" as const };
      const [older, newer] = [batch(batches.newId(), "key_a", 100), batch(batches.newId(), "key_b", 200)];
      for (const b of [done, newer, older]) await batches.save(b);
      const claimed = await batches.claim("replica-a", 60_000);
      expect(claimed?.id).toBe(older.id);
      expect((await batches.renew(older.id, "replica-a", 60_000))?.id).toBe(older.id);
      await batches.release(older.id, "replica-a");
      await batches.save({ ...older, status: "completed" });
      expect((await batches.claim("replica-a", 60_000))?.id).toBe(newer.id);
      await batches.save({ ...newer, status: "cancelled" });
      expect(await batches.claim("replica-a", 60_000)).toBeNull();
    });

    it("never lets two replicas hold one batch; a lease that lapses is taken over", async (context) => {
      if (!fixture.leases) return context.skip();
      const { batches } = fixture.state;
      const other = await fixture.reopen();
      const [first, second] = [batch(batches.newId(), "key_a", 100), batch(batches.newId(), "key_a", 200)];
      await batches.save(first);
      await batches.save(second);
      const claims = await Promise.all([batches.claim("replica-a", 60_000), other.batches.claim("replica-b", 60_000)]);
      expect(new Set(claims.map((claim) => claim?.id))).toEqual(new Set([first.id, second.id]));
      // Both are held: a third replica finds nothing (a replica restarted under its name takes its own back).
      expect(await other.batches.claim("replica-c", 60_000)).toBeNull();
      expect((await other.batches.claim("replica-b", 60_000))?.id).toBe(claims[1]!.id);
      const mine = claims[0]!.id;
      expect(await other.batches.renew(mine, "replica-b", 60_000)).toBeNull();
      // replica-a stops renewing (it died): a short lease lapses, and replica-c takes the batch over.
      expect(await batches.renew(mine, "replica-a", 50)).not.toBeNull();
      await sleep(120);
      expect((await other.batches.claim("replica-c", 60_000))?.id).toBe(mine);
      expect(await batches.renew(mine, "replica-a", 60_000)).toBeNull();
      await batches.release(mine, "replica-a");
      expect(await batches.claim("replica-a", 60_000)).toBeNull();
    });
  });

  describe(`${name}: stored completions`, () => {
    it("adds, lists a key's own oldest first, gets, updates metadata and deletes, through either state", async () => {
      const { completions } = fixture.state;
      for (const [id, key, seq] of [["chatcmpl-1", "key_a", 1], ["chatcmpl-2", "key_b", 2], ["chatcmpl-3", "key_a", 3]] as const) await completions.add(completion(id, key, seq));
      const other = await fixture.reopen();
      expect((await other.completions.list("key_a")).map((entry) => entry.id)).toEqual(["chatcmpl-1", "chatcmpl-3"]);
      expect(await other.completions.get("key_a", "chatcmpl-1")).toEqual(completion("chatcmpl-1", "key_a", 1));
      expect(await other.completions.get("key_b", "chatcmpl-1")).toBeNull();
      await other.completions.update("chatcmpl-1", { topic: "history" });
      await other.completions.delete("chatcmpl-3");
      const again = await fixture.reopen();
      expect(await again.completions.list("key_a")).toEqual([{ ...completion("chatcmpl-1", "key_a", 1), metadata: { topic: "history" } }]);
      expect(await again.completions.get("key_a", "chatcmpl-3")).toBeNull();
    });
  });

  describe(`${name}: fine-tuning jobs`, () => {
    it("saves, gets and lists jobs oldest first, with events and checkpoints newest first", async () => {
      const { jobs } = fixture.state;
      const [a, b] = [job(jobs.newId(), "key_a", 100), job(jobs.newId(), "key_b", 50)];
      await jobs.save(a);
      await jobs.save(b);
      await jobs.addEvent(a.id, "Created");
      const event = await jobs.addEvent(a.id, "Step 1/10", { data: { step: 1 } });
      expect(event).toMatchObject({ id: expect.stringMatching(/^ftevent-/), object: "fine_tuning.job.event", level: "info", message: "Step 1/10", type: "metrics", data: { step: 1 } });
      await jobs.addCheckpoint(a, 2, 1.5);
      await jobs.addCheckpoint(a, 4, 1.25);
      const other = await fixture.reopen();
      expect((await other.jobs.all()).map((j) => j.id)).toEqual([b.id, a.id]);
      expect(await other.jobs.get("key_a", a.id)).toEqual(a);
      await expect(other.jobs.get("key_b", a.id)).rejects.toMatchObject({ code: "NOT_FOUND", param: "fine_tuning_job_id" });
      await expect(other.jobs.get(null, "ftjob-../x")).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect((await other.jobs.events(a.id)).map((e) => e.message)).toEqual(["Step 1/10", "Created"]);
      expect((await other.jobs.checkpoints(a.id)).map((c) => [c.step_number, c.metrics.train_loss])).toEqual([[4, 1.25], [2, 1.5]]);
      await jobs.save({ ...a, status: "running", checkpoint_step: 4 });
      expect(await other.jobs.get(null, a.id)).toMatchObject({ status: "running", checkpoint_step: 4 });
    });

    it("keeps a job's checkpoint and GGUF so another state resumes and serves it", async () => {
      const { jobs } = fixture.state;
      const trained = job(jobs.newId(), "key_a", 100, "running");
      await jobs.save(trained);
      expect(await jobs.modelFile(trained.id)).toBeNull();
      writeBytes(jobs.checkpointPath(trained.id), Buffer.from("PDGCKPT step 4"));
      await jobs.keepCheckpoint(trained.id);
      const other = await fixture.reopen();
      await other.jobs.restoreCheckpoint(trained.id);
      expect(readFileSync(other.jobs.checkpointPath(trained.id), "utf8")).toBe("PDGCKPT step 4");
      const gguf = Buffer.concat([Buffer.from("GGUF"), Buffer.alloc(64 * 1024, 7)]);
      writeBytes(jobs.modelPath(trained.id), gguf);
      await jobs.keepModel(trained.id);
      const path = await other.jobs.modelFile(trained.id);
      expect(readFileSync(path!)).toEqual(gguf);
    });

    it("runs jobs and batches made in one second in the order they were made, whatever their ids", async () => {
      const { jobs, batches } = fixture.state;
      // Ids sort against the order of making; created_at (whole seconds) ties.
      const [firstJob, secondJob] = [{ ...job("ftjob-ff", "key_a", 300), created_ms: 300_100 }, { ...job("ftjob-00", "key_a", 300), created_ms: 300_900 }];
      for (const j of [secondJob, firstJob]) await jobs.save(j);
      expect((await jobs.all()).map((j) => j.id)).toEqual(["ftjob-ff", "ftjob-00"]);
      expect((await jobs.claim("replica-a", 60_000))?.id).toBe("ftjob-ff");
      await jobs.release("ftjob-ff", "replica-a");
      for (const j of [firstJob, secondJob]) await jobs.save({ ...j, status: "cancelled" });
      const [firstBatch, secondBatch] = [{ ...batch("batch_ff", "key_a", 300), created_ms: 300_100 }, { ...batch("batch_00", "key_a", 300), created_ms: 300_900 }];
      for (const b of [secondBatch, firstBatch]) await batches.save(b);
      expect((await batches.list("key_a")).map((b) => b.id).filter((id) => id.length === 8)).toEqual(["batch_ff", "batch_00"]);
      expect((await batches.claim("replica-a", 60_000))?.id).toBe("batch_ff");
      await batches.release("batch_ff", "replica-a");
      for (const b of [firstBatch, secondBatch]) await batches.save({ ...b, status: "cancelled" });
    });

    it("claims the oldest queued job, takes a queued one to cancel it, and passes a cancel to the lease holder", async () => {
      const { jobs } = fixture.state;
      const [older, newer] = [job(jobs.newId(), "key_a", 100), job(jobs.newId(), "key_a", 200)];
      await jobs.save(newer);
      await jobs.save(older);
      await jobs.save(job(jobs.newId(), "key_a", 50, "succeeded"));
      const claimed = await jobs.claim("replica-a", 60_000);
      expect(claimed?.id).toBe(older.id);
      await jobs.save({ ...older, status: "running" });
      expect(await jobs.renew(older.id, "replica-a", 60_000)).toEqual({ job: { ...older, status: "running" }, cancelRequested: false });
      await jobs.requestCancel(older.id);
      expect(await jobs.renew(older.id, "replica-a", 60_000)).toMatchObject({ cancelRequested: true });
      expect(await jobs.claimQueued(older.id, "replica-a", 60_000)).toBeNull();
      expect((await jobs.claimQueued(newer.id, "replica-a", 60_000))?.id).toBe(newer.id);
      await jobs.release(newer.id, "replica-a");
      await jobs.save({ ...newer, status: "cancelled" });
      await jobs.release(older.id, "replica-a");
      await jobs.save({ ...older, status: "succeeded" });
      expect(await jobs.claim("replica-a", 60_000)).toBeNull();
    });

    it("never lets two replicas train one job; a running job whose lease lapses is taken over", async (context) => {
      if (!fixture.leases) return context.skip();
      const { jobs } = fixture.state;
      const other = await fixture.reopen();
      const queued = job(jobs.newId(), "key_a", 100);
      await jobs.save(queued);
      const claims = await Promise.all([jobs.claim("replica-a", 60_000), other.jobs.claim("replica-b", 60_000)]);
      expect(claims.filter((claim) => claim !== null).map((claim) => claim!.id)).toEqual([queued.id]);
      const [holder, holderJobs, taker, takerJobs] = claims[0] ? ["replica-a", jobs, "replica-b", other.jobs] as const : ["replica-b", other.jobs, "replica-a", jobs] as const;
      expect(await takerJobs.claimQueued(queued.id, taker, 60_000)).toBeNull();
      await holderJobs.save({ ...queued, status: "running", checkpoint_step: 4 });
      expect(await takerJobs.renew(queued.id, taker, 60_000)).toBeNull();
      // The holder stops renewing (it died): a short lease lapses and the other replica resumes the job.
      expect(await holderJobs.renew(queued.id, holder, 50)).not.toBeNull();
      await sleep(120);
      expect(await takerJobs.claim(taker, 60_000)).toMatchObject({ id: queued.id, status: "running", checkpoint_step: 4 });
      expect(await holderJobs.renew(queued.id, holder, 60_000)).toBeNull();
    });
  });
}
