// Harvest throughput: rows per second that `harvest` writes against a fake OpenAI-compatible upstream
// on loopback (answers at once), through the real openai-compatible adapter, worker pool and
// JSONL appender. Needs `npm run build` first (imports the built package by its name).
// Prints: harvest_rps, harvest_rows, harvest_concurrency, and harvest_inprocess_rps (the same harvest
// against an in-process model that answers at once: the pool + JSONL writer without HTTP).
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { harvest, withUniqueIds } from "pedigree/distill";
import { resolveModel } from "pedigree/models";

const rows = Number(process.env.HARVEST_ROWS ?? 2000);
const concurrency = Number(process.env.HARVEST_CONCURRENCY ?? 16);

const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const question = body.messages.at(-1).content;
    const answer = `The answer to "${question}" is forty-two.`;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({
      id: "chatcmpl-bench", object: "chat.completion", created: 0, model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content: answer }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
    }));
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address();
const directory = mkdtempSync(join(tmpdir(), "pedigree-bench-harvest-"));
try {
  const reference = `http://127.0.0.1:${port}/v1#bench`;
  const model = await resolveModel(reference, { apiKey: "bench" });
  const prompts = withUniqueIds(Array.from({ length: rows }, (_, i) => ({ messages: [{ role: "user", content: `Question number ${i}?` }] })));
  // Warm-up: connection pool and JIT.
  await harvest({ model, teacher: reference, prompts: prompts.slice(0, 100), out: join(directory, "warm.jsonl"), concurrency });
  const summary = await harvest({ model, teacher: reference, prompts, out: join(directory, "data.jsonl"), concurrency });
  console.log(`harvest_rps: ${summary.rows_per_second.toFixed(1)} rows/s`);
  console.log(`harvest_rows: ${summary.rows} rows`);
  console.log(`harvest_concurrency: ${concurrency} requests`);
  const instant = {
    id: "instant",
    generate: async (request) => ({ model: "instant", text: `The answer to "${request.messages.at(-1).content}" is forty-two.`, finishReason: "stop", usage: { promptTokens: 12, completionTokens: 9, totalTokens: 21 } }),
    stream: async function* () {},
  };
  const local = await harvest({ model: instant, teacher: "instant", prompts, out: join(directory, "local.jsonl"), concurrency });
  console.log(`harvest_inprocess_rps: ${local.rows_per_second.toFixed(0)} rows/s`);
} finally {
  server.close();
  rmSync(directory, { recursive: true, force: true });
}
