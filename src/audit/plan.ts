// What an audit asks, and how much. The prompts come from the caller (the CLI draws them from
// held-out corpora no built-in model trained on); the audit room only decides how to ask them.
import type { ChatMessage } from "../models/index.js";
import type { Probe } from "./identity-probes.js";

export interface AuditPrompt {
  id: string;
  messages: ChatMessage[];
}

export interface AuditPlan {
  identityProbes: Probe[];
  agreementPrompts: AuditPrompt[];
  /**
   * More candidate prompts for the agreement test. When given, the teacher and the references answer
   * these too, and the test asks the suspect the agreementPrompts.length prompts on which the teacher's
   * first word differs from every reference's (then the rest, in order): a prompt where all candidates
   * agree cannot tell them apart. The choice reads no suspect answer, so the test stays exact.
   */
  agreementPool?: AuditPrompt[];
  /** Prompts for the closed-model radioactivity test when no exchange log is given. */
  radioactivityPrompts: AuditPrompt[];
  identityMaxTokens: number;
  /** Greedy answers only need their first few words. */
  agreementMaxTokens: number;
  /** Words compared by the span variant of the agreement test. */
  agreementSpanWords: number;
  radioactivityMaxTokens: number;
  /** Sampling temperature of the suspect's radioactivity answers (varied text scores more windows). */
  radioactivityTemperature: number;
  /** Served answers a white-box suspect reads (reading mode), with an exchange log. */
  readingTexts: number;
  /** Training windows of the teacher the training-order test scores (white-box suspects). */
  orderWindows: number;
}

export const defaultPlanSizes = {
  agreementPrompts: 200,
  radioactivityPrompts: 800,
  identityMaxTokens: 40,
  agreementMaxTokens: 12,
  agreementSpanWords: 3,
  radioactivityMaxTokens: 64,
  radioactivityTemperature: 1,
  readingTexts: 1000,
  orderWindows: 200,
};

/** A per-item seed that depends only on the audit's seed and the item, so reruns ask the same thing. */
export function itemSeed(seed: number, item: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < item.length; i++) h = Math.imul(h ^ item.charCodeAt(i), 0x01000193) >>> 0;
  return h % 2_147_483_647;
}
