// Next-token distributions from llama.cpp (node-llama-cpp, CPU, one thread) for parity tests.
import type { Token } from "node-llama-cpp";

/** Row i: llama.cpp's p(· | tokens 0..i) over the whole vocabulary (V). */
export async function llamaCppDistributions(path: string, tokens: number[], V: number, contextSize: number): Promise<Float32Array[]> {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: path });
  try {
    const context = await model.createContext({ contextSize, threads: 1, batchSize: contextSize });
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
