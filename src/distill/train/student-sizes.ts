// What a service that trains students (the gateway's fine-tuning jobs) needs to know before training:
// the named sizes, a student's tokenizer and context length, and how many kernel threads training takes.
import { setKernelThreads } from "../../engine/kernels/index.js";
import { modelSizes } from "../../engine/model/config.js";
import type { Tokenizer } from "../../models/spec.js";
import { loadEngineModelFile } from "./load-engine-model.js";
import { defaultStudentTokenizer, isStudentSize } from "./student-start.js";

export function studentSizeNames(): string[] {
  return Object.keys(modelSizes);
}

/** The tokenizer and context length a student will train with: a fresh size (with the default
 * tokenizer, as trainStudent picks it without a teacher) or a white-box model it starts from. */
export async function studentShape(student: string): Promise<{ tokenizer: Tokenizer; contextLength: number; fresh: boolean }> {
  if (isStudentSize(student)) {
    const { tokenizer } = await loadEngineModelFile(defaultStudentTokenizer);
    return { tokenizer, contextLength: modelSizes[student]!.contextLength, fresh: true };
  }
  const file = await loadEngineModelFile(student);
  return { tokenizer: file.tokenizer, contextLength: file.config.contextLength, fresh: false };
}

/** Threads of the native kernels in this process (a background trainer keeps to one). */
export function setTrainingThreads(threads: number): void {
  setKernelThreads(threads);
}
