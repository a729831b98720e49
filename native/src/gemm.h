// Blocked single-precision matrix multiply: C(m, n) (+)= A(m, k) · B(k, n), with arbitrary strides
// for A and B so that transposed operands cost nothing extra.
#pragma once
#include <cstddef>

struct MatrixView {
  const float* data;
  std::ptrdiff_t rowStride;  // distance between (i, j) and (i + 1, j)
  std::ptrdiff_t colStride;  // distance between (i, j) and (i, j + 1)
};

// One thread. C is row-major with leading dimension ldc. accumulate=false overwrites C.
void gemmSerial(float* C, std::ptrdiff_t ldc, MatrixView A, MatrixView B, int m, int n, int k, bool accumulate);

// Splits the larger of m and n over the thread pool (each C element is still computed by one thread
// in one fixed order, so results are identical whatever the thread count).
void gemmParallel(float* C, std::ptrdiff_t ldc, MatrixView A, MatrixView B, int m, int n, int k, bool accumulate);
