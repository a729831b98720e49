// The divergences of TRL's GKDTrainer.generalized_jsd_loss (Agarwal et al. 2024, "On-policy
// distillation of language models"), over "buckets": whole vocabularies or top-k + tail.
//   forward KL  KL(p_T ‖ p_S)   (TRL: beta = 0)
//   reverse KL  KL(p_S ‖ p_T)   (TRL: beta = 1)
//   JSD(β) = β·KL(p_T ‖ M) + (1−β)·KL(p_S ‖ M),  M = β·p_T + (1−β)·p_S
// Given bucket log-probabilities ls (student) and lt (teacher), returns the loss and writes
// h_b = p_S,b · ∂L/∂p_S,b, from which the gradient on student logits follows (see distillation.ts).

export type DivergenceKind = "kl" | "rkl" | "jsd";

export function divergence(kind: DivergenceKind, beta: number, ls: Float64Array, lt: Float64Array, n: number, h: Float64Array): number {
  let loss = 0;
  if (kind === "kl") {
    for (let b = 0; b < n; b++) {
      const pt = Math.exp(lt[b]);
      if (pt > 0) loss += pt * (lt[b] - ls[b]);
      h[b] = -pt;
    }
    return loss;
  }
  if (kind === "rkl") {
    for (let b = 0; b < n; b++) {
      const ps = Math.exp(ls[b]);
      const d = ls[b] - lt[b];
      if (ps > 0) loss += ps * d;
      h[b] = ps > 0 ? ps * (d + 1) : 0;
    }
    return loss;
  }
  const logBeta = Math.log(beta), logOneMinus = Math.log(1 - beta);
  for (let b = 0; b < n; b++) {
    const ps = Math.exp(ls[b]), pt = Math.exp(lt[b]);
    const m = Math.max(ls[b] + logOneMinus, lt[b] + logBeta);
    const lm = m + Math.log(Math.exp(ls[b] + logOneMinus - m) + Math.exp(lt[b] + logBeta - m));
    if (pt > 0) loss += beta * pt * (lt[b] - lm);
    if (ps > 0) loss += (1 - beta) * ps * (ls[b] - lm);
    // ∂L/∂p_S,b = (1−β)·log(p_S,b / M_b): the other terms cancel because Σ M = 1
    h[b] = ps > 0 ? ps * (1 - beta) * (ls[b] - lm) : 0;
  }
  return loss;
}
