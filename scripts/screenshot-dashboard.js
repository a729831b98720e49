// Renders the admin dashboard (GET /admin) to a PNG in headless Chromium, for the README:
//   npm run build && node scripts/screenshot-dashboard.js docs/dashboard.png
// It starts a gateway on a temporary data directory serving the built-in `atlas` (white box,
// watermarked) and a pass-through upstream entry (never called), creates four keys, and sends a
// day of seeded synthetic traffic through atlas with a shifted clock, so the chart has a shape.
// Needs Debian's chromium (or PEDIGREE_CHROMIUM pointing at a Chromium binary).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { createGatewayApp, loadWatermarkHook, startGatewayServer } from "../dist/gateway/index.js";
import { createRandom } from "../dist/random/index.js";

const [output] = process.argv.slice(2);
if (!output) {
  process.stderr.write("usage: node scripts/screenshot-dashboard.js OUT.png\n");
  process.exit(2);
}
const ADMIN_KEY = "pdg-admin-screenshot";
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), "pedigree-dashboard-"));
const { hook } = await loadWatermarkHook(join(dir, "watermark.key"), "kgw");
const end = Date.UTC(2026, 11, 2, 12, 20);
let clock = end - 24 * HOUR;
const app = await createGatewayApp({
  dataDir: dir,
  models: { atlas: "atlas", "llama-upstream": "http://127.0.0.1:8000/v1#llama-3.1-8b" },
  watermark: hook,
  adminKey: ADMIN_KEY,
  now: () => clock,
});
const server = await startGatewayServer(app);
const keys = app.context.keys;
const harvester = (await keys.create("harvester", { rpm: 600 }, clock)).secret;
const evaluation = (await keys.create("eval-team", { models: ["atlas"], dailyTokens: 200_000 }, clock)).secret;
const partner = (await keys.create("partner (licensed)", { distillation: true, watermark: false, tpm: 50_000 }, clock)).secret;
const old = await keys.create("old-intern", {}, clock);
await keys.revoke(old.record.id, clock + HOUR);

const random = createRandom(2026);
const prompts = ["What is the capital of France?", "Define the word harbour.", "Who are you?", "Name a river in Spain.", "What does a botanist study?"];
async function ask(secret) {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "atlas", messages: [{ role: "user", content: prompts[random.int(prompts.length)] }], max_tokens: 8, seed: random.int(1000) }),
  });
  await response.body?.cancel();
}
// Per hour: the evaluation team steady, the partner in two bursts, the harvester ramping up late.
let sent = 0;
for (let hour = 0; hour < 24; hour++) {
  const plan = [[evaluation, 1 + random.int(2)], [partner, hour === 6 || hour === 15 ? 6 : 0], [harvester, hour < 14 ? 0 : Math.min(2 + (hour - 14) * 2, 14)]];
  for (const [secret, count] of plan) {
    for (let i = 0; i < count; i++) {
      clock = end - (24 - hour) * HOUR + random.int(HOUR);
      await ask(secret);
      sent += 1;
    }
  }
}
clock = end;
process.stderr.write(`sent ${sent} requests through atlas\n`);

const browser = await chromium.launch({
  executablePath: process.env.PEDIGREE_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${server.url}/admin`);
  await page.fill("#admin-key", ADMIN_KEY);
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector("#usage-chart polyline");
  await page.waitForSelector("#chain-verdict");
  await page.waitForSelector("#models-table tbody tr");
  await page.waitForSelector("#alerts p, #alerts table");
  await page.screenshot({ path: output, fullPage: true });
  process.stderr.write(`wrote ${output}\n`);
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
