// Next-token distributions from llama.cpp (node-llama-cpp, CPU, one thread) for parity tests.
// Attention runs in F32 (F32 KV cache, flash attention off): with llama.cpp's defaults the
// attention kernel, and its F16 rounding, depends on the CPU's SIMD width and on the batch length,
// so the comparison would measure the kernel choice rather than the model. The llama-cpp adapter
// uses the same options; src/models/llama-cpp/exact-attention.ts names the code paths.
import type { Token } from "node-llama-cpp";

const exactAttention = { flashAttention: false, experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32" } as const;

/** Row i: llama.cpp's p(· | tokens 0..i) over the whole vocabulary (V). */
export async function llamaCppDistributions(
  path: string, tokens: number[], V: number, contextSize: number, batchSize = contextSize,
): Promise<Float32Array[]> {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: path });
  try {
    const context = await model.createContext({ contextSize, threads: 1, batchSize, ...exactAttention });
    const sequence = context.getSequence();
    const results = await sequence.controlledEvaluate(tokens.map((t) => [t as Token, { generateNext: { probabilities: true } }]));
    const rows = results.map((r) => {
      const row = new Float32Array(V);
      for (const [id, p] of r?.next.probabilities ?? []) row[id] = p;
      return row;
    });
    await context.dispose();
    return rows;
  } finally {
    await model.dispose();
  }
}
