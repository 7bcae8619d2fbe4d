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

void check(std::size_t m, std::size_t n, std::size_t k, bool ta, bool tb, float alpha, float beta, bool serial) {
  std::mt19937 rng(static_cast<unsigned>(m * 131 + n * 17 + k + ta * 2 + tb));
  auto A = random_matrix(m * k, rng), B = random_matrix(k * n, rng), C = random_matrix(m * n, rng);
  kiln::gemm::SgemmArgs a;
  a.trans_a = ta;
  a.trans_b = tb;
  a.m = m;
  a.n = n;
  a.k = k;
  a.alpha = alpha;
  a.beta = beta;
  a.a = A.data();
  a.lda = ta ? m : k;
  a.b = B.data();
  a.ldb = tb ? k : n;
  const auto c0 = C;
  a.c = C.data();
  a.ldc = n;
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

// The strided tile (both operands read in place) sums in sgemm_serial's order when k
// fits one k slice: the MLP swaps one for the other and promises the same bits.
TEST(Sgemm, StridedTileMatchesSerialSgemmBitForBit) {
  const kiln::gemm::MicroKernelSpec& kern = kiln::gemm::microkernel_for_cpu();
  if (kern.strided == nullptr) GTEST_SKIP() << "no strided tile on " << kern.name;
  std::mt19937 rng(7);
  for (bool ta : {false, true})
    for (auto [m, k] : {std::pair<std::size_t, std::size_t>{10, 64}, {13, 1}, {64, 256}}) {
      const std::size_t n = 2 * kern.nr;
      const std::vector<float> A = random_matrix(m * k, rng), B = random_matrix(k * n, rng);
      std::vector<float> want(m * n), got(m * n, NAN);
      kiln::gemm::SgemmArgs g;
      g.trans_a = ta;
      g.m = m;
      g.n = n;
      g.k = k;
      g.a = A.data();
      g.lda = ta ? m : k;
      g.b = B.data();
      g.ldb = n;
      g.c = want.data();
      g.ldc = n;
      kiln::gemm::sgemm_serial(g);
      for (std::size_t ir = 0; ir < m; ir += kern.mr)
        for (std::size_t jr = 0; jr < n; jr += kern.nr) {
          const float* a = ta ? A.data() + ir : A.data() + ir * k;
          kern.strided(k, a, ta ? 1 : k, ta ? m : 1, B.data() + jr, n, got.data() + ir * n + jr, n, 1.0f, 0.0f,
                       std::min(kern.mr, m - ir), kern.nr);
        }
      for (std::size_t i = 0; i < m * n; ++i) ASSERT_EQ(got[i], want[i]) << "ta " << ta << " m " << m << " at " << i;
    }
}

TEST(Sgemm, NamesItsMicroKernel) { EXPECT_NE(std::string(kiln::gemm::sgemm_kernel_name()), ""); }

}  // namespace
