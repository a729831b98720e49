// The traffic simulator: benign people (each with their own interests, sessions and habits), apps
// that aggregate many people (some keys shared by two tools of one team), and campaigns: `pedigree harvest`'s own pattern on one key, a campaign
// hidden in an app key at a given share, a hydra of many light keys on a shared schedule, and an
// evasive campaign (paraphrased wrappers, human timing, half benign prompts). Everything is drawn
// from one seeded generator, so a seed names a whole traffic history.
import { createRandom, type Random } from "../../random/index.js";
import { MonitorError } from "../errors.js";
import { appTemplate, decorateBenign, DEFAULT_WORDING, fillCampaign, fillEvasive, type CampaignWording } from "./templates.js";
import { appTimes, HOUR, humanTimes, logNormal, scriptTimes } from "./timing.js";

export interface SimulatedRequest {
  key: string;
  ts: number;
  messages: { role: "system" | "user"; content: string }[];
  params: Record<string, unknown>;
  /** The campaign that sent it, or null for benign traffic. */
  campaign: string | null;
}

/** Prompts by topic (at least two topics). */
export type PromptPools = Record<string, readonly string[]>;

export type CampaignSpec =
  | { kind: "harvest"; exchanges?: number; prompts?: readonly string[] }
  | { kind: "hidden"; share: number; exchanges?: number }
  | { kind: "hydra"; keys?: number; perKey?: number }
  | { kind: "evasive"; exchanges?: number };

export interface SimulationOptions {
  seed: number | string;
  pools: PromptPools;
  days?: number;
  /** Start of the first simulated UTC day (ms). */
  start?: number;
  benignKeys?: number;
  appKeys?: number;
  campaigns?: readonly CampaignSpec[];
  /** Key names start with this (default "sim"). */
  prefix?: string;
  /** The campaigns' wrappers and evasive fragments (default: DEFAULT_WORDING; the benchmark holds out its own). */
  wording?: CampaignWording;
}

export interface SimulatedKey {
  name: string;
  /** benign | app | the campaign's name */
  role: string;
  campaign: string | null;
}

export interface Simulation {
  keys: SimulatedKey[];
  /** In time order. */
  requests: SimulatedRequest[];
}

const DAY = 24 * HOUR;
export const DEFAULT_START = Date.UTC(2026, 11, 1);

interface Context {
  rng: Random;
  topics: string[];
  pools: PromptPools;
  out: SimulatedRequest[];
  keys: SimulatedKey[];
  days: number;
  start: number;
  wording: CampaignWording;
}

const pick = <T>(rng: Random, items: readonly T[]): T => items[rng.int(items.length)]!;
const question = (context: Context, topic = pick(context.rng, context.topics)) => pick(context.rng, context.pools[topic]!);
const user = (content: string) => [{ role: "user" as const, content }];

function benignParams(rng: Random, habit: { temperature: number | null; maxTokens: number | null; logprobs: boolean }): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (habit.temperature !== null) params.temperature = habit.temperature;
  if (habit.maxTokens !== null) params.max_tokens = habit.maxTokens;
  if (habit.logprobs) Object.assign(params, { logprobs: true, top_logprobs: 1 + rng.int(5) });
  return params;
}

function habit(rng: Random, app: boolean) {
  return {
    temperature: rng.uniform32() < (app ? 0.3 : 0.1) ? 0 : rng.uniform32() < 0.3 ? 0.7 : null,
    maxTokens: rng.uniform32() < 0.5 ? pick(rng, [64, 256, 512, 1024]) : null,
    logprobs: rng.uniform32() < (app ? 0.1 : 0.02),
  };
}

function addPerson(context: Context, name: string): void {
  const { rng } = context;
  const interests = rng.shuffle([...context.topics]).slice(0, 1 + rng.int(3));
  const weights = interests.map(() => rng.uniform53() + 0.2);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const power = rng.uniform32() < 0.1;
  const ways = habit(rng, false);
  // A few people paste the same preamble before every question.
  const preamble = rng.uniform32() < 0.05 ? appTemplate(rng) : null;
  const activeDays = rng.uniform32() < 0.5 ? 1 : 0.7;
  context.keys.push({ name, role: "benign", campaign: null });
  for (let day = 0; day < context.days; day++) {
    if (rng.uniform32() > activeDays) continue;
    const count = Math.max(1, Math.min(power ? 400 : 120, Math.round(logNormal(rng, power ? 40 : 8, 0.9))));
    for (const ts of humanTimes(rng, context.start + day * DAY, count)) {
      let roll = rng.uniform53() * total;
      let topic = interests[0]!;
      for (let i = 0; i < interests.length; i++) if ((roll -= weights[i]!) <= 0) { topic = interests[i]!; break; }
      if (rng.uniform32() < 0.1) topic = pick(rng, context.topics);
      const asked = decorateBenign(rng, question(context, topic));
      context.out.push({ key: name, ts, messages: user(preamble ? preamble.replace("{q}", asked) : asked), params: benignParams(rng, ways), campaign: null });
    }
  }
}

/** Share of benign apps that wrap every question in a template of their own. */
const TEMPLATED_APPS = 0.4;

function appDay(context: Context, name: string, dayStart: number, count: number, ways: ReturnType<typeof habit>, template: string | null): SimulatedRequest[] {
  return appTimes(context.rng, dayStart, count).map((ts) => {
    const asked = decorateBenign(context.rng, question(context));
    return { key: name, ts, messages: user(template ? template.replace("{q}", asked) : asked), params: benignParams(context.rng, ways), campaign: null };
  });
}

const ownTemplate = (context: Context) => (context.rng.uniform32() < TEMPLATED_APPS ? appTemplate(context.rng) : null);

/** Share of app keys that a second tool of the same team also uses, with its own options and wrapper. */
const SHARED_APPS = 0.15;

function addApp(context: Context, name: string): void {
  const { rng } = context;
  const ways = habit(rng, true);
  const template = ownTemplate(context);
  const second = rng.uniform32() < SHARED_APPS ? { ways: habit(rng, true), template: ownTemplate(context), share: 0.02 + 0.3 * rng.uniform53() } : null;
  context.keys.push({ name, role: "app", campaign: null });
  for (let day = 0; day < context.days; day++) {
    const requests = appDay(context, name, context.start + day * DAY, 300 + rng.int(1200), ways, template);
    if (second) {
      for (const request of requests) {
        if (rng.uniform53() >= second.share) continue;
        const asked = decorateBenign(rng, question(context));
        Object.assign(request, { messages: user(second.template ? second.template.replace("{q}", asked) : asked), params: benignParams(rng, second.ways) });
      }
    }
    context.out.push(...requests);
  }
}

function addCampaign(context: Context, spec: CampaignSpec, index: number, prefix: string): void {
  const { rng } = context;
  const dayStart = context.start + rng.int(context.days) * DAY;
  if (spec.kind === "harvest") {
    // pedigree harvest: every prompt of a mixed set in order, 4 in flight, temperature 1, max 256 tokens, seed + i.
    const name = `${prefix}-harvest-${index}`;
    const prompts = spec.prompts ?? rng.shuffle(context.topics.flatMap((topic) => [...context.pools[topic]!]));
    const count = Math.min(spec.exchanges ?? 2000, prompts.length);
    context.keys.push({ name, role: name, campaign: name });
    scriptTimes(rng, dayStart + rng.uniform53() * 12 * HOUR, count, 4, 800).forEach((ts, i) =>
      context.out.push({ key: name, ts, messages: user(prompts[i]!), params: { temperature: 1, top_p: 1, max_tokens: 256, seed: i }, campaign: name }));
  } else if (spec.kind === "hidden") {
    if (!(spec.share > 0 && spec.share <= 1)) throw new MonitorError("MONITOR_BAD_OPTION", `a hidden campaign's share must be in (0, 1], got ${spec.share}`);
    const name = `${prefix}-hidden-${Math.round(spec.share * 100)}-${index}`;
    const ways = habit(rng, true);
    context.keys.push({ name, role: name, campaign: name });
    const requests = appDay(context, name, dayStart, spec.exchanges ?? 1000, ways, ownTemplate(context));
    const templates = rng.shuffle([...context.wording.templates]).slice(0, 2);
    for (const request of requests) {
      if (rng.uniform53() >= spec.share) continue;
      Object.assign(request, { messages: user(fillCampaign(rng, question(context), templates)), params: { temperature: 0, max_tokens: 1024 }, campaign: name });
    }
    context.out.push(...requests);
  } else if (spec.kind === "hydra") {
    const name = `${prefix}-hydra-${index}`;
    const members = spec.keys ?? 50;
    const rounds = 120;
    const templates = rng.shuffle([...context.wording.templates]).slice(0, 3);
    const start = dayStart + rng.uniform53() * 4 * HOUR;
    const gap = (18 * HOUR) / rounds;
    for (let member = 0; member < members; member++) {
      const key = `${name}-${String(member).padStart(2, "0")}`;
      context.keys.push({ name: key, role: name, campaign: name });
      const count = Math.min(100, spec.perKey ?? 30 + rng.int(71));
      const chosen = rng.shuffle(Array.from({ length: rounds }, (_, r) => r)).slice(0, count).sort((a, b) => a - b);
      for (const round of chosen) {
        const ts = start + round * gap + 1500 * rng.normal();
        const templated = rng.uniform32() < 0.6;
        context.out.push({
          key, ts, campaign: name,
          messages: user(templated ? fillCampaign(rng, question(context), templates) : decorateBenign(rng, question(context))),
          params: templated ? { temperature: 0, max_tokens: 1024 } : {},
        });
      }
    }
  } else {
    const name = `${prefix}-evasive-${index}`;
    context.keys.push({ name, role: name, campaign: name });
    for (const ts of humanTimes(rng, dayStart, spec.exchanges ?? 300, 20_000)) {
      const disguised = rng.uniform32() < 0.5;
      context.out.push({ key: name, ts, campaign: disguised ? name : null, messages: user(disguised ? fillEvasive(rng, question(context), context.wording) : decorateBenign(rng, question(context))), params: {} });
    }
  }
}

export function simulateTraffic(options: SimulationOptions): Simulation {
  const topics = Object.keys(options.pools).filter((topic) => options.pools[topic]!.length > 0);
  if (topics.length < 2) throw new MonitorError("MONITOR_BAD_OPTION", "the simulator needs prompts in at least two topics");
  const prefix = options.prefix ?? "sim";
  const context: Context = { rng: createRandom(options.seed), topics, pools: options.pools, out: [], keys: [], days: Math.max(1, options.days ?? 1), start: options.start ?? DEFAULT_START, wording: options.wording ?? DEFAULT_WORDING };
  const people = options.benignKeys ?? 100;
  for (let i = 0; i < people; i++) addPerson(context, `${prefix}-user-${String(i).padStart(4, "0")}`);
  for (let i = 0; i < (options.appKeys ?? 4); i++) addApp(context, `${prefix}-app-${String(i).padStart(2, "0")}`);
  (options.campaigns ?? []).forEach((spec, i) => addCampaign(context, spec, i + 1, prefix));
  const end = context.start + context.days * DAY;
  const requests = context.out.filter((request) => request.ts >= context.start && request.ts < end).sort((a, b) => a.ts - b.ts);
  return { keys: context.keys, requests };
}
