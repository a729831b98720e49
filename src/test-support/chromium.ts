// Debian's chromium, driven by playwright-core, for the tests that look at a page in a real browser.
// `.ci/run` installs it. Under CI=true a missing Chromium fails those tests; on other machines they
// are skipped with one line saying why.
import { existsSync } from "node:fs";
import { expect } from "vitest";
import type { Browser, Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.PEDIGREE_CHROMIUM ?? "/usr/bin/chromium";

/** Whether the browser tests named `what` run here (the caller skips them when not). */
export function browserTestsRun(what: string): boolean {
  if (existsSync(CHROMIUM_PATH) || process.env.CI === "true") return true;
  process.stderr.write(`${what} skipped: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium or set PEDIGREE_CHROMIUM)\n`);
  return false;
}

export async function launchChromium(): Promise<Browser> {
  expect(existsSync(CHROMIUM_PATH), `CI needs Chromium at ${CHROMIUM_PATH}`).toBe(true);
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * Collects what a clean page never does: a console error or warning, an uncaught exception, a
 * dialog (a script some data smuggled in ran) or a request to a URL `allowed` refuses.
 */
export function watchForProblems(page: Page, allowed: (url: string) => boolean): string[] {
  const problems: string[] = [];
  page.on("console", (message) => { if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`); });
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("request", (request) => { if (!allowed(request.url())) problems.push(`request to ${request.url()}`); });
  page.on("dialog", (dialog) => { problems.push("a script ran"); void dialog.dismiss(); });
  return problems;
}
