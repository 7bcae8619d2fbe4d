// Per-row gradients and hessians of the boosting losses at the current raw scores.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../../runtime/fast_math.h"
#include "../../runtime/simd_clones.h"
#include "../../runtime/thread_pool.h"
#include "hist.h"
#include "sample.h"

namespace kiln::hist {

namespace {

constexpr double kMinHessian = 1e-16;
constexpr std::size_t kChunk = 16384;  // fixed: loss sums merge in the same order on any thread count

// Weighted or unweighted, decided once per chunk so the loops stay branch-free and vectorise
// (this file is built with glibc's vector exp/log where available, for softmax; the other losses
// use runtime/fast_math.h's exp and log1p, cheaper than those).
// `bad` counts the rows whose label is not a class code (logistic, softmax): checked in the loop
// that reads the labels anyway, rather than by a pass of its own on the calling thread.
template <bool Weighted>
KILN_CLONES double chunk_of(const GradArgs& a, std::size_t i0, std::size_t i1, std::size_t& bad) {
  const double* s = a.scores;
  const double* y = a.y;
  const double* w = a.w;
  double* gh = a.grad_hess;
  double total = 0;
  switch (a.loss) {
    case Loss::Logistic: {
      constexpr uint64_t kOne = 0x3FF0000000000000ull;
      std::size_t not_binary = 0;
#pragma omp simd reduction(+ : total, not_binary)
      for (std::size_t i = i0; i < i1; ++i) {
        uint64_t bits;  // +0, -0 and 1 pass, compared as bit patterns (NaN fails whatever the float flags)
        std::memcpy(&bits, y + i, sizeof bits);
        not_binary += static_cast<std::size_t>((bits << 1) != 0) & static_cast<std::size_t>(bits != kOne);
        const double wi = Weighted ? w[i] : 1.0, z = s[i];
        const double e = runtime::exp_nonpositive(-std::abs(z));  // in [0, 1]: never overflows
        const double inv = 1 / (1 + e);
        const double pr = z >= 0 ? inv : e * inv;
        gh[2 * i] = wi * (pr - y[i]);
        gh[2 * i + 1] = wi * std::max(pr * (1 - pr), kMinHessian);
        total += wi * (std::max(z, 0.0) + runtime::log1p_unit(e) - y[i] * z);  // softplus(z) - y z
      }
      bad = not_binary;
      return total;
    }
    case Loss::Softmax: {
      constexpr uint64_t kExponent = 0x7FF0000000000000ull;
      const std::size_t k = a.k, n = a.n;
      for (std::size_t i = i0; i < i1; ++i) {
        uint64_t bits;  // NaN and inf by their bits: this file's -ffast-math assumes finite values
        std::memcpy(&bits, y + i, sizeof bits);
        const bool finite = (bits & kExponent) != kExponent;
        if (!finite || !(y[i] >= 0 && y[i] < static_cast<double>(k) && y[i] == std::floor(y[i]))) {
          ++bad;  // never an index: the call fails
          continue;
        }
        const double wi = Weighted ? w[i] : 1.0;
        const double* si = s + i * k;
        const std::size_t label = static_cast<std::size_t>(y[i]);
        double mx = si[0];
        for (std::size_t c = 1; c < k; ++c) mx = std::max(mx, si[c]);
        double sum = 0;
        for (std::size_t c = 0; c < k; ++c) sum += std::exp(si[c] - mx);
        for (std::size_t c = 0; c < k; ++c) {
          const double pr = std::exp(si[c] - mx) / sum;
          double* g = gh + 2 * (c * n + i);
          g[0] = wi * (pr - (c == label ? 1.0 : 0.0));
          g[1] = wi * std::max(pr * (1 - pr), kMinHessian);
        }
        total += wi * (mx + std::log(sum) - si[label]);
      }
      return total;
    }
    case Loss::Squared:
#pragma omp simd reduction(+ : total)
      for (std::size_t i = i0; i < i1; ++i) {
        const double wi = Weighted ? w[i] : 1.0, r = s[i] - y[i];
        gh[2 * i] = wi * r;
        gh[2 * i + 1] = wi;
        total += 0.5 * wi * r * r;
      }
      return total;
    case Loss::Absolute:
#pragma omp simd reduction(+ : total)
      for (std::size_t i = i0; i < i1; ++i) {
        const double wi = Weighted ? w[i] : 1.0, r = s[i] - y[i];
        gh[2 * i] = wi * (r > 0 ? 1.0 : (r < 0 ? -1.0 : 0.0));
        gh[2 * i + 1] = wi;
        total += wi * std::abs(r);
      }
      return total;
    case Loss::Huber: {
      const double d = a.param;
#pragma omp simd reduction(+ : total)
      for (std::size_t i = i0; i < i1; ++i) {
        const double wi = Weighted ? w[i] : 1.0, r = s[i] - y[i];
        const bool small = std::abs(r) <= d;
        gh[2 * i] = wi * (small ? r : (r > 0 ? d : -d));
        gh[2 * i + 1] = wi;
        total += wi * (small ? 0.5 * r * r : d * (std::abs(r) - 0.5 * d));
      }
      return total;
    }
    case Loss::Quantile: {
      // Pinball loss; gradient as scikit-learn's (-alpha where y >= s), unit hessian: leaves are refitted.
      const double alpha = a.param;
#pragma omp simd reduction(+ : total)
      for (std::size_t i = i0; i < i1; ++i) {
        const double wi = Weighted ? w[i] : 1.0, r = y[i] - s[i];
        const bool above = r >= 0;
        gh[2 * i] = wi * (above ? -alpha : 1 - alpha);
        gh[2 * i + 1] = wi;
        total += wi * (above ? alpha * r : (alpha - 1) * r);
      }
      return total;
    }
    case Loss::Poisson:
#pragma omp simd reduction(+ : total)
      for (std::size_t i = i0; i < i1; ++i) {
        const double wi = Weighted ? w[i] : 1.0, mu = runtime::exp_full(s[i]);
        gh[2 * i] = wi * (mu - y[i]);
        gh[2 * i + 1] = wi * std::max(mu, kMinHessian);
        total += wi * (mu - y[i] * s[i]);
      }
      return total;
    case Loss::Gamma:
#pragma omp simd reduction(+ : total)
      for (std::size_t i = i0; i < i1; ++i) {
        const double wi = Weighted ? w[i] : 1.0, t = y[i] * runtime::exp_full(-s[i]);
        gh[2 * i] = wi * (1 - t);
        gh[2 * i + 1] = wi * std::max(t, kMinHessian);
        total += wi * (s[i] + t);
      }
      return total;
    case Loss::Tweedie: {
      const double rho = a.param;
#pragma omp simd reduction(+ : total)
      for (std::size_t i = i0; i < i1; ++i) {
        const double wi = Weighted ? w[i] : 1.0;
        const double e1 = runtime::exp_full((1 - rho) * s[i]), e2 = runtime::exp_full((2 - rho) * s[i]);
        gh[2 * i] = wi * (e2 - y[i] * e1);
        gh[2 * i + 1] = wi * std::max((2 - rho) * e2 - (1 - rho) * y[i] * e1, kMinHessian);
        total += wi * (e2 / (2 - rho) - y[i] * e1 / (1 - rho));
      }
      return total;
    }
  }
  return total;
}

double chunk(const GradArgs& a, std::size_t i0, std::size_t i1, std::size_t& bad) {
  return a.w != nullptr ? chunk_of<true>(a, i0, i1, bad) : chunk_of<false>(a, i0, i1, bad);
}

}  // namespace

std::size_t gradients(const GradArgs& a) {
  const std::size_t chunks = (a.n + kChunk - 1) / kChunk;
  std::vector<double> partial(chunks, 0.0);
  std::vector<std::size_t> bad(chunks, 0);
  runtime::parallel_blocks(a.n, kChunk, [&](std::size_t c, std::size_t i0, std::size_t i1) {
    partial[c] = chunk(a, i0, i1, bad[c]);
    // GOSS keys while the chunk's gradients are in cache (the sampler would read them all again).
    if (a.goss_keys != nullptr) goss_keys(a.grad_hess, a.n, a.k, i0, i1, a.goss_keys);
  });
  double total = 0;
  for (double s : partial) total += s;
  *a.loss_sum = total;
  std::size_t bad_rows = 0;
  for (std::size_t b : bad) bad_rows += b;
  return bad_rows;
}

}  // namespace kiln::hist
