// The one suite every LimitStore runs (memory, PostgreSQL, Redis): sliding-minute windows with
// Retry-After, the daily quota seeded from the log and reset at midnight UTC, and, for the stores
// replicas share, one limit across several stores at once.
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { entry } from "../test-support/temp-data.js";
import { keyPolicySchema, type KeyPolicyInput, type KeyRecord } from "./key-policy.js";
import type { GatewayStore } from "./store.js";

export interface LimitsFixture {
  store: GatewayStore;
  /** Another store on the same data and limits (another replica); null where limits are per process. */
  replica(): Promise<GatewayStore> | null;
  close(): Promise<void>;
}

const key = (policy: KeyPolicyInput): KeyRecord => ({ id: `key_${randomBytes(6).toString("hex")}`, name: "x", createdAt: 0, revokedAt: null, policy: keyPolicySchema.parse(policy) });

async function retryAfter(admit: Promise<void>): Promise<number> {
  try {
    await admit;
    return 0;
  } catch (error) {
    const retry = (error as { retryAfter?: number }).retryAfter;
    if (retry === undefined) throw error;
    return retry;
  }
}

export function runLimitsSuite(name: string, open: () => Promise<LimitsFixture>): void {
  describe(`${name}: limits`, () => {
    let fixture: LimitsFixture;
    beforeEach(async () => void (fixture = await open()));
    afterEach(() => fixture.close());

    it("counts requests over a sliding minute and says when the oldest leaves", async () => {
      const { limits } = fixture.store;
      const k = key({ rpm: 2 });
      const t0 = 1_000_000_000_000;
      await limits.admit(k, t0);
      await limits.admit(k, t0 + 20_000);
      expect(await retryAfter(limits.admit(k, t0 + 30_000))).toBe(30);
      expect(await retryAfter(limits.admit(k, t0 + 60_000))).toBe(0);
    });

    it("counts tokens per minute once recorded", async () => {
      const { limits } = fixture.store;
      const k = key({ tpm: 10 });
      const t0 = 1_000_000_000_000;
      await limits.admit(k, t0);
      await limits.record(k, t0, 12);
      await expect(limits.admit(k, t0 + 1000)).rejects.toMatchObject({ code: "RATE_LIMIT_EXCEEDED", retryAfter: 59, message: expect.stringContaining("10 tokens per minute") });
      expect(await retryAfter(limits.admit(k, t0 + 60_000))).toBe(0);
    });

    it("seeds the daily quota from the log and resets at midnight UTC", async () => {
      const { limits } = fixture.store;
      const k = key({ dailyTokens: 100 });
      const noon = 86_400_000 * 20_000 + 43_200_000;
      const writer = await fixture.store.openWriter("replica-limits");
      await writer.append(entry(1, { key_id: k.id, ts: noon - 1000, total_tokens: 90 }));
      await limits.admit(k, noon);
      await limits.record(k, noon, 10);
      await expect(limits.admit(k, noon + 1000)).rejects.toMatchObject({ code: "INSUFFICIENT_QUOTA", retryAfter: 43_199 });
      // The next day starts from what the log holds for that day (nothing yet).
      expect(await retryAfter(limits.admit(k, noon + 43_200_000))).toBe(0);
    });

    it("a key without limits is always admitted", async () => {
      const k = key({});
      for (let i = 0; i < 5; i++) await fixture.store.limits.admit(k, 1_000_000_000_000);
    });

    it("replicas share one limit: rpm 5 admits exactly 5 of 30 concurrent requests across three stores", async (context) => {
      const others = [fixture.replica(), fixture.replica()];
      if (others[0] === null) return context.skip();
      const stores = [fixture.store, ...(await Promise.all(others as Promise<GatewayStore>[]))];
      try {
        const k = key({ rpm: 5 });
        const now = 1_000_000_000_000;
        const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => stores[i % 3]!.limits.admit(k, now)));
        expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(5);
        expect(outcomes.filter((outcome) => outcome.status === "rejected").map((outcome) => (outcome as PromiseRejectedResult).reason.code)).toEqual(Array(25).fill("RATE_LIMIT_EXCEEDED"));
      } finally {
        await Promise.all(stores.slice(1).map((store) => store.close()));
      }
    });
  });
}
