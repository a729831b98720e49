// The SQLite store runs the shared store and limits suites (limits in memory: one server per data
// directory, so the cross-replica case does not apply).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runLimitsSuite } from "./limits.case.js";
import { runStoreSuite } from "./store.case.js";
import { openDatabase } from "./sqlite/database.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";

async function openSqlite() {
  const dir = mkdtempSync(join(tmpdir(), "pedigree-store-"));
  const store = new SqliteStore(openDatabase(dir));
  const extra: SqliteStore[] = [];
  return {
    store,
    async sql(text: string, params: unknown[] = []) {
      const statement = store.db.prepare(text);
      return statement.reader ? (statement.all(...params) as Record<string, unknown>[]) : (statement.run(...params), []);
    },
    async reopen() {
      const other = new SqliteStore(openDatabase(dir));
      extra.push(other);
      return other;
    },
    async setSchemaVersion(version: number) {
      store.db.pragma(`user_version = ${version}`);
    },
    replica: () => null,
    async close() {
      for (const other of extra) await other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

runStoreSuite("SQLite", openSqlite);
runLimitsSuite("SQLite (memory)", openSqlite);
