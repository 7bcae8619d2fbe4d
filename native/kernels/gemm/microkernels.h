// Register-blocked SGEMM micro-kernels. Each computes one MR x NR tile of C from
// packed panels:  C[0:mr, 0:nr] = alpha * sum_p A[p][0:MR] (x) B[p][0:NR] + beta * C
// (beta == 0: C is not read). A holds kc groups of MR values (one per row of the
// tile), B holds kc groups of NR values; both zero-padded. No alignment is assumed
// (k-NN passes panels packed into JS-owned memory).
// mr <= MR and nr <= NR mark the valid part of an edge tile.
// Each ISA variant lives in its own file compiled with that ISA's flags, and
// those files use nothing but intrinsics (no shared inline code that could carry
// AVX-512 instructions into the generic build).
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::gemm {

using MicroKernel = void (*)(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, float alpha,
                             float beta, std::size_t mr, std::size_t nr);
// The same, reading A unpacked from row-major memory: row i of the tile starts at
// a + i * lda (rows past mr are never read). Packing A costs up to ~20% at small
// sizes; reading it in place costs nothing when A is not transposed.
using DirectAKernel = void (*)(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c,
                               std::size_t ldc, float alpha, float beta, std::size_t mr, std::size_t nr);

// The same with both operands read in place: A's element (i, p) at a[i * a_rs + p * a_cs]
// (row-major A: a_rs = lda, a_cs = 1; A stored transposed: a_rs = 1, a_cs = its row stride)
// and B's row p at b + p * ldb, of which all NR columns are read (the caller keeps them in
// bounds; columns past nr only feed accumulators that are never stored). Saves packing
// when a product is too small for the packed panels to be reused.
using StridedKernel = void (*)(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs, const float* b,
                               std::size_t ldb, float* c, std::size_t ldc, float alpha, float beta, std::size_t mr,
                               std::size_t nr);

// k-NN distance tile: keys[i][j] = xn[j] + alpha * (A_i . B_j) for an MR x NR tile
// (alpha = -2 with xn = ||x||^2 gives squared L2 minus ||q||^2; alpha = -1 with
// xn = 0 gives negated inner products), stored to `keys` (row stride NR), and per
// row i a bitmask of the columns whose key is below worst[i]. Fusing the compare
// into the register tile saves a pass over every key.
using KnnTileKernel = void (*)(std::size_t kc, const float* a, const float* b, const float* xn, float alpha,
                               const float* worst, float* keys, std::uint64_t* masks, std::size_t mr);

// The MLP's finish of a product, applied to the tile in registers before it is stored (alpha 1,
// beta 0): BiasRelu stores max(sum + bias[j], 0) (a hidden ReLU layer's forward product);
// ReluGrad stores act[i * ld_act + j] > 0 ? sum : 0 (a delta through a ReLU layer, act its
// outputs) and adds each stored row into col_sums[j] in row order (the layer below's bias
// gradient, when the tiles of a column run top to bottom; col_sums is required). The same values as
// storing the sums and finishing them in a second pass over the tile, without that pass. bias,
// act and col_sums point at the tile's first column / element.
struct TileFinish {
  enum Kind { BiasRelu, ReluGrad } kind;
  const float* bias;
  const float* act;
  std::size_t ld_act;
  float* col_sums = nullptr;
};
using FusedStridedKernel = void (*)(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs, const float* b,
                                    std::size_t ldb, float* c, std::size_t ldc, std::size_t mr, std::size_t nr,
                                    const TileFinish& finish);
using FusedDirectAKernel = void (*)(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c,
                                    std::size_t ldc, std::size_t mr, std::size_t nr, const TileFinish& finish);

struct MicroKernelSpec {
  std::size_t mr, nr;
  MicroKernel fn;
  DirectAKernel direct_a;  // nullptr: always pack A
  KnnTileKernel knn_tile;  // nullptr: k-NN finishes keys in portable code
  StridedKernel strided;   // nullptr: pack
  const char* name;
  FusedStridedKernel strided_fused = nullptr;  // nullptr: the caller finishes the stored tile
  FusedDirectAKernel direct_a_fused = nullptr;
};

// The micro-kernel for this CPU (after the KILN_CPU cap); other kernel families
// (k-NN distance tiles) drive it directly.
const MicroKernelSpec& microkernel_for_cpu();
// The tile for small products read in place (the MLP's, strided and direct-A forms only): on
// AVX-512 the 4 x 64 one below, else microkernel_for_cpu().
const MicroKernelSpec& in_place_tile_for_cpu();
// The AVX2 6 x 16 tile where this CPU may run it (after the KILN_CPU cap), else null: narrow
// products (a few columns) waste less of it than of the 64-wide AVX-512 tiles.
const MicroKernelSpec* avx2_tile();

constexpr std::size_t kMrAvx512 = 6, kNrAvx512 = 64;
constexpr std::size_t kMrAvx2 = 6, kNrAvx2 = 16;
constexpr std::size_t kMrScalar = 4, kNrScalar = 8;

void microkernel_avx512(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, float alpha,
                        float beta, std::size_t mr, std::size_t nr);
void microkernel_avx2(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, float alpha,
                      float beta, std::size_t mr, std::size_t nr);
void microkernel_avx512_direct_a(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c,
                                 std::size_t ldc, float alpha, float beta, std::size_t mr, std::size_t nr);
void knn_tile_avx512(std::size_t kc, const float* a, const float* b, const float* xn, float alpha, const float* worst,
                     float* keys, std::uint64_t* masks, std::size_t mr);
void microkernel_avx512_strided(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs, const float* b,
                                std::size_t ldb, float* c, std::size_t ldc, float alpha, float beta, std::size_t mr,
                                std::size_t nr);
// A shorter AVX-512 tile, 4 x 64 (16 accumulators), read in place: on the MLP's products of
// 64-row parts (k of 64 to 128, operands in L1) 3-7% faster than 6 x 64 (bench/mlp-tiles.cc), which
// spends a third of its last row tile on nothing at 64 rows and broadcasts 6 values a k step for 24
// FMAs. Every element is the same sum in the same order on either tile.
constexpr std::size_t kMrAvx512Short = 4;
void microkernel_avx512_4x64_direct_a(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c,
                                      std::size_t ldc, float alpha, float beta, std::size_t mr, std::size_t nr);
void microkernel_avx512_4x64_strided(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs, const float* b,
                                     std::size_t ldb, float* c, std::size_t ldc, float alpha, float beta,
                                     std::size_t mr, std::size_t nr);
void microkernel_avx512_4x64_strided_fused(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs,
                                           const float* b, std::size_t ldb, float* c, std::size_t ldc, std::size_t mr,
                                           std::size_t nr, const TileFinish& finish);
void microkernel_avx512_4x64_direct_a_fused(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c,
                                            std::size_t ldc, std::size_t mr, std::size_t nr, const TileFinish& finish);
void microkernel_avx2_strided(std::size_t kc, const float* a, std::size_t a_rs, std::size_t a_cs, const float* b,
                              std::size_t ldb, float* c, std::size_t ldc, float alpha, float beta, std::size_t mr,
                              std::size_t nr);
void microkernel_avx2_direct_a(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c,
                               std::size_t ldc, float alpha, float beta, std::size_t mr, std::size_t nr);
void microkernel_scalar(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, float alpha,
                        float beta, std::size_t mr, std::size_t nr);

}  // namespace kiln::gemm
