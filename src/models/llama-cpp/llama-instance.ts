// One llama.cpp runtime per process, CPU only, never compiled at run time (the prebuilt binary of
// @node-llama-cpp/linux-x64 is used). Loaded on first use so API-only users never pay for it.
import type { Llama } from "node-llama-cpp";

let instance: Promise<Llama> | undefined;

export function sharedLlama(): Promise<Llama> {
  instance ??= import("node-llama-cpp").then(({ getLlama, LlamaLogLevel }) =>
    getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error, progressLogs: false }),
  );
  return instance;
}
