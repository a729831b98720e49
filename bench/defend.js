// Serving-time defences (issue "defences at serving time"). Four parts, all cached in
// $PEDIGREE_BENCH_CACHE/defend (default ~/.cache/pedigree-bench/defend), so a re-run only computes
// what is missing:
//   antidistill  atlas served with antidistillation sampling at several λ, and with plain temperature
//                sampling at several τ: the teacher's capitals accuracy, and sft and kl students
//                distilled from a harvest served that way, with the budget of `bench -- distill`
//                (2,400 prompts, top-8 log-probabilities, mini students, 1,200 steps of 8×128).
//                Draws docs/defend-tradeoff.svg. DEFEND_STUDENTS=0 stops after the teacher's accuracy;
//                DEFEND_PROXY=tiny serves a `tiny` proxy instead of `mini`.
//   speed        tokens/s served plain and defended (proxies mini and tiny), interleaved, and how far
//                F16 proxies move b: `DEFEND_PARTS=speed` gives the slowdown without training students.
//   blackbox     candidate selection (WaterMax-style) over n ∈ {2, 4, 8} sampled candidates of atlas:
//                TPR at FPR 1e-3 for 100 and 200 tokens, upstream tokens per served token, perplexity.
//   radioactivity  an sft student of a harvest watermarked by selection (atlas as a black box):
//                does it carry the mark?
// DEFEND_PARTS picks parts (default all four); DEFEND_PROMPTS, DEFEND_STEPS, DEFEND_EVAL, DEFEND_LAMBDAS,
// DEFEND_TEMPERATURES scale antidistill; DEFEND_SPEED_PROXIES, DEFEND_SPEED_ROUNDS speed; BLACKBOX_TEXTS and
// BLACKBOX_CHUNK blackbox; RADIOACTIVITY_N and RADIOACTIVITY_TEMPERATURE radioactivity. Needs `npm run build`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { runAntidistill } from "./defend-parts/antidistill.js";
import { runAntidistillSpeed } from "./defend-parts/antidistill-speed.js";
import { runBlackBox } from "./defend-parts/black-box.js";
import { runRadioactivity } from "./defend-parts/radioactivity.js";

const cache = join(process.env.PEDIGREE_BENCH_CACHE ?? join(homedir(), ".cache", "pedigree-bench"), "defend");
mkdirSync(cache, { recursive: true });

/** A cached JSON result: computed once per name. */
async function memo(name, compute) {
  const file = join(cache, `${name}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const value = await compute();
  writeFileSync(file, JSON.stringify(value, null, 1));
  return value;
}

const parts = (process.env.DEFEND_PARTS ?? "antidistill,speed,blackbox,radioactivity").split(",");
if (parts.includes("antidistill")) await runAntidistill({ cache, memo });
if (parts.includes("speed")) await runAntidistillSpeed({ cache });
if (parts.includes("blackbox")) await runBlackBox({ cache, memo });
if (parts.includes("radioactivity")) await runRadioactivity({ cache, memo });
