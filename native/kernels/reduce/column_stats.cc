#include "column_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "../../runtime/thread_pool.h"

#include "../../runtime/simd_clones.h"

namespace kiln::reduce {

namespace {

// Partial statistics of one block of rows, for every column.
struct Partial {
  std::vector<double> count, non_finite, sum, mean, m2, min, max;
  explicit Partial(std::size_t cols)
      : count(cols, 0), non_finite(cols, 0), sum(cols, 0), mean(cols, 0), m2(cols, 0),
        min(cols, std::numeric_limits<double>::infinity()), max(cols, -std::numeric_limits<double>::infinity()) {}
};

// One block of rows, vectorised across columns. Sums are of deviations from a
// per-column shift K (the block's first finite value, 0 if none), which keeps
// sum-of-squares cancellation small: M2 = S2 - S1^2 / n with S1, S2 over x - K.
constexpr double kInf = std::numeric_limits<double>::infinity();

// Adds one row to the block's running sums, branch-free so it vectorises across
// columns: a non-finite value contributes nothing but its count.
template <typename T>
inline void update_row_impl(const T* row, std::size_t cols, double* cnt, double* bad, double* sum, double* mn,
                            double* mx, const double* k, double* a1, double* a2) {
#pragma omp simd
  for (std::size_t c = 0; c < cols; ++c) {
    const double v = static_cast<double>(row[c]);
    const double m = (v - v) == 0.0 ? 1.0 : 0.0;  // 1 for finite values, 0 for NaN and +-Inf
    const double vz = m == 1.0 ? v : 0.0;
    const double d = (vz - k[c]) * m;
    cnt[c] += m;
    bad[c] += 1.0 - m;
    sum[c] += vz;
    a1[c] += d;
    a2[c] += d * d;
    const double lo = m == 1.0 ? v : kInf;
    const double hi = m == 1.0 ? v : -kInf;
    mn[c] = lo < mn[c] ? lo : mn[c];
    mx[c] = hi > mx[c] ? hi : mx[c];
  }
}

KILN_CLONES void update_row(const float* row, std::size_t cols, double* cnt, double* bad, double* sum, double* mn,
                            double* mx, const double* k, double* a1, double* a2) {
  update_row_impl(row, cols, cnt, bad, sum, mn, mx, k, a1, a2);
}

KILN_CLONES void update_row(const double* row, std::size_t cols, double* cnt, double* bad, double* sum, double* mn,
                            double* mx, const double* k, double* a1, double* a2) {
  update_row_impl(row, cols, cnt, bad, sum, mn, mx, k, a1, a2);
}

template <typename T>
void accumulate(const T* x, std::size_t r0, std::size_t r1, std::size_t cols, Partial& p) {
  std::vector<double> shift(cols, 0.0);
  std::vector<unsigned char> shifted(cols, 0);
  for (std::size_t r = r0; r < r1; ++r) {
    const T* row = x + r * cols;
    for (std::size_t c = 0; c < cols; ++c) {
      if (!shifted[c] && std::isfinite(static_cast<double>(row[c]))) {
        shift[c] = static_cast<double>(row[c]);
        shifted[c] = 1;
      }
    }
    bool all = true;
    for (std::size_t c = 0; c < cols; ++c) all = all && shifted[c];
    if (all) break;
  }
  // Narrow matrices: R consecutive rows are one contiguous span of R * cols values,
  // so treat them as one row of "virtual columns" (column c + j * cols is column c)
  // and fold the virtual columns at the end. Keeps vectors full when cols is small.
  const std::size_t R = cols >= 64 ? 1 : (64 + cols - 1) / cols;
  const std::size_t W = cols * R;
  std::vector<double> cnt(W, 0.0), bad(W, 0.0), sum(W, 0.0), mn(W, kInf), mx(W, -kInf), k(W), a1(W, 0.0), a2(W, 0.0);
  for (std::size_t j = 0; j < W; ++j) k[j] = shift[j % cols];
  std::size_t r = r0;
  for (; r + R <= r1; r += R)
    update_row(x + r * cols, W, cnt.data(), bad.data(), sum.data(), mn.data(), mx.data(), k.data(), a1.data(),
               a2.data());
  for (; r < r1; ++r)
    update_row(x + r * cols, cols, cnt.data(), bad.data(), sum.data(), mn.data(), mx.data(), k.data(), a1.data(),
               a2.data());
  for (std::size_t c = 0; c < cols; ++c) {
    double n = 0, s1 = 0, s2 = 0;
    for (std::size_t j = c; j < W; j += cols) {
      n += cnt[j];
      s1 += a1[j];
      s2 += a2[j];
      p.non_finite[c] += bad[j];
      p.sum[c] += sum[j];
      p.min[c] = std::min(p.min[c], mn[j]);
      p.max[c] = std::max(p.max[c], mx[j]);
    }
    p.count[c] = n;
    if (n == 0) continue;
    p.mean[c] = shift[c] + s1 / n;
    p.m2[c] = std::max(0.0, s2 - s1 * s1 / n);
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
