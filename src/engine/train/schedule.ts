// Learning rate: linear warmup, then cosine decay to minLr at the last step (nanoGPT get_lr).

export interface LearningRateSchedule {
  lr: number;
  minLr: number;
  warmupSteps: number;
  totalSteps: number;
}

/** Learning rate for update `step` (0-based). */
export function learningRateAt(step: number, s: LearningRateSchedule): number {
  if (step < s.warmupSteps) return (s.lr * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const progress = Math.min(1, (step - s.warmupSteps) / span);
  return s.minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (s.lr - s.minLr);
}
