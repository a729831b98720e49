// One server per SQLite data directory. Each server keeps its rate-limit windows in memory, so two
// servers on one directory would each admit a key's full rpm. The lock is a file created with O_EXCL
// holding the owner's pid; a lock whose pid is no longer alive (a server killed with -9) is stale and
// is taken over. It belongs to the SQLite store: a shared store for replicas needs no such lock.
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { GatewayError } from "./errors.js";

export interface LockOwner {
  pid: number;
  host: string;
  started: string;
  token: string;
}

export interface DataDirectoryLock {
  readonly path: string;
  /** Removes the lock file if it is still this owner's. Safe to call twice. */
  release(): void;
}

export function lockPath(dataDir: string): string {
  return join(dataDir, "gateway.lock");
}

function readOwner(path: string): LockOwner | null | "missing" {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return Number.isInteger(owner.pid) && owner.pid > 0 ? owner : null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** `judged`: the owner's pid was checked on this host; otherwise only the user can tell it is gone. */
function lockedError(dataDir: string, owner: LockOwner | null, judged: boolean): GatewayError {
  const who = owner ? `another gateway (pid ${owner.pid} on ${owner.host}, started ${owner.started})` : "another gateway (its lock file is unreadable)";
  const unreadable = judged ? "" : `; if no gateway runs there, delete ${lockPath(dataDir)}`;
  return new GatewayError(
    "DATA_DIR_LOCKED",
    `${who} is serving the data directory ${dataDir}: stop it, or give this server its own --data DIR (two servers on one directory would each enforce the rate limits on their own)${unreadable}`,
    { status: 500, type: "server_error" },
  );
}

function tryCreate(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(owner) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a stale lock out of the way. The rename is atomic, so of two servers taking over the same
 * stale lock only one moves it; if what was moved is not the stale lock seen (another server took it
 * over in between), it is put back.
 */
function removeStale(path: string, stale: LockOwner): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const moved = readOwner(aside);
  if (moved === "missing" || moved?.token !== stale.token) {
    try {
      linkSync(aside, path);
    } catch {
      // A third server holds the name now; the moved lock's owner keeps serving either way.
    }
  }
  rmSync(aside, { force: true });
}

/** Takes the data directory's lock or throws DATA_DIR_LOCKED naming the live owner. */
export function lockDataDirectory(dataDir: string, isAlive: (pid: number) => boolean = alive): DataDirectoryLock {
  const path = lockPath(dataDir);
  const owner: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString(), token: randomBytes(8).toString("hex") };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path, owner)) {
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          const current = readOwner(path);
          if (current !== "missing" && current?.token === owner.token) rmSync(path, { force: true });
        },
      };
    }
    const current = readOwner(path);
    if (current === "missing") continue;
    // An unreadable lock may be one being written this very moment, and a pid on another host cannot
    // be checked: both count as held.
    if (current === null || current.host !== owner.host) throw lockedError(dataDir, current, false);
    if (isAlive(current.pid)) throw lockedError(dataDir, current, true);
    removeStale(path, current);
  }
  throw lockedError(dataDir, null, false);
}
