// Crash safety: bounded load against a real server process, SIGKILL, restart. Every exchange that got
// a 200 must be in the log, and the chain must verify.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase } from "./store/sqlite/database.js";
import { SqliteKeys } from "./store/sqlite/sqlite-keys.js";
import { verifySqliteLog } from "./store/sqlite/sqlite-log-reader.js";
import { bundleServer, startServer as spawnServer } from "./test-support/spawn-server.js";

const ADMIN = "pdg-crash-admin";
let bundle: { path: string; remove(): void };
let dir: string;

beforeAll(async () => {
  bundle = await bundleServer("crash-server.ts");
  dir = mkdtempSync(join(tmpdir(), "pedigree-crash-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  bundle.remove();
});

const startServer = () => spawnServer(bundle.path, [dir, ADMIN]);

it("every exchange answered 200 before a SIGKILL is in the log, and the chain verifies", async () => {
  const db = openDatabase(dir);
  const { secret } = await new SqliteKeys(db).create("load");
  db.close();

  const { child, url } = await startServer();
  const confirmed: string[] = [];
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (!killed) {
      const marker = `req-${next++}`;
      try {
        const response = await fetch(`${url}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "echo", messages: [{ role: "user", content: marker }] }),
        });
        if (response.status === 200 && ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content === `echo: ${marker}`) confirmed.push(marker);
      } catch {
        // Requests cut off by the kill never got a 200.
      }
    }
  };
  const workers = Array.from({ length: 8 }, worker);
  while (confirmed.length < 300) await new Promise((resolve) => setTimeout(resolve, 5));
  child.kill("SIGKILL");
  killed = true;
  await Promise.all(workers);
  // Requests in flight at the kill may or may not have been answered; only the 200s are checked.
  expect(confirmed.length).toBeGreaterThanOrEqual(300);

  const restarted = await startServer();
  try {
    const verify = await fetch(`${restarted.url}/admin/log/verify`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(await verify.json()).toMatchObject({ ok: true, first_bad_row: null });
    const check = openDatabase(dir);
    const logged = new Set(check.prepare<[], { request: string }>("SELECT request FROM exchanges WHERE kind = 'exchange'").all().map((row) => (JSON.parse(row.request) as { messages: { content: string }[] }).messages[0]!.content));
    expect(confirmed.filter((marker) => !logged.has(marker))).toEqual([]);
    expect(verifySqliteLog(check)).toMatchObject({ ok: true });
    check.close();
  } finally {
    restarted.child.kill("SIGKILL");
  }
});
