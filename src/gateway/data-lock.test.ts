// One server per data directory: a live lock refuses a second server, a dead owner's lock is taken
// over, and closing the app releases it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGatewayApp } from "./app.js";
import { lockDataDirectory, lockPath } from "./data-lock.js";
import { GatewayError } from "./errors.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pedigree-lock-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lockError = (work: () => unknown): GatewayError => {
  try {
    work();
  } catch (error) {
    if (GatewayError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected DATA_DIR_LOCKED");
};

const writeLock = (pid: number, host = hostname()) =>
  writeFileSync(lockPath(dir), JSON.stringify({ pid, host, started: "2024-01-01T00:00:00.000Z", token: "old" }));

describe("lockDataDirectory", () => {
  it("refuses a second owner while the first holds it, naming the owner's pid", () => {
    const first = lockDataDirectory(dir);
    const error = lockError(() => lockDataDirectory(dir));
    expect(error.code).toBe("DATA_DIR_LOCKED");
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(error.message).toContain(dir);
    first.release();
    expect(existsSync(lockPath(dir))).toBe(false);
    lockDataDirectory(dir).release();
  });

  it("takes over the lock of a process that is gone", () => {
    const exited = spawnSync(process.execPath, ["-e", ""]).pid!;
    writeLock(exited);
    const lock = lockDataDirectory(dir);
    expect(JSON.parse(readFileSync(lockPath(dir), "utf8"))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it("treats a live pid, an unreadable file and another host's lock as held", () => {
    writeLock(12345);
    expect(lockError(() => lockDataDirectory(dir, () => true)).message).toContain("pid 12345");
    writeLock(12345, "elsewhere");
    expect(lockError(() => lockDataDirectory(dir, () => false)).message).toContain(`delete ${lockPath(dir)}`);
    writeFileSync(lockPath(dir), "");
    expect(lockError(() => lockDataDirectory(dir, () => false)).code).toBe("DATA_DIR_LOCKED");
    // Checked with the injected liveness: a dead pid on this host is stale.
    writeLock(12345);
    lockDataDirectory(dir, () => false).release();
  });

  it("release leaves a lock that another owner took over alone", () => {
    const lock = lockDataDirectory(dir);
    writeLock(12345);
    lock.release();
    expect(existsSync(lockPath(dir))).toBe(true);
  });
});

describe("the gateway app", () => {
  it("a second app on one data directory fails; closing the first frees it", async () => {
    const first = await createGatewayApp({ dataDir: dir, models: {} });
    await expect(createGatewayApp({ dataDir: dir, models: {} })).rejects.toMatchObject({ code: "DATA_DIR_LOCKED" });
    await first.close();
    const second = await createGatewayApp({ dataDir: dir, models: {} });
    await second.close();
    expect(existsSync(lockPath(dir))).toBe(false);
  });
});
