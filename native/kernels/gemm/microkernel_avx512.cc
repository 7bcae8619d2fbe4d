// AVX-512 micro-kernel: MR rows x (16 * NV) columns of C held in MR * NV zmm
// accumulators; NV B vectors per k step, A broadcast from memory (folds into the
// FMA as an embedded broadcast).
#include <immintrin.h>

#include "microkernels.h"

namespace kiln::gemm {

namespace {

// How the micro-kernel finds its operands: A packed (MR values per k step) and B
// packed (NR per step); A read in place row-major (row i at a + i * lda) with B packed;
// or both in place with strides (StridedKernel).
enum class Src { Packed, DirectA, Strided };

// acc = A . B over kc steps, held in registers. Rows past mr repeat the last valid row
// of an in-place A, so nothing out of bounds is read.
template <int MR, int NV, Src S>
inline void multiply(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs, const float* b,
                     std::size_t ldb, std::size_t mr, __m512 (&acc)[MR][NV]) {
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_setzero_ps();
  const float* rows[MR];
  for (int i = 0; i < MR; ++i) rows[i] = a + (static_cast<std::size_t>(i) < mr ? i : mr - 1) * a_rs;
  const std::size_t b_step = S == Src::Strided ? ldb : 16 * NV;
  std::size_t off = 0;
  for (std::size_t p = 0; p < kc; ++p) {
    __m512 bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_ps(b + 16 * v);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      const __m512 ai = _mm512_set1_ps(S == Src::Packed ? a[i] : rows[i][off]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_fmadd_ps(ai, bv[v], acc[i][v]);
    }
    if (S == Src::Packed) a += MR;
    off += S == Src::Strided ? a_cs : 1;
    b += b_step;
  }
}

// What the tile does to its sums before the store: nothing more, or a TileFinish (alpha 1, beta 0).
enum class Fin { None, BiasRelu, ReluGradSums };

// C tile = alpha * A . B + beta * C, the operands found as S says, then finished as F says.
template <int MR, int NV, Src S, Fin F = Fin::None>
inline void kernel(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs, const float* b, std::size_t ldb,
                   float* c, std::size_t ldc, float alpha, float beta, std::size_t mr, std::size_t nr,
                   const TileFinish* finish = nullptr) {
  // The C tile is needed only at the end: start fetching it now, behind the FMAs.
  for (std::size_t i = 0; i < mr; ++i)
    for (int v = 0; v < NV; ++v) _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + 16 * v), _MM_HINT_T0);
  __m512 acc[MR][NV];
  multiply<MR, NV, S>(kc, a, a_rs, a_cs, b, ldb, mr, acc);
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
  __mmask16 mask[NV];
  for (int v = 0; v < NV; ++v) {
    const std::size_t lo = 16 * v;
    mask[v] = nr >= lo + 16 ? static_cast<__mmask16>(0xFFFF)
              : nr > lo     ? static_cast<__mmask16>((1u << (nr - lo)) - 1)
                            : static_cast<__mmask16>(0);
  }
  const __m512 zero = _mm512_setzero_ps();
  __m512 sums[NV];  // ReluGradSums: the column sums, row after row as column_sums adds them
  if constexpr (F == Fin::ReluGradSums)
    for (int v = 0; v < NV; ++v) sums[v] = _mm512_maskz_loadu_ps(mask[v], finish->col_sums + 16 * v);
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    if (static_cast<std::size_t>(i) >= mr) break;
    float* row = c + i * ldc;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      __m512 out = _mm512_mul_ps(va, acc[i][v]);
      if (beta != 0.0f) out = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mask[v], row + 16 * v), out);
      if constexpr (F == Fin::BiasRelu) {
        // x > 0 ? x : 0, as bias_activate: NaN and -0 become +0
        out = _mm512_add_ps(out, _mm512_maskz_loadu_ps(mask[v], finish->bias + 16 * v));
        out = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(out, zero, _CMP_GT_OQ), out);
      } else if constexpr (F == Fin::ReluGradSums) {
        const __m512 act = _mm512_maskz_loadu_ps(mask[v], finish->act + i * finish->ld_act + 16 * v);
        out = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(act, zero, _CMP_GT_OQ), out);
        sums[v] = _mm512_add_ps(sums[v], out);
      }
      _mm512_mask_storeu_ps(row + 16 * v, mask[v], out);
    }
  }
  if constexpr (F == Fin::ReluGradSums)
    for (int v = 0; v < NV; ++v) _mm512_mask_storeu_ps(finish->col_sums + 16 * v, mask[v], sums[v]);
}

// The same register tile, finished as k-NN keys with the compare fused in.
template <int MR, int NV>
inline void knn_tile(std::size_t kc, const float* a, const float* b, const float* xn, float alpha, const float* worst,
                     float* keys, std::uint64_t* masks, std::size_t mr) {
  __m512 acc[MR][NV];
  multiply<MR, NV, Src::Packed>(kc, a, 0, 0, b, 0, mr, acc);
  const __m512 va = _mm512_set1_ps(alpha);
  __m512 vx[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) vx[v] = _mm512_loadu_ps(xn + 16 * v);
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    if (static_cast<std::size_t>(i) >= mr) break;
    const __m512 w = _mm512_set1_ps(worst[i]);
    std::uint64_t m = 0;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      const __m512 key = _mm512_fmadd_ps(va, acc[i][v], vx[v]);
      _mm512_storeu_ps(keys + i * 16 * NV + 16 * v, key);
      m |= static_cast<std::uint64_t>(_mm512_cmp_ps_mask(key, w, _CMP_LT_OQ)) << (16 * v);
    }
    masks[i] = m;
  }
}

}  // namespace

void knn_tile_avx512(std::size_t kc, const float* a, const float* b, const float* xn, float alpha, const float* worst,
                     float* keys, std::uint64_t* masks, std::size_t mr) {
  knn_tile<kMrAvx512, kNrAvx512 / 16>(kc, a, b, xn, alpha, worst, keys, masks, mr);
}

void microkernel_avx512(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, float alpha,
                        float beta, std::size_t mr, std::size_t nr) {
  kernel<kMrAvx512, kNrAvx512 / 16, Src::Packed>(kc, a, 0, 0, b, 0, c, ldc, alpha, beta, mr, nr);
}

void microkernel_avx512_direct_a(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c,
                                 std::size_t ldc, float alpha, float beta, std::size_t mr, std::size_t nr) {
  kernel<kMrAvx512, kNrAvx512 / 16, Src::DirectA>(kc, a, lda, 1, b, 0, c, ldc, alpha, beta, mr, nr);
}

void microkernel_avx512_strided(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs, const float* b,
                                std::size_t ldb, float* c, std::size_t ldc, float alpha, float beta, std::size_t mr,
                                std::size_t nr) {
  kernel<kMrAvx512, kNrAvx512 / 16, Src::Strided>(kc, a, a_rs, a_cs, b, ldb, c, ldc, alpha, beta, mr, nr);
}

void microkernel_avx512_4x64_direct_a(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c,
                                      std::size_t ldc, float alpha, float beta, std::size_t mr, std::size_t nr) {
  kernel<kMrAvx512Short, kNrAvx512 / 16, Src::DirectA>(kc, a, lda, 1, b, 0, c, ldc, alpha, beta, mr, nr);
}

void microkernel_avx512_4x64_strided(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs, const float* b,
                                     std::size_t ldb, float* c, std::size_t ldc, float alpha, float beta,
                                     std::size_t mr, std::size_t nr) {
  kernel<kMrAvx512Short, kNrAvx512 / 16, Src::Strided>(kc, a, a_rs, a_cs, b, ldb, c, ldc, alpha, beta, mr, nr);
}

void microkernel_avx512_4x64_strided_fused(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs,
                                           const float* b, std::size_t ldb, float* c, std::size_t ldc, std::size_t mr,
                                           std::size_t nr, const TileFinish& finish) {
  constexpr int MR = kMrAvx512Short, NV = kNrAvx512 / 16;
  if (finish.kind == TileFinish::BiasRelu)
    kernel<MR, NV, Src::Strided, Fin::BiasRelu>(kc, a, a_rs, a_cs, b, ldb, c, ldc, 1.0f, 0.0f, mr, nr, &finish);
  else kernel<MR, NV, Src::Strided, Fin::ReluGradSums>(kc, a, a_rs, a_cs, b, ldb, c, ldc, 1.0f, 0.0f, mr, nr, &finish);
}

void microkernel_avx512_4x64_direct_a_fused(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c,
                                            std::size_t ldc, std::size_t mr, std::size_t nr, const TileFinish& finish) {
  constexpr int MR = kMrAvx512Short, NV = kNrAvx512 / 16;
  if (finish.kind == TileFinish::BiasRelu)
    kernel<MR, NV, Src::DirectA, Fin::BiasRelu>(kc, a, lda, 1, b, 0, c, ldc, 1.0f, 0.0f, mr, nr, &finish);
  else kernel<MR, NV, Src::DirectA, Fin::ReluGradSums>(kc, a, lda, 1, b, 0, c, ldc, 1.0f, 0.0f, mr, nr, &finish);
}

}  // namespace kiln::gemm
