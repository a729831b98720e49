// The monitor end to end on simulated traffic: benign key-days alert at most at the stated rate
// (the calibration test), and each campaign of the simulator is caught.
import { beforeAll, describe, expect, it } from "vitest";
import { buildReference, directExchanges, scan, simulateTraffic, type Reference } from "./index.js";
import { syntheticPools } from "./simulate/synthetic-pools.js";
import { CAMPAIGN_TEMPLATES } from "./simulate/templates.js";
import { elicits } from "./text-features.js";

const pools = syntheticPools("monitor-test-pools");
let reference: Reference;

beforeAll(() => {
  const benign = simulateTraffic({ seed: "reference", pools, benignKeys: 1500, appKeys: 20, prefix: "ref" });
  reference = buildReference(directExchanges(benign.requests));
});

describe("calibration on benign traffic", () => {
  it("flags benign key-days at most at the configured rate", () => {
    // Fresh benign clients (another seed, other key names), scored at several rates at once.
    const benign = simulateTraffic({ seed: "benign-test", pools, benignKeys: 1200, appKeys: 15, days: 2, prefix: "test" });
    // One scan at the largest rate: an alert at rate α is one whose p-value is ≤ α.
    const result = scan(directExchanges(benign.requests), reference, { fpr: 0.2 });
    const n = result.key_days;
    expect(n).toBeGreaterThan(1500);
    for (const fpr of [0.01, 0.05, 0.2]) {
      const alerts = result.alerts.filter((alert) => alert.p_value <= fpr);
      const keyAlerts = alerts.filter((alert) => alert.scope === "key").length;
      const clusterKeys = alerts.filter((alert) => alert.scope === "cluster").reduce((sum, alert) => sum + alert.keys.length, 0);
      // P(p ≤ α) ≤ α for each key-day; allow three binomial standard errors of sampling noise.
      const slack = 3 * Math.sqrt((fpr * (1 - fpr)) / n);
      expect(keyAlerts / n).toBeLessThanOrEqual(fpr + slack);
      expect(clusterKeys / n).toBeLessThanOrEqual(fpr + slack);
    }
  });

  it("states the smallest p-value its reference can give", () => {
    expect(scan([], reference).p_floor).toBeCloseTo(1 / (reference.calibrationWindows + 1), 12);
  });
});

describe("calibration where sub-populations are common", () => {
  // Apps are where a key's day splits into sub-populations (a second tool's client, a templated
  // subset): a reference and a test set made mostly of apps put those looks in the null's tail.
  it("flags benign app days at most at the configured rate", () => {
    // One day per key on both sides, in the same mix: an app's days are alike, so several of them
    // would count as less than several independent draws.
    const mix = { benignKeys: 60, appKeys: 80 };
    const appReference = buildReference(directExchanges(simulateTraffic({ seed: "apps-reference", pools, ...mix, prefix: "ref" }).requests));
    const benign = simulateTraffic({ seed: "apps-test", pools, ...mix, prefix: "test" });
    const result = scan(directExchanges(benign.requests), appReference, { fpr: 0.2 });
    const n = result.key_days;
    expect(n).toBeGreaterThan(120);
    for (const fpr of [0.05, 0.1, 0.2]) {
      const keyAlerts = result.alerts.filter((alert) => alert.scope === "key" && alert.p_value <= fpr).length;
      expect(keyAlerts / n).toBeLessThanOrEqual(fpr + 3 * Math.sqrt((fpr * (1 - fpr)) / n));
    }
  });
});

describe("campaigns", () => {
  const run = (campaigns: Parameters<typeof simulateTraffic>[0]["campaigns"], seed: string) => {
    const traffic = simulateTraffic({ seed, pools, benignKeys: 150, appKeys: 3, campaigns, prefix: "live" });
    return { traffic, result: scan(directExchanges(traffic.requests), reference, { fpr: 0.01 }) };
  };

  it("catches a harvest within 200 exchanges", () => {
    const { result } = run([{ kind: "harvest", exchanges: 600 }], "harvest");
    const alert = result.alerts.find((candidate) => candidate.keys.includes("live-harvest-1") && candidate.scope === "key");
    expect(alert).toBeDefined();
    expect(alert!.exchanges_before_alert).toBeLessThanOrEqual(200);
    expect(alert!.signals).toContain("rate");
  });

  it("catches a campaign hidden at a quarter of an app key's traffic", () => {
    const { result } = run([{ kind: "hidden", share: 0.25 }], "hidden");
    expect(result.alerts.some((alert) => alert.keys.includes("live-hidden-25-1"))).toBe(true);
  });

  it("catches a campaign at 5% of an app key's traffic that sends the app's own options", () => {
    const traffic = simulateTraffic({ seed: "same-options", pools, benignKeys: 150, appKeys: 3, campaigns: [{ kind: "hidden", share: 0.05 }], prefix: "live" });
    // Every request of the host key with the campaign's options: no second client to split off.
    for (const request of traffic.requests) if (request.key === "live-hidden-5-1") request.params = { temperature: 0, max_tokens: 1024 };
    const result = scan(directExchanges(traffic.requests), reference, { fpr: 0.01 });
    expect(result.alerts.some((alert) => alert.scope === "key" && alert.keys.includes("live-hidden-5-1"))).toBe(true);
  });

  it("catches a campaign at 5% of an app key's traffic whose wrappers elicit no reasoning", () => {
    // Two wrappers that only ask for long, complete answers: what is left is one client rotating
    // two templates, which a benign second tool with a template of its own does not do.
    const traffic = simulateTraffic({ seed: "plain-wrappers", pools, benignKeys: 150, appKeys: 3, campaigns: [{ kind: "hidden", share: 0.05 }], prefix: "live" });
    const wrappers = [CAMPAIGN_TEMPLATES[2], CAMPAIGN_TEMPLATES[5]];
    const questions = Object.values(pools).flat();
    let sent = 0;
    for (const request of traffic.requests) {
      if (request.campaign === null) continue;
      request.messages = [{ role: "user", content: wrappers[sent % 2]!.replace("{q}", questions[(sent * 7919) % questions.length]!) }];
      sent++;
    }
    expect(sent).toBeGreaterThan(30);
    expect(traffic.requests.some((request) => request.campaign !== null && elicits(request.messages[0]!.content))).toBe(false);
    const result = scan(directExchanges(traffic.requests), reference, { fpr: 0.01 });
    expect(result.alerts.some((alert) => alert.scope === "key" && alert.keys.includes("live-hidden-5-1"))).toBe(true);
  });

  it("clusters a hydra of 50 light keys", () => {
    const { result } = run([{ kind: "hydra", keys: 50, perKey: 40 }], "hydra");
    const cluster = result.alerts.find((alert) => alert.scope === "cluster");
    expect(cluster).toBeDefined();
    expect(cluster!.keys.filter((key) => key.startsWith("live-hydra-1-")).length).toBeGreaterThanOrEqual(45);
    expect(cluster!.keys.filter((key) => !key.startsWith("live-hydra-1-")).length).toBeLessThanOrEqual(2);
  });
});
