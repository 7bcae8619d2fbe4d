// sgemm against a plain f64 triple loop, every transpose combination, odd shapes that
// leave partial micro-tiles, alpha/beta, and beta = 0 overwriting NaN already in C.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include "../kernels/gemm/gemm.h"
#include "../kernels/gemm/microkernels.h"

namespace {

std::vector<float> random_matrix(std::size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = u(rng);
  return v;
}

// Reference: C = alpha op(A) op(B) + beta C in f64.
std::vector<double> reference(const kiln::gemm::SgemmArgs& a, const std::vector<float>& c0) {
  std::vector<double> c(a.m * a.n);
  for (std::size_t i = 0; i < a.m; ++i)
    for (std::size_t j = 0; j < a.n; ++j) {
      double s = 0;
      for (std::size_t p = 0; p < a.k; ++p) {
        const double x = a.trans_a ? a.a[p * a.lda + i] : a.a[i * a.lda + p];
        const double y = a.trans_b ? a.b[j * a.ldb + p] : a.b[p * a.ldb + j];
        s += x * y;
      }
      c[i * a.n + j] = a.alpha * s + (a.beta == 0.0f ? 0.0 : a.beta * c0[i * a.ldc + j]);
    }
  return c;
}

// C (m x n, dense) = alpha * op(A) * op(B) + beta * C, A and B dense as stored.
kiln::gemm::SgemmArgs product_args(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, const float* A,
                                   const float* B, float* C, float alpha = 1.0f, float beta = 0.0f) {
  kiln::gemm::SgemmArgs a;
  a.trans_a = ta;
  a.trans_b = tb;
  a.m = m;
  a.n = n;
  a.k = k;
  a.alpha = alpha;
  a.beta = beta;
  a.a = A;
  a.lda = ta ? m : k;
  a.b = B;
  a.ldb = tb ? k : n;
  a.c = C;
  a.ldc = n;
  return a;
}

void check(std::size_t m, std::size_t n, std::size_t k, bool ta, bool tb, float alpha, float beta, bool serial) {
  std::mt19937 rng(static_cast<unsigned>(m * 131 + n * 17 + k + ta * 2 + tb));
  auto A = random_matrix(m * k, rng), B = random_matrix(k * n, rng), C = random_matrix(m * n, rng);
  const auto c0 = C;
  kiln::gemm::SgemmArgs a = product_args(ta, tb, m, n, k, A.data(), B.data(), C.data(), alpha, beta);
  const auto want = reference(a, c0);
  serial ? kiln::gemm::sgemm_serial(a) : kiln::gemm::sgemm(a);
  // f32 accumulation of k products of values in [-1, 1]: error grows like sqrt(k) ulps.
  const double tol = 1e-5 * (1.0 + std::sqrt(static_cast<double>(k))) * (std::abs(alpha) + std::abs(beta));
  for (std::size_t i = 0; i < m * n; ++i)
    ASSERT_NEAR(C[i], want[i], tol) << "m=" << m << " n=" << n << " k=" << k << " at " << i;
}

TEST(Sgemm, MatchesReferenceForEveryTransposeAndOddShapes) {
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (auto [m, n, k] : {std::tuple<std::size_t, std::size_t, std::size_t>{1, 1, 1},
                             {7, 5, 3},
                             {13, 33, 17},
                             {64, 64, 64},
                             {129, 65, 300}}) {
        check(m, n, k, ta, tb, 1.0f, 0.0f, false);
        check(m, n, k, ta, tb, 0.5f, -2.0f, true);
      }
}

TEST(Sgemm, BetaZeroOverwritesNaN) {
  std::vector<float> A(4, 1.0f), B(4, 1.0f), C(4, NAN);
  kiln::gemm::SgemmArgs a;
  a.m = a.n = a.k = 2;
  a.a = A.data();
  a.lda = 2;
  a.b = B.data();
  a.ldb = 2;
  a.c = C.data();
  a.ldc = 2;
  kiln::gemm::sgemm(a);
  for (float v : C) EXPECT_EQ(v, 2.0f);
}

// sgemm_serial's C = op(A) * B (B k x n row-major), the reference of the tiles below.
std::vector<float> serial_product(bool ta, std::size_t m, std::size_t n, std::size_t k, const std::vector<float>& A,
                                  const std::vector<float>& B) {
  std::vector<float> c(m * n);
  kiln::gemm::sgemm_serial(product_args(ta, false, m, n, k, A.data(), B.data(), c.data()));
  return c;
}

// B (k x n, row-major) packed as a tile's panels: panel j holds columns [j * nr, (j + 1) * nr), k
// rows of nr, zero past column n.
std::vector<float> packed_panels(const std::vector<float>& B, std::size_t k, std::size_t n, std::size_t nr) {
  std::vector<float> panels(k * ((n + nr - 1) / nr) * nr, 0.0f);
  for (std::size_t jr = 0; jr < n; jr += nr)
    for (std::size_t p = 0; p < k; ++p)
      for (std::size_t j = 0; j < nr && jr + j < n; ++j) panels[jr * k + p * nr + j] = B[p * n + jr + j];
  return panels;
}

// The strided tiles (both operands read in place) sum in sgemm_serial's order when k fits one
// k slice: the MLP swaps one for the other and promises the same bits. The CPU's own tile and,
// where it differs (AVX-512: 4 x 64), the MLP's in-place tile, also with B packed into panels (its
// direct-A form).
TEST(Sgemm, StridedTilesMatchSerialSgemmBitForBit) {
  const kiln::gemm::MicroKernelSpec& kern = kiln::gemm::microkernel_for_cpu();
  if (kern.strided == nullptr) GTEST_SKIP() << "no strided tile on " << kern.name;
  struct Tile {
    std::size_t mr, nr;
    kiln::gemm::StridedKernel strided;
    kiln::gemm::DirectAKernel direct_a;  // tested here for the in-place tile only
  };
  std::vector<Tile> tiles{{kern.mr, kern.nr, kern.strided, nullptr}};
  const kiln::gemm::MicroKernelSpec& in_place = kiln::gemm::in_place_tile_for_cpu();  // the MLP's
  if (&in_place != &kern) tiles.push_back({in_place.mr, in_place.nr, in_place.strided, in_place.direct_a});
  std::mt19937 rng(7);
  for (const Tile& t : tiles)
    for (bool ta : {false, true})
      for (auto [m, k] : {std::pair<std::size_t, std::size_t>{10, 64}, {13, 1}, {64, 256}}) {
        const std::size_t n = 2 * t.nr;
        const std::vector<float> A = random_matrix(m * k, rng), B = random_matrix(k * n, rng);
        const std::vector<float> want = serial_product(ta, m, n, k, A, B);
        std::vector<float> got(m * n, NAN);
        for (std::size_t ir = 0; ir < m; ir += t.mr)
          for (std::size_t jr = 0; jr < n; jr += t.nr) {
            const float* a = ta ? A.data() + ir : A.data() + ir * k;
            t.strided(k, a, ta ? 1 : k, ta ? m : 1, B.data() + jr, n, got.data() + ir * n + jr, n, 1.0f, 0.0f,
                      std::min(t.mr, m - ir), t.nr);
          }
        for (std::size_t i = 0; i < m * n; ++i)
          ASSERT_EQ(got[i], want[i]) << "tile " << t.mr << "x" << t.nr << " ta " << ta << " m " << m << " at " << i;
        if (t.direct_a == nullptr || ta) continue;
        const std::vector<float> panels = packed_panels(B, k, n, t.nr);
        std::fill(got.begin(), got.end(), NAN);
        for (std::size_t ir = 0; ir < m; ir += t.mr)
          for (std::size_t jr = 0; jr < n; jr += t.nr)
            t.direct_a(k, A.data() + ir * k, k, panels.data() + jr * k, got.data() + ir * n + jr, n, 1.0f, 0.0f,
                       std::min(t.mr, m - ir), t.nr);
        for (std::size_t i = 0; i < m * n; ++i) ASSERT_EQ(got[i], want[i]) << "direct-A, m " << m << " at " << i;
      }
}

// The MLP's fused finishes give what the plain tile's store followed by the finish pass gives, to
// the bit: bias + ReLU (`v > 0 ? v : 0`, so NaN and -0 become +0) and the ReLU gradient (zero where
// the layer's output is not > 0, NaN outputs included) with its column sums, on whole and edge
// tiles, A in place and B read in place (strided) or packed (direct-A).
TEST(Sgemm, FusedTileFinishesMatchStoreThenFinish) {
  const kiln::gemm::MicroKernelSpec& t = kiln::gemm::in_place_tile_for_cpu();
  if (t.strided_fused == nullptr || t.direct_a_fused == nullptr) GTEST_SKIP() << "no fused finish on " << t.name;
  std::mt19937 rng(11);
  for (auto [m, n] : {std::pair<std::size_t, std::size_t>{8, 2 * t.nr}, {3, t.nr - 5}}) {
    const std::size_t k = 40;
    std::vector<float> A = random_matrix(m * k, rng), B = random_matrix(k * n, rng);
    if (m == 8) A[1] = NAN;  // row 0's sums are NaN in the first shape
    std::vector<float> bias = random_matrix(n, rng), act = random_matrix(m * n, rng);
    act[2] = NAN;
    act[3] = -0.0f;
    act[4] = 0.0f;
    std::vector<float> plain(m * n);
    const std::vector<float> panels = packed_panels(B, k, n, t.nr);
    for (std::size_t ir = 0; ir < m; ir += t.mr)
      for (std::size_t jr = 0; jr < n; jr += t.nr)
        t.direct_a(k, A.data() + ir * k, k, panels.data() + jr * k, plain.data() + ir * n + jr, n, 1.0f, 0.0f,
                   std::min(t.mr, m - ir), std::min(t.nr, n - jr));
    bias[0] = -plain[m > 1 ? n : 0];  // an exact zero sum (+0 or -0) in row 1
    for (const auto kind : {kiln::gemm::TileFinish::BiasRelu, kiln::gemm::TileFinish::ReluGrad}) {
      std::vector<float> want(m * n);
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
          const float v = plain[i * n + j] + bias[j];
          want[i * n + j] = kind == kiln::gemm::TileFinish::BiasRelu ? (v > 0 ? v : 0.0f)
                                                                     : (act[i * n + j] > 0 ? plain[i * n + j] : 0.0f);
        }
      for (const bool packed : {false, true}) {
        if (!packed && n % t.nr != 0) continue;  // the strided form reads whole rows of B
        std::vector<float> got(m * n, NAN), sums(n, 0.0f);
        const bool with_sums = kind == kiln::gemm::TileFinish::ReluGrad;
        for (std::size_t jr = 0; jr < n; jr += t.nr)  // a column's tiles top to bottom, as the MLP runs them
          for (std::size_t ir = 0; ir < m; ir += t.mr) {
            const kiln::gemm::TileFinish f{kind, bias.data() + jr, act.data() + ir * n + jr, n,
                                           with_sums ? sums.data() + jr : nullptr};
            const std::size_t rows = std::min(t.mr, m - ir), cols = std::min(t.nr, n - jr);
            if (packed)
              t.direct_a_fused(k, A.data() + ir * k, k, panels.data() + jr * k, got.data() + ir * n + jr, n, rows, cols,
                               f);
            else
              t.strided_fused(k, A.data() + ir * k, k, 1, B.data() + jr, n, got.data() + ir * n + jr, n, rows, cols, f);
          }
        if (with_sums) {  // the column sums, row by row from +0, as column_sums adds them
          for (std::size_t j = 0; j < n; ++j) {
            float s = 0.0f;
            for (std::size_t i = 0; i < m; ++i) s += want[i * n + j];
            ASSERT_TRUE(sums[j] == s || (std::isnan(sums[j]) && std::isnan(s)))
                << "column sum " << j << " packed " << packed;
          }
        }
        for (std::size_t i = 0; i < m * n; ++i) {
          ASSERT_EQ(std::signbit(got[i]), std::signbit(want[i]))
              << "kind " << kind << " packed " << packed << " at " << i;
          ASSERT_TRUE(got[i] == want[i] || (std::isnan(got[i]) && std::isnan(want[i])))
              << "kind " << kind << " packed " << packed << " at " << i << ": " << got[i] << " vs " << want[i];
        }
      }
    }
  }
}

TEST(Sgemm, NamesItsMicroKernel) { EXPECT_NE(std::string(kiln::gemm::sgemm_kernel_name()), ""); }

}  // namespace
