// Checking an exported log as the audit does: today's exports (chains, events) and an export written
// before chains had names (no `chain` field, rows hashed as then).
import { expect, it } from "vitest";
import { entry } from "./test-support/temp-data.js";
import { chainRows, eventContent, exchangeContent, GENESIS_HASH, LEGACY_CHAIN, rowHash } from "./store/hash-chain.js";
import { exchangeJson } from "./store/log-rows.js";
import { verifyExportedRows, type ExportedRow } from "./verify-export.js";

const exported = (rows: ReturnType<typeof chainRows>) => rows.map((row, i) => JSON.parse(JSON.stringify(exchangeJson({ ...row, id: i + 1 }))) as ExportedRow);

it("verifies exchanges and events of several chains, and names the first bad row of each", () => {
  const a = chainRows("replica-a", { seq: 0, hash: GENESIS_HASH }, [exchangeContent(entry(1)), eventContent({ type: "job.created", key_id: null, payload: { job: "ft-1", steps: [1, 2] } }, 5), exchangeContent(entry(2))]);
  const b = chainRows("replica-b", { seq: 0, hash: GENESIS_HASH }, [exchangeContent(entry(3))]);
  const rows = exported([...a, ...b]);
  expect(verifyExportedRows(rows)).toMatchObject({ ok: true, rows: 4, chains: [{ chain: "replica-a", rows: 3 }, { chain: "replica-b", rows: 1 }] });
  const edited = rows.map((row) => (row.event_type === "job.created" ? { ...row, payload: { job: "ft-2", steps: [1, 2] } } : row));
  expect(verifyExportedRows(edited)).toMatchObject({ ok: false, first_bad_chain: "replica-a", first_bad_row: 2 });
  expect(verifyExportedRows(rows.filter((row) => row.seq !== 2))).toMatchObject({ ok: false, first_bad_row: 2, reason: expect.stringContaining("missing") });
});

it("verifies an export from before named chains (rows hashed with their id)", () => {
  let prev = GENESIS_HASH;
  const legacy = [1, 2, 3].map((id) => {
    const fields = { ...exchangeContent(entry(id)), chain: LEGACY_CHAIN, seq: id, format: 1, prev_hash: prev };
    prev = rowHash(fields);
    const { chain: _chain, seq: _seq, format: _format, kind: _kind, event_type: _type, payload: _payload, ...old } = { ...fields, id, hash: prev };
    return { ...old, request: JSON.parse(old.request) as unknown, distillation_licensed: false, time: new Date(old.ts).toISOString() } as ExportedRow;
  });
  expect(verifyExportedRows(legacy)).toMatchObject({ ok: true, rows: 3, chains: [{ chain: LEGACY_CHAIN }] });
  expect(verifyExportedRows(legacy.map((row) => (row.id === 2 ? { ...row, response: "forged" } : row)))).toMatchObject({ ok: false, first_bad_row: 2 });
});
