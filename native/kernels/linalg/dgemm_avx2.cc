// AVX2 + FMA DGEMM micro-kernel: 6 rows x 8 columns of C in 12 ymm accumulators (two
// 4-double vectors per row), A broadcast from the packed panel; edge tiles through a buffer.
#include <immintrin.h>

#include "dgemm_kernels.h"

namespace kiln::linalg {

void dgemm_kernel_avx2(std::size_t kc, const double* a, const double* b, double* c, std::size_t ldc, double alpha,
                       double beta, std::size_t mr, std::size_t nr) {
  constexpr int MR = kDMrAvx2, NV = kDNrAvx2 / 4;
  __m256d acc[MR][NV];
#pragma GCC unroll 6
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_setzero_pd();
  for (std::size_t p = 0; p < kc; ++p) {
    const __m256d b0 = _mm256_loadu_pd(b), b1 = _mm256_loadu_pd(b + 4);
#pragma GCC unroll 6
    for (int i = 0; i < MR; ++i) {
      const __m256d ai = _mm256_broadcast_sd(a + i);
      acc[i][0] = _mm256_fmadd_pd(ai, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_pd(ai, b1, acc[i][1]);
    }
    a += MR;
    b += 4 * NV;
  }
  const __m256d va = _mm256_set1_pd(alpha), vb = _mm256_set1_pd(beta);
  const bool full = nr == static_cast<std::size_t>(4 * NV);
#pragma GCC unroll 6
  for (int i = 0; i < MR; ++i) {
    if (static_cast<std::size_t>(i) >= mr) break;
    double* row = c + i * ldc;
    if (full) {
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) {
        __m256d out = _mm256_mul_pd(va, acc[i][v]);
        if (beta != 0.0) out = _mm256_fmadd_pd(vb, _mm256_loadu_pd(row + 4 * v), out);
        _mm256_storeu_pd(row + 4 * v, out);
      }
    } else {
      alignas(32) double tile[4 * NV];
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) _mm256_store_pd(tile + 4 * v, _mm256_mul_pd(va, acc[i][v]));
      for (std::size_t j = 0; j < nr; ++j) row[j] = beta != 0.0 ? tile[j] + beta * row[j] : tile[j];
    }
  }
}

}  // namespace kiln::linalg
