// Small AVX2 helpers shared by the kernels.
#pragma once
#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

// The sum of the 8 lanes.
inline float horizontalSum(__m256 v) {
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  h = _mm_add_ss(h, _mm_movehdup_ps(h));
  return _mm_cvtss_f32(h);
}
#endif
