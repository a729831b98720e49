// Where a student starts: a model file's weights and tokenizer, or a fresh model of a named size with
// a tokenizer taken from a model (by default the teacher's, else the built-in atlas's) or trained on
// the data when a vocabulary size is asked for.
import { modelSize, modelSizes, type LlamaConfig } from "../../engine/model/config.js";
import { trainBpe, type BpeTokenizer } from "../../engine/tokenizer/index.js";
import { DistillError } from "../data/errors.js";
import type { TrainingRow } from "../data/training-rows.js";
import { loadEngineModelFile, type EngineModelFile } from "./load-engine-model.js";

/** The tokenizer of a fresh student when neither a tokenizer nor a teacher is named. */
export const defaultStudentTokenizer = "atlas";

export interface StudentStartOptions {
  rows: TrainingRow[];
  /** A named size for a fresh student, or a model reference whose weights it starts from. */
  student: string;
  tokenizer?: string;
  /** Train a byte-level BPE of this many tokens on the data instead of using a model's tokenizer. */
  vocabSize?: number;
}

export interface StudentStart {
  config: LlamaConfig;
  tokenizer: BpeTokenizer;
  /** Where the tokenizer came from: a model reference, or "data" when trained on the rows. */
  tokenizerSource: string;
  init?: Float32Array;
}

export function isStudentSize(student: string): boolean {
  return student in modelSizes;
}

export async function studentStart(options: StudentStartOptions, teacher: EngineModelFile | undefined, teacherReference?: string): Promise<StudentStart> {
  if (options.tokenizer !== undefined && options.vocabSize !== undefined) {
    throw new DistillError("TRAIN_BAD_OPTION", "give either a tokenizer model (--tokenizer) or a vocabulary to train on the data (--vocab), not both");
  }
  if (!isStudentSize(options.student)) {
    if (options.tokenizer !== undefined || options.vocabSize !== undefined) {
      throw new DistillError("TRAIN_BAD_OPTION", `a student that starts from '${options.student}' keeps that model's tokenizer; drop --tokenizer and --vocab, or give a size (${Object.keys(modelSizes).join(", ")})`);
    }
    const file = await loadEngineModelFile(options.student);
    return { config: file.config, tokenizer: file.tokenizer, tokenizerSource: options.student, init: file.params.data };
  }
  const { tokenizer, source } = await freshTokenizer(options, teacher, teacherReference);
  return { config: { ...modelSize(options.student), vocabSize: tokenizer.vocabSize }, tokenizer, tokenizerSource: source };
}

async function freshTokenizer(options: StudentStartOptions, teacher: EngineModelFile | undefined, teacherReference?: string): Promise<{ tokenizer: BpeTokenizer; source: string }> {
  if (options.vocabSize !== undefined) {
    const texts = options.rows.flatMap((row) => [...row.messages.map((message) => message.content), row.response]);
    return { tokenizer: trainBpe(texts, { vocabSize: options.vocabSize }), source: "data" };
  }
  if (options.tokenizer !== undefined) return { tokenizer: (await loadEngineModelFile(options.tokenizer)).tokenizer, source: options.tokenizer };
  if (teacher) return { tokenizer: teacher.tokenizer, source: teacherReference ?? teacher.path };
  return { tokenizer: (await loadEngineModelFile(defaultStudentTokenizer)).tokenizer, source: defaultStudentTokenizer };
}
