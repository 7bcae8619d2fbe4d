#include "linear.h"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "../../runtime/simd_clones.h"
#include "chunked_sum.h"
#include "logistic_math.h"

namespace kiln::linear {

namespace {

constexpr std::size_t kBlock = 256;  // rows centred and transposed at once

KILN_CLONES double dot(const double* a, const double* b, std::size_t n) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (std::size_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

KILN_CLONES void axpy(double alpha, const double* x, double* y, std::size_t n) {
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

}  // namespace

void weighted_gram(const GramArgs& a) {
  const std::size_t n = a.x.rows, p = a.x.cols, t = a.t;
  // Pass 1: weighted sums of x and y.
  std::vector<double> sums = chunked_sum(n, p + t + 1, [&](std::size_t r0, std::size_t r1, double* s) {
    for (std::size_t r = r0; r < r1; ++r) {
      const double wr = a.w != nullptr ? a.w[r] : 1.0;
      for (std::size_t c = 0; c < p; ++c) s[c] += wr * a.x.at(r, c);
      for (std::size_t c = 0; c < t; ++c) s[p + c] += wr * a.y[r * t + c];
      s[p + t] += wr;
    }
  });
  const double sw = sums[p + t];
  *a.w_sum = sw;
  for (std::size_t c = 0; c < p; ++c) a.x_mean[c] = a.center && sw > 0 ? sums[c] / sw : 0.0;
  for (std::size_t c = 0; c < t; ++c) a.y_mean[c] = a.center && sw > 0 ? sums[p + c] / sw : 0.0;
  // Pass 2: blocks of rows centred, scaled by sqrt(w) and transposed (feature-major),
  // so each Gram entry is a contiguous dot product.
  const std::size_t partial = p * p + p * t;
  std::vector<double> total = chunked_sum(n, partial, [&](std::size_t r0, std::size_t r1, double* s) {
    std::vector<double> xt(p * kBlock), yt(t * kBlock);
    for (std::size_t b0 = r0; b0 < r1; b0 += kBlock) {
      const std::size_t len = std::min(kBlock, r1 - b0);
      for (std::size_t r = 0; r < len; ++r) {
        const double sq = std::sqrt(a.w != nullptr ? a.w[b0 + r] : 1.0);
        for (std::size_t c = 0; c < p; ++c) xt[c * kBlock + r] = (a.x.at(b0 + r, c) - a.x_mean[c]) * sq;
        for (std::size_t c = 0; c < t; ++c) yt[c * kBlock + r] = (a.y[(b0 + r) * t + c] - a.y_mean[c]) * sq;
      }
      for (std::size_t i = 0; i < p; ++i) {
        for (std::size_t j = i; j < p; ++j) s[i * p + j] += dot(&xt[i * kBlock], &xt[j * kBlock], len);
        for (std::size_t c = 0; c < t; ++c) s[p * p + i * t + c] += dot(&xt[i * kBlock], &yt[c * kBlock], len);
      }
    }
  });
  for (std::size_t i = 0; i < p; ++i)
    for (std::size_t j = 0; j < p; ++j) a.gram[i * p + j] = j >= i ? total[i * p + j] : total[j * p + i];
  std::copy(total.begin() + p * p, total.end(), a.xty);
}

namespace {

// Binary model: rows in blocks — scores, then the vectorised loss and residuals,
// then the gradient X_block' * residuals.
template <typename T>
void logistic_binary_rows(const LogisticArgs& a, const T* x, std::size_t r0, std::size_t r1, double* s) {
  const std::size_t p = a.x.cols;
  std::vector<double> xb(std::is_same_v<T, double> ? 0 : kBlock * p), z(kBlock);
  const double b = a.fit_intercept ? a.coef[p] : 0.0;
  for (std::size_t b0 = r0; b0 < r1; b0 += kBlock) {
    const std::size_t m = std::min(kBlock, r1 - b0);
    const double* rows;
    if constexpr (std::is_same_v<T, double>) {
      rows = x + b0 * p;  // f64 input is used in place
    } else {
      for (std::size_t i = 0; i < m * p; ++i) xb[i] = static_cast<double>(x[b0 * p + i]);
      rows = xb.data();
    }
    for (std::size_t i = 0; i < m; ++i) z[i] = b + dot(a.coef, rows + i * p, p);
    s[p + 1] += logistic_binary_block(z.data(), a.y + b0, a.w != nullptr ? a.w + b0 : nullptr, m);
    for (std::size_t i = 0; i < m; ++i) {
      axpy(z[i], rows + i * p, s, p);
      s[p] += z[i];
    }
  }
}

// One chunk of rows of the multinomial loss and gradient (T = float or double input).
template <typename T>
void logistic_rows(const LogisticArgs& a, const T* x, std::size_t r0, std::size_t r1, double* s) {
  const std::size_t p = a.x.cols, k = logistic_scores(a.classes), stride = p + 1;
  const bool binary = a.classes == 2;
  std::vector<double> xr(p), score(k);
  for (std::size_t r = r0; r < r1; ++r) {
    const T* row = x + r * p;
    for (std::size_t c = 0; c < p; ++c) xr[c] = static_cast<double>(row[c]);
    for (std::size_t q = 0; q < k; ++q)
      score[q] = dot(a.coef + q * stride, xr.data(), p) + (a.fit_intercept ? a.coef[q * stride + p] : 0.0);
    const double wr = a.w != nullptr ? a.w[r] : 1.0;
    const int32_t yr = a.y[r];
    double loss;
    if (binary) {
      // log(1 + e^-z) for y = 1, log(1 + e^z) for y = 0, without overflow.
      const double z = yr == 1 ? score[0] : -score[0];
      const double e = std::exp(-std::abs(z));
      loss = (z > 0 ? 0.0 : -z) + std::log1p(e);
      const double prob =
          score[0] >= 0 ? 1.0 / (1.0 + std::exp(-score[0])) : std::exp(score[0]) / (1.0 + std::exp(score[0]));
      score[0] = prob - (yr == 1 ? 1.0 : 0.0);  // residual
    } else {
      const double mx = *std::max_element(score.begin(), score.end());
      double se = 0;
      for (std::size_t q = 0; q < k; ++q) se += std::exp(score[q] - mx);
      const double lse = mx + std::log(se);
      loss = lse - score[static_cast<std::size_t>(yr)];
      for (std::size_t q = 0; q < k; ++q)
        score[q] = std::exp(score[q] - lse) - (static_cast<std::size_t>(yr) == q ? 1.0 : 0.0);
    }
    s[k * stride] += wr * loss;
    for (std::size_t q = 0; q < k; ++q) {
      axpy(wr * score[q], xr.data(), s + q * stride, p);
      s[q * stride + p] += wr * score[q];
    }
  }
}

}  // namespace

void logistic_loss_grad(const LogisticArgs& a) {
  const std::size_t p = a.x.cols, k = logistic_scores(a.classes), stride = p + 1;
  std::vector<double> total = chunked_sum(a.x.rows, k * stride + 1, [&](std::size_t r0, std::size_t r1, double* s) {
    if (a.classes == 2) {
      a.x.visit([&](auto* x) { logistic_binary_rows(a, x, r0, r1, s); });
    } else {
      a.x.visit([&](auto* x) { logistic_rows(a, x, r0, r1, s); });
    }
  });
  for (std::size_t q = 0; q < k; ++q) {
    std::copy(total.begin() + q * stride, total.begin() + q * stride + stride, a.grad + q * stride);
    if (!a.fit_intercept) a.grad[q * stride + p] = 0.0;
  }
  *a.loss = total[k * stride];
}

}  // namespace kiln::linear
