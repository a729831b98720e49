// `pedigree audit` as a typed function (the command, the story and the benchmark call it): check
// every input before a query is spent, open the models, run the audit and write the report.
import { existsSync } from "node:fs";
import { basename } from "node:path";
import {
  AuditError, defaultPlanSizes, identityProbes, runAudit, writeAuditReport,
  type AuditExchanges, type AuditPrompt, type AuditReport, type AuditWatermark, type Identity, type QuerySlot,
} from "../../audit/index.js";
import { costOf, type PriceTable } from "../../distill/harvest/price.js";
import { isTokenModel, listBuiltinModels, parseModelReference, resolveModel, type ChatModel, type ResolveOptions, type Tokenizer } from "../../models/index.js";
import { createWatermark } from "../../watermark/index.js";
import { readWatermarkKey } from "../watermark-option.js";
import { agreementPrompts, radioactivityPrompts } from "./audit-prompts.js";
import { readExchanges } from "./exchanges.js";
import { modelHash } from "./model-hash.js";
import { orderProvenanceTest, weightProvenanceTest } from "./provenance-tests.js";

export interface AuditRunOptions {
  suspect: string;
  teacher: string;
  references: string[];
  key?: string;
  exchanges?: string;
  /** The teacher's training-order manifest (default: a built-in teacher's, or the one beside its file). */
  teacherOrder?: string;
  tokenizer?: string;
  identity?: string;
  vendor?: string;
  budget: number;
  alpha: number;
  seed: number;
  out: string;
  /** Overrides of the plan's sizes (the story's quick run asks less). */
  plan?: Partial<typeof defaultPlanSizes>;
  concurrency?: number;
  /** Stop each test once decided (default true). */
  sequential?: boolean;
  /** Ask the suspect the agreement prompts where the teacher and the references disagree (default false). */
  choosePrompts?: boolean;
  price?: PriceTable;
  resolve?: ResolveOptions;
  /** Transcripts of earlier audits to reuse answers from (the teacher's and references' answers repeat). */
  reuseTranscripts?: string[];
  note?: (message: string) => void;
}

export interface AuditRunResult extends AuditReport {
  report_json: string;
  seconds: number;
  cost_usd: number | null;
}

export const defaultReferences = ["indie", "sage"];

export function defaultAuditDirectory(suspect: string): string {
  const name = basename(suspect.replace(/^llamacpp:/, "").replace(/#.*$/, "")).replace(/\.gguf$/, "").replace(/[^A-Za-z0-9._-]+/g, "-");
  return `audit-${name || "suspect"}`;
}

export async function runAuditCommand(options: AuditRunOptions): Promise<AuditRunResult> {
  const started = performance.now();
  const note = options.note ?? (() => {});
  if (options.references.length < 2) {
    throw new AuditError("AUDIT_TOO_FEW_REFERENCES", `the agreement test needs at least 2 reference models, got ${options.references.length}; give --reference twice or leave it out for the built-in ${defaultReferences.join(" and ")}`);
  }
  const roles = [options.suspect, options.teacher, ...options.references];
  if (new Set(roles).size !== roles.length) {
    throw new AuditError("AUDIT_BAD_OPTION", `the suspect, the teacher and each reference must be different models (got ${roles.join(", ")}); a reference is an unrelated model to compare with`);
  }
  if (!(options.alpha > 0 && options.alpha < 1)) throw new AuditError("AUDIT_BAD_OPTION", `--alpha must lie between 0 and 1, got ${options.alpha}`);
  if (!(Number.isInteger(options.budget) && options.budget >= 1)) throw new AuditError("AUDIT_BAD_OPTION", `--budget must be a whole number of at least 1, got ${options.budget}`);
  if (options.teacherOrder && !existsSync(options.teacherOrder)) throw new AuditError("AUDIT_ORDER_INVALID", `--teacher-order ${options.teacherOrder}: no such file; pass the .order.json written when the teacher was trained`);
  if (options.exchanges && !options.key) throw new AuditError("AUDIT_BAD_OPTION", "--exchanges sharpens the radioactivity test, which needs the watermark --key the gateway served with");
  for (const reference of [options.suspect, options.teacher, ...options.references, ...(options.tokenizer ? [options.tokenizer] : [])]) parseModelReference(reference);

  const key = options.key ? await readWatermarkKey(options.key) : null;
  const opened: ChatModel[] = [];
  const open = async (reference: string) => {
    const model = await resolveModel(reference, { maxRetries: 0, ...options.resolve });
    opened.push(model);
    return model;
  };
  try {
    const teacher = await open(options.teacher);
    let watermark: AuditWatermark | undefined;
    let exchanges: AuditExchanges | undefined;
    if (key) {
      const tokenizerModel = options.tokenizer ? await open(options.tokenizer) : teacher;
      if (!isTokenModel(tokenizerModel)) {
        throw new AuditError("AUDIT_BAD_OPTION", `the radioactivity test needs the tokenizer the key was used with: '${options.tokenizer ?? options.teacher}' is an API model; give --tokenizer REF (a white-box copy of its tokenizer)`);
      }
      if (key.tokenizer && key.tokenizer !== (options.tokenizer ?? options.teacher)) {
        const declared = await open(key.tokenizer).catch(() => null);
        if (!declared || !isTokenModel(declared) || !sameTokenizer(declared.tokenizer, tokenizerModel.tokenizer)) {
          throw new AuditError("AUDIT_KEY_MISMATCH", `the key ${options.key} was made for the tokenizer of '${key.tokenizer}', not that of '${options.tokenizer ?? options.teacher}'; give the teacher the key was used with`);
        }
      }
      const tokenizer = tokenizerModel.tokenizer;
      watermark = { watermark: createWatermark(key), encode: (text) => tokenizer.encode(text), decode: (ids) => tokenizer.decode(ids) };
      if (options.exchanges) exchanges = readExchanges(options.exchanges, key.keyId, options.budget);
    }
    const suspect = await open(options.suspect);
    const references: ChatModel[] = [];
    for (const reference of options.references) references.push(await open(reference));
    const slot = (role: QuerySlot["role"], reference: string, model: ChatModel): QuerySlot => ({ role, reference, model });
    const identity = explicitIdentity(options) ?? cardIdentity(options.teacher);
    if (existsSync(options.out)) note(`${options.out} exists: answers already in its transcript are reused`);
    const sizes = { ...defaultPlanSizes, ...options.plan };
    const provenance = [
      await weightProvenanceTest(options.suspect, options.teacher),
      orderProvenanceTest(suspect, options.teacher, { orderFile: options.teacherOrder, windows: sizes.orderWindows, seed: options.seed, reference: references.find(isTokenModel) }),
    ];
    let lastNote = 0;
    const report = await runAudit({
      suspect: slot("suspect", options.suspect, suspect),
      teacher: slot("teacher", options.teacher, teacher),
      references: options.references.map((reference, i) => slot("reference", reference, references[i]!)),
      plan: {
        ...sizes,
        identityProbes: identityProbes(),
        // With prompt choice, twice as many candidates: the suspect is asked those where the teacher and the references disagree.
        ...drawAgreement(sizes.agreementPrompts, options.seed, options.choosePrompts ?? false),
        // Drawn only when they will be asked: with --exchanges the harvested prompts are asked instead.
        radioactivityPrompts: watermark && !exchanges ? radioactivityPrompts(sizes.radioactivityPrompts, options.seed) : [],
      },
      directory: options.out,
      alpha: options.alpha,
      seed: options.seed,
      budget: options.budget,
      identity,
      watermark,
      exchanges,
      provenance,
      modelHashes: Object.fromEntries([options.suspect, options.teacher, ...options.references].map((reference) => [reference, modelHash(reference)])),
      concurrency: options.concurrency,
      sequential: options.sequential,
      reuseTranscripts: options.reuseTranscripts,
      onStage: note,
      onQuery: (querySlot, spent) => {
        const now = performance.now();
        if (now - lastNote < 2_000) return;
        lastNote = now;
        note(`     ${querySlot.role} ${querySlot.reference}: ${spent} queries`);
      },
    });
    const files = writeAuditReport(options.out, report);
    const cost = options.price
      ? Object.values(report.tallies).reduce((sum, tally) => sum + costOf(options.price!, tally.prompt_tokens, tally.completion_tokens), 0)
      : null;
    return { ...report, report_json: files.json, seconds: (performance.now() - started) / 1000, cost_usd: cost };
  } finally {
    for (const model of opened) await model.close?.();
  }
}

function explicitIdentity(options: AuditRunOptions): Identity | null {
  if (!options.identity) return null;
  return { name: options.identity, vendor: options.vendor ?? null };
}

/** The identity a built-in model's card declares. */
function cardIdentity(reference: string): Identity | null {
  const parsed = parseModelReference(reference);
  if (parsed.kind !== "builtin") return null;
  const card = listBuiltinModels().find((model) => model.name === parsed.name)?.card as { identity?: { name?: string; builder?: string } } | null | undefined;
  return card?.identity?.name ? { name: card.identity.name, vendor: card.identity.builder ?? null } : null;
}

function sameTokenizer(a: Tokenizer, b: Tokenizer): boolean {
  const probe = "The capital of France is Paris. Ünïcödé 123";
  return a.vocabSize === b.vocabSize && JSON.stringify(a.encode(probe)) === JSON.stringify(b.encode(probe));
}

function drawAgreement(count: number, seed: number, choose: boolean): { agreementPrompts: AuditPrompt[]; agreementPool?: AuditPrompt[] } {
  if (!choose) return { agreementPrompts: agreementPrompts(count, seed) };
  const drawn = agreementPrompts(2 * count, seed);
  return { agreementPrompts: drawn.slice(0, count), agreementPool: drawn.slice(count) };
}
