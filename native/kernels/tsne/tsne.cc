#include "tsne.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "../../runtime/thread_pool.h"
#include "quadtree.h"

namespace kiln::tsne {

namespace {

constexpr double kEps = 2.220446049250313e-16;  // 2^-52, the oracle's EPS
constexpr std::size_t kGrain = 128;

// The attractive part of point i and the gradient from its repulsion: the oracle's second loop.
void attract(const GradientArgs& a, std::size_t i, double rx, double ry, double sum_q) {
  const double* y = a.y;
  double ax = 0, ay = 0;
  for (int32_t t = a.indptr[i]; t < a.indptr[i + 1]; ++t) {
    const std::size_t j = static_cast<std::size_t>(a.indices[t]);
    const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
    const double q = 1 / (1 + dx * dx + dy * dy), p = a.exaggeration * a.values[t];
    ax += p * q * dx;
    ay += p * q * dy;
  }
  a.grad[2 * i] = 4 * (ax - rx / sum_q);
  a.grad[2 * i + 1] = 4 * (ay - ry / sum_q);
}

// KL over P's edges in the oracle's order (row-major, one running sum), on the calling thread.
double kl_divergence(const GradientArgs& a, double sum_q) {
  double kl = 0;
  for (std::size_t i = 0; i < a.n; ++i)
    for (int32_t t = a.indptr[i]; t < a.indptr[i + 1]; ++t) {
      const std::size_t j = static_cast<std::size_t>(a.indices[t]);
      const double dx = a.y[2 * i] - a.y[2 * j], dy = a.y[2 * i + 1] - a.y[2 * j + 1];
      const double q = 1 / (1 + dx * dx + dy * dy), p = a.exaggeration * a.values[t];
      kl += p * std::log(std::max(p, kEps) / std::max(q / sum_q, kEps));
    }
  return kl;
}

}  // namespace

double gradient(const GradientArgs& a) {
  const std::size_t n = a.n;
  if (n == 0) return 0;
  const QuadTree tree(a.y, n);  // serial: the insertion order fixes the tree
  std::vector<double> rep(2 * n), part(n);
  const double angle2 = a.angle * a.angle;
  runtime::parallel_for(n, kGrain, [&](std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k) {
      const auto i = static_cast<std::size_t>(tree.order()[k]);  // tree order: neighbouring walks share cells
      double fx = 0, fy = 0;
      part[i] = tree.repulse(i, angle2, fx, fy);
      rep[2 * i] = fx;
      rep[2 * i + 1] = fy;
    }
  });
  double sum_q = 0;
  for (std::size_t i = 0; i < n; ++i) sum_q += part[i];  // index order: thread-count independent
  sum_q = std::max(sum_q, kEps);
  runtime::parallel_for(n, kGrain, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) attract(a, i, rep[2 * i], rep[2 * i + 1], sum_q);
  });
  return a.compute_error ? kl_divergence(a, sum_q) : 0;
}

double exact_gradient(const GradientArgs& a) {
  const std::size_t n = a.n;
  std::vector<double> rep(2 * n, 0.0);
  double sum_q = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const double dx = a.y[2 * i] - a.y[2 * j], dy = a.y[2 * i + 1] - a.y[2 * j + 1];
      const double w = 1 / (1 + dx * dx + dy * dy);
      sum_q += w;
      rep[2 * i] += w * w * dx;
      rep[2 * i + 1] += w * w * dy;
    }
  sum_q = std::max(sum_q, kEps);
  for (std::size_t i = 0; i < n; ++i) attract(a, i, rep[2 * i], rep[2 * i + 1], sum_q);
  return a.compute_error ? kl_divergence(a, sum_q) : 0;
}

}  // namespace kiln::tsne
