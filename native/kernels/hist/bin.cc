// Raw feature values to uint8 bins (see hist.h), rows in parallel.
#include <algorithm>
#include <cmath>

#include "../../runtime/thread_pool.h"
#include "hist.h"

namespace kiln::hist {

namespace {

// Position of the first edge >= v among `count` sorted edges, without data-dependent branches.
inline std::size_t lower_bound(const double* e, std::size_t count, double v) {
  const double* base = e;
  std::size_t len = count;
  while (len > 1) {
    const std::size_t half = len / 2;
    base = base[half - 1] < v ? base + half : base;
    len -= half;
  }
  return static_cast<std::size_t>(base - e) + (len == 1 && base[0] < v ? 1 : 0);
}

// Row r's bin of feature f, into the row-major bins and (when asked for) the feature-major copy,
// written while the row is at hand rather than by a second pass over all the bins.
inline void put(const BinArgs& a, std::size_t r, std::size_t f, uint8_t bin) {
  a.out[r * a.x.cols + f] = bin;
  if (a.out_columns != nullptr) a.out_columns[f * a.x.rows + r] = bin;
}

// Numerical feature f of rows [r0, r0 + kLanes): kLanes searches in lockstep. Every search of
// the feature takes the same steps (the step sizes depend on the edge count only), so the lanes
// share the loop and their loads overlap instead of each search waiting on its own chain.
constexpr std::size_t kLanes = 8;

template <typename X>
void bin_numerical_lanes(const BinArgs& a, const X* x, std::size_t r0, std::size_t f) {
  const std::size_t p = a.x.cols;
  const double* e = a.edges + a.edge_offset[f];
  const std::size_t count = static_cast<std::size_t>(a.edge_offset[f + 1] - a.edge_offset[f]);
  double v[kLanes];
  std::size_t at[kLanes];
  for (std::size_t k = 0; k < kLanes; ++k) {
    v[k] = static_cast<double>(x[(r0 + k) * p + f]);
    at[k] = 0;
  }
  std::size_t len = count;
  while (len > 1) {
    const std::size_t half = len / 2;
    for (std::size_t k = 0; k < kLanes; ++k) at[k] += e[at[k] + half - 1] < v[k] ? half : 0;
    len -= half;
  }
  for (std::size_t k = 0; k < kLanes; ++k) {
    const std::size_t pos = at[k] + (len == 1 && e[at[k]] < v[k] ? 1 : 0);
    put(a, r0 + k, f, std::isnan(v[k]) ? 0 : static_cast<uint8_t>(1 + pos));
  }
}

// One value of feature f (see hist.h): NaN -> 0, a category code through its table, a number
// by its edges.
inline uint8_t bin_value(const BinArgs& a, std::size_t f, double v) {
  if (std::isnan(v)) return 0;
  if (a.categorical[f]) {
    const int32_t size = a.cat_offset[f + 1] - a.cat_offset[f];
    const double code = std::floor(v);
    return (code == v && code >= 0 && code < size) ? a.cat_table[a.cat_offset[f] + static_cast<int32_t>(code)] : 0;
  }
  return static_cast<uint8_t>(1 + lower_bound(a.edges + a.edge_offset[f], a.edge_offset[f + 1] - a.edge_offset[f], v));
}

template <typename X>
void bin_rows(const BinArgs& a, const X* x, std::size_t r0, std::size_t r1) {
  const std::size_t p = a.x.cols;
  for (; r0 + kLanes <= r1; r0 += kLanes) {
    for (std::size_t f = 0; f < p; ++f) {
      if (!a.categorical[f]) {
        bin_numerical_lanes(a, x, r0, f);
        continue;
      }
      for (std::size_t r = r0; r < r0 + kLanes; ++r) put(a, r, f, bin_value(a, f, static_cast<double>(x[r * p + f])));
    }
  }
  for (std::size_t r = r0; r < r1; ++r)
    for (std::size_t f = 0; f < p; ++f) put(a, r, f, bin_value(a, f, static_cast<double>(x[r * p + f])));
}

}  // namespace

void bin_columns(const BinArgs& a) {
  const std::size_t n = a.x.rows, p = a.x.cols;
  runtime::parallel_for(n, std::max<std::size_t>(1, 65536 / std::max<std::size_t>(1, p)),
                        [&](std::size_t r0, std::size_t r1) { a.x.visit([&](auto* x) { bin_rows(a, x, r0, r1); }); });
}

}  // namespace kiln::hist
