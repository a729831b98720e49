// Distillation losses per position (the C++ twin of src/engine/losses/distillation.ts, which is the
// reference): forward KL, reverse KL and generalized JSD(β) with temperature τ on full teacher
// logits or on sparse top-k teacher log-probabilities plus a tail bucket.
#pragma once
#include <cstdint>

enum class DivergenceKind { ForwardKl = 0, ReverseKl = 1, Jsd = 2 };

// rowLoss[n] = loss at position n (0 where mask[n] == 0); dlogits += gradScale·∂L/∂logits there.
// Full targets: teacherLogits (N, V). Sparse: ids, logprobs (N, k) with -1 marking unused slots.
void distillationRows(double* rowLoss, float* dlogits, const float* logits, const float* teacherLogits, const int32_t* ids,
                      const float* logprobs, int k, const uint8_t* mask, int N, int V, DivergenceKind kind, double beta, double tau,
                      double gradScale);
