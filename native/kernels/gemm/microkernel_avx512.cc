// AVX-512 micro-kernel, 12 x 32: 24 zmm accumulators, two B vectors per k step,
// A broadcast from memory (folds into the FMA as an embedded broadcast).
#include <immintrin.h>

#include "microkernels.h"

namespace kiln::gemm {

void microkernel_avx512(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, float alpha,
                        float beta, std::size_t mr, std::size_t nr) {
  constexpr int MR = 12;
  __m512 acc0[MR], acc1[MR];
#pragma GCC unroll 12
  for (int i = 0; i < MR; ++i) {
    acc0[i] = _mm512_setzero_ps();
    acc1[i] = _mm512_setzero_ps();
  }
  for (std::size_t p = 0; p < kc; ++p) {
    const __m512 b0 = _mm512_load_ps(b);
    const __m512 b1 = _mm512_load_ps(b + 16);
    _mm_prefetch(reinterpret_cast<const char*>(b + 32 * 8), _MM_HINT_T0);
#pragma GCC unroll 12
    for (int i = 0; i < MR; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      acc0[i] = _mm512_fmadd_ps(ai, b0, acc0[i]);
      acc1[i] = _mm512_fmadd_ps(ai, b1, acc1[i]);
    }
    a += MR;
    b += 32;
  }
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
  const __mmask16 m0 = nr >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << nr) - 1);
  const __mmask16 m1 = nr >= 32 ? static_cast<__mmask16>(0xFFFF)
                       : nr > 16 ? static_cast<__mmask16>((1u << (nr - 16)) - 1)
                                 : static_cast<__mmask16>(0);
#pragma GCC unroll 12
  for (int i = 0; i < MR; ++i) {
    if (static_cast<std::size_t>(i) >= mr) break;
    float* row = c + i * ldc;
    __m512 v0 = _mm512_mul_ps(va, acc0[i]);
    __m512 v1 = _mm512_mul_ps(va, acc1[i]);
    if (beta != 0.0f) {
      v0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, row), v0);
      v1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m1, row + 16), v1);
    }
    _mm512_mask_storeu_ps(row, m0, v0);
    _mm512_mask_storeu_ps(row + 16, m1, v1);
  }
}

}  // namespace kiln::gemm
