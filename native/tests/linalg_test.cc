// The symmetric eigensolver and the thin QR against their defining identities:
// A V = V Λ with V orthonormal, and A = Q R with Q orthonormal, R upper triangular, diag(R) >= 0.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "../kernels/linalg/dgemm.h"
#include "../kernels/linalg/qr.h"
#include "../kernels/linalg/sym_eig.h"

namespace {

std::vector<double> random_symmetric(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<double> b(n * n), a(n * n, 0.0);
  for (auto& v : b) v = g(rng);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t k = 0; k < n; ++k) a[i * n + j] += b[i * n + k] * b[j * n + k];
  return a;
}

void check_eig(const std::vector<double>& a, std::size_t n) {
  std::vector<double> values(n), vectors(n * n);
  ASSERT_TRUE(kiln::linalg::sym_eig(a.data(), n, values.data(), vectors.data()));
  double scale = 0;
  for (double v : a) scale = std::max(scale, std::abs(v));
  for (std::size_t i = 0; i + 1 < n; ++i) EXPECT_GE(values[i], values[i + 1]);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t r = 0; r < n; ++r) {
      double av = 0;
      for (std::size_t c = 0; c < n; ++c) av += a[r * n + c] * vectors[i * n + c];
      EXPECT_NEAR(av, values[i] * vectors[i * n + r], 1e-10 * (scale + 1) * n) << "pair " << i << " row " << r;
    }
    for (std::size_t j = 0; j < n; ++j) {
      double dot = 0;
      for (std::size_t c = 0; c < n; ++c) dot += vectors[i * n + c] * vectors[j * n + c];
      EXPECT_NEAR(dot, i == j ? 1.0 : 0.0, 1e-12 * n);
    }
  }
}

TEST(SymEig, RandomSymmetricMatrices) {
  for (std::size_t n : {1u, 2u, 3u, 7u, 40u, 129u}) check_eig(random_symmetric(n, static_cast<unsigned>(n)), n);
}

TEST(SymEig, DiagonalAndRepeatedEigenvalues) {
  const std::size_t n = 6;
  std::vector<double> a(n * n, 0.0);
  const double diag[] = {2, 5, 2, -1, 5, 0};
  for (std::size_t i = 0; i < n; ++i) a[i * n + i] = diag[i];
  check_eig(a, n);
  std::vector<double> values(n), vectors(n * n);
  ASSERT_TRUE(kiln::linalg::sym_eig(a.data(), n, values.data(), vectors.data()));
  const double want[] = {5, 5, 2, 2, 0, -1};
  for (std::size_t i = 0; i < n; ++i) EXPECT_DOUBLE_EQ(values[i], want[i]);
  // identity plus rank one: eigenvalues 1 (n-1 times) and 1 + n
  std::vector<double> b(n * n, 1.0);
  for (std::size_t i = 0; i < n; ++i) b[i * n + i] = 2;
  check_eig(b, n);
}

TEST(SymEig, RefusesNonFinite) {
  std::vector<double> a = {1, NAN, NAN, 1}, values(2), vectors(4);
  EXPECT_FALSE(kiln::linalg::sym_eig(a.data(), 2, values.data(), vectors.data()));
}

TEST(ThinQr, ReconstructsAndIsOrthonormal) {
  std::mt19937 rng(3);
  std::normal_distribution<double> g(0.0, 1.0);
  for (auto [m, n] : {std::pair<std::size_t, std::size_t>{1, 1}, {5, 3}, {300, 17}, {40, 40}}) {
    std::vector<double> a(m * n), q(m * n), r(n * n);
    for (auto& v : a) v = g(rng);
    ASSERT_TRUE(kiln::linalg::thin_qr(a.data(), m, n, q.data(), r.data()));
    for (std::size_t j = 0; j < n; ++j) {
      EXPECT_GE(r[j * n + j], 0.0);
      for (std::size_t k = 0; k < j; ++k) EXPECT_EQ(r[j * n + k], 0.0);
      for (std::size_t k = 0; k < n; ++k) {
        double dot = 0;
        for (std::size_t i = 0; i < m; ++i) dot += q[i * n + j] * q[i * n + k];
        EXPECT_NEAR(dot, j == k ? 1.0 : 0.0, 1e-12);
      }
    }
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t k = 0; k < n; ++k) {
        double s = 0;
        for (std::size_t j = 0; j < n; ++j) s += q[i * n + j] * r[j * n + k];
        EXPECT_NEAR(s, a[i * n + k], 1e-12 * n);
      }
  }
}

TEST(ThinQr, RankDeficientStaysOrthonormal) {
  const std::size_t m = 4, n = 3;
  std::vector<double> a = {1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2}, q(m * n),
                      r(n * n);  // column 1 zero, column 2 = 2·column 0
  ASSERT_TRUE(kiln::linalg::thin_qr(a.data(), m, n, q.data(), r.data()));
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t k = 0; k < n; ++k) {
      double dot = 0;
      for (std::size_t i = 0; i < m; ++i) dot += q[i * n + j] * q[i * n + k];
      EXPECT_NEAR(dot, j == k ? 1.0 : 0.0, 1e-12);
    }
  EXPECT_NEAR(r[0], 2.0, 1e-12);
  EXPECT_NEAR(r[2], 4.0, 1e-12);
}

}  // namespace

// ---- dgemm against a naive triple loop -------------------------------------------------------

namespace {

struct Product {
  bool ta, tb;
  std::size_t m, n, k;
};

// op(A) op(B) by the definition, in long double.
std::vector<double> naive(const Product& s, const std::vector<double>& a, const std::vector<double>& b, double alpha,
                          double beta, const std::vector<double>& c0) {
  std::vector<double> c(s.m * s.n);
  for (std::size_t i = 0; i < s.m; ++i)
    for (std::size_t j = 0; j < s.n; ++j) {
      long double acc = 0;
      for (std::size_t p = 0; p < s.k; ++p) {
        const double av = s.ta ? a[p * s.m + i] : a[i * s.k + p];
        const double bv = s.tb ? b[j * s.k + p] : b[p * s.n + j];
        acc += static_cast<long double>(av) * bv;
      }
      c[i * s.n + j] = static_cast<double>(alpha * acc + (beta != 0.0 ? beta * c0[i * s.n + j] : 0.0));
    }
  return c;
}

void check_dgemm(const Product& s, double alpha, double beta, bool f32_inputs, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<double> a(s.m * s.k), b(s.k * s.n), c(s.m * s.n);
  std::vector<float> a32(a.size()), b32(b.size());
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = a32[i] = static_cast<float>(g(rng));
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = b32[i] = static_cast<float>(g(rng));
  for (auto& v : c) v = g(rng);
  const std::vector<double> want = naive(s, a, b, alpha, beta, c);
  kiln::linalg::DgemmArgs d;
  d.trans_a = s.ta;
  d.trans_b = s.tb;
  d.m = s.m;
  d.n = s.n;
  d.k = s.k;
  d.alpha = alpha;
  d.beta = beta;
  if (f32_inputs) {
    d.a32 = a32.data();
    d.b32 = b32.data();
  } else {
    d.a = a.data();
    d.b = b.data();
  }
  d.lda = s.ta ? s.m : s.k;
  d.ldb = s.tb ? s.k : s.n;
  d.c = c.data();
  d.ldc = s.n;
  kiln::linalg::dgemm(d);
  // f64 sums of k products of unit normals: rounding ~ 1e-16 * sqrt(k) * |terms|.
  const double tol = 1e-13 * (1.0 + static_cast<double>(s.k));
  for (std::size_t i = 0; i < c.size(); ++i)
    ASSERT_NEAR(c[i], want[i], tol) << "m=" << s.m << " n=" << s.n << " k=" << s.k << " ta=" << s.ta << " tb=" << s.tb
                                    << " at " << i;
}

}  // namespace

TEST(Dgemm, MatchesNaiveAcrossShapesAndTransposes) {
  // edges of every micro-kernel (8x16, 6x8, 4x4), one k step and several, blocks past MC / NC
  const Product shapes[] = {{false, false, 1, 1, 1},    {false, false, 7, 9, 3},    {false, false, 17, 33, 300},
                            {true, false, 13, 5, 257},  {false, true, 9, 40, 64},   {true, true, 31, 19, 100},
                            {false, false, 800, 30, 8}, {false, true, 50, 270, 20}, {true, false, 8, 8, 20000}};
  unsigned seed = 1;
  for (const Product& s : shapes)
    for (bool f32 : {false, true}) check_dgemm(s, 1.0, 0.0, f32, seed++);
}

TEST(Dgemm, AlphaBetaAndSlicedK) {
  check_dgemm({false, false, 10, 12, 30}, -0.5, 2.0, false, 3);
  // small C, long k: sliced along k, with beta applied once
  check_dgemm({true, false, 12, 26, 70000}, 2.0, -1.0, false, 4);
  check_dgemm({true, false, 9, 3, 40000}, 1.0, 0.5, true, 5);
}

TEST(Dgemm, BetaZeroIgnoresNaNAndKZeroScales) {
  const double a[2] = {1, 2}, b[2] = {3, 4};
  double c[1] = {std::nan("")};
  kiln::linalg::DgemmArgs d;
  d.m = 1;
  d.n = 1;
  d.k = 2;
  d.a = a;
  d.lda = 2;
  d.b = b;
  d.ldb = 1;
  d.c = c;
  d.ldc = 1;
  kiln::linalg::dgemm(d);
  EXPECT_EQ(c[0], 11.0);
  d.k = 0;
  d.beta = 3.0;
  kiln::linalg::dgemm(d);
  EXPECT_EQ(c[0], 33.0);
}

TEST(Dgemm, GramOfOneArrayComputesTheUpperTriangleAndMirrorsIt) {
  // AᵀA with the same array on both sides: sliced along k, single tiles, several row tasks
  const std::size_t shapes[][2] = {{20000, 37}, {300, 100}, {50, 200}, {3, 1}};
  unsigned seed = 40;
  for (const auto& sh : shapes) {
    const std::size_t k = sh[0], m = sh[1];
    std::mt19937 rng(seed++);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<double> a(k * m), c(m * m, std::nan(""));
    for (auto& v : a) v = g(rng);
    const std::vector<double> want = naive({true, false, m, m, k}, a, a, 1.0, 0.0, c);
    kiln::linalg::DgemmArgs d;
    d.trans_a = true;
    d.m = d.n = m;
    d.k = k;
    d.a = d.b = a.data();
    d.lda = d.ldb = m;
    d.c = c.data();
    d.ldc = m;
    kiln::linalg::dgemm(d);
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < m; ++j) {
        ASSERT_NEAR(c[i * m + j], want[i * m + j], 1e-13 * (1.0 + static_cast<double>(k))) << i << "," << j;
        ASSERT_EQ(c[i * m + j], c[j * m + i]);
      }
  }
}
