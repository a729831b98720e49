// A saved reference scores exactly as the one it was saved from, and anything else is refused by name.
import { describe, expect, it } from "vitest";
import { buildReference, directExchanges, MonitorError, referenceFromJson, referenceToJson, scan, simulateTraffic } from "./index.js";
import { syntheticPools } from "./simulate/synthetic-pools.js";

const pools = syntheticPools("reference-file-pools");

describe("a saved reference", () => {
  const reference = buildReference(directExchanges(simulateTraffic({ seed: "saved", pools, benignKeys: 400, appKeys: 6, prefix: "ref" }).requests));

  it("gives the same alerts and p-values after a JSON round trip", () => {
    const restored = referenceFromJson(JSON.parse(JSON.stringify(referenceToJson(reference))), "saved.json");
    const traffic = directExchanges(simulateTraffic({ seed: "scanned", pools, benignKeys: 60, appKeys: 2, campaigns: [{ kind: "harvest", exchanges: 300 }, { kind: "hidden", share: 0.25 }], prefix: "live" }).requests);
    const before = scan(traffic, reference, { fpr: 0.2 });
    const after = scan(traffic, restored, { fpr: 0.2 });
    expect(before.alerts.length).toBeGreaterThan(0);
    expect(after).toEqual(before);
  });

  it("refuses another format or a damaged file, saying what is wrong", () => {
    const json = referenceToJson(reference);
    const refused = (value: unknown) => {
      try {
        referenceFromJson(value, "ref.json");
      } catch (error) {
        expect(MonitorError.isInstance(error) && error.code).toBe("MONITOR_REFERENCE_UNREADABLE");
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refused({ ...json, format: 99 })).toMatch(/ref\.json is not a saved monitor reference: format 99/);
    expect(refused({ ...json, centroids: [1, 2, 3] })).toMatch(/topic centroids/);
    expect(refused({ ...json, keyNull: { total: 1, scores: [1, 2] } })).toMatch(/nulls/);
    expect(refused({ ...json, partScale: undefined })).toMatch(/sub-population scale/);
    expect(refused([])).toMatch(/looks|centroids|format/);
  });
});
