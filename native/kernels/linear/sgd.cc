#include "sgd.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "../../runtime/thread_pool.h"

namespace kiln::linear {

namespace {

double loss_value(SgdLoss loss, double p, double y, double eps) {
  const double z = p * y, r = p - y;
  switch (loss) {
    case SgdLoss::Hinge: return std::max(0.0, 1.0 - z);
    case SgdLoss::SquaredHinge: return z < 1 ? (1 - z) * (1 - z) : 0.0;
    case SgdLoss::Log: return z > 18 ? std::exp(-z) : z < -18 ? -z : std::log1p(std::exp(-z));
    case SgdLoss::ModifiedHuber: return z >= 1 ? 0.0 : z >= -1 ? (1 - z) * (1 - z) : -4 * z;
    case SgdLoss::SquaredError: return 0.5 * r * r;
    case SgdLoss::Huber: return std::abs(r) <= eps ? 0.5 * r * r : eps * std::abs(r) - 0.5 * eps * eps;
  }
  return 0;
}

}  // namespace

double sgd_dloss(SgdLoss loss, double p, double y, double eps) {
  const double z = p * y, r = p - y;
  switch (loss) {
    case SgdLoss::Hinge: return z <= 1 ? -y : 0.0;
    case SgdLoss::SquaredHinge: return z < 1 ? -2 * y * (1 - z) : 0.0;
    case SgdLoss::Log: return z > 18 ? -y * std::exp(-z) : z < -18 ? -y : -y / (1 + std::exp(z));
    case SgdLoss::ModifiedHuber: return z >= 1 ? 0.0 : z >= -1 ? -2 * y * (1 - z) : -4 * y;
    case SgdLoss::SquaredError: return r;
    case SgdLoss::Huber: return std::abs(r) <= eps ? r : (r > 0 ? eps : -eps);
  }
  return 0;
}

namespace {

// One model's epoch (T = float or double rows).
template <typename T>
void epoch_one(const SgdArgs& a, const T* x, std::size_t m, std::vector<double>& q) {
  const std::size_t n = a.x.rows, p = a.x.cols, stride = p + 1;
  double* wv = a.coef + m * stride;
  double& b = wv[p];
  const double* ym = a.y + m * n;
  double scale = 1.0;  // weights are wv * scale (lazy L2 shrinking)
  double u = 0.0;      // total L1 penalty per weight so far
  std::fill(q.begin(), q.end(), 0.0);
  double t = a.t[m], total = 0.0;
  const double l2 = a.alpha * (1 - a.l1_ratio);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = static_cast<std::size_t>(a.order[i]);
    if (i + 2 < n) {  // rows come in shuffled order: fetch the one after next early
      const char* next = reinterpret_cast<const char*>(x + static_cast<std::size_t>(a.order[i + 2]) * p);
      for (std::size_t off = 0; off < p * sizeof(T); off += 64) __builtin_prefetch(next + off);
    }
    const T* xr = x + r * p;
    double dotp = 0;
#pragma omp simd reduction(+ : dotp)
    for (std::size_t c = 0; c < p; ++c) dotp += wv[c] * static_cast<double>(xr[c]);
    const double pred = dotp * scale + b;
    const double y = ym[r], sw = a.w != nullptr ? a.w[r] : 1.0;
    double eta;
    switch (a.rate) {
      case SgdRate::Optimal: eta = 1.0 / (a.alpha * (a.optimal_init + t - 1)); break;
      case SgdRate::InvScaling: eta = a.eta0 / std::pow(t, a.power_t); break;
      default: eta = a.eta0;
    }
    total += sw * loss_value(a.loss, pred, y, a.epsilon);
    const double g = sgd_dloss(a.loss, pred, y, a.epsilon) * sw;
    // L2: shrink all weights by (1 - eta * alpha * (1 - l1_ratio)) through the scale.
    if (l2 > 0) scale *= std::max(0.0, 1.0 - eta * l2);
    if (scale < 1e-9) {  // fold the scale back before it underflows
      for (std::size_t c = 0; c < p; ++c) wv[c] *= scale;
      scale = 1.0;
    }
    if (g != 0) {
      const double step = -eta * g / scale;
#pragma omp simd
      for (std::size_t c = 0; c < p; ++c) wv[c] += step * static_cast<double>(xr[c]);
      if (a.fit_intercept) b += -eta * g;
    }
    if (a.l1_ratio > 0) {
      // truncated gradient: clip each weight towards 0 by the penalty accumulated since it last moved
      u += eta * a.alpha * a.l1_ratio;
      for (std::size_t c = 0; c < p; ++c) {
        const double z = wv[c] * scale;
        double nz = z;
        if (z > 0) nz = std::max(0.0, z - (u + q[c]));
        else if (z < 0) nz = std::min(0.0, z + (u - q[c]));
        q[c] += nz - z;
        wv[c] = nz / scale;
      }
    }
    t += 1;
  }
  for (std::size_t c = 0; c < p; ++c) wv[c] *= scale;
  a.t[m] = t;
  a.loss_sum[m] = total;
}

}  // namespace

void sgd_epoch(const SgdArgs& a) {
  runtime::parallel_for(a.models, 1, [&](std::size_t m0, std::size_t m1) {
    std::vector<double> q(a.x.cols, 0.0);  // L1 penalty applied so far per weight
    for (std::size_t m = m0; m < m1; ++m) {
      a.x.visit([&](auto* x) { epoch_one(a, x, m, q); });
    }
  });
}

}  // namespace kiln::linear
