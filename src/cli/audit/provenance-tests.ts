// The provenance tests that need files the audit room cannot read: the weight test (both models'
// GGUF tensors). Whether each applies is known before any query, so sequential stopping can split α
// over exactly the tests that run.
import { weightShapeMismatch, weightTest, type ProvenanceTest } from "../../audit/index.js";
import { readUpProjections } from "./model-weights.js";

export async function weightProvenanceTest(suspect: string, teacher: string): Promise<ProvenanceTest> {
  const name = "weights";
  const [suspectWeights, teacherWeights] = await Promise.all([readUpProjections(suspect), readUpProjections(teacher)]);
  if (!suspectWeights || !teacherWeights) {
    return { name, notApplicable: `needs both models' weights (GGUF files); ${!suspectWeights ? suspect : teacher} is an API model`, run: async () => { throw new Error("not applicable"); } };
  }
  const mismatch = weightShapeMismatch(suspectWeights, teacherWeights);
  return {
    name,
    notApplicable: mismatch === null ? null : `${mismatch}: the weight test compares models of one shape (copies and fine-tunes of the teacher); it cannot see a student trained from scratch`,
    run: async ({ stage }) => {
      stage(`weights: matching the MLP hidden units of ${suspectWeights.layers.length} blocks (Hungarian) and testing the matching against the identity order`);
      return weightTest(suspectWeights, teacherWeights);
    },
  };
}
