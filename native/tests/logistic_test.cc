// The binary logistic loss-gradient-Hessian kernel against naive f64 sums (edge blocks and
// tiles, f32 and f64 rows, weights, no intercept), its no-Hessian mode, and the lbfgs kernel.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "../kernels/linear/linear.h"

namespace {

using kiln::linear::LogisticArgs;

struct Naive {
  double loss = 0;
  std::vector<double> grad, hess;
};

Naive naive(const std::vector<double>& x, std::size_t n, std::size_t p, const std::vector<int32_t>& y,
            const std::vector<double>& coef, bool intercept, const std::vector<double>* w) {
  const std::size_t k = p + 1;
  Naive out{0, std::vector<double>(k), std::vector<double>(k * k)};
  std::vector<double> xr(k, 1.0);
  for (std::size_t r = 0; r < n; ++r) {
    double s = intercept ? coef[p] : 0.0;
    for (std::size_t c = 0; c < p; ++c) s += coef[c] * (xr[c] = x[r * p + c]);
    const double wr = w != nullptr ? (*w)[r] : 1.0, prob = 1 / (1 + std::exp(-s));
    out.loss += wr * (y[r] == 1 ? std::log1p(std::exp(-s)) : std::log1p(std::exp(s)));
    for (std::size_t i = 0; i < k; ++i) {
      out.grad[i] += wr * (prob - y[r]) * xr[i];
      for (std::size_t j = 0; j < k; ++j) out.hess[i * k + j] += wr * prob * (1 - prob) * xr[i] * xr[j];
    }
  }
  if (!intercept) out.grad[p] = 0;
  return out;
}

template <typename T>
void check(std::size_t n, std::size_t p, bool weighted, bool intercept) {
  std::mt19937 rng(static_cast<unsigned>(n * 31 + p));
  std::normal_distribution<double> g(0.0, 1.5);
  std::vector<double> x(n * p), coef(p + 1), w(n);
  std::vector<T> xs(n * p);
  std::vector<int32_t> y(n);
  for (std::size_t i = 0; i < n * p; ++i) x[i] = static_cast<double>(xs[i] = static_cast<T>(g(rng)));
  for (auto& c : coef) c = g(rng) * 0.5;
  for (std::size_t r = 0; r < n; ++r) y[r] = static_cast<int32_t>(rng() % 2), w[r] = 0.25 + (rng() % 8) * 0.25;
  const Naive want = naive(x, n, p, y, coef, intercept, weighted ? &w : nullptr);
  const std::size_t k = p + 1;
  std::vector<double> grad(k), hess(k * k), grad2(k);
  double loss = 0, loss2 = 0;
  LogisticArgs a;
  if constexpr (std::is_same_v<T, double>) {
    a.x.f64 = xs.data();
  } else {
    a.x.f32 = xs.data();
  }
  a.x.rows = n, a.x.cols = p, a.y = y.data(), a.coef = coef.data(), a.fit_intercept = intercept;
  a.w = weighted ? w.data() : nullptr;
  a.grad = grad.data(), a.hess = hess.data(), a.loss = &loss;
  kiln::linear::logistic_loss_grad_hess(a);
  const double tol = 1e-10 * static_cast<double>(n);
  EXPECT_NEAR(loss, want.loss, tol);
  for (std::size_t i = 0; i < k; ++i) EXPECT_NEAR(grad[i], want.grad[i], tol) << i;
  for (std::size_t i = 0; i < k * k; ++i) EXPECT_NEAR(hess[i], want.hess[i], tol) << i;
  a.hess = nullptr, a.grad = grad2.data(), a.loss = &loss2;  // no Hessian: the same sums otherwise
  kiln::linear::logistic_loss_grad_hess(a);
  EXPECT_EQ(loss2, loss);
  EXPECT_EQ(grad2, grad);
  std::vector<double> grad3(k);
  double loss3 = 0;
  a.classes = 2, a.grad = grad3.data(), a.loss = &loss3;  // the lbfgs kernel's loss and gradient
  kiln::linear::logistic_loss_grad(a);
  EXPECT_NEAR(loss3, loss, tol);
  for (std::size_t i = 0; i < k; ++i) EXPECT_NEAR(grad3[i], grad[i], tol) << i;
}

TEST(LogisticNewton, MatchesNaiveSums) {
  for (const auto& [n, p] :
       std::vector<std::pair<std::size_t, std::size_t>>{{1, 1}, {3, 5}, {513, 4}, {1500, 7}, {2100, 28}}) {
    check<double>(n, p, false, true);
    check<double>(n, p, true, false);
    check<float>(n, p, true, true);
  }
}

}  // namespace
