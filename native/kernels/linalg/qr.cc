#include "qr.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "../../runtime/thread_pool.h"

namespace kiln::linalg {

namespace {

// Applies H = I − β v vᵀ (v over rows j..m-1) to columns [c0, c1) of the column-major w.
void reflect(std::vector<double>& w, std::size_t m, std::size_t j, const double* v, double beta, std::size_t c0,
             std::size_t c1) {
  const std::size_t len = m - j;
  const std::size_t grain = std::max<std::size_t>(1, 65536 / std::max<std::size_t>(len, 1));
  runtime::parallel_for(c1 - c0, grain, [&](std::size_t b, std::size_t e) {
    for (std::size_t k = c0 + b; k < c0 + e; ++k) {
      double* col = &w[k * m + j];
      double s = 0;
#pragma omp simd reduction(+ : s)
      for (std::size_t i = 0; i < len; ++i) s += v[i] * col[i];
      s *= beta;
#pragma omp simd
      for (std::size_t i = 0; i < len; ++i) col[i] -= s * v[i];
    }
  });
}

}  // namespace

bool thin_qr(const double* a, std::size_t m, std::size_t n, double* q, double* r) {
  for (std::size_t i = 0; i < m * n; ++i)
    if (!std::isfinite(a[i])) return false;
  // Column-major copies: each reflector then touches contiguous memory.
  std::vector<double> w(m * n), vs(m * n, 0.0), betas(n, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t k = 0; k < n; ++k) w[k * m + i] = a[i * n + k];
  std::fill(r, r + n * n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    double* v = &vs[j * m + j];
    const double* x = &w[j * m + j];
    const std::size_t len = m - j;
    double norm2 = 0;
    for (std::size_t i = 0; i < len; ++i) norm2 += x[i] * x[i];
    if (norm2 == 0) continue;  // a zero column: no reflector, R_jj = 0
    const double alpha = x[0] > 0 ? -std::sqrt(norm2) : std::sqrt(norm2);
    std::copy(x, x + len, v);
    v[0] -= alpha;
    double vtv = 0;
    for (std::size_t i = 0; i < len; ++i) vtv += v[i] * v[i];
    betas[j] = 2.0 / vtv;
    reflect(w, m, j, v, betas[j], j, n);
  }
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t k = j; k < n; ++k) r[j * n + k] = w[k * m + j];
  // Q = H_0 … H_{n-1} [I; 0], built from the last reflector back.
  std::fill(w.begin(), w.end(), 0.0);
  for (std::size_t k = 0; k < n; ++k) w[k * m + k] = 1;
  for (std::size_t j = n; j-- > 0;)
    if (betas[j] != 0) reflect(w, m, j, &vs[j * m + j], betas[j], j, n);
  // diag(R) >= 0: flip the sign of row j of R and column j of Q together.
  for (std::size_t j = 0; j < n; ++j) {
    if (r[j * n + j] >= 0) continue;
    for (std::size_t k = j; k < n; ++k) r[j * n + k] = -r[j * n + k];
    for (std::size_t i = 0; i < m; ++i) w[j * m + i] = -w[j * m + i];
  }
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t k = 0; k < n; ++k) q[i * n + k] = w[k * m + i];
  return true;
}

}  // namespace kiln::linalg
