// Per-row gradients and hessians of the boosting losses at the current raw scores.
#include <algorithm>
#include <cmath>
#include <vector>

#include "../../runtime/thread_pool.h"
#include "hist.h"

namespace kiln::hist {

namespace {

constexpr double kMinHessian = 1e-16;
constexpr std::size_t kChunk = 16384;  // fixed: loss sums merge in the same order on any thread count

double sigmoid(double z) { return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z)); }
// log(1 + exp(z)) without overflow.
double softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

double row(const GradArgs& a, std::size_t i, std::vector<double>& prob) {
  const double w = a.w != nullptr ? a.w[i] : 1.0;
  const double* s = a.scores + i * a.k;
  const std::size_t n = a.n;
  switch (a.loss) {
    case Loss::Logistic: {
      const double y = a.y[i], z = s[0], pr = sigmoid(z);
      a.grad_hess[2 * i] = w * (pr - y);
      a.grad_hess[2 * i + 1] = w * std::max(pr * (1 - pr), kMinHessian);
      return w * (softplus(z) - y * z);
    }
    case Loss::Softmax: {
      const std::size_t label = static_cast<std::size_t>(a.y[i]);
      double mx = s[0];
      for (std::size_t c = 1; c < a.k; ++c) mx = std::max(mx, s[c]);
      double sum = 0;
      for (std::size_t c = 0; c < a.k; ++c) sum += (prob[c] = std::exp(s[c] - mx));
      for (std::size_t c = 0; c < a.k; ++c) {
        const double pr = prob[c] / sum;
        double* gh = a.grad_hess + 2 * (c * n + i);
        gh[0] = w * (pr - (c == label ? 1.0 : 0.0));
        gh[1] = w * std::max(pr * (1 - pr), kMinHessian);
      }
      return w * (mx + std::log(sum) - s[label]);
    }
    case Loss::Squared: {
      const double r = s[0] - a.y[i];
      a.grad_hess[2 * i] = w * r;
      a.grad_hess[2 * i + 1] = w;
      return 0.5 * w * r * r;
    }
    case Loss::Absolute: {
      const double r = s[0] - a.y[i];
      a.grad_hess[2 * i] = w * (r > 0 ? 1.0 : (r < 0 ? -1.0 : 0.0));
      a.grad_hess[2 * i + 1] = w;
      return w * std::abs(r);
    }
    case Loss::Huber: {
      const double r = s[0] - a.y[i], d = a.huber_delta;
      const bool small = std::abs(r) <= d;
      a.grad_hess[2 * i] = w * (small ? r : (r > 0 ? d : -d));
      a.grad_hess[2 * i + 1] = w;
      return w * (small ? 0.5 * r * r : d * (std::abs(r) - 0.5 * d));
    }
  }
  return 0;
}

}  // namespace

void gradients(const GradArgs& a) {
  const std::size_t chunks = (a.n + kChunk - 1) / kChunk;
  std::vector<double> partial(chunks, 0.0);
  runtime::parallel_for(chunks, 1, [&](std::size_t c0, std::size_t c1) {
    std::vector<double> prob(a.k);
    for (std::size_t c = c0; c < c1; ++c) {
      double s = 0;
      for (std::size_t i = c * kChunk, e = std::min(a.n, i + kChunk); i < e; ++i) s += row(a, i, prob);
      partial[c] = s;
    }
  });
  double total = 0;
  for (double s : partial) total += s;
  *a.loss_sum = total;
}

}  // namespace kiln::hist
