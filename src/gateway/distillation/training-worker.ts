// The training worker: a child process of the gateway (started at a low priority by job-runner.ts)
// that trains one fine-tuning job with distill's trainer on one kernel thread, checkpointing as it
// goes, and reports steps, checkpoints and the eval over its IPC channel. A cancel message (or the
// gateway going away) stops it after the current update, with the checkpoint written.
import { existsSync, readFileSync } from "node:fs";
import { readTrainingRows, setTrainingThreads, trainStudent } from "../../distill/index.js";
import { resolveModel, type ChatModel } from "../../models/index.js";
import { evaluateJob } from "./job-evaluation.js";
import type { ParentMessage, WorkerMessage, WorkerSpec } from "./worker-protocol.js";

const send = (message: WorkerMessage) => new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

async function baseModel(spec: WorkerSpec, rows: Awaited<ReturnType<typeof readTrainingRows>>["rows"]): Promise<ChatModel> {
  if (existsSync(spec.basePath)) return resolveModel(spec.basePath);
  if (spec.student.includes("/") || spec.student.endsWith(".gguf") || !/^[a-z]+$/.test(spec.student)) return resolveModel(spec.student);
  // A fresh student's base is its starting point: the same seed's initial weights, with no update.
  try {
    await trainStudent({ rows, student: spec.student, loss: "sft", steps: 0, seed: spec.seed, batchSize: spec.batchSize, sequenceLength: spec.sequenceLength, heldOutShare: 0, out: spec.basePath, force: true, name: "base" });
    return resolveModel(spec.basePath);
  } catch {
    return resolveModel(spec.student);
  }
}

async function main(): Promise<void> {
  const spec = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as WorkerSpec;
  setTrainingThreads(1);
  const controller = new AbortController();
  process.on("message", (message: ParentMessage) => message?.type === "cancel" && controller.abort());
  process.on("disconnect", () => controller.abort());
  const training = await readTrainingRows(spec.trainingPath);
  let lastStep = 0;
  let lastLoss = Number.NaN;
  const pending: Promise<void>[] = [];
  const result = await trainStudent({
    rows: training.rows, student: spec.student, loss: "sft", steps: spec.steps, batchSize: spec.batchSize, sequenceLength: spec.sequenceLength,
    lr: spec.lr, seed: spec.seed, heldOutShare: 0, out: spec.outPath, force: true, name: spec.name,
    checkpointPath: spec.checkpointPath, checkpointEvery: spec.checkpointEvery, resume: true, signal: controller.signal,
    onStep: (report) => {
      // The trainer writes a checkpoint right after the step report of every `checkpointEvery`-th update.
      if (lastStep > 0 && lastStep % spec.checkpointEvery === 0) pending.push(send({ type: "checkpoint", step: lastStep, loss: lastLoss }));
      lastStep = report.step;
      lastLoss = report.loss;
      pending.push(send({ type: "step", step: report.step, steps: report.steps, loss: report.loss, tokensSeen: report.step * spec.batchSize * spec.sequenceLength }));
    },
  });
  await Promise.all(pending);
  if (lastStep > 0) await send({ type: "checkpoint", step: lastStep, loss: lastLoss });
  if (controller.signal.aborted) {
    await send({ type: "stopped", step: lastStep });
    return;
  }
  if (spec.validationPath) {
    await send({ type: "evaluating" });
    const validation = await readTrainingRows(spec.validationPath);
    const fineTuned = await resolveModel(spec.outPath);
    const base = await baseModel(spec, training.rows);
    const teacher = spec.teacher ? await resolveModel(spec.teacher).catch(() => null) : null;
    const report = await evaluateJob({ fineTuned, base, teacher, teacherName: spec.teacherName }, validation.rows);
    await Promise.all([fineTuned.close?.(), base.close?.(), teacher?.close?.()]);
    await send({ type: "evaluated", report });
  }
  await send({ type: "done", trainedTokens: result.tokensSeen, seconds: result.seconds, finalLoss: result.losses.at(-1) ?? lastLoss });
}

main().then(
  () => process.disconnect?.(),
  async (error: unknown) => {
    await send({ type: "error", message: (error as Error)?.message ?? String(error) });
    process.exitCode = 1;
    process.disconnect?.();
  },
);
