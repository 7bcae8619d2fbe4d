// sgemm against a plain f64 triple loop, every transpose combination, odd shapes that
// leave partial micro-tiles, alpha/beta, and beta = 0 overwriting NaN already in C.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "../kernels/gemm/gemm.h"

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

TEST(Sgemm, NamesItsMicroKernel) { EXPECT_NE(std::string(kiln::gemm::sgemm_kernel_name()), ""); }

}  // namespace
