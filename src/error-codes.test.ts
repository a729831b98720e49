// Every room's error codes: closed lists (a code outside its room's union does not compile), each code
// owned by exactly one room, and the failures a user meets carry their room's error and code.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { AUDIT_ERROR_CODES, AuditError } from "./audit/errors.js";
import { commandTable } from "./cli/command-table.js";
import { CLI_ERROR_CODES, CliError, UsageError } from "./cli/errors.js";
import { runCli } from "./cli/test-support/run-cli.js";
import { CORPUS_ERROR_CODES, CorpusError } from "./corpus/errors.js";
import { DEFEND_ERROR_CODES } from "./defend/errors.js";
import { DISTILL_ERROR_CODES, DistillError } from "./distill/data/errors.js";
import { makeRow } from "./distill/data/test-support/rows.js";
import { trainStudent } from "./distill/train/train-student.js";
import { ENGINE_ERROR_CODES, EngineError } from "./engine/errors.js";
import { distillationLoss } from "./engine/losses/distillation.js";
import { tinyGguf } from "./engine/test-support/tiny-gguf.js";
import { FILES_ERROR_CODES, FilesError } from "./files/errors.js";
import type { GatewayApp } from "./gateway/app.js";
import { Backends } from "./gateway/backends.js";
import { GATEWAY_ERROR_CODES, GatewayError, badRequest } from "./gateway/errors.js";
import type { ExchangeEntry } from "./gateway/store/hash-chain.js";
import { openDatabase } from "./gateway/store/sqlite/database.js";
import { SqliteStore } from "./gateway/store/sqlite/sqlite-store.js";
import { errorResponse } from "./gateway/http.js";
import { startGatewayServer } from "./gateway/node-server.js";
import { openEngineModel } from "./models/builtin/index.js";
import { MODEL_ERROR_CODES, ModelError } from "./models/errors.js";
import { resolveModel } from "./models/resolve.js";
import { MONITOR_ERROR_CODES } from "./monitor/errors.js";
import { RANDOM_ERROR_CODES, RandomError } from "./random/errors.js";
import { STATS_ERROR_CODES, StatsError } from "./stats/errors.js";
import { WATERMARK_ERROR_CODES, WatermarkError } from "./watermark/errors.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-error-codes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codesByRoom: Record<string, readonly string[]> = {
  audit: AUDIT_ERROR_CODES, cli: CLI_ERROR_CODES, corpus: CORPUS_ERROR_CODES, defend: DEFEND_ERROR_CODES, distill: DISTILL_ERROR_CODES,
  engine: ENGINE_ERROR_CODES, files: FILES_ERROR_CODES, gateway: GATEWAY_ERROR_CODES, models: MODEL_ERROR_CODES,
  monitor: MONITOR_ERROR_CODES, random: RANDOM_ERROR_CODES, stats: STATS_ERROR_CODES, watermark: WATERMARK_ERROR_CODES,
};

describe("error codes", () => {
  it("belong to one room each, so an `error [CODE]` line names one failure", () => {
    const rooms = new Map<string, string[]>();
    for (const [room, codes] of Object.entries(codesByRoom)) for (const code of codes) rooms.set(code, [...(rooms.get(code) ?? []), room]);
    expect([...rooms].filter(([, owners]) => owners.length > 1)).toEqual([]);
    for (const code of rooms.keys()) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });

  it("are closed: no class takes a code outside its room's list", () => {
    // tsc checks this file: each @ts-expect-error holds only while the class's code parameter is a
    // closed union; were one to accept any string again, the unused directive fails the typecheck.
    const unknownCode = "NO_SUCH_CODE";
    const attempts = [
      // @ts-expect-error not an audit code
      () => new AuditError(unknownCode, ""),
      // @ts-expect-error not a CLI code
      () => new CliError(unknownCode, ""),
      // @ts-expect-error not a corpus code
      () => new CorpusError(unknownCode, ""),
      // @ts-expect-error not a distillation code
      () => new DistillError(unknownCode, ""),
      // @ts-expect-error not an engine code
      () => new EngineError(unknownCode, ""),
      // @ts-expect-error not a files code
      () => new FilesError(unknownCode, ""),
      // @ts-expect-error not a gateway code
      () => new GatewayError(unknownCode, "", { status: 400, type: "invalid_request_error" }),
      // @ts-expect-error not a gateway code
      () => badRequest(unknownCode, ""),
      // @ts-expect-error not a model code
      () => new ModelError(unknownCode, ""),
      // @ts-expect-error the engine owns the GGUF codes
      () => new ModelError("GGUF_BAD_MAGIC", ""),
      // @ts-expect-error not a random code
      () => new RandomError(unknownCode, ""),
      // @ts-expect-error not a stats code
      () => new StatsError(unknownCode, ""),
      // @ts-expect-error the watermark's key-file codes are WATERMARK_KEY_*
      () => new WatermarkError("KEY_NOT_FOUND", ""),
    ];
    expect(attempts).toHaveLength(13);
  });

  it("keep the codes OpenAI clients branch on, in lower case on the wire", async () => {
    for (const code of ["INVALID_API_KEY", "MODEL_NOT_FOUND", "RATE_LIMIT_EXCEEDED", "INSUFFICIENT_QUOTA", "CONTEXT_LENGTH_EXCEEDED"] as const) {
      expect(new GatewayError(code, "m", { status: 400, type: "invalid_request_error" }).toJSON().error.code).toBe(code.toLowerCase());
    }
    const internal = errorResponse(new Error("boom"));
    expect(internal.status).toBe(500);
    expect(((await internal.json()) as { error: { code: string } }).error.code).toBe("internal_error");
  });
});

/** What a failure threw: its class name and code, or the class name alone when it has no code. */
async function failure(work: () => unknown): Promise<{ name: string; code?: unknown }> {
  try {
    await work();
  } catch (error) {
    return { name: (error as Error).name, code: (error as { code?: unknown }).code };
  }
  throw new Error("expected a failure");
}

describe("failures on user paths carry their room's error and code", () => {
  it("a JSD β outside (0, 1), in the engine and in training (before any model is loaded)", async () => {
    const logits = new Float32Array(2);
    expect(await failure(() => distillationLoss(null, logits, { kind: "full", logits }, [1], 1, 2, { kind: "jsd", beta: 1.5 }, 1)))
      .toEqual({ name: "EngineError", code: "ENGINE_INVALID_ARGUMENT" });
    const out = join(dir, "student.gguf");
    const options = { rows: [makeRow("Capital of Peru?", "Lima.")], student: "tiny", tokenizer: join(dir, "absent.gguf"), loss: "jsd" as const, steps: 1, out, name: "student" };
    expect(await failure(() => trainStudent({ ...options, beta: 1.5 }))).toEqual({ name: "DistillError", code: "TRAIN_BAD_OPTION" });
    expect(await failure(() => trainStudent({ ...options, temperature: 0 }))).toEqual({ name: "DistillError", code: "TRAIN_BAD_OPTION" });
    expect(existsSync(out)).toBe(false);
  });

  it("a model reference that names nothing: one code per failure, whichever command meets it", async () => {
    const missing = join(dir, "missing.gguf");
    for (const reference of [missing, `llamacpp:${missing}`]) {
      expect(await failure(() => resolveModel(reference))).toEqual({ name: "EngineError", code: "GGUF_NOT_FOUND" });
    }
    expect(await failure(() => resolveModel("no-such-model"))).toEqual({ name: "ModelError", code: "MODEL_UNKNOWN_BUILTIN" });
    const out = join(dir, "never.gguf");
    const commands = [
      ["chat", "--model", "REF", "Capital of Peru?"],
      ["export", "--model", "REF", "--format", "gguf", "--out", out],
      ["train", "student", "--data", join(dir, "rows.jsonl"), "--student", "REF", "--out", out],
    ];
    writeFileSync(join(dir, "rows.jsonl"), JSON.stringify(makeRow("Capital of Peru?", "Lima.")) + "\n");
    for (const command of commands) {
      for (const [reference, line] of [[missing, /^error \[GGUF_NOT_FOUND\]: .*missing\.gguf/], ["no-such-model", /^error \[MODEL_UNKNOWN_BUILTIN\]: no built-in model named 'no-such-model'/]] as const) {
        const run = await runCli(command.map((arg) => (arg === "REF" ? reference : arg)));
        expect(run.stderr, command.join(" ")).toMatch(line);
        expect(run.exitCode).toBe(1);
      }
    }
  });

  it("native kernels asked for where they are not loaded (the package by its name, in a fresh process)", () => {
    const source = `const { engine } = await import("pedigree");
      try { engine.useKernels("native"); console.log("{}"); } catch (error) { console.log(JSON.stringify({ name: error.name, code: error.code })); }`;
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", source], {
      cwd: fileURLToPath(new URL("..", import.meta.url)), encoding: "utf8", env: { ...process.env, PEDIGREE_KERNELS: "reference" },
    });
    expect(JSON.parse(output)).toEqual({ name: "EngineError", code: "ENGINE_NATIVE_MISSING" });
  });

  it("a text longer than a built-in model's context: the code every adapter uses for an overflow", async () => {
    const path = join(dir, "short-context.gguf");
    writeFileSync(path, tinyGguf({ contextLength: 16, seed: 3 }).bytes);
    const model = await openEngineModel(path);
    expect(await failure(() => model.nextDistributions(new Int32Array(17).fill(1)))).toEqual({ name: "ModelError", code: "MODEL_CONTEXT_OVERFLOW" });
  });

  it("the gateway: a model it does not serve, and a request that arrives while its log is closing", async () => {
    expect(await failure(() => new Backends({}, resolveModel).get("ghost"))).toEqual({ name: "GatewayError", code: "MODEL_NOT_FOUND" });
    const store = new SqliteStore(openDatabase(join(dir, "gateway")));
    const log = await store.openWriter("replica-a");
    await log.close();
    expect(await failure(() => log.append({} as ExchangeEntry))).toEqual({ name: "GatewayError", code: "SHUTTING_DOWN" });
    await store.close();
  });

  it("the gateway on a port another server holds", async () => {
    const holder = createServer();
    await new Promise<void>((listening) => holder.listen(0, "127.0.0.1", listening));
    const port = (holder.address() as AddressInfo).port;
    try {
      const app = { fetch: () => new Response(null) } as unknown as GatewayApp;
      expect(await failure(() => startGatewayServer(app, { port }))).toEqual({ name: "GatewayError", code: "LISTEN_FAILED" });
    } finally {
      await new Promise((closed) => holder.close(closed));
    }
  });

  it("a command whose module is missing from the build: one line with a code, exit 1", async () => {
    commandTable.push({ name: "missing-command", description: "not built" });
    try {
      const run = await runCli(["missing-command"]);
      expect(run.stderr).toMatch(/^error \[COMMAND_UNAVAILABLE\]: 'missing-command' is not available in this build/);
      expect(run.exitCode).toBe(1);
    } finally {
      commandTable.pop();
    }
    expect(new UsageError("x").code).toBe("USAGE");
  });

  it("commander's own usage errors: the USAGE code too, exit 2", async () => {
    const beta = await runCli(["train", "student", "--data", join(dir, "d.jsonl"), "--out", join(dir, "s.gguf"), "--loss", "jsd", "--beta", "1.5"]);
    expect(beta.stderr).toMatch(/^error \[USAGE\]: option '--beta <b>' argument '1\.5' is invalid\. Expected a number in \(0, 1\)/);
    expect(beta.exitCode).toBe(2);
    const unknown = await runCli(["chat", "--model", "atlas", "--no-such-option", "hello"]);
    expect(unknown.stderr).toMatch(/^error \[USAGE\]: unknown option '--no-such-option'/);
    expect(unknown.exitCode).toBe(2);
  });
});
