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

template <typename X>
void bin_rows(const BinArgs& a, const X* x, std::size_t r0, std::size_t r1) {
  const std::size_t p = a.x.cols;
  for (std::size_t r = r0; r < r1; ++r) {
    const X* row = x + r * p;
    uint8_t* out = a.out + r * p;
    for (std::size_t f = 0; f < p; ++f) {
      const double v = static_cast<double>(row[f]);
      if (std::isnan(v)) {
        out[f] = 0;
        continue;
      }
      if (a.categorical[f]) {
        const int32_t size = a.cat_offset[f + 1] - a.cat_offset[f];
        const double code = std::floor(v);
        out[f] =
            (code == v && code >= 0 && code < size) ? a.cat_table[a.cat_offset[f] + static_cast<int32_t>(code)] : 0;
      } else {
        out[f] = static_cast<uint8_t>(
            1 + lower_bound(a.edges + a.edge_offset[f], a.edge_offset[f + 1] - a.edge_offset[f], v));
      }
    }
  }
}

}  // namespace

void bin_columns(const BinArgs& a) {
  const std::size_t n = a.x.rows, p = a.x.cols;
  runtime::parallel_for(n, std::max<std::size_t>(1, 65536 / std::max<std::size_t>(1, p)),
                        [&](std::size_t r0, std::size_t r1) { a.x.visit([&](auto* x) { bin_rows(a, x, r0, r1); }); });
  if (a.out_columns == nullptr) return;
  runtime::parallel_for(p, 1, [&](std::size_t f0, std::size_t f1) {
    for (std::size_t f = f0; f < f1; ++f) {
      uint8_t* col = a.out_columns + f * n;
      for (std::size_t r = 0; r < n; ++r) col[r] = a.out[r * p + f];
    }
  });
}

}  // namespace kiln::hist
