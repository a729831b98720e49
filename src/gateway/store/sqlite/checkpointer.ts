// Moves WAL checkpoints (the only step that fsyncs in "process" durability) off the event loop: the
// server's connection stops auto-checkpointing and a worker thread with its own connection runs a
// PASSIVE checkpoint every `intervalMs`. Passive checkpoints never block the writer.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { SqliteDatabase } from "./database.js";

const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 1000");
const timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch { /* busy: next tick */ }
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(db: SqliteDatabase, intervalMs = 500): Checkpointer {
  db.pragma("wal_autocheckpoint = 0");
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(workerSource, { eval: true, workerData: { driver, path: db.name, intervalMs } });
  worker.unref();
  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        // The worker is unref'd while it idles; hold the event loop until it has really exited, or a
        // caller awaiting stop() in an otherwise idle process would never resume.
        worker.ref();
        worker.once("exit", () => resolve());
        worker.postMessage("stop");
      }).then(() => {
        // Back to SQLite's default so a later connection (or this one) does not let the WAL grow.
        if (db.open) db.pragma("wal_autocheckpoint = 1000");
      });
      return stopped;
    },
  };
}
