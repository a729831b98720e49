// The antidistillation part of `npm run bench -- defend` (see bench/defend.js).
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildEvalTask } from "pedigree/corpus";
import { evaluateTask, harvest, harvestRowSchema, readJsonl, trainStudent } from "pedigree/distill";
import { resolveModel } from "pedigree/models";
import { AntidistillSampler } from "../../dist/defend/index.js";
import { promptsOf, storyExamples } from "../../dist/cli/story/corpus-prompts.js";
import { preparedDefence } from "./antidistill-defence.js";
import { tradeoffSvg } from "./tradeoff-svg.js";

const prompts = Number(process.env.DEFEND_PROMPTS ?? 2400);
const steps = Number(process.env.DEFEND_STEPS ?? 1200);
const evalLimit = Number(process.env.DEFEND_EVAL ?? 100);
const teacherEval = Number(process.env.DEFEND_TEACHER_EVAL ?? 150);
const numbers = (list) => list.split(",").filter(Boolean).map(Number);
const lambdas = numbers(process.env.DEFEND_LAMBDAS ?? "0.007,0.01");
const temperatures = numbers(process.env.DEFEND_TEMPERATURES ?? "0.3,0.5");
const maxDrop = Number(process.env.DEFEND_MAX_DROP ?? 2);
const proxy = process.env.DEFEND_PROXY ?? "mini";
const budget = `p${prompts}-s${steps}`;

/** atlas as a server would serve it: fixed temperature, a fresh processor chain per generation. */
function served(model, setting) {
  const request = (req) => ({ ...req, temperature: setting.temperature, seed: req.seed ?? 0, logitsProcessors: setting.processors?.() });
  return { ...model, generate: (req) => model.generate(request(req)), stream: (req) => model.stream(request(req)) };
}

async function capitals(model, limit) {
  return (await evaluateTask(model, buildEvalTask("capitals"), { limit, seed: 0 })).accuracy;
}

export async function runAntidistill({ cache, memo }) {
  const atlas = await resolveModel("atlas");
  const defence = await preparedDefence({ cache, atlas, proxy });
  console.log(`defend_proxy_params: ${defence.manifest.proxy.parameters} params`);
  console.log(`defend_gradient_norm: ${defence.manifest.gradient.norm.toPrecision(3)} norm`);

  const settings = [{ name: "base", key: "base", kind: "base", value: 0, temperature: 0 }];
  for (const lambda of lambdas) {
    const sampler = new AntidistillSampler(defence, { lambda });
    // Names say which proxy, when not `mini`; cache keys also how θP ± εg are held (F16 since 2026-12-02).
    const name = `ads-${lambda}${proxy === "mini" ? "" : `-${proxy}`}`, key = `${name}-f16`;
    settings.push({ name, key, kind: "antidistill", value: lambda, temperature: 0, processors: () => [sampler.processor()] });
  }
  for (const t of temperatures) settings.push({ name: `temp-${t}`, key: `temp-${t}`, kind: "temperature", value: t, temperature: t });

  for (const setting of settings) {
    setting.teacher = (await memo(`teacher-${setting.key}-e${teacherEval}`, async () => ({ accuracy: await capitals(served(atlas, setting), teacherEval) }))).accuracy;
  }
  const base = settings[0];
  for (const setting of settings) {
    setting.drop = 100 * (base.teacher - setting.teacher);
    console.log(`teacher_capitals_${setting.name}: ${setting.teacher.toFixed(3)} accuracy`);
  }
  if (process.env.DEFEND_STUDENTS === "0") return atlas.close?.();
  // Students for every setting that keeps the teacher within DEFEND_STUDENT_MAX_DROP points (default
  // 5; the others cost the provider more than it would accept).
  const studentMaxDrop = Number(process.env.DEFEND_STUDENT_MAX_DROP ?? 5);
  for (const setting of settings.filter((s) => s.drop <= studentMaxDrop + 1e-9)) {
    const file = join(cache, `harvest-${setting.key}-p${prompts}.jsonl`);
    const started = performance.now();
    await harvest({ model: served(atlas, setting), teacher: `atlas+${setting.name}`, prompts: promptsOf(storyExamples(prompts, 1), "bench"), out: file, concurrency: 1, temperature: setting.temperature, maxTokens: 48, seed: 1, topLogprobs: 8 });
    const rows = (await readJsonl(file, harvestRowSchema)).rows;
    setting.students = {};
    for (const loss of ["sft", "kl"]) {
      setting.students[loss] = (await memo(`student-${setting.key}-${loss}-${budget}-e${evalLimit}`, async () => {
        const out = join(cache, `student-${setting.key}-${loss}-${budget}.gguf`);
        if (!existsSync(out)) await trainStudent({ rows, loss, student: "mini", tokenizer: "atlas", steps, batchSize: 8, sequenceLength: 128, seed: 1, out, name: `${loss}-${setting.name}` });
        const student = await resolveModel(out);
        try {
          return { accuracy: await capitals(student, evalLimit) };
        } finally {
          await student.close?.();
        }
      })).accuracy;
      console.log(`student_capitals_${loss}_${setting.name}: ${setting.students[loss].toFixed(3)} accuracy`);
    }
    process.stderr.write(`${setting.name}: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }

  // The strongest λ that costs the teacher at most `maxDrop` points.
  const withStudents = settings.filter((s) => s.students);
  const chosen = withStudents.filter((s) => s.kind === "antidistill" && s.drop <= maxDrop + 1e-9).sort((a, b) => b.value - a.value)[0];
  const kept = (setting, loss) => setting.students[loss] / Math.max(base.students[loss], 1e-9);
  const temperatureCurve = [base, ...withStudents.filter((s) => s.kind === "temperature")].sort((a, b) => a.drop - b.drop);
  if (chosen) {
    console.log(`defend_lambda: ${chosen.value} weight`);
    console.log(`defend_teacher_drop: ${chosen.drop.toFixed(1)} points`);
    for (const loss of ["sft", "kl"]) console.log(`defend_student_kept_${loss}: ${kept(chosen, loss).toFixed(3)} ratio`);
    for (const loss of ["sft", "kl"]) {
      const value = interpolate(temperatureCurve.map((s) => [s.drop, kept(s, loss)]), chosen.drop);
      console.log(`temperature_student_kept_${loss}: ${value.toFixed(3)} ratio`);
    }
  } else {
    console.log("defend_lambda: none (every λ of the grid costs the teacher more than the target)");
  }
  const svg = tradeoffSvg(withStudents.map((s) => ({ kind: s.kind, label: s.kind === "antidistill" ? `λ ${s.value}` : s.kind === "temperature" ? `τ ${s.value}` : "undefended", teacher: s.teacher, sft: s.students.sft, kl: s.students.kl })));
  writeFileSync(new URL("../../docs/defend-tradeoff.svg", import.meta.url), svg);
  await atlas.close?.();
}

/** y at x on the piecewise-linear curve through `points` (sorted by x); clamped at the ends. */
function interpolate(points, x) {
  if (x <= points[0][0]) return points[0][1];
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1], [x1, y1] = points[i];
    if (x <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return points.at(-1)[1];
}
