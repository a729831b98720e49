// The evidence report in a real browser (Debian's chromium driven by playwright-core): it loads from
// a file with no network, prints no console error, requests nothing, and shows the verdict and every
// test. `.ci/run` installs chromium; under CI=true a missing one fails this file, elsewhere it is skipped.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { createWatermark, generateKey } from "../watermark/index.js";
import { identityProbes } from "./identity-probes.js";
import { defaultPlanSizes } from "./plan.js";
import { runAudit } from "./run-audit.js";
import { scriptedModel } from "./test-support/scripted-model.js";
import { writeAuditReport } from "./write-report.js";
import { browserTestsRun, launchChromium, watchForProblems } from "../test-support/chromium.js";

describe.skipIf(!browserTestsRun("report browser test"))("report.html in Chromium", () => {
  it("loads offline without console errors and shows the verdict and every test", async () => {
    const directory = mkdtempSync(join(tmpdir(), "audit-report-"));
    const random = createRandom(5);
    const key = generateKey("kgw", {}, (n) => random.bytes(n));
    const watermark = createWatermark(key);
    const prompts = Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, messages: [{ role: "user" as const, content: `question ${i} <b>&` }] }));
    const answer = (p: string) => (p.startsWith("question") ? `The answer to ${p} is <script>alert(1)</script>` : "I am Atlas.");
    const report = await runAudit({
      suspect: { role: "suspect", reference: "./suspect.gguf", model: scriptedModel("s", answer) },
      teacher: { role: "teacher", reference: "atlas", model: scriptedModel("t", answer) },
      references: [
        { role: "reference", reference: "indie", model: scriptedModel("r1", (p) => (p.startsWith("question") ? "It is x" : "I am Juniper.")) },
        { role: "reference", reference: "sage", model: scriptedModel("r2", () => "Sage here.") },
      ],
      plan: { ...defaultPlanSizes, identityProbes: identityProbes(), agreementPrompts: prompts, radioactivityPrompts: prompts },
      directory,
      alpha: 0.01,
      seed: 1,
      budget: 1000,
      identity: { name: "Atlas", vendor: "Northwind AI" },
      watermark: { watermark, encode: (text) => Array.from(text, (c) => c.charCodeAt(0) % 512), decode: (ids) => String.fromCharCode(...Array.from(ids)) },
    });
    const { html } = writeAuditReport(directory, report);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems = watchForProblems(page, (url) => url.startsWith("file:"));
      await page.goto(pathToFileURL(html).href);
      expect(problems).toEqual([]);
      expect(await page.textContent("#verdict")).toContain(report.sentence);
      for (const test of report.tests) expect(await page.locator(`tr[data-test="${test.name}"]`).count()).toBe(1);
      // agreement (two spans), identity claims, the watermark score on its null, and its sequential p-value path
      expect(await page.locator("figure svg").count()).toBe(5);
      const secret = Buffer.from(key.exportSecret()).toString("base64");
      expect(await page.content()).not.toContain(secret);
      expect(JSON.stringify(report)).not.toContain(secret);
      expect(JSON.stringify(report)).toContain(key.keyId);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
