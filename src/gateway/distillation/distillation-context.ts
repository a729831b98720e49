// What the distillation routes share: the gateway's context, the files and jobs, limits, and
// a cache of student shapes (tokenizer and context length) so a request does not reload a model file.
import type { Tokenizer } from "../../models/index.js";
import type { GatewayContext } from "../gateway-context.js";
import type { FileState, JobState } from "./distillation-state.js";

export type StudentShape = { tokenizer: Tokenizer; contextLength: number; fresh: boolean };

export interface DistillationContext {
  gateway: GatewayContext;
  files: FileState;
  jobs: JobState;
  fileBytesLimit: number;
  studentShape(student: string, load: (student: string) => Promise<StudentShape>): Promise<StudentShape>;
}

export function shapeCache(): DistillationContext["studentShape"] {
  const cache = new Map<string, Promise<StudentShape>>();
  return (student, load) => {
    let shape = cache.get(student);
    if (!shape) {
      shape = load(student);
      cache.set(student, shape);
      shape.catch(() => cache.delete(student));
    }
    return shape;
  };
}
