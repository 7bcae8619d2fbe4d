// AVX2 + FMA micro-kernel: MR rows x (8 * NV) columns of C in MR * NV ymm
// accumulators (6 x 16: 12 of the 16 registers), A broadcast from memory.
#include <immintrin.h>

#include "microkernels.h"

namespace kiln::gemm {

namespace {

// How the micro-kernel finds its operands: A packed (MR values per k step) and B
// packed (NR per step); A read in place row-major (row i at a + i * lda) with B packed;
// or both in place with strides (StridedKernel).
enum class Src { Packed, DirectA, Strided };

template <int MR, int NV, Src S>
inline void kernel(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs, const float* b, std::size_t ldb,
                   float* c, std::size_t ldc, float alpha, float beta, std::size_t mr, std::size_t nr) {
  for (std::size_t i = 0; i < mr; ++i)
    for (int v = 0; v < NV; v += 2) _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + 8 * v), _MM_HINT_T0);
  __m256 acc[MR][NV];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_setzero_ps();
  // Rows past mr point at the last valid row: read but never stored, and never out of bounds.
  const float* rows[MR];
  for (int i = 0; i < MR; ++i) rows[i] = a + (static_cast<std::size_t>(i) < mr ? i : mr - 1) * a_rs;
  const std::size_t b_step = S == Src::Strided ? ldb : 8 * NV;
  std::size_t off = 0;
  for (std::size_t p = 0; p < kc; ++p) {
    __m256 bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) bv[v] = _mm256_loadu_ps(b + 8 * v);
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      const __m256 ai = _mm256_broadcast_ss(S == Src::Packed ? a + i : rows[i] + off);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_fmadd_ps(ai, bv[v], acc[i][v]);
    }
    if (S == Src::Packed) a += MR;
    off += S == Src::Strided ? a_cs : 1;
    b += b_step;
  }
  const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
  const bool full = nr == static_cast<std::size_t>(8 * NV);
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    if (static_cast<std::size_t>(i) >= mr) break;
    float* row = c + i * ldc;
    if (full) {
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) {
        __m256 out = _mm256_mul_ps(va, acc[i][v]);
        if (beta != 0.0f) out = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row + 8 * v), out);
        _mm256_storeu_ps(row + 8 * v, out);
      }
    } else {
      // Edge tile: through a buffer, so nothing past column nr is touched.
      alignas(32) float tile[8 * NV];
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) _mm256_store_ps(tile + 8 * v, _mm256_mul_ps(va, acc[i][v]));
      for (std::size_t j = 0; j < nr; ++j) row[j] = beta != 0.0f ? tile[j] + beta * row[j] : tile[j];
    }
  }
}

}  // namespace

void microkernel_avx2(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, float alpha,
                      float beta, std::size_t mr, std::size_t nr) {
  kernel<kMrAvx2, kNrAvx2 / 8, Src::Packed>(kc, a, 0, 0, b, 0, c, ldc, alpha, beta, mr, nr);
}

void microkernel_avx2_direct_a(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c,
                               std::size_t ldc, float alpha, float beta, std::size_t mr, std::size_t nr) {
  kernel<kMrAvx2, kNrAvx2 / 8, Src::DirectA>(kc, a, lda, 1, b, 0, c, ldc, alpha, beta, mr, nr);
}

void microkernel_avx2_strided(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs, const float* b,
                              std::size_t ldb, float* c, std::size_t ldc, float alpha, float beta, std::size_t mr,
                              std::size_t nr) {
  kernel<kMrAvx2, kNrAvx2 / 8, Src::Strided>(kc, a, a_rs, a_cs, b, ldb, c, ldc, alpha, beta, mr, nr);
}

}  // namespace kiln::gemm
