// AVX-512 DGEMM micro-kernel: 8 rows x 16 columns of C in 16 zmm accumulators (two 8-double
// vectors per row), A broadcast from the packed panel; edge tiles stored through masks.
#include <immintrin.h>

#include "dgemm_kernels.h"

namespace kiln::linalg {

void dgemm_kernel_avx512(std::size_t kc, const double* a, const double* b, double* c, std::size_t ldc, double alpha,
                         double beta, std::size_t mr, std::size_t nr) {
  constexpr int MR = kDMrAvx512, NV = kDNrAvx512 / 8;
  __m512d acc[MR][NV];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_setzero_pd();
  for (std::size_t p = 0; p < kc; ++p) {
    const __m512d b0 = _mm512_loadu_pd(b), b1 = _mm512_loadu_pd(b + 8);
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      const __m512d ai = _mm512_set1_pd(a[i]);
      acc[i][0] = _mm512_fmadd_pd(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_pd(ai, b1, acc[i][1]);
    }
    a += MR;
    b += 8 * NV;
  }
  const __m512d va = _mm512_set1_pd(alpha), vb = _mm512_set1_pd(beta);
  __mmask8 mask[NV];
  for (int v = 0; v < NV; ++v) {
    const std::size_t lo = 8 * static_cast<std::size_t>(v);
    mask[v] = nr >= lo + 8 ? static_cast<__mmask8>(0xFF)
              : nr > lo    ? static_cast<__mmask8>((1u << (nr - lo)) - 1)
                           : static_cast<__mmask8>(0);
  }
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    if (static_cast<std::size_t>(i) >= mr) break;
    double* row = c + i * ldc;
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) {
      __m512d out = _mm512_mul_pd(va, acc[i][v]);
      if (beta != 0.0) out = _mm512_fmadd_pd(vb, _mm512_maskz_loadu_pd(mask[v], row + 8 * v), out);
      _mm512_mask_storeu_pd(row + 8 * v, mask[v], out);
    }
  }
}

}  // namespace kiln::linalg
