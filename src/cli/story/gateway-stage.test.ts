// The story's watermark key follows its seed (a run can be reproduced); without one it is random.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { startGatewayStage } from "./gateway-stage.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-stage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function keyId(name: string, keySeed?: number): Promise<string> {
  mkdirSync(join(dir, name));
  const stage = await startGatewayStage(join(dir, name), "atlas", { keySeed });
  await stage.close();
  return stage.watermark.keyId;
}

it("derives the watermark key from the seed when one is given", async () => {
  const [a, b, c, d, e] = [await keyId("a", 5), await keyId("b", 5), await keyId("c", 6), await keyId("d"), await keyId("e")];
  expect(a).toBe(b);
  expect(c).not.toBe(a);
  expect(d).not.toBe(e);
});
