// BLIS-style GEMM (Goto & van de Geijn, "Anatomy of high-performance matrix multiplication", 2008):
// pack a KC×NC block of B and an MC×KC block of A into contiguous micro-panels, then a 6×16 AVX2/FMA
// register-blocked micro-kernel. Partial tiles are zero-padded in the packs and written through a
// small buffer. Without AVX2 the micro-kernel falls back to plain loops.
#include "gemm.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "simd.h"
#include "thread-pool.h"
#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

namespace {

constexpr int MR = 6, NR = 16;
#ifndef GEMM_MC
#define GEMM_MC 72
#define GEMM_KC 512
#endif
constexpr int MC = GEMM_MC, KC = GEMM_KC, NC = 2048;
static_assert(MC % MR == 0, "row blocks must hold whole micro-panels");

struct PackBuffers {
  std::vector<float> a, b;
  PackBuffers() : a(MC * KC + 64), b(KC * NC + 64) {}
};
thread_local PackBuffers buffers;

// Ap[panel][p][r] = A(i0 + panel*MR + r, p0 + p), zero past the edge.
void packA(float* Ap, MatrixView A, int i0, int p0, int mc, int kc) {
  for (int ir = 0; ir < mc; ir += MR) {
    const int rows = std::min(MR, mc - ir);
    for (int p = 0; p < kc; p++) {
      const float* src = A.data + (i0 + ir) * A.rowStride + (p0 + p) * A.colStride;
      int r = 0;
      for (; r < rows; r++) Ap[p * MR + r] = src[r * A.rowStride];
      for (; r < MR; r++) Ap[p * MR + r] = 0.f;
    }
    Ap += MR * kc;
  }
}

// Bp[panel][p][c] = B(p0 + p, j0 + panel*NR + c), zero past the edge.
void packB(float* Bp, MatrixView B, int p0, int j0, int kc, int nc) {
  for (int jr = 0; jr < nc; jr += NR) {
    const int cols = std::min(NR, nc - jr);
    for (int p = 0; p < kc; p++) {
      const float* src = B.data + (p0 + p) * B.rowStride + (j0 + jr) * B.colStride;
      float* dst = Bp + p * NR;
      int c = 0;
      if (B.colStride == 1) {
        std::memcpy(dst, src, sizeof(float) * cols);
        c = cols;
      } else {
        for (; c < cols; c++) dst[c] = src[c * B.colStride];
      }
      for (; c < NR; c++) dst[c] = 0.f;
    }
    Bp += NR * kc;
  }
}

// acc(MR, NR) = Ap · Bp over kc; then C (+)= acc on the rows/cols that exist.
void microKernel(int kc, const float* Ap, const float* Bp, float* C, std::ptrdiff_t ldc, bool accumulate, int rows, int cols) {
  alignas(32) float acc[MR * NR];
#if defined(__AVX2__) && defined(__FMA__)
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  // Unrolled, with the panels prefetched 16 steps ahead: a few GFLOPS more on this class of CPU.
#pragma GCC unroll 4
  for (int p = 0; p < kc; p++) {
    _mm_prefetch(reinterpret_cast<const char*>(Bp + 16 * NR), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(Ap + 16 * MR), _MM_HINT_T0);
    const __m256 b0 = _mm256_loadu_ps(Bp), b1 = _mm256_loadu_ps(Bp + 8);
    __m256 a;
    a = _mm256_broadcast_ss(Ap + 0); c00 = _mm256_fmadd_ps(a, b0, c00); c01 = _mm256_fmadd_ps(a, b1, c01);
    a = _mm256_broadcast_ss(Ap + 1); c10 = _mm256_fmadd_ps(a, b0, c10); c11 = _mm256_fmadd_ps(a, b1, c11);
    a = _mm256_broadcast_ss(Ap + 2); c20 = _mm256_fmadd_ps(a, b0, c20); c21 = _mm256_fmadd_ps(a, b1, c21);
    a = _mm256_broadcast_ss(Ap + 3); c30 = _mm256_fmadd_ps(a, b0, c30); c31 = _mm256_fmadd_ps(a, b1, c31);
    a = _mm256_broadcast_ss(Ap + 4); c40 = _mm256_fmadd_ps(a, b0, c40); c41 = _mm256_fmadd_ps(a, b1, c41);
    a = _mm256_broadcast_ss(Ap + 5); c50 = _mm256_fmadd_ps(a, b0, c50); c51 = _mm256_fmadd_ps(a, b1, c51);
    Ap += MR;
    Bp += NR;
  }
  if (rows == MR && cols == NR) {
    // Full tile: straight to C (no address of an accumulator is taken, so they stay in registers).
#define PEDIGREE_STORE_ROW(r, lo, hi)                                                         \
  {                                                                                           \
    float* row = C + (r) * ldc;                                                               \
    _mm256_storeu_ps(row, accumulate ? _mm256_add_ps(lo, _mm256_loadu_ps(row)) : lo);         \
    _mm256_storeu_ps(row + 8, accumulate ? _mm256_add_ps(hi, _mm256_loadu_ps(row + 8)) : hi); \
  }
    PEDIGREE_STORE_ROW(0, c00, c01) PEDIGREE_STORE_ROW(1, c10, c11) PEDIGREE_STORE_ROW(2, c20, c21)
    PEDIGREE_STORE_ROW(3, c30, c31) PEDIGREE_STORE_ROW(4, c40, c41) PEDIGREE_STORE_ROW(5, c50, c51)
#undef PEDIGREE_STORE_ROW
    return;
  }
  _mm256_store_ps(acc + 0 * NR, c00); _mm256_store_ps(acc + 0 * NR + 8, c01);
  _mm256_store_ps(acc + 1 * NR, c10); _mm256_store_ps(acc + 1 * NR + 8, c11);
  _mm256_store_ps(acc + 2 * NR, c20); _mm256_store_ps(acc + 2 * NR + 8, c21);
  _mm256_store_ps(acc + 3 * NR, c30); _mm256_store_ps(acc + 3 * NR + 8, c31);
  _mm256_store_ps(acc + 4 * NR, c40); _mm256_store_ps(acc + 4 * NR + 8, c41);
  _mm256_store_ps(acc + 5 * NR, c50); _mm256_store_ps(acc + 5 * NR + 8, c51);
#else
  std::fill(acc, acc + MR * NR, 0.f);
  for (int p = 0; p < kc; p++)
    for (int r = 0; r < MR; r++)
      for (int c = 0; c < NR; c++) acc[r * NR + c] += Ap[p * MR + r] * Bp[p * NR + c];
#endif
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) {
      float& dst = C[r * ldc + c];
      dst = accumulate ? dst + acc[r * NR + c] : acc[r * NR + c];
    }
}

// One packed mc×kc block of A times one packed kc×nc block of B into C (the block's top-left corner):
// the micro-panel loops shared by the serial and the parallel paths, so all sum in the same order.
void macroKernel(int kc, const float* Ap, const float* Bp, float* C, std::ptrdiff_t ldc, bool accumulate, int mc, int nc) {
  for (int jr = 0; jr < nc; jr += NR)
    for (int ir = 0; ir < mc; ir += MR)
      microKernel(kc, Ap + ir * kc, Bp + jr * kc, C + ir * ldc + jr, ldc, accumulate, std::min(MR, mc - ir), std::min(NR, nc - jr));
}

// Few rows of A and B stored column-contiguous (B(k, j) at j*colStride + k): dot products straight
// from memory, no packing (matrix-vector products during generation).
void gemmRowsDot(float* C, std::ptrdiff_t ldc, MatrixView A, MatrixView B, int m, int n, int k, bool accumulate) {
  for (int i = 0; i < m; i++) {
    const float* a = A.data + i * A.rowStride;
    for (int j = 0; j < n; j++) {
      const float* b = B.data + j * B.colStride;
      int p = 0;
      float sum;
#if defined(__AVX2__) && defined(__FMA__)
      __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
      for (; p + 32 <= k; p += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + p), _mm256_loadu_ps(b + p), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + p + 8), _mm256_loadu_ps(b + p + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + p + 16), _mm256_loadu_ps(b + p + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + p + 24), _mm256_loadu_ps(b + p + 24), s3);
      }
      for (; p + 8 <= k; p += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + p), _mm256_loadu_ps(b + p), s0);
      __m256 s = _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3));
      sum = horizontalSum(s);
#else
      sum = 0.f;
#endif
      for (; p < k; p++) sum += a[p] * b[p];
      float& dst = C[i * ldc + j];
      dst = accumulate ? dst + sum : sum;
    }
  }
}

// Rows split over tasks with ONE pack of each KC×NC block of B, shared by all tasks (packing B per
// task cost up to a third of a weight-gradient product, where B has k = B·T rows). Every C element is
// summed in the same order as gemmSerial's, so results do not depend on the split.
// Per calling thread (JavaScript worker threads may multiply at once); tasks read it through a pointer.
thread_local std::vector<float> sharedPack(KC * NC + 64);

void gemmRowsSharedB(float* C, std::ptrdiff_t ldc, MatrixView A, MatrixView B, int m, int n, int k, bool accumulate, int tasks, int per) {
  for (int jc = 0; jc < n; jc += NC) {
    const int nc = std::min(NC, n - jc);
    for (int pc = 0; pc < k; pc += KC) {
      const int kc = std::min(KC, k - pc);
      const bool acc = accumulate || pc > 0;
      const float* packed = sharedPack.data();
      packB(sharedPack.data(), B, pc, jc, kc, nc);
      pool().run(tasks, [&](int t) {
        const int start = t * per, end = std::min(m, start + per);
        float* Ap = buffers.a.data();
        for (int ic = start; ic < end; ic += MC) {
          const int mc = std::min(MC, end - ic);
          packA(Ap, A, ic, pc, mc, kc);
          macroKernel(kc, Ap, packed, C + ic * ldc + jc, ldc, acc, mc, nc);
        }
      });
    }
  }
}

// Columns split over tasks with ONE pack of each KC-deep block of A (all m rows), shared by all tasks.
// Same summation order as gemmSerial's.
thread_local std::vector<float> sharedPackA;

void gemmColumnsSharedA(float* C, std::ptrdiff_t ldc, MatrixView A, MatrixView B, int m, int n, int k, bool accumulate, int tasks, int per) {
  const int rowsPadded = (m + MR - 1) / MR * MR;
  if (sharedPackA.size() < static_cast<size_t>(rowsPadded) * KC + 64) sharedPackA.resize(static_cast<size_t>(rowsPadded) * KC + 64);
  for (int pc = 0; pc < k; pc += KC) {
    const int kc = std::min(KC, k - pc);
    const bool acc = accumulate || pc > 0;
    float* packedA = sharedPackA.data();
    // MC is a multiple of MR, so block ic starts at panel ic / MR.
    for (int ic = 0; ic < m; ic += MC) packA(packedA + static_cast<std::ptrdiff_t>(ic) * kc, A, ic, pc, std::min(MC, m - ic), kc);
    pool().run(tasks, [&](int t) {
      const int start = t * per, end = std::min(n, start + per);
      float* Bp = buffers.b.data();
      for (int jc = start; jc < end; jc += NC) {
        const int nc = std::min(NC, end - jc);
        packB(Bp, B, pc, jc, kc, nc);
        for (int ic = 0; ic < m; ic += MC)
          macroKernel(kc, packedA + static_cast<std::ptrdiff_t>(ic) * kc, Bp, C + ic * ldc + jc, ldc, acc, std::min(MC, m - ic), nc);
      }
    });
  }
}

}  // namespace

void gemmSerial(float* C, std::ptrdiff_t ldc, MatrixView A, MatrixView B, int m, int n, int k, bool accumulate) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (int i = 0; i < m; i++) std::fill(C + i * ldc, C + i * ldc + n, 0.f);
    return;
  }
  if (m <= 2 && A.colStride == 1 && B.rowStride == 1) {
    gemmRowsDot(C, ldc, A, B, m, n, k, accumulate);
    return;
  }
  PackBuffers& buf = buffers;
  for (int jc = 0; jc < n; jc += NC) {
    const int nc = std::min(NC, n - jc);
    for (int pc = 0; pc < k; pc += KC) {
      const int kc = std::min(KC, k - pc);
      const bool acc = accumulate || pc > 0;
      packB(buf.b.data(), B, pc, jc, kc, nc);
      for (int ic = 0; ic < m; ic += MC) {
        const int mc = std::min(MC, m - ic);
        packA(buf.a.data(), A, ic, pc, mc, kc);
        macroKernel(kc, buf.a.data(), buf.b.data(), C + ic * ldc + jc, ldc, acc, mc, nc);
      }
    }
  }
}

void gemmParallel(float* C, std::ptrdiff_t ldc, MatrixView A, MatrixView B, int m, int n, int k, bool accumulate) {
  const int threads = pool().size();
  const double work = static_cast<double>(m) * n * k;
  // Waking a thread costs tens of microseconds: small products (most matrix-vector products of
  // generation) stay on the calling thread.
  if (threads == 1 || work < (1 << 19)) {
    gemmSerial(C, ldc, A, B, m, n, k, accumulate);
    return;
  }
  // Split rows when there are enough of them, else columns; chunk edges stay on tile boundaries.
  const bool byRows = m >= n || m >= 2 * MC * threads;
  const int extent = byRows ? m : n, unit = byRows ? MR : NR;
  // A few tasks per thread, pulled dynamically, keep both cores busy when one is shared with other
  // processes. A multiple of the thread count, so that no thread is left with one task more.
  const int tasks = threads * std::min(4, std::max(1, extent / (unit * 8 * threads)));
  const int per = ((extent + tasks - 1) / tasks + unit - 1) / unit * unit;
  if (byRows) {
    gemmRowsSharedB(C, ldc, A, B, m, n, k, accumulate, tasks, per);
    return;
  }
  gemmColumnsSharedA(C, ldc, A, B, m, n, k, accumulate, tasks, per);
}
