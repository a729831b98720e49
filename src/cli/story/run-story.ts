// The end-to-end story on the built-in models: a provider serves its teacher through the gateway
// with a watermark; a customer harvests it with the official openai client; a student a quarter of
// the teacher's size is distilled from the harvest; the student is evaluated against the teacher and
// against a model of its size trained on the raw corpus; finally the provider audits the student,
// the raw-corpus model and an unrelated baseline against the teacher with its key and exchange log.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { harvest } from "../../distill/harvest/index.js";
import { readJsonl, harvestRowSchema } from "../../distill/data/index.js";
import { trainStudent, type TrainStudentResult } from "../../distill/train/train-student.js";
import { resolveModel } from "../../models/resolve.js";
import { promptsOf, rawRows, storyExamples } from "./corpus-prompts.js";
import { startGatewayStage } from "./gateway-stage.js";
import type { StoryPlan } from "./plan.js";
import { evaluateModel, type ModelFigures } from "./evaluate-stage.js";
import { auditSuspect, exportExchanges, type AuditFigures } from "./audit-stage.js";

export interface StoryOptions {
  plan: StoryPlan;
  directory: string;
  teacher: string;
  baseline: string;
  seed: number;
  note: (message: string) => void;
}

export interface StoryReport {
  teacher: ModelFigures & { model: string };
  student: ModelFigures & { model: string; loss: string; size_ratio: number; audit: AuditFigures };
  raw: ModelFigures & { model: string; audit: AuditFigures };
  baseline: ModelFigures & { model: string; audit: AuditFigures };
  exchanges: { path: string; rows: number; ok: boolean };
  harvest: { rows: number; tokens: number; seconds: number; rows_per_second: number; watermark_key_id: string; log_rows: number; log_ok: boolean };
  wall_seconds: number;
}

export async function runStory(options: StoryOptions): Promise<StoryReport> {
  const started = performance.now();
  const { plan, note } = options;
  rmSync(options.directory, { recursive: true, force: true });
  mkdirSync(options.directory, { recursive: true });

  note(`1/7  The provider serves ${options.teacher} through the gateway, watermarking every answer.`);
  const gateway = await startGatewayStage(options.directory, options.teacher, { keySeed: options.seed });
  note(`     gateway on ${gateway.server.url}/v1, watermark key ${gateway.watermark.keyId}; a harvester key is issued`);

  const examples = storyExamples(plan.harvestPrompts, options.seed);
  const dataFile = join(options.directory, "harvest.jsonl");
  let summary;
  try {
    note(`2/7  The customer harvests ${examples.length} answers with the official openai client.`);
    const reference = `${gateway.server.url}/v1#${options.teacher}`;
    // Harvest's own loop is the one layer that retries.
    const client = await resolveModel(reference, { apiKey: gateway.harvesterKey, timeoutMs: 120_000, maxRetries: 0 });
    summary = await harvest({
      model: client,
      teacher: reference,
      prompts: promptsOf(examples, "story"),
      out: dataFile,
      concurrency: plan.concurrency,
      temperature: plan.harvestTemperature,
      maxTokens: plan.harvestMaxTokens,
      seed: options.seed,
      onProgress: (progress) => {
        if (progress.done % Math.max(1, Math.floor(progress.total / 10)) === 0) note(`     ${progress.done}/${progress.total} answers`);
      },
    });
  } finally {
    await gateway.close();
  }
  const log = await verifyExchangeLog(options.directory);
  note(`     ${summary.rows} rows, ${summary.usage.completion_tokens} tokens in ${summary.wall_seconds.toFixed(1)} s; exchange log: ${log.rows} rows, chain ${log.ok ? "intact" : "BROKEN"}`);

  const rows = (await readJsonl(dataFile, harvestRowSchema)).rows;
  note(`3/7  A ${plan.studentSize} student learns from the harvest (sequence-level distillation).`);
  const student = await train(options, rows, "student", note);
  note(`     and a model of the same size learns from the raw corpus with the same budget`);
  const raw = await train(options, rawRows(storyExamples(plan.harvestPrompts, options.seed + 1)), "raw", note);

  note(`4/7  Evaluating ${options.teacher}, the student, the raw-corpus model and ${options.baseline}.`);
  const teacherFigures = await evaluateModel(options.teacher, plan, null);
  const studentFigures = await evaluateModel(student.out, plan, teacherFigures);
  const rawFigures = await evaluateModel(raw.out, plan, teacherFigures);
  const baselineFigures = await evaluateModel(options.baseline, plan, teacherFigures);

  note(`5/7  The provider exports its exchange log: the evidence of what it served, and to whom.`);
  const exchanges = await exportExchanges(options.directory);
  note(`     ${exchanges.rows} exchanges in ${exchanges.path}, hash chain ${exchanges.ok ? "intact" : "BROKEN"}`);

  note(`6/7  Audits against ${options.teacher}, with the watermark key and the exchange log.`);
  const suspects = [
    { name: "student", reference: student.out, references: [options.baseline, "sage"] },
    { name: "raw", reference: raw.out, references: [options.baseline, "sage"] },
    // The baseline cannot be its own reference: sage and the raw-corpus model stand in.
    { name: options.baseline, reference: options.baseline, references: ["sage", raw.out] },
  ];
  const audits: AuditFigures[] = [];
  for (const suspect of suspects) {
    note(`     ${suspect.name}:`);
    const audit = await auditSuspect(options.directory, options.teacher, suspect, plan, options.seed, note, audits);
    note(`     → ${audit.verdict}: ${audit.sentence}`);
    audits.push(audit);
  }

  note("7/7  Summary");
  return {
    teacher: { model: options.teacher, ...teacherFigures },
    student: { model: student.out, loss: "sft", size_ratio: student.params / teacherFigures.params, ...studentFigures, audit: audits[0]! },
    raw: { model: raw.out, ...rawFigures, audit: audits[1]! },
    baseline: { model: options.baseline, ...baselineFigures, audit: audits[2]! },
    exchanges,
    harvest: {
      rows: summary.rows,
      tokens: summary.usage.total_tokens,
      seconds: summary.wall_seconds,
      rows_per_second: summary.rows_per_second,
      watermark_key_id: gateway.watermark.keyId,
      log_rows: log.rows,
      log_ok: log.ok,
    },
    wall_seconds: (performance.now() - started) / 1000,
  };
}

async function train(options: StoryOptions, rows: Parameters<typeof trainStudent>[0]["rows"], name: string, note: (m: string) => void): Promise<TrainStudentResult> {
  const { plan } = options;
  let last = 0;
  return trainStudent({
    rows,
    student: plan.studentSize,
    tokenizer: options.teacher,
    loss: "sft",
    steps: plan.studentSteps,
    batchSize: plan.batchSize,
    sequenceLength: plan.sequenceLength,
    seed: options.seed,
    out: join(options.directory, `${name}.gguf`),
    name,
    onStep: (report) => {
      const now = performance.now();
      if (now - last < 5_000 && report.step < report.steps) return;
      last = now;
      note(`     ${name}: step ${report.step}/${report.steps}, loss ${report.loss.toFixed(3)}, ${Math.round(report.tokensPerSecond)} tokens/s`);
    },
  });
}

async function verifyExchangeLog(directory: string): Promise<{ rows: number; ok: boolean }> {
  const { openDatabase, verifySqliteLog } = await import("../../gateway/index.js");
  const db = openDatabase(join(directory, "gateway"));
  try {
    const result = verifySqliteLog(db);
    return { rows: result.rows, ok: result.ok };
  } finally {
    db.close();
  }
}
