// The provenance tests that need files the audit room cannot read: the weight test (both models'
// GGUF tensors) and the training-order test (the teacher's order, regenerated from its manifest). Whether each applies is known before any query, so sequential stopping can split α
// over exactly the tests that run.
import { weightShapeMismatch, weightTest, type ProvenanceTest } from "../../audit/index.js";
import { trainingOrderName, trainingOrderTest } from "../../audit/order-test.js";
import { isTokenModel, type ChatModel } from "../../models/index.js";
import { readUpProjections } from "./model-weights.js";
import { loadTeacherOrder, teacherOrderPath } from "./teacher-order.js";

export async function weightProvenanceTest(suspect: string, teacher: string): Promise<ProvenanceTest> {
  const name = "weights";
  const [suspectWeights, teacherWeights] = await Promise.all([readUpProjections(suspect), readUpProjections(teacher)]);
  if (!suspectWeights || !teacherWeights) {
    return { name, notApplicable: `needs both models' weights (GGUF files); ${!suspectWeights ? suspect : teacher} is an API model`, run: async () => { throw new Error("not applicable"); } };
  }
  const mismatch = weightShapeMismatch(suspectWeights, teacherWeights);
  return {
    name,
    notApplicable: mismatch === null ? null : `${mismatch}; it finds copies and fine-tunes of the teacher's weights, never a student trained from scratch`,
    run: async ({ stage }) => {
      stage(`weights: matching the MLP hidden units of ${suspectWeights.layers.length} blocks (Hungarian) and testing the matching against the identity order`);
      return weightTest(suspectWeights, teacherWeights);
    },
  };
}

/** The training-order test: a white-box suspect scores the teacher's training windows (last stage),
 *  less a white-box reference's score (Kuditipudi et al.'s normalisation): a reference trained
 *  independently of the teacher's order removes each window's difficulty, which every model shares
 *  and which one fixed order would otherwise lend to every suspect alike. */
export function orderProvenanceTest(suspect: ChatModel, teacher: string, options: { orderFile?: string; windows: number; seed: number; reference?: ChatModel }): ProvenanceTest {
  const name = trainingOrderName;
  const fail = async () => { throw new Error("not applicable"); };
  if (!isTokenModel(suspect)) return { name, notApplicable: "the suspect is an API model: the training-order test needs its likelihood of the teacher's training windows", run: fail };
  if (!teacherOrderPath(teacher, options.orderFile)) {
    return { name, notApplicable: `no training-order manifest for the teacher ${teacher}: give --teacher-order FILE (the .order.json written when it was trained)`, run: fail };
  }
  if (options.windows < 2) return { name, notApplicable: "--order-windows is below 2", run: fail };
  return {
    name,
    notApplicable: null,
    costly: true,
    run: async ({ stage, room }) => {
      const order = await loadTeacherOrder(teacher, options.orderFile);
      const sample = Math.min(options.windows, room);
      stage(`training order: the suspect's likelihood of ${sample} of ${order.examples.length} training windows of ${teacher} (stage ${order.stage}) against their positions`);
      const reference = options.reference && isTokenModel(options.reference) ? options.reference : undefined;
      return trainingOrderTest({ suspect, reference, examples: order.examples, sample: Math.max(2, sample), seed: options.seed });
    },
  };
}
