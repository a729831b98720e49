// How big each stage of the story is. `quick` is the smoke run used by the tests (under 2 minutes);
// the full run stays under 10 minutes on 2 cores.
export interface StoryPlan {
  /** Prompts harvested from the teacher through the gateway. */
  harvestPrompts: number;
  harvestMaxTokens: number;
  /** The customer asks greedily (0) or samples; the gateway watermarks either way. */
  harvestTemperature: number;
  concurrency: number;
  /** Named engine size of the student and of the raw-corpus model. */
  studentSize: string;
  studentSteps: number;
  batchSize: number;
  sequenceLength: number;
  /** Items per split in each evaluation task. */
  evalLimit: number;
  /** Queries each audited suspect may spend (identity, agreement and radioactivity together). */
  auditBudget: number;
  /** Prompts of the agreement test. */
  auditAgreementPrompts: number;
  /** Longest answer a suspect gives for the radioactivity test. */
  radioactivityMaxTokens: number;
}

export const quickPlan: StoryPlan = {
  harvestPrompts: 400,
  harvestMaxTokens: 48,
  harvestTemperature: 0,
  concurrency: 2,
  studentSize: "tiny",
  studentSteps: 250,
  batchSize: 8,
  sequenceLength: 128,
  evalLimit: 12,
  auditBudget: 300,
  auditAgreementPrompts: 60,
  radioactivityMaxTokens: 48,
};

export const fullPlan: StoryPlan = {
  harvestPrompts: 2400,
  harvestMaxTokens: 48,
  harvestTemperature: 0,
  concurrency: 2,
  studentSize: "mini",
  studentSteps: 1200,
  batchSize: 8,
  sequenceLength: 128,
  evalLimit: 60,
  auditBudget: 600,
  auditAgreementPrompts: 200,
  radioactivityMaxTokens: 64,
};
