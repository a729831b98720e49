// Fine-tuning through the gateway's API (issue "controlled distillation"): a licensed key harvests
// atlas's answers to capital-city prompts with the Batch API, uploads them as an OpenAI fine-tuning
// file, and fine-tunes `tiny` on them through POST /v1/fine_tuning/jobs; meanwhile chat latency is
// measured idle and while a job trains, in the same run. Needs `npm run build`.
// Prints finetune_seconds (job created → succeeded, eval included), train_seconds (the trainer's own),
// kept_capitals (the job's model's capitals accuracy / atlas's), overhead_p50_ms_{idle,training}
// (gateway latency minus direct upstream latency, interleaved) and their ratio, and
// chat_atlas_p50_ms_{idle,training} (a white-box answer, CPU-bound) and their ratio.
// FINETUNE_EXAMPLES (200), FINETUNE_EPOCHS (auto), FINETUNE_EVAL (60), FINETUNE_SAMPLES (300) scale it.
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker, isMainThread, parentPort } from "node:worker_threads";
import OpenAI, { toFile } from "openai";

const COMPLETION = JSON.stringify({
  id: "chatcmpl-bench", object: "chat.completion", created: 1, model: "bench",
  choices: [{ index: 0, message: { role: "assistant", content: "Paris is the capital of France." }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
});

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const print = (name, value, unit) => console.log(`${name}: ${Number.isFinite(value) ? value.toFixed(3) : value} ${unit}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const { createGatewayApp, startGatewayServer } = await import("pedigree/gateway");
  const { buildEvalTask } = await import("pedigree/corpus");
  const { evaluateTask } = await import("pedigree/distill");
  const { resolveModel } = await import("pedigree/models");
  const { builtinPromptSet } = await import("../dist/cli/commands/harvest.js");
  const examples = Number(process.env.FINETUNE_EXAMPLES ?? 200);
  const epochs = process.env.FINETUNE_EPOCHS ? Number(process.env.FINETUNE_EPOCHS) : "auto";
  const evalLimit = Number(process.env.FINETUNE_EVAL ?? 60);
  const samples = Number(process.env.FINETUNE_SAMPLES ?? 300);

  const upstreamThread = new Worker(new URL(import.meta.url));
  const upstreamPort = await new Promise((resolve) => upstreamThread.once("message", resolve));
  const dir = mkdtempSync(join(tmpdir(), "pedigree-bench-finetune-"));
  const app = await createGatewayApp({ dataDir: dir, models: { atlas: "atlas", upstream: `http://127.0.0.1:${upstreamPort}/v1#bench` }, config: { limits: { upstream_retries: 0 } } });
  const server = await startGatewayServer(app);
  const { secret } = await app.context.keys.create("licensed", { distillation: true });
  const client = new OpenAI({ apiKey: secret, baseURL: `${server.url}/v1`, maxRetries: 0, timeout: 600_000 });
  const direct = new OpenAI({ apiKey: "none", baseURL: `http://127.0.0.1:${upstreamPort}/v1`, maxRetries: 0 });
  const ask = [{ role: "user", content: "What is the capital of France?" }];

  // 1. The teacher's answers, harvested with the Batch API (logged and metered like live traffic).
  const prompts = (await builtinPromptSet("capitals")).slice(0, examples + 20);
  const requests = prompts.map((prompt, i) => JSON.stringify({ custom_id: `p${i}`, method: "POST", url: "/v1/chat/completions", body: { model: "atlas", messages: prompt.messages, temperature: 0, max_tokens: 32, seed: i } }));
  const batchFile = await client.files.create({ file: await toFile(Buffer.from(requests.join("\n")), "harvest.jsonl"), purpose: "batch" });
  let batch = await client.batches.create({ input_file_id: batchFile.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
  const harvestStarted = performance.now();
  while (!["completed", "failed", "cancelled", "expired"].includes(batch.status)) {
    await sleep(200);
    batch = await client.batches.retrieve(batch.id);
  }
  print("batch_harvest_rps", prompts.length / ((performance.now() - harvestStarted) / 1000), "requests/s");
  const answers = (await (await client.files.content(batch.output_file_id)).text()).trim().split("\n").map((line) => JSON.parse(line));
  const lines = answers.map((row) => {
    const prompt = prompts[Number(row.custom_id.slice(1))];
    return JSON.stringify({ messages: [...prompt.messages, { role: "assistant", content: row.response.body.choices[0].message.content }] });
  });
  const upload = async (text, name) => client.files.create({ file: await toFile(Buffer.from(text + "\n"), name), purpose: "fine-tune" });
  const training = await upload(lines.slice(0, examples).join("\n"), "train.jsonl");
  const validation = await upload(lines.slice(examples).join("\n"), "validation.jsonl");

  // 2. Chat latency while idle.
  const measure = async (count) => {
    const overhead = [];
    const atlas = [];
    for (let i = 0; i < count; i++) {
      let t = performance.now();
      await direct.chat.completions.create({ model: "bench", messages: ask });
      const directMs = performance.now() - t;
      t = performance.now();
      await client.chat.completions.create({ model: "upstream", messages: ask });
      overhead.push(performance.now() - t - directMs);
      if (i % 10 === 0) {
        t = performance.now();
        await client.chat.completions.create({ model: "atlas", messages: ask, max_tokens: 16, temperature: 0 });
        atlas.push(performance.now() - t);
      }
    }
    return { overhead, atlas };
  };
  const median = (...runs) => ({ overhead: quantile(runs.flatMap((run) => run.overhead), 0.5), atlas: quantile(runs.flatMap((run) => run.atlas), 0.5) });
  await measure(50);
  // Idle is measured before and after the busy job, so drift on a shared machine falls on both sides.
  const idleBefore = await measure(samples / 2);

  // 3. The job: 200 examples on tiny, timed; then a second job to measure serving while it trains.
  const jobStarted = performance.now();
  let job = await client.fineTuning.jobs.create({ model: "tiny", training_file: training.id, validation_file: validation.id, suffix: "capitals", seed: 1,
    method: { type: "supervised", supervised: { hyperparameters: { n_epochs: epochs } } } });
  while (!["succeeded", "failed", "cancelled"].includes(job.status)) {
    await sleep(200);
    job = await client.fineTuning.jobs.retrieve(job.id);
  }
  if (job.status !== "succeeded") throw new Error(`the job ${job.status}: ${job.error?.message}`);
  print("finetune_seconds", (performance.now() - jobStarted) / 1000, "s");
  const done = (await client.fineTuning.jobs.listEvents(job.id, { limit: 100 })).data.find((event) => event.data?.seconds !== undefined);
  print("train_seconds", done?.data?.seconds ?? NaN, "s");
  print("train_epochs", job.hyperparameters.n_epochs, "epochs");
  print("eval_fine_tuned_loss", Number(job.metadata.eval_fine_tuned_loss), "nats/token");
  print("eval_base_loss", Number(job.metadata.eval_base_loss), "nats/token");
  print("eval_fine_tuned_agreement", Number(job.metadata.eval_fine_tuned_agreement), "share");

  const busy = await client.fineTuning.jobs.create({ model: "tiny", training_file: training.id, seed: 2, method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 50 } } } });
  while ((await client.fineTuning.jobs.retrieve(busy.id)).status !== "running") await sleep(100);
  await sleep(1000);
  const training_ = median(await measure(samples));
  const stillRunning = (await client.fineTuning.jobs.retrieve(busy.id)).status === "running";
  await client.fineTuning.jobs.cancel(busy.id);
  const idle = median(idleBefore, await measure(samples / 2));
  print("overhead_p50_ms_idle", idle.overhead, "ms");
  print("overhead_p50_ms_training", training_.overhead, "ms");
  print("overhead_p50_training_vs_idle_ratio", training_.overhead / idle.overhead, "x");
  print("chat_atlas_p50_ms_idle", idle.atlas, "ms");
  print("chat_atlas_p50_ms_training", training_.atlas, "ms");
  print("chat_atlas_p50_training_vs_idle_ratio", training_.atlas / idle.atlas, "x");
  if (!stillRunning) console.log("note: the busy job finished before the measurement did; the training figures are partly idle");

  // 4. Kept capitals accuracy: the served fine-tuned model against atlas, on held-out capitals.
  const task = buildEvalTask("capitals");
  const student = await resolveModel(`${server.url}/v1#${job.fine_tuned_model}`, { apiKey: secret, timeoutMs: 120_000 });
  const teacher = await resolveModel("atlas");
  const mine = await evaluateTask(student, task, { limit: evalLimit, seed: 0 });
  const theirs = await evaluateTask(teacher, task, { limit: evalLimit, seed: 0 });
  print("teacher_capitals", theirs.accuracy, "accuracy");
  print("finetuned_capitals", mine.accuracy, "accuracy");
  print("kept_capitals", theirs.accuracy > 0 ? mine.accuracy / theirs.accuracy : NaN, "share of teacher");
  await teacher.close?.();
  await student.close?.();
  await server.close(5000);
  await upstreamThread.terminate();
  rmSync(dir, { recursive: true, force: true });
}

if (!isMainThread) {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(COMPLETION);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
} else {
  await main();
}
