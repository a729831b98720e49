// Attention as small GEMMs per (batch, head): S = Q·Kᵀ, masked softmax, O = P·V; backward as in
// llm.c's attention_backward, with dS = P ⊙ (dP − rowsum(P ⊙ dP)). Tasks are (batch, kv head) so
// that the query heads sharing a kv head accumulate into it in one fixed order.
#include "attention.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gemm.h"
#include "thread-pool.h"

namespace {

thread_local std::vector<float> scratch;

// Causal products are done in row blocks: block [r0, r1) only needs keys 0..r1-1, which halves the
// work of the full T×T products. A multiple of both micro-kernel tile sizes (6 and 16).
constexpr int kBlock = 48;

float* scratchOf(size_t n) {
  if (scratch.size() < n) scratch.resize(n);
  return scratch.data();
}

// Row t of S holds scaled scores for keys 0..limit(t); softmax in place, zero past the limit.
void maskedSoftmax(float* S, int rows, int cols, int firstVisible, float scale) {
  for (int t = 0; t < rows; t++) {
    float* row = S + static_cast<size_t>(t) * cols;
    const int last = std::min(cols - 1, firstVisible + t);
    float max = -INFINITY;
    for (int s = 0; s <= last; s++) {
      row[s] *= scale;
      max = std::max(max, row[s]);
    }
    float sum = 0.f;
    for (int s = 0; s <= last; s++) {
      row[s] = std::exp(row[s] - max);
      sum += row[s];
    }
    const float inv = 1.f / sum;
    for (int s = 0; s <= last; s++) row[s] *= inv;
    for (int s = last + 1; s < cols; s++) row[s] = 0.f;
  }
}

}  // namespace

void attentionForward(float* out, float* probs, const float* q, const float* k, const float* v, int B, int T, int NH, int NKV, int hd) {
  const int qs = NH * hd, ks = NKV * hd, group = NH / NKV;
  const float scale = 1.f / std::sqrt(static_cast<float>(hd));
  pool().run(B * NKV, [&](int task) {
    const int b = task / NKV, kvh = task % NKV;
    const float* kb = k + static_cast<size_t>(b) * T * ks + kvh * hd;
    const float* vb = v + static_cast<size_t>(b) * T * ks + kvh * hd;
    for (int h = kvh * group; h < (kvh + 1) * group; h++) {
      float* P = probs + (static_cast<size_t>(b) * NH + h) * T * T;
      const float* qb = q + static_cast<size_t>(b) * T * qs + h * hd;
      float* ob = out + static_cast<size_t>(b) * T * qs + h * hd;
      for (int r0 = 0; r0 < T; r0 += kBlock) {
        const int r1 = std::min(T, r0 + kBlock);
        float* Pr = P + static_cast<size_t>(r0) * T;
        gemmSerial(Pr, T, {qb + static_cast<size_t>(r0) * qs, qs, 1}, {kb, 1, ks}, r1 - r0, r1, hd, false);
        maskedSoftmax(Pr, r1 - r0, T, r0, scale);
        gemmSerial(ob + static_cast<size_t>(r0) * qs, qs, {Pr, T, 1}, {vb, ks, 1}, r1 - r0, hd, r1, false);
      }
    }
  });
}

void attentionBackward(float* dq, float* dk, float* dv, const float* dout, const float* probs, const float* q, const float* k,
                       const float* v, int B, int T, int NH, int NKV, int hd) {
  const int qs = NH * hd, ks = NKV * hd, group = NH / NKV;
  const float scale = 1.f / std::sqrt(static_cast<float>(hd));
  pool().run(B * NKV, [&](int task) {
    const int b = task / NKV, kvh = task % NKV;
    const size_t kvOffset = static_cast<size_t>(b) * T * ks + kvh * hd;
    float* dS = scratchOf(static_cast<size_t>(T) * T);
    for (int h = kvh * group; h < (kvh + 1) * group; h++) {
      const float* P = probs + (static_cast<size_t>(b) * NH + h) * T * T;
      const size_t qOffset = static_cast<size_t>(b) * T * qs + h * hd;
      // dP = dO · Vᵀ (causal blocks), then dS in place
      for (int r0 = 0; r0 < T; r0 += kBlock) {
        const int r1 = std::min(T, r0 + kBlock);
        gemmSerial(dS + static_cast<size_t>(r0) * T, T, {dout + qOffset + static_cast<size_t>(r0) * qs, qs, 1}, {v + kvOffset, 1, ks}, r1 - r0, r1, hd, false);
      }
      for (int t = 0; t < T; t++) {
        const float* p = P + static_cast<size_t>(t) * T;
        float* d = dS + static_cast<size_t>(t) * T;
        float dot = 0.f;
        for (int s = 0; s <= t; s++) dot += p[s] * d[s];
        for (int s = 0; s <= t; s++) d[s] = p[s] * (d[s] - dot) * scale;
        for (int s = t + 1; s < T; s++) d[s] = 0.f;
      }
      for (int r0 = 0; r0 < T; r0 += kBlock) {
        const int r1 = std::min(T, r0 + kBlock), rows = r1 - r0;
        const size_t diagonal = static_cast<size_t>(r0) * T + r0;  // P[r0][r0]: rows t ≥ r0 see key r0
        // dV[s] += Σ_{t ≥ s} P[t][s]·dO[t];  dK[s] += Σ_{t ≥ s} dS[t][s]·Q[t]  (s in the block)
        gemmSerial(dv + kvOffset + static_cast<size_t>(r0) * ks, ks, {P + diagonal, 1, T}, {dout + qOffset + static_cast<size_t>(r0) * qs, qs, 1}, rows, hd, T - r0, true);
        gemmSerial(dk + kvOffset + static_cast<size_t>(r0) * ks, ks, {dS + diagonal, 1, T}, {q + qOffset + static_cast<size_t>(r0) * qs, qs, 1}, rows, hd, T - r0, true);
        // dQ[t] += Σ_{s ≤ t} dS[t][s]·K[s]  (t in the block)
        gemmSerial(dq + qOffset + static_cast<size_t>(r0) * qs, qs, {dS + static_cast<size_t>(r0) * T, T, 1}, {k + kvOffset, ks, 1}, rows, hd, r1, true);
      }
    }
  });
}

void attentionCached(float* out, const float* q, const float* kCache, const float* vCache, int pos0, int Tq, int NH, int NKV, int hd) {
  const int qs = NH * hd, ks = NKV * hd, group = NH / NKV, Tk = pos0 + Tq;
  const float scale = 1.f / std::sqrt(static_cast<float>(hd));
  auto head = [&](int h) {
    const int kvh = h / group;
    float* S = scratchOf(static_cast<size_t>(Tq) * Tk);
    gemmSerial(S, Tk, {q + h * hd, qs, 1}, {kCache + kvh * hd, 1, ks}, Tq, Tk, hd, false);
    maskedSoftmax(S, Tq, Tk, pos0, scale);
    gemmSerial(out + h * hd, qs, {S, Tk, 1}, {vCache + kvh * hd, ks, 1}, Tq, hd, Tk, false);
  };
  if (static_cast<double>(Tq) * Tk * qs < (1 << 18)) {
    for (int h = 0; h < NH; h++) head(h);
  } else {
    pool().run(NH, head);
  }
}
