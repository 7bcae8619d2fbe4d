#include "svm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "../../runtime/thread_pool.h"

namespace kiln::linear {

namespace {

uint32_t xorshift32(uint32_t& s) {
  s ^= s << 13;
  s ^= s >> 17;
  s ^= s << 5;
  return s;
}

}  // namespace

void svm_dual_cd(const SvmArgs& a) {
  const std::size_t n = a.x.rows, p = a.x.cols, stride = p + 1;
  const bool intercept = a.intercept_scaling != 0.0;
  // LIBLINEAR's instance weights: row i's C is C * weight[i] (its box bound, or its squared-hinge diagonal).
  std::vector<double> diag(n), upper(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double ci = a.C * (a.weight != nullptr ? a.weight[i] : 1.0);
    diag[i] = a.squared_hinge ? 0.5 / ci : 0.0;
    upper[i] = a.squared_hinge ? std::numeric_limits<double>::infinity() : ci;
  }
  // Rows in f64 with the intercept feature, and their squared norms: shared by all models.
  std::vector<double> xs(n * stride), qd(n);
  runtime::parallel_for(n, 1024, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) {
      double s = 0;
      for (std::size_t c = 0; c < p; ++c) {
        const double v = a.x.at(r, c);
        xs[r * stride + c] = v;
        s += v * v;
      }
      xs[r * stride + p] = intercept ? a.intercept_scaling : 0.0;
      qd[r] = s + xs[r * stride + p] * xs[r * stride + p] + diag[r];
    }
  });
  runtime::parallel_for(a.models, 1, [&](std::size_t m0, std::size_t m1) {
    std::vector<double> alpha(n);
    std::vector<uint32_t> order(n);
    for (std::size_t m = m0; m < m1; ++m) {
      double* w = a.coef + m * stride;
      std::fill(w, w + stride, 0.0);
      std::fill(alpha.begin(), alpha.end(), 0.0);
      for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
      const double* y = a.y + m * n;
      uint32_t state = a.seed != 0 ? a.seed : 1;
      std::size_t iter = 0;
      for (; iter < a.max_iter; ++iter) {
        for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[xorshift32(state) % i]);
        double pg_max = -std::numeric_limits<double>::infinity(), pg_min = std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < n; ++k) {
          const std::size_t i = order[k];
          const double* xi = &xs[i * stride];
          double wx = 0;
          for (std::size_t c = 0; c < stride; ++c) wx += w[c] * xi[c];
          const double g = y[i] * wx - 1 + diag[i] * alpha[i];
          double pg = g;
          if (alpha[i] == 0) pg = std::min(g, 0.0);
          else if (alpha[i] == upper[i]) pg = std::max(g, 0.0);
          pg_max = std::max(pg_max, pg);
          pg_min = std::min(pg_min, pg);
          if (std::abs(pg) > 1e-12 && qd[i] > 0) {
            const double old = alpha[i];
            alpha[i] = std::min(std::max(old - g / qd[i], 0.0), upper[i]);
            const double step = (alpha[i] - old) * y[i];
            for (std::size_t c = 0; c < stride; ++c) w[c] += step * xi[c];
          }
        }
        if (pg_max - pg_min <= a.tol) {
          ++iter;
          break;
        }
      }
      if (intercept) w[p] *= a.intercept_scaling;
      a.iterations[m] = static_cast<int32_t>(iter);
    }
  });
}

}  // namespace kiln::linear
