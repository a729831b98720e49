// What a harvest finds on disk before it starts: the prompts already done (answered or recorded as
// failed), and a refusal when the file holds another teacher's answers — resuming onto it would
// skip every prompt that teacher answered and add nothing.
import { DistillError } from "../data/errors.js";
import { readJsonl, type JsonlReadResult } from "../data/jsonl-read.js";
import { harvestRowSchema, type HarvestParams, type HarvestRow } from "../data/row.js";
import { describeParams, sameSettings } from "./params.js";
import type { Prompt } from "./prompts.js";

export interface ResumeState {
  existing: JsonlReadResult<HarvestRow>;
  /** Prompt ids with a row on disk. */
  done: Set<string>;
  /** Of this run's prompts, those already on disk. */
  resumed: number;
  /** Of those, the ones recorded as failed by an earlier run. */
  failedEarlier: number;
}

export async function readResumeState(out: string, teacher: string, prompts: readonly Prompt[], params: HarvestParams, note: (message: string) => void): Promise<ResumeState> {
  const existing = await readJsonl(out, harvestRowSchema, { allowMissing: true });
  if (existing.truncatedTail) note(`${existing.truncatedTail.message} and cut off before appending`);
  refuseOtherTeachers(out, teacher, existing.rows);
  const done = new Set(existing.rows.map((row) => row.prompt_id));
  const changed = existing.rows.find((row) => !sameSettings(row.params, params));
  if (changed) note(`${out} holds rows made with other settings (${describeParams(changed.params)}; now ${describeParams(params)}); they are kept and their prompts are not asked again — use another --out for a fresh data set`);
  const wanted = new Set(prompts.map((prompt) => prompt.id));
  const resumed = prompts.filter((prompt) => done.has(prompt.id)).length;
  const failedEarlier = existing.rows.filter((row) => row.finish_reason === "error" && wanted.has(row.prompt_id)).length;
  if (resumed) note(`resuming: ${resumed} of ${prompts.length} prompts are already in ${out}`);
  if (failedEarlier) note(`${failedEarlier} of them failed in an earlier run (finish_reason "error") and are not asked again; delete those rows to ask them again`);
  return { existing, done, resumed, failedEarlier };
}

function refuseOtherTeachers(out: string, teacher: string, rows: readonly HarvestRow[]): void {
  const others = new Map<string, number>();
  for (const row of rows) if (row.teacher !== teacher) others.set(row.teacher, (others.get(row.teacher) ?? 0) + 1);
  if (others.size === 0) return;
  const [first] = others.keys();
  const listed = [...others].map(([name, count]) => `${count} from '${name}'`).join(", ");
  throw new DistillError(
    "HARVEST_TEACHER_MISMATCH",
    `${out} holds rows of another teacher (${listed}), not '${teacher}'; a data set holds one teacher's answers, so resuming would skip the prompts that teacher answered: use another --out for '${teacher}', or --teacher ${first} to resume that harvest`,
  );
}
