// A student against its teacher on one task: both answer the same prompts greedily; agreement is the
// share of identical answers (after normalisation) and their mean token F1; with two white-box models
// that share a vocabulary, the mean KL(teacher ‖ student) over the teacher's answer tokens; and the
// speed ratio (teacher seconds / student seconds on the same prompts).
import type { ChatMessage, ChatModel, TokenModel } from "../../models/spec.js";
import { isTokenModel } from "../../models/spec.js";
import { evaluateTask } from "./evaluate.js";
import { normalizeText, tokenF1 } from "./text-match.js";
import type { EvalResult, EvalTask, EvaluateOptions } from "./types.js";

export interface TeacherComparison {
  /** f1 on definitions only, where mean token F1 is the figure that means something. */
  teacher: { model: string; accuracy: number; f1?: number; seconds: number };
  /** The student's headline figure (the result's `metric`: accuracy, or F1 for definitions) divided by the teacher's. */
  kept: number | null;
  agreement: { exact: number; f1: number };
  /** Mean KL(teacher ‖ student) in nats per answer token; null unless both are white-box with one vocabulary. */
  kl_to_teacher: number | null;
  speed_ratio: number;
}

export async function compareWithTeacher(student: ChatModel, teacher: ChatModel, task: EvalTask, options: EvaluateOptions = {}): Promise<{ result: EvalResult; comparison: TeacherComparison }> {
  const timed = async (model: ChatModel) => {
    const started = performance.now();
    const result = await evaluateTask(model, task, { ...options, details: true });
    return { result, seconds: (performance.now() - started) / 1000 };
  };
  const mine = await timed(student);
  const theirs = await timed(teacher);
  const byId = new Map((theirs.result.items ?? []).map((item) => [item.id, item]));
  let exact = 0;
  let f1 = 0;
  let matched = 0;
  const pairs: { messages: ChatMessage[]; answer: string }[] = [];
  for (const item of mine.result.items ?? []) {
    const reference = byId.get(item.id);
    if (!reference) continue;
    matched++;
    if (normalizeText(item.answer) === normalizeText(reference.answer)) exact++;
    f1 += tokenF1(item.answer, reference.answer);
    const source = task.items.find((candidate) => candidate.id === item.id);
    if (source) pairs.push({ messages: source.messages, answer: reference.answer });
  }
  const n = Math.max(1, matched);
  const headline = (result: EvalResult) => (result.metric === "f1" ? result.f1 ?? 0 : result.accuracy);
  const comparison: TeacherComparison = {
    teacher: { model: teacher.id, accuracy: theirs.result.accuracy, ...(theirs.result.f1 !== undefined ? { f1: theirs.result.f1 } : {}), seconds: theirs.seconds },
    kept: headline(theirs.result) > 0 ? headline(mine.result) / headline(theirs.result) : null,
    agreement: { exact: exact / n, f1: f1 / n },
    kl_to_teacher: isTokenModel(student) && isTokenModel(teacher) && student.tokenizer.vocabSize === teacher.tokenizer.vocabSize ? await meanKl(teacher, student, pairs) : null,
    speed_ratio: theirs.seconds / Math.max(mine.seconds, 1e-9),
  };
  if (!options.details) delete mine.result.items;
  return { result: mine.result, comparison };
}

async function meanKl(teacher: TokenModel, student: TokenModel, pairs: { messages: ChatMessage[]; answer: string }[]): Promise<number | null> {
  let total = 0;
  let count = 0;
  for (const { messages, answer } of pairs) {
    const prompt = teacher.tokenizer.encodeChat(messages, { addGenerationPrompt: true });
    const tokens = Int32Array.from([...prompt, ...teacher.tokenizer.encode(answer)]);
    if (tokens.length <= prompt.length) continue;
    const [p, q] = [await teacher.nextDistributions(tokens), await student.nextDistributions(tokens)];
    for (let i = prompt.length - 1; i < tokens.length - 1; i++) {
      const pt = p[i]!;
      const qs = q[i]!;
      let kl = 0;
      for (let v = 0; v < pt.length; v++) if (pt[v]! > 0) kl += pt[v]! * (Math.log(pt[v]!) - Math.log(Math.max(qs[v]!, 1e-30)));
      total += kl;
      count++;
    }
  }
  return count > 0 ? total / count : null;
}
