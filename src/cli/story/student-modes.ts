// The students the distillation benchmark compares, all of one size and one token budget (the same
// steps): sft on the teacher's text (sequence-level KD), kl and jsd on its stored top-k (token-level
// KD), and raw, trained on the raw corpus without the teacher.
import type { HarvestRow } from "../../distill/data/row.js";
import type { TrainStudentOptions } from "../../distill/train/train-student.js";

export type StudentMode = "sft" | "kl" | "jsd" | "raw";
export type StudentSetting = Pick<TrainStudentOptions, "rows" | "loss" | "beta" | "warmStart">;

export function studentModes(harvested: HarvestRow[], raw: HarvestRow[]): Record<StudentMode, StudentSetting> {
  return {
    sft: { rows: harvested, loss: "sft" },
    kl: { rows: harvested, loss: "kl" },
    // JSD's gradient on a token is proportional to the student's own probability of it, so from a random
    // start it hardly moves the rare tokens (capital names) it must learn; GKD and MiniLLM start from a
    // trained student. Here the first half of the same steps is forward KL on the same top-k.
    jsd: { rows: harvested, loss: "jsd", beta: 0.5, warmStart: { loss: "kl", share: 0.5 } },
    raw: { rows: raw, loss: "sft" },
  };
}
