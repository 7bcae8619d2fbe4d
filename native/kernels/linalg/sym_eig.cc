#include "sym_eig.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace kiln::linalg {

namespace {

// Reduces w (n×n symmetric, row-major, overwritten) to tridiagonal form T = Qᵀ W Q and
// returns d (diagonal), e (sub-diagonal, n-1) and qt = Qᵀ (row-major).
void tridiagonalise(std::vector<double>& w, std::size_t n, std::vector<double>& d, std::vector<double>& e,
                    std::vector<double>& qt) {
  std::vector<double> v(n), p(n);
  for (std::size_t k = 0; k + 2 < n; ++k) {
    const std::size_t m = n - k - 1;  // length of the column below the diagonal
    double norm2 = 0;
    for (std::size_t i = 0; i < m; ++i) {
      v[i] = w[(k + 1 + i) * n + k];
      norm2 += v[i] * v[i];
    }
    if (norm2 == 0) continue;  // already reduced
    const double alpha = v[0] > 0 ? -std::sqrt(norm2) : std::sqrt(norm2);
    v[0] -= alpha;
    double vtv = 0;
    for (std::size_t i = 0; i < m; ++i) vtv += v[i] * v[i];
    const double beta = 2.0 / vtv;
    // A22 ← H A22 H with H = I − β v vᵀ: p = β A22 v, w = p − (β pᵀv / 2) v, A22 −= v wᵀ + w vᵀ.
    double pv = 0;
    for (std::size_t i = 0; i < m; ++i) {
      const double* row = &w[(k + 1 + i) * n + k + 1];
      double s = 0;
      for (std::size_t j = 0; j < m; ++j) s += row[j] * v[j];
      p[i] = beta * s;
      pv += p[i] * v[i];
    }
    const double kk = beta * pv / 2;
    for (std::size_t i = 0; i < m; ++i) p[i] -= kk * v[i];
    for (std::size_t i = 0; i < m; ++i) {
      double* row = &w[(k + 1 + i) * n + k + 1];
      for (std::size_t j = 0; j < m; ++j) row[j] -= v[i] * p[j] + p[i] * v[j];
    }
    w[(k + 1) * n + k] = w[k * n + k + 1] = alpha;
    for (std::size_t i = 1; i < m; ++i) w[(k + 1 + i) * n + k] = w[k * n + k + 1 + i] = 0;
    // Qᵀ ← H Qᵀ (rows k+1.. mix).
    for (std::size_t c = 0; c < n; ++c) {
      double s = 0;
      for (std::size_t i = 0; i < m; ++i) s += v[i] * qt[(k + 1 + i) * n + c];
      s *= beta;
      if (s != 0)
        for (std::size_t i = 0; i < m; ++i) qt[(k + 1 + i) * n + c] -= s * v[i];
    }
  }
  for (std::size_t i = 0; i < n; ++i) d[i] = w[i * n + i];
  for (std::size_t i = 0; i + 1 < n; ++i) e[i] = w[(i + 1) * n + i];
}

// One implicit QR step with a Wilkinson shift on the unreduced block l..m of T (d, e), the
// rotations applied to the rows of zt (the eigenvector rows).
void qr_step(std::vector<double>& d, std::vector<double>& e, std::size_t l, std::size_t m, std::vector<double>& zt,
             std::size_t n) {
  const double delta = (d[m - 1] - d[m]) / 2;
  const double b = e[m - 1];
  const double denom = delta + (delta >= 0 ? 1.0 : -1.0) * std::hypot(delta, b);
  const double mu = denom == 0 ? d[m] : d[m] - b * b / denom;
  double x = d[l] - mu, z = e[l];
  for (std::size_t k = l; k < m; ++k) {
    const double r = std::hypot(x, z);
    const double c = r == 0 ? 1.0 : x / r, s = r == 0 ? 0.0 : -z / r;
    if (k > l) e[k - 1] = r;
    const double dk = d[k], dk1 = d[k + 1], ek = e[k];
    d[k] = c * c * dk - 2 * c * s * ek + s * s * dk1;
    d[k + 1] = s * s * dk + 2 * c * s * ek + c * c * dk1;
    e[k] = c * s * (dk - dk1) + (c * c - s * s) * ek;
    if (k + 1 < m) {
      z = -s * e[k + 1];
      e[k + 1] *= c;
      x = e[k];
    }
    double* u = &zt[k * n];
    double* w = &zt[(k + 1) * n];
    for (std::size_t j = 0; j < n; ++j) {
      const double a = u[j], bb = w[j];
      u[j] = c * a - s * bb;
      w[j] = s * a + c * bb;
    }
  }
}

}  // namespace

bool sym_eig(const double* a, std::size_t n, double* values, double* vectors) {
  if (n == 0) return true;
  for (std::size_t i = 0; i < n * n; ++i)
    if (!std::isfinite(a[i])) return false;
  std::vector<double> w(a, a + n * n), d(n), e(n > 1 ? n - 1 : 1, 0.0), zt(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) zt[i * n + i] = 1;
  tridiagonalise(w, n, d, e, zt);
  const double eps = std::numeric_limits<double>::epsilon();
  std::size_t m = n - 1, sweeps = 0;
  const std::size_t max_sweeps = 30 * n + 30;
  while (m > 0) {
    if (std::abs(e[m - 1]) <= eps * (std::abs(d[m - 1]) + std::abs(d[m])) ||
        std::abs(e[m - 1]) < std::numeric_limits<double>::min()) {
      e[m - 1] = 0;
      --m;
      continue;
    }
    std::size_t l = m - 1;
    while (l > 0 && std::abs(e[l - 1]) > eps * (std::abs(d[l - 1]) + std::abs(d[l]))) --l;
    if (l > 0) e[l - 1] = 0;
    if (++sweeps > max_sweeps) return false;
    qr_step(d, e, l, m, zt, n);
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return d[i] > d[j]; });
  for (std::size_t i = 0; i < n; ++i) {
    values[i] = d[order[i]];
    std::copy(&zt[order[i] * n], &zt[order[i] * n] + n, vectors + i * n);
  }
  return true;
}

}  // namespace kiln::linalg
