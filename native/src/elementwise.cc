// See elementwise.h. Formulas mirror src/engine/layers/*.ts and src/engine/train/adamw.ts.
#include "elementwise.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "thread-pool.h"

namespace {

constexpr int kChunks = 8;

template <typename F>
void chunked(int64_t n, int64_t minPerChunk, F&& fn) {
  const int chunks = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(kChunks, n / std::max<int64_t>(1, minPerChunk))));
  const int64_t per = (n + chunks - 1) / chunks;
  pool().run(chunks, [&](int c) {
    const int64_t begin = c * per, end = std::min(n, begin + per);
    if (begin < end) fn(begin, end);
  });
}

}  // namespace

void swigluForward(float* out, const float* gate, const float* up, int64_t n) {
  chunked(n, 1 << 14, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; i++) out[i] = gate[i] / (1.f + std::exp(-gate[i])) * up[i];
  });
}

void swigluBackward(float* dgate, float* dup, const float* dout, const float* gate, const float* up, int64_t n) {
  chunked(n, 1 << 14, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; i++) {
      const float g = gate[i], s = 1.f / (1.f + std::exp(-g));
      dup[i] += dout[i] * g * s;
      dgate[i] += dout[i] * up[i] * s * (1.f + g * (1.f - s));
    }
  });
}

void rmsnormForward(float* out, float* rstd, const float* inp, const float* weight, int N, int C, float eps) {
  chunked(N, 64, [&](int64_t b, int64_t e) {
    for (int64_t n = b; n < e; n++) {
      const float* x = inp + n * C;
      float ss = 0.f;
      for (int i = 0; i < C; i++) ss += x[i] * x[i];
      const float r = 1.f / std::sqrt(ss / C + eps);
      rstd[n] = r;
      for (int i = 0; i < C; i++) out[n * C + i] = x[i] * r * weight[i];
    }
  });
}

void rmsnormBackward(float* dinp, float* dweight, const float* dout, const float* inp, const float* weight, const float* rstd, int N, int C) {
  // Each chunk sums its own dweight; chunks are added in order afterwards (deterministic).
  const int chunks = std::max(1, std::min(kChunks, N / 64));
  const int per = (N + chunks - 1) / chunks;
  std::vector<float> partial(static_cast<size_t>(chunks) * C, 0.f);
  pool().run(chunks, [&](int c) {
    float* dw = partial.data() + static_cast<size_t>(c) * C;
    for (int n = c * per; n < std::min(N, (c + 1) * per); n++) {
      const float* x = inp + static_cast<size_t>(n) * C;
      const float* dy = dout + static_cast<size_t>(n) * C;
      const float r = rstd[n];
      float dot = 0.f;
      for (int i = 0; i < C; i++) {
        dot += dy[i] * weight[i] * x[i];
        dw[i] += dy[i] * x[i] * r;
      }
      const float k = dot * r * r * r / C;
      float* dx = dinp + static_cast<size_t>(n) * C;
      for (int i = 0; i < C; i++) dx[i] += dy[i] * weight[i] * r - x[i] * k;
    }
  });
  for (int c = 0; c < chunks; c++)
    for (int i = 0; i < C; i++) dweight[i] += partial[static_cast<size_t>(c) * C + i];
}

void crossEntropyRows(double* rowLoss, float* dlogits, const float* logits, const int32_t* targets, int N, int V, float gradScale) {
  chunked(N, 4, [&](int64_t b, int64_t e) {
    for (int64_t n = b; n < e; n++) {
      rowLoss[n] = 0;
      const int target = targets[n];
      if (target < 0) continue;
      const float* z = logits + n * V;
      float max = -INFINITY;
      for (int j = 0; j < V; j++) max = std::max(max, z[j]);
      double sum = 0;
      for (int j = 0; j < V; j++) sum += std::exp(z[j] - max);
      const double lse = max + std::log(sum);
      rowLoss[n] = lse - z[target];
      if (!dlogits) continue;
      float* d = dlogits + n * V;
      const float inv = static_cast<float>(1.0 / sum);
      for (int j = 0; j < V; j++) d[j] += gradScale * std::exp(z[j] - max) * inv;
      d[target] -= gradScale;
    }
  });
}

void adamwUpdate(float* params, const float* grads, float* m, float* v, const uint8_t* decay, int64_t n, float lr, float beta1,
                 float beta2, float eps, float weightDecay, float c1, float c2) {
  chunked(n, 1 << 15, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; i++) {
      const float g = grads[i];
      const float mi = m[i] = beta1 * m[i] + (1.f - beta1) * g;
      const float vi = v[i] = beta2 * v[i] + (1.f - beta2) * g * g;
      params[i] -= lr * (mi / c1 / (std::sqrt(vi / c2) + eps) + (decay[i] ? weightDecay * params[i] : 0.f));
    }
  });
}
