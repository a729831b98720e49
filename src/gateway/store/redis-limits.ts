// Per-key limits in Redis, shared by every replica: each check-and-count is one Lua script, which
// Redis runs atomically, so `rpm 60` admits at most 60 requests a minute across all replicas. The
// window is 60 one-second buckets in a hash per key (as memory-limits.ts keeps them in memory); the
// daily count is a counter per key and UTC day, seeded from the log the first time a day is seen.
import { Redis } from "ioredis";
import { GatewayError } from "../errors.js";
import type { KeyRecord } from "./key-policy.js";
import { unreachable } from "./store-errors.js";
import { DAY_MS, hasLimits, limitError, secondsToMidnight, type LimitName } from "./limit-errors.js";
import type { LimitStore } from "./store.js";

const WAIT_FOR = `
local function wait_for(hash, second, limit)
  local all = redis.call('HGETALL', hash)
  local buckets, total = {}, 0
  for i = 1, #all, 2 do
    local s, c = tonumber(all[i]), tonumber(all[i + 1])
    if s <= second - 60 then redis.call('HDEL', hash, all[i])
    elseif s <= second and c > 0 then buckets[#buckets + 1] = { s, c }; total = total + c end
  end
  if total < limit then return 0 end
  table.sort(buckets, function(a, b) return a[1] < b[1] end)
  for _, b in ipairs(buckets) do
    total = total - b[2]
    if total < limit then return b[1] + 60 - second end
  end
  return 60
end
local function seed(key, value)
  if value >= 0 and redis.call('EXISTS', key) == 0 then redis.call('SET', key, value, 'EX', 172800) end
end
`;

// KEYS: requests hash, tokens hash, daily counter. ARGV: second, rpm, tpm, daily, daily seed (-1: none).
const ADMIT = `${WAIT_FOR}
local second, rpm, tpm, daily = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if rpm >= 0 then local w = wait_for(KEYS[1], second, rpm); if w > 0 then return { 'rpm', w } end end
if tpm >= 0 then local w = wait_for(KEYS[2], second, tpm); if w > 0 then return { 'tpm', w } end end
if daily >= 0 then
  seed(KEYS[3], tonumber(ARGV[5]))
  if tonumber(redis.call('GET', KEYS[3]) or '0') >= daily then return { 'daily', 0 } end
end
redis.call('HINCRBY', KEYS[1], second, 1)
redis.call('EXPIRE', KEYS[1], 120)
return { '', 0 }
`;

// KEYS: tokens hash, daily counter. ARGV: second, tokens, daily seed (-1: no daily quota).
const RECORD = `${WAIT_FOR}
redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], 120)
if tonumber(ARGV[3]) >= 0 then seed(KEYS[2], tonumber(ARGV[3])); redis.call('INCRBY', KEYS[2], ARGV[2]) end
return 0
`;

interface LimitScripts {
  pedigreeAdmit(requests: string, tokens: string, daily: string, ...args: (string | number)[]): Promise<[string, number]>;
  pedigreeRecord(tokens: string, daily: string, ...args: (string | number)[]): Promise<number>;
}

export class RedisLimits implements LimitStore {
  private readonly redis: Redis & LimitScripts;
  /** Daily seeds this process has read from the log, by `key:day`. */
  private readonly seeds = new Map<string, number>();

  private constructor(private readonly url: string, private readonly tokensSince: (keyId: string, sinceMs: number) => Promise<number>, private readonly prefix: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: true }) as Redis & LimitScripts;
    // Errors reach the caller of each command; the connection's own event would otherwise crash.
    this.redis.on("error", () => undefined);
    this.redis.defineCommand("pedigreeAdmit", { numberOfKeys: 3, lua: ADMIT });
    this.redis.defineCommand("pedigreeRecord", { numberOfKeys: 2, lua: RECORD });
  }

  /** Connects (a replica without its Redis refuses to start); `prefix` namespaces every key. */
  static async connect(url: string, tokensSince: (keyId: string, sinceMs: number) => Promise<number>, prefix = "pedigree:"): Promise<RedisLimits> {
    const limits = new RedisLimits(url, tokensSince, prefix);
    try {
      await limits.redis.connect();
      await limits.redis.ping();
    } catch (error) {
      limits.redis.disconnect();
      throw unreachable("Redis", url, error);
    }
    return limits;
  }

  /** A Redis that stops answering is a 503 for the request, not a 500. */
  private failed(error: unknown): never {
    if (GatewayError.isInstance(error)) throw error;
    throw unreachable("Redis", this.url, error);
  }

  private keys(keyId: string, day: number): { requests: string; tokens: string; daily: string } {
    // The hash tag keeps one key's counters in one slot (Redis Cluster runs a script on one slot).
    const base = `${this.prefix}limits:{${keyId}}`;
    return { requests: `${base}:requests`, tokens: `${base}:tokens`, daily: `${base}:day:${day}` };
  }

  private async seed(key: KeyRecord, day: number): Promise<number> {
    if (key.policy.dailyTokens === null) return -1;
    const id = `${key.id}:${day}`;
    let seed = this.seeds.get(id);
    if (seed === undefined) {
      seed = await this.tokensSince(key.id, day * DAY_MS);
      if (this.seeds.size > 10_000) this.seeds.clear();
      this.seeds.set(id, seed);
    }
    return seed;
  }

  async admit(key: KeyRecord, now: number): Promise<void> {
    if (!hasLimits(key)) return;
    const { rpm, tpm, dailyTokens } = key.policy;
    const day = Math.floor(now / DAY_MS);
    const names = this.keys(key.id, day);
    const seed = await this.seed(key, day);
    const [which, wait] = await this.redis.pedigreeAdmit(names.requests, names.tokens, names.daily, Math.floor(now / 1000), rpm ?? -1, tpm ?? -1, dailyTokens ?? -1, seed).catch((error: unknown) => this.failed(error));
    if (which === "daily") throw limitError(key, "daily", secondsToMidnight(now));
    if (which !== "") throw limitError(key, which as LimitName, Number(wait));
  }

  async record(key: KeyRecord, now: number, tokens: number): Promise<void> {
    if (tokens <= 0 || !hasLimits(key)) return;
    const day = Math.floor(now / DAY_MS);
    const names = this.keys(key.id, day);
    const seed = await this.seed(key, day);
    await this.redis.pedigreeRecord(names.tokens, names.daily, Math.floor(now / 1000), tokens, seed).catch((error: unknown) => this.failed(error));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
