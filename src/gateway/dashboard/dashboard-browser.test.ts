// The dashboard in a real browser (Debian's chromium driven by playwright-core): sign in with the
// admin key, create a key, see it listed, revoke it, with no console error, no request beyond the
// gateway, and server data rendered as text. Under CI=true a missing chromium fails this file; on
// other machines it is skipped with one line saying so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoModel, fakeTokenModel, fakeWatermark } from "../test-support/fake-models.js";
import { ADMIN_KEY, startHarness, type Harness } from "../test-support/harness.js";
import { browserTestsRun, launchChromium, watchForProblems } from "../../test-support/chromium.js";


const HOSTILE = `<img src=x onerror="alert(1)">&amp;`;
let harness: Harness;

describe.skipIf(!browserTestsRun("dashboard browser test"))("the admin dashboard in Chromium", () => {
  beforeAll(async () => {
    harness = await startHarness({ echo: echoModel(), atlas: fakeTokenModel() }, { watermark: { ...fakeWatermark(), scheme: "kgw" } });
    const { secret } = await harness.createKey(HOSTILE, { rpm: 100 });
    await harness.client(secret).chat.completions.create({ model: "echo", messages: [{ role: "user", content: "hello" }] });
  });
  afterAll(() => harness.stop());

  it("signs in, creates a key, lists it and revokes it without console errors", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems = watchForProblems(page, (url) => url.startsWith(harness.server.url) || url.startsWith("data:"));

      await page.goto(`${harness.server.url}/admin`);
      await page.fill("#admin-key", ADMIN_KEY);
      await page.click("#login-form button[type=submit]");
      await page.waitForSelector("#app:not([hidden])");
      await page.waitForSelector("#keys-table tbody tr");
      // A hostile key name shows as text: no element was made from it.
      expect(await page.locator("#keys-table tbody td", { hasText: HOSTILE }).count()).toBe(1);
      expect(await page.locator("#keys-table img").count()).toBe(0);

      await page.fill("#new-name", "browser key");
      await page.fill("#new-rpm", "60");
      await page.click("#create-key");
      await page.waitForSelector("#new-secret:not([hidden])");
      const secret = (await page.textContent("#new-secret-value"))!;
      expect(secret).toMatch(/^pdg-/);
      const row = page.locator("#keys-table tbody tr", { has: page.locator("td", { hasText: /^browser key$/ }) });
      await row.waitFor();
      expect(await row.locator("td").nth(4).textContent()).toBe("60 rpm");
      const keyId = (await row.getAttribute("data-key-id"))!;
      const answer = await harness.client(secret).chat.completions.create({ model: "echo", messages: [{ role: "user", content: "hi" }] });
      expect(answer.choices[0]!.message.content).toBe("echo: hi");

      await row.locator("button[data-action=revoke]").click();
      expect(await row.locator("button[data-action=revoke]").textContent()).toBe("Confirm revoke");
      await row.locator("button[data-action=revoke]").click();
      await page.locator(`tr[data-key-id="${keyId}"] .key-status`, { hasText: "revoked" }).waitFor();
      expect((await harness.app.context.keys.get(keyId))!.revokedAt).not.toBeNull();
      await expect(harness.client(secret).chat.completions.create({ model: "echo", messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ status: 401 });

      // The other sections: the chart has a line per key that made requests, the chain verifies,
      // each model's protection, and the monitor's absence.
      await page.click("#refresh");
      await page.locator("#usage-chart polyline").nth(1).waitFor();
      expect(await page.locator("#usage-chart polyline").count()).toBe(2);
      expect(await page.locator("#usage-legend li").allTextContents()).toEqual(expect.arrayContaining([`${HOSTILE}: 1`, "browser key: 1"]));
      expect(await page.textContent("#chain-verdict")).toBe("intact");
      expect(await page.locator("#models-table tr[data-model=atlas]").textContent()).toContain("on: kgw");
      expect(await page.locator("#models-table tr[data-model=echo]").textContent()).toContain("off");
      expect(await page.textContent("#monitor-off")).toBe("monitor not enabled");

      // The key lives in session storage: a reload stays signed in.
      await page.reload();
      await page.waitForSelector("#app:not([hidden])");
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it("shows the monitor's alerts as text when the monitor is enabled", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems = watchForProblems(page, (url) => url.startsWith(harness.server.url) || url.startsWith("data:"));
      // The monitor is another room; its two replies are stood in for here.
      await page.route("**/admin/status", (route) => route.fulfill({ json: { monitor: true, metrics_token: false, models: 2 } }));
      await page.route("**/admin/alerts", (route) => route.fulfill({ json: { alerts: [{ scope: "key", keys: ["key_x"], p_value: 3.2e-9, signals: [HOSTILE, "coverage"], action: "flag" }] } }));
      await page.goto(`${harness.server.url}/admin`);
      await page.evaluate(`sessionStorage.setItem("pedigree.adminKey", ${JSON.stringify(ADMIN_KEY)})`);
      await page.reload();
      await page.waitForSelector("#alerts table");
      const cells = await page.locator("#alerts tbody td").allTextContents();
      expect(cells).toEqual(["key", "key_x", "3.2e-9", `${HOSTILE}, coverage`, "flag"]);
      expect(await page.locator("#alerts img").count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
