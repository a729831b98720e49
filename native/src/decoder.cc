// See decoder.h. The formulas are those of src/engine/model/inference.ts (the reference path for
// several tokens at once): RMSNorm, adjacent-pair RoPE, grouped-query attention, SwiGLU.
#include "decoder.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "simd.h"
#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

namespace {

#if defined(__F16C__)
inline __m256 load8(const uint16_t* p) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }
inline float toFloat(uint16_t h) { return _cvtsh_ss(h); }
inline uint16_t toHalf(float f) { return _cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT); }
constexpr bool kHasF16 = true;
#else
inline float toFloat(uint16_t) { return 0.f; }
inline uint16_t toHalf(float) { return 0; }
constexpr bool kHasF16 = false;
#endif
#if defined(__AVX2__) && defined(__FMA__)
inline __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
#endif
inline float scalar(const float* p, int i) { return p[i]; }
inline float scalar(const uint16_t* p, int i) { return toFloat(p[i]); }

// y(rows) = W(rows, cols) · x(cols). Four rows at a time share each load of x; each weight is read
// once, in order, which is what bounds a generation step.
template <typename T>
void gemvRows(float* y, const T* W, const float* x, int rows, int cols) {
  int j = 0;
#if defined(__AVX2__) && defined(__FMA__)
  const int vecCols = cols / 8 * 8;
  for (; j + 4 <= rows; j += 4) {
    const T *w0 = W + static_cast<int64_t>(j) * cols, *w1 = w0 + cols, *w2 = w1 + cols, *w3 = w2 + cols;
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (int k = 0; k < vecCols; k += 8) {
      const __m256 xv = _mm256_loadu_ps(x + k);
      a0 = _mm256_fmadd_ps(load8(w0 + k), xv, a0);
      a1 = _mm256_fmadd_ps(load8(w1 + k), xv, a1);
      a2 = _mm256_fmadd_ps(load8(w2 + k), xv, a2);
      a3 = _mm256_fmadd_ps(load8(w3 + k), xv, a3);
    }
    float s0 = horizontalSum(a0), s1 = horizontalSum(a1), s2 = horizontalSum(a2), s3 = horizontalSum(a3);
    for (int k = vecCols; k < cols; k++) {
      s0 += scalar(w0, k) * x[k];
      s1 += scalar(w1, k) * x[k];
      s2 += scalar(w2, k) * x[k];
      s3 += scalar(w3, k) * x[k];
    }
    y[j] = s0, y[j + 1] = s1, y[j + 2] = s2, y[j + 3] = s3;
  }
#endif
  for (; j < rows; j++) {
    const T* w = W + static_cast<int64_t>(j) * cols;
    float sum = 0.f;
    for (int k = 0; k < cols; k++) sum += scalar(w, k) * x[k];
    y[j] = sum;
  }
}

float dot(const float* a, const float* b, int n) {
  int i = 0;
  float sum = 0.f;
#if defined(__AVX2__) && defined(__FMA__)
  __m256 acc = _mm256_setzero_ps();
  for (; i + 8 <= n; i += 8) acc = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc);
  sum = horizontalSum(acc);
#endif
  for (; i < n; i++) sum += a[i] * b[i];
  return sum;
}

// y += alpha · x
void axpy(float* y, float alpha, const float* x, int n) {
  int i = 0;
#if defined(__AVX2__) && defined(__FMA__)
  const __m256 a = _mm256_set1_ps(alpha);
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_fmadd_ps(a, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
#endif
  for (; i < n; i++) y[i] += alpha * x[i];
}

bool exactInHalf(const float* p, int64_t n) {
  if (!kHasF16) return false;
  for (int64_t i = 0; i < n; i++) {
    const float back = toFloat(toHalf(p[i]));
    if (std::memcmp(&back, p + i, sizeof(float)) != 0) return false;
  }
  return true;
}

}  // namespace

Decoder::Decoder(const DecoderShape& shape, const float* data, const int64_t* offsets, const float* cos, const float* sin, bool allowF16)
    : s_(shape), f16_(false) {
  const int C = s_.C, KV = s_.NKV * s_.hd, F = s_.F, L = s_.L;
  const int64_t outputOffset = offsets[1 + kTensorsPerLayer * L + 1];
  struct Source { int64_t offset; int rows, cols; };
  std::vector<Source> sources{{offsets[0], s_.V, C}};
  for (int l = 0; l < L; l++) {
    const int64_t* o = offsets + 1 + kTensorsPerLayer * l;
    sources.insert(sources.end(), {{o[1], C, C}, {o[2], KV, C}, {o[3], KV, C}, {o[4], C, C}, {o[6], F, C}, {o[7], F, C}, {o[8], C, F}});
  }
  const bool tied = outputOffset == offsets[0];
  if (!tied) sources.push_back({outputOffset, s_.V, C});

  f16_ = allowF16;
  for (const Source& src : sources) f16_ = f16_ && exactInHalf(data + src.offset, static_cast<int64_t>(src.rows) * src.cols);
  std::vector<Matrix> mats;
  for (const Source& src : sources) mats.push_back(matrix(data, src.offset, src.rows, src.cols));
  embd_ = mats[0];
  layerMats_.assign(mats.begin() + 1, mats.begin() + 1 + 7 * L);
  output_ = tied ? embd_ : mats.back();

  for (int l = 0; l < L; l++) {
    const int64_t* o = offsets + 1 + kTensorsPerLayer * l;
    for (int64_t norm : {o[0], o[5]}) {
      normOffsets_.push_back(static_cast<int64_t>(norms_.size()));
      norms_.insert(norms_.end(), data + norm, data + norm + C);
    }
  }
  const int64_t outputNorm = offsets[1 + kTensorsPerLayer * L];
  normOffsets_.push_back(static_cast<int64_t>(norms_.size()));
  norms_.insert(norms_.end(), data + outputNorm, data + outputNorm + C);

  const int64_t table = static_cast<int64_t>(s_.positions) * (s_.hd / 2);
  cos_.assign(cos, cos + table);
  sin_.assign(sin, sin + table);
  x_.resize(C), ln_.resize(C), q_.resize(C), att_.resize(C), proj_.resize(C);
  gate_.resize(F), up_.resize(F), scores_.resize(s_.positions);
}

Decoder::Matrix Decoder::matrix(const float* data, int64_t offset, int rows, int cols) {
  const int64_t n = static_cast<int64_t>(rows) * cols;
  if (f16_) {
    const int64_t at = static_cast<int64_t>(h_.size());
    h_.resize(at + n);
    for (int64_t i = 0; i < n; i++) h_[at + i] = toHalf(data[offset + i]);
    return {at, rows, cols};
  }
  const int64_t at = static_cast<int64_t>(f_.size());
  f_.insert(f_.end(), data + offset, data + offset + n);
  return {at, rows, cols};
}

void Decoder::gemv(float* y, const Matrix& w, const float* x) const {
  if (f16_) gemvRows(y, h_.data() + w.offset, x, w.rows, w.cols);
  else gemvRows(y, f_.data() + w.offset, x, w.rows, w.cols);
}

void Decoder::embeddingRow(float* out, int token) const {
  const int64_t at = embd_.offset + static_cast<int64_t>(token) * s_.C;
  for (int i = 0; i < s_.C; i++) out[i] = f16_ ? toFloat(h_[at + i]) : f_[at + i];
}

void Decoder::rmsnorm(float* out, const float* x, int64_t normOffset) const {
  const float* weight = norms_.data() + normOffset;
  float ss = 0.f;
  for (int i = 0; i < s_.C; i++) ss += x[i] * x[i];
  const float r = 1.f / std::sqrt(ss / s_.C + s_.eps);
  for (int i = 0; i < s_.C; i++) out[i] = x[i] * r * weight[i];
}

void Decoder::rope(float* x, int heads, int pos) const {
  const int half = s_.hd / 2;
  const float *c = cos_.data() + static_cast<int64_t>(pos) * half, *sn = sin_.data() + static_cast<int64_t>(pos) * half;
  for (int h = 0; h < heads; h++) {
    float* v = x + h * s_.hd;
    for (int i = 0; i < half; i++) {
      const float a = v[2 * i], b = v[2 * i + 1];
      v[2 * i] = a * c[i] - b * sn[i];
      v[2 * i + 1] = a * sn[i] + b * c[i];
    }
  }
}

void Decoder::attend(float* out, const float* q, const float* kLayer, const float* vLayer, int pos) {
  const int hd = s_.hd, KV = s_.NKV * hd, group = s_.NH / s_.NKV;
  const float scale = 1.f / std::sqrt(static_cast<float>(hd));
  float* S = scores_.data();
  for (int h = 0; h < s_.NH; h++) {
    const float* qh = q + h * hd;
    const int kvh = h / group;
    float max = -INFINITY;
    for (int t = 0; t <= pos; t++) {
      S[t] = dot(qh, kLayer + static_cast<int64_t>(t) * KV + kvh * hd, hd) * scale;
      max = std::max(max, S[t]);
    }
    float sum = 0.f;
    for (int t = 0; t <= pos; t++) sum += (S[t] = std::exp(S[t] - max));
    const float inv = 1.f / sum;
    float* o = out + h * hd;
    std::fill(o, o + hd, 0.f);
    for (int t = 0; t <= pos; t++) axpy(o, S[t] * inv, vLayer + static_cast<int64_t>(t) * KV + kvh * hd, hd);
  }
}

void Decoder::step(int token, int pos, float* kCache, float* vCache, float* logits) {
  const int C = s_.C, F = s_.F, KV = s_.NKV * s_.hd;
  float *x = x_.data(), *ln = ln_.data(), *q = q_.data(), *att = att_.data(), *proj = proj_.data();
  embeddingRow(x, token);
  for (int l = 0; l < s_.L; l++) {
    const Matrix* w = layerMats_.data() + 7 * l;
    const int64_t layerCache = static_cast<int64_t>(l) * s_.positions * KV;
    float *kLayer = kCache + layerCache, *vLayer = vCache + layerCache;
    float *k = kLayer + static_cast<int64_t>(pos) * KV, *v = vLayer + static_cast<int64_t>(pos) * KV;
    rmsnorm(ln, x, normOffsets_[2 * l]);
    gemv(q, w[0], ln);
    gemv(k, w[1], ln);
    gemv(v, w[2], ln);
    rope(q, s_.NH, pos);
    rope(k, s_.NKV, pos);
    attend(att, q, kLayer, vLayer, pos);
    gemv(proj, w[3], att);
    for (int i = 0; i < C; i++) x[i] += proj[i];
    rmsnorm(ln, x, normOffsets_[2 * l + 1]);
    gemv(gate_.data(), w[4], ln);
    gemv(up_.data(), w[5], ln);
    for (int i = 0; i < F; i++) {
      const float g = gate_[i];
      gate_[i] = g / (1.f + std::exp(-g)) * up_[i];
    }
    gemv(proj, w[6], gate_.data());
    for (int i = 0; i < C; i++) x[i] += proj[i];
  }
  rmsnorm(ln, x, normOffsets_[2 * s_.L]);
  gemv(logits, output_, ln);
}
