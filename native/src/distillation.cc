// See distillation.h; formulas and their derivation are in src/engine/losses/divergence.ts and
// distillation.ts. Rows are independent, so they are spread over the thread pool.
#include "distillation.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "thread-pool.h"

namespace {

constexpr double kTiny = 1e-30;

void logSoftmax(double* out, const float* z, int V, double tau) {
  double max = -INFINITY;
  for (int j = 0; j < V; j++) {
    out[j] = z[j] / tau;
    max = std::max(max, out[j]);
  }
  double sum = 0;
  for (int j = 0; j < V; j++) sum += std::exp(out[j] - max);
  const double lse = max + std::log(sum);
  for (int j = 0; j < V; j++) out[j] -= lse;
}

// Loss over n buckets; h[b] = p_S,b · ∂L/∂p_S,b.
double divergence(DivergenceKind kind, double beta, const double* ls, const double* lt, int n, double* h) {
  double loss = 0;
  if (kind == DivergenceKind::ForwardKl) {
    for (int b = 0; b < n; b++) {
      const double pt = std::exp(lt[b]);
      if (pt > 0) loss += pt * (lt[b] - ls[b]);
      h[b] = -pt;
    }
    return loss;
  }
  if (kind == DivergenceKind::ReverseKl) {
    for (int b = 0; b < n; b++) {
      const double ps = std::exp(ls[b]), d = ls[b] - lt[b];
      if (ps > 0) loss += ps * d;
      h[b] = ps > 0 ? ps * (d + 1) : 0;
    }
    return loss;
  }
  const double logBeta = std::log(beta), logOneMinus = std::log(1 - beta);
  for (int b = 0; b < n; b++) {
    const double ps = std::exp(ls[b]), pt = std::exp(lt[b]);
    const double x = ls[b] + logOneMinus, y = lt[b] + logBeta, m = std::max(x, y);
    const double lm = m + std::log(std::exp(x - m) + std::exp(y - m));
    if (pt > 0) loss += beta * pt * (lt[b] - lm);
    if (ps > 0) loss += (1 - beta) * ps * (ls[b] - lm);
    h[b] = ps > 0 ? ps * (1 - beta) * (ls[b] - lm) : 0;
  }
  return loss;
}

double logAddExp(double a, double b) {
  if (a == -INFINITY) return b;
  if (b == -INFINITY) return a;
  const double m = std::max(a, b);
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

}  // namespace

void distillationRows(double* rowLoss, float* dlogits, const float* logits, const float* teacherLogits, const int32_t* ids,
                      const float* logprobs, int k, const uint8_t* mask, int N, int V, DivergenceKind kind, double beta, double tau,
                      double gradScale) {
  const int chunks = std::max(1, std::min(8, N));
  const int per = (N + chunks - 1) / chunks;
  pool().run(chunks, [&](int c) {
    std::vector<double> ls(V), lt(V), h(std::max(V, k + 1)), bls(k + 1), blt(k + 1);
    for (int n = c * per; n < std::min(N, (c + 1) * per); n++) {
      rowLoss[n] = 0;
      if (!mask[n]) continue;
      logSoftmax(ls.data(), logits + static_cast<size_t>(n) * V, V, tau);
      float* d = dlogits ? dlogits + static_cast<size_t>(n) * V : nullptr;
      if (teacherLogits) {
        logSoftmax(lt.data(), teacherLogits + static_cast<size_t>(n) * V, V, tau);
        rowLoss[n] = divergence(kind, beta, ls.data(), lt.data(), V, h.data());
        if (!d) continue;
        double H = 0;
        for (int j = 0; j < V; j++) H += h[j];
        for (int j = 0; j < V; j++) d[j] += static_cast<float>(gradScale * (h[j] - std::exp(ls[j]) * H) / tau);
        continue;
      }
      const int32_t* rowIds = ids + static_cast<size_t>(n) * k;
      const float* rowLp = logprobs + static_cast<size_t>(n) * k;
      int used = 0;
      double studentTop = 0, teacherTop = 0;
      for (int i = 0; i < k; i++) {
        if (rowIds[i] < 0) continue;
        bls[used] = ls[rowIds[i]];
        blt[used] = rowLp[i];
        studentTop += std::exp(bls[used]);
        teacherTop += std::exp(blt[used]);
        used++;
      }
      bls[used] = std::log(std::max(1 - studentTop, kTiny));
      blt[used] = std::log(std::max(1 - teacherTop, kTiny));
      double lse = -INFINITY;
      for (int b = 0; b <= used; b++) {
        blt[b] /= tau;
        lse = logAddExp(lse, blt[b]);
      }
      for (int b = 0; b <= used; b++) blt[b] -= lse;
      rowLoss[n] = divergence(kind, beta, bls.data(), blt.data(), used + 1, h.data());
      if (!d) continue;
      double H = 0;
      for (int b = 0; b <= used; b++) H += h[b];
      const double tailMass = std::exp(bls[used]);
      const double tailScale = tailMass > kTiny ? h[used] / tailMass : 0;
      const double scale = gradScale / tau;
      for (int j = 0; j < V; j++) d[j] += static_cast<float>(scale * std::exp(ls[j]) * (tailScale - H));
      for (int i = 0, b = 0; i < k; i++) {
        if (rowIds[i] < 0) continue;
        d[rowIds[i]] += static_cast<float>(scale * (h[b] - std::exp(ls[rowIds[i]]) * tailScale));
        b++;
      }
    }
  });
}
