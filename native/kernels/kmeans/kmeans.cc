#include "kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "../../runtime/aligned.h"
#include "../../runtime/thread_pool.h"
#include "../gemm/microkernels.h"

namespace kiln::kmeans {

namespace {

constexpr double kU32 = 1.0 / 16777216.0;  // f32 unit roundoff

template <typename T>
double sq_dist(const T* x, const double* c, std::size_t d) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (std::size_t j = 0; j < d; ++j) {
    const double t = static_cast<double>(x[j]) - c[j];
    s += t * t;
  }
  return s;
}

double row_sq_dist(const Rows& x, std::size_t r, const double* c) {
  return x.f32 != nullptr ? sq_dist(x.f32 + r * x.cols, c, x.cols) : sq_dist(x.f64 + r * x.cols, c, x.cols);
}

// Exact argmin over every centre (ties to the smaller index); returns the index, sets best.
int32_t exact_nearest(const Rows& x, std::size_t r, const double* centers, std::size_t k, double& best) {
  best = std::numeric_limits<double>::infinity();
  int32_t arg = 0;
  for (std::size_t j = 0; j < k; ++j) {
    const double v = row_sq_dist(x, r, centers + j * x.cols);
    if (v < best) {
      best = v;
      arg = static_cast<int32_t>(j);
    }
  }
  return arg;
}

// Centres packed as the micro-kernel reads B: NR-centre panels [feature][centre], f32, with
// ||c||^2 per slot (+inf for padding so a padded slot never wins).
struct PackedCenters {
  runtime::AlignedBuffer<float> panels;
  std::vector<float> sqnorm;
  std::size_t count = 0;  // panels
  double max_norm = 0;    // largest ||c|| (f64), for the rounding bound
};

PackedCenters pack_centers(const double* c, std::size_t k, std::size_t d, std::size_t NR) {
  PackedCenters p;
  p.count = (k + NR - 1) / NR;
  p.panels = runtime::aligned_alloc_array<float>(p.count * NR * d);
  p.sqnorm.assign(p.count * NR, std::numeric_limits<float>::infinity());
  for (std::size_t pi = 0; pi < p.count; ++pi) {
    float* dst = p.panels.get() + pi * NR * d;
    for (std::size_t jj = 0; jj < NR; ++jj) {
      const std::size_t j = pi * NR + jj;
      double s = 0, s64 = 0;
      for (std::size_t f = 0; f < d; ++f) {
        const float v = j < k ? static_cast<float>(c[j * d + f]) : 0.0f;
        dst[f * NR + jj] = v;
        s += static_cast<double>(v) * v;
        if (j < k) s64 += c[j * d + f] * c[j * d + f];
      }
      if (j < k) {
        p.sqnorm[pi * NR + jj] = static_cast<float>(s);
        p.max_norm = std::max(p.max_norm, std::sqrt(s64));
      }
    }
  }
  return p;
}

struct Partial {
  std::vector<double> sums, weight_sums;
  double inertia = 0;
};

}  // namespace

void assign(const AssignArgs& a) {
  const std::size_t n = a.x.rows, d = a.x.cols, k = a.k;
  if (n == 0 || k == 0) return;
  const gemm::MicroKernelSpec& kern = gemm::microkernel_for_cpu();
  const std::size_t MR = kern.mr, NR = kern.nr;
  const PackedCenters pc = pack_centers(a.centers, k, d, NR);
  const bool accumulate = a.sums != nullptr;

  // Row blocks: a whole number of MR panels each, a few per thread.
  const std::size_t threads = runtime::thread_count();
  const std::size_t panels = (n + MR - 1) / MR;
  const std::size_t tasks = std::max<std::size_t>(1, std::min(panels / 4 + 1, threads * 4));
  const std::size_t per_task = (panels + tasks - 1) / tasks * MR;
  std::vector<Partial> parts(tasks);

  runtime::parallel_for(tasks, 1, [&](std::size_t t0, std::size_t t1) {
    std::vector<float> apanel(MR * d);
    alignas(64) float tile[16 * 64];  // MR x NR <= 16 x 64
    float best[16], second[16];
    int32_t arg[16];
    double xnorm[16];
    for (std::size_t t = t0; t < t1; ++t) {
      Partial& part = parts[t];
      if (accumulate) {
        part.sums.assign(k * d, 0.0);
        part.weight_sums.assign(k, 0.0);
      }
      const std::size_t r0 = t * per_task, r1 = std::min(n, r0 + per_task);
      for (std::size_t q = r0; q < r1; q += MR) {
        const std::size_t mr = std::min(MR, r1 - q);
        for (std::size_t i = 0; i < MR; ++i) {
          double s = 0;
          for (std::size_t f = 0; f < d; ++f) {
            const double v = i < mr ? a.x.at(q + i, f) : 0.0;
            apanel[f * MR + i] = static_cast<float>(v);
            s += v * v;
          }
          xnorm[i] = std::sqrt(s);
          best[i] = second[i] = std::numeric_limits<float>::infinity();
          arg[i] = 0;
        }
        for (std::size_t pi = 0; pi < pc.count; ++pi) {
          kern.fn(d, apanel.data(), pc.panels.get() + pi * NR * d, tile, NR, -2.0f, 0.0f, mr, NR);
          const float* cn = pc.sqnorm.data() + pi * NR;
          for (std::size_t i = 0; i < mr; ++i) {
            const float* row = tile + i * NR;
            for (std::size_t jj = 0; jj < NR; ++jj) {
              const float key = row[jj] + cn[jj];
              if (key < second[i]) {
                if (key < best[i]) {
                  second[i] = best[i];
                  best[i] = key;
                  arg[i] = static_cast<int32_t>(pi * NR + jj);
                } else {
                  second[i] = key;
                }
              }
            }
          }
        }
        for (std::size_t i = 0; i < mr; ++i) {
          const std::size_t r = q + i;
          // |f32 key - exact key| <= eps for every centre (as in the k-NN engine's bound); two
          // keys closer than 2 eps may be in the wrong order: decide those rows exactly.
          const double m = xnorm[i] + pc.max_norm;
          const double eps = (2.0 * d + 16.0) * kU32 * m * m * 2.0;
          int32_t lab = arg[i];
          double d2;
          if (!(static_cast<double>(second[i]) - static_cast<double>(best[i]) > 2.0 * eps)) {
            lab = exact_nearest(a.x, r, a.centers, k, d2);
          } else {
            d2 = row_sq_dist(a.x, r, a.centers + static_cast<std::size_t>(lab) * d);
          }
          a.labels[r] = lab;
          if (a.dist2 != nullptr) a.dist2[r] = d2;
          const double w = a.weights != nullptr ? a.weights[r] : 1.0;
          part.inertia += w * d2;
          if (accumulate) {
            double* s = part.sums.data() + static_cast<std::size_t>(lab) * d;
            for (std::size_t f = 0; f < d; ++f) s[f] += w * a.x.at(r, f);
            part.weight_sums[static_cast<std::size_t>(lab)] += w;
          }
        }
      }
    }
  });

  double inertia = 0;
  if (accumulate) {
    std::fill(a.sums, a.sums + k * d, 0.0);
    std::fill(a.weight_sums, a.weight_sums + k, 0.0);
  }
  for (const Partial& part : parts) {
    inertia += part.inertia;
    if (!accumulate || part.sums.empty()) continue;
    for (std::size_t i = 0; i < k * d; ++i) a.sums[i] += part.sums[i];
    for (std::size_t j = 0; j < k; ++j) a.weight_sums[j] += part.weight_sums[j];
  }
  if (a.inertia != nullptr) *a.inertia = inertia;
}

void sq_distances(const Rows& x, const double* centers, std::size_t k, double* out) {
  runtime::parallel_for(x.rows, 64, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r)
      for (std::size_t j = 0; j < k; ++j) out[r * k + j] = row_sq_dist(x, r, centers + j * x.cols);
  });
}

}  // namespace kiln::kmeans
