// Runs the CLI in-process and captures what it prints and the exit code it sets.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { main } from "../index.js";

export interface CliRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function runCli(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  const previous = process.exitCode;
  process.exitCode = 0;
  try {
    await main(argv);
    return { stdout: out.join(""), stderr: err.join(""), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    process.exitCode = previous;
  }
}

/** Runs the built CLI (bin/pedigree.js → dist) as a child process: for crashes and exit codes. */
export function runCliProcess(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const bin = fileURLToPath(new URL("../../../bin/pedigree.js", import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...argv], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code, signal) => resolve({ stdout, stderr, exitCode: code ?? (signal ? 128 : 1) }));
  });
}
