// Renders an audit report (DIR/report.html) to a PNG in headless Chromium, for the README:
//   node scripts/screenshot-report.js .pedigree/story/audit-student/report.html docs/audit-report.png
// Needs Debian's chromium (or PEDIGREE_CHROMIUM pointing at a Chromium binary).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write("usage: node scripts/screenshot-report.js REPORT.html OUT.png\n");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.PEDIGREE_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1060, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(resolve(input)).href);
  await page.screenshot({ path: output, fullPage: true });
  process.stderr.write(`wrote ${output}\n`);
} finally {
  await browser.close();
}
