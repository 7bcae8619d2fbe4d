// AVX2 + FMA micro-kernel, 6 x 16: 12 ymm accumulators, two B vectors per k step.
#include <immintrin.h>

#include "microkernels.h"

namespace kiln::gemm {

void microkernel_avx2(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, float alpha,
                      float beta, std::size_t mr, std::size_t nr) {
  constexpr int MR = 6;
  __m256 acc0[MR], acc1[MR];
#pragma GCC unroll 6
  for (int i = 0; i < MR; ++i) {
    acc0[i] = _mm256_setzero_ps();
    acc1[i] = _mm256_setzero_ps();
  }
  for (std::size_t p = 0; p < kc; ++p) {
    const __m256 b0 = _mm256_load_ps(b);
    const __m256 b1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 6
    for (int i = 0; i < MR; ++i) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      acc0[i] = _mm256_fmadd_ps(ai, b0, acc0[i]);
      acc1[i] = _mm256_fmadd_ps(ai, b1, acc1[i]);
    }
    a += MR;
    b += 16;
  }
  const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
  if (nr == 16) {
#pragma GCC unroll 6
    for (int i = 0; i < MR; ++i) {
      if (static_cast<std::size_t>(i) >= mr) break;
      float* row = c + i * ldc;
      __m256 v0 = _mm256_mul_ps(va, acc0[i]);
      __m256 v1 = _mm256_mul_ps(va, acc1[i]);
      if (beta != 0.0f) {
        v0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row), v0);
        v1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row + 8), v1);
      }
      _mm256_storeu_ps(row, v0);
      _mm256_storeu_ps(row + 8, v1);
    }
    return;
  }
  // Edge tile: go through a small buffer so nothing past column nr is touched.
  alignas(32) float tile[16];
  for (int i = 0; i < MR; ++i) {
    if (static_cast<std::size_t>(i) >= mr) break;
    _mm256_store_ps(tile, _mm256_mul_ps(va, acc0[i]));
    _mm256_store_ps(tile + 8, _mm256_mul_ps(va, acc1[i]));
    float* row = c + i * ldc;
    for (std::size_t j = 0; j < nr; ++j) row[j] = beta != 0.0f ? tile[j] + beta * row[j] : tile[j];
  }
}

}  // namespace kiln::gemm
