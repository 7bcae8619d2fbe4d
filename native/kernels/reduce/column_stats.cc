#include "column_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "../../runtime/thread_pool.h"

namespace kiln::reduce {

namespace {

// Partial statistics of one block of rows, for every column.
struct Partial {
  std::vector<double> count, non_finite, sum, mean, m2, min, max;
  explicit Partial(std::size_t cols)
      : count(cols, 0), non_finite(cols, 0), sum(cols, 0), mean(cols, 0), m2(cols, 0),
        min(cols, std::numeric_limits<double>::infinity()),
        max(cols, -std::numeric_limits<double>::infinity()) {}
};

template <typename T>
void accumulate(const T* x, std::size_t r0, std::size_t r1, std::size_t cols, Partial& p) {
  for (std::size_t r = r0; r < r1; ++r) {
    const T* row = x + r * cols;
    for (std::size_t c = 0; c < cols; ++c) {
      const double v = static_cast<double>(row[c]);
      if (!std::isfinite(v)) {
        p.non_finite[c] += 1;
        continue;
      }
      const double n = p.count[c] + 1;
      const double delta = v - p.mean[c];
      p.count[c] = n;
      p.sum[c] += v;
      p.mean[c] += delta / n;
      p.m2[c] += delta * (v - p.mean[c]);
      p.min[c] = std::min(p.min[c], v);
      p.max[c] = std::max(p.max[c], v);
    }
  }
}

// Chan et al.'s pairwise combination of two Welford states.
void merge(Partial& into, const Partial& from, std::size_t cols) {
  for (std::size_t c = 0; c < cols; ++c) {
    into.non_finite[c] += from.non_finite[c];
    const double nb = from.count[c];
    if (nb == 0) continue;
    const double na = into.count[c], n = na + nb;
    const double delta = from.mean[c] - into.mean[c];
    into.mean[c] += delta * nb / n;
    into.m2[c] += from.m2[c] + delta * delta * na * nb / n;
    into.count[c] = n;
    into.sum[c] += from.sum[c];
    into.min[c] = std::min(into.min[c], from.min[c]);
    into.max[c] = std::max(into.max[c], from.max[c]);
  }
}

}  // namespace

template <typename T>
void column_stats(const T* x, std::size_t rows, std::size_t cols, const ColumnStatsOut& out) {
  // Blocks depend only on the shape, and merge in block order: the result is the
  // same bit for bit whatever the thread count.
  const std::size_t blocks = std::max<std::size_t>(1, std::min<std::size_t>(64, rows / 256));
  const std::size_t block_rows = (rows + blocks - 1) / blocks;
  std::vector<Partial> parts(blocks, Partial(cols));
  runtime::parallel_for(blocks, 1, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      const std::size_t r0 = b * block_rows, r1 = std::min(rows, r0 + block_rows);
      if (r0 < r1) accumulate(x, r0, r1, cols, parts[b]);
    }
  });
  Partial& total = parts[0];
  for (std::size_t b = 1; b < blocks; ++b) merge(total, parts[b], cols);
  std::copy(total.count.begin(), total.count.end(), out.count);
  std::copy(total.non_finite.begin(), total.non_finite.end(), out.non_finite);
  std::copy(total.sum.begin(), total.sum.end(), out.sum);
  std::copy(total.mean.begin(), total.mean.end(), out.mean);
  std::copy(total.m2.begin(), total.m2.end(), out.m2);
  std::copy(total.min.begin(), total.min.end(), out.min);
  std::copy(total.max.begin(), total.max.end(), out.max);
}

template void column_stats<float>(const float*, std::size_t, std::size_t, const ColumnStatsOut&);
template void column_stats<double>(const double*, std::size_t, std::size_t, const ColumnStatsOut&);

}  // namespace kiln::reduce
