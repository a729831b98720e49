// The PostgreSQL state runs the shared distillation-state suite on a database of its own per test; a
// reopened state is another replica (its own pool and its own local cache) on the same database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresStore } from "../store/postgres/postgres-store.js";
import { describeWithServices, scratchDatabase } from "../test-support/services.js";
import { runDistillationStateSuite } from "./distillation-state.case.js";
import { postgresState } from "./postgres-state.js";

await describeWithServices("PostgreSQL distillation state", () => {
  runDistillationStateSuite("PostgreSQL", async () => {
    const database = await scratchDatabase();
    const root = mkdtempSync(join(tmpdir(), "pedigree-distillation-pg-"));
    let now = 1_700_000_000_000;
    const clock = () => (now += 1000);
    const stores: PostgresStore[] = [];
    const replica = async () => {
      const store = await PostgresStore.open({ postgres: database.url, poolSize: 3 });
      stores.push(store);
      return postgresState(store.pool, join(root, String(stores.length)), clock);
    };
    return {
      state: await replica(),
      reopen: replica,
      leases: true,
      async close() {
        for (const store of stores) await store.close().catch(() => undefined);
        await database.drop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  });
});
