// The symmetric eigensolver and the thin QR against their defining identities:
// A V = V Λ with V orthonormal, and A = Q R with Q orthonormal, R upper triangular, diag(R) >= 0.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

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
