#include "group_sums.h"

#include <algorithm>
#include <atomic>
#include <vector>

#include "../../runtime/thread_pool.h"

namespace kiln::group {

namespace {

// Kahan accumulators of one block of rows, for every group.
struct Partial {
  std::vector<double> sum, comp, count;
  std::int64_t bad = -1;
  explicit Partial(std::size_t groups) : sum(groups, 0.0), comp(groups, 0.0), count(groups, 0.0) {}
};

void accumulate(const double* values, const std::int32_t* codes, std::size_t r0, std::size_t r1, std::size_t groups,
                Partial& p) {
  double* sum = p.sum.data();
  double* comp = p.comp.data();
  double* count = p.count.data();
  const auto limit = static_cast<std::int64_t>(groups);
  for (std::size_t r = r0; r < r1; ++r) {
    const std::int64_t g = codes[r];
    if (g < 0 || g >= limit) {
      if (g < -1 || g >= limit) {
        p.bad = static_cast<std::int64_t>(r);
        return;
      }
      continue;
    }
    const double x = values[r];
    if (x != x) continue;
    const double y = x - comp[g];
    const double t = sum[g] + y;
    comp[g] = (t - sum[g]) - y;
    sum[g] = t;
    count[g] += 1.0;
  }
}

}  // namespace

std::int64_t group_sums(const double* values, const std::int32_t* codes, std::size_t rows, std::size_t groups,
                        double* sum, double* count) {
  // Blocks of about 256K rows, at most 16, counted from the shape alone: their sums are merged in
  // block order, so blocks that followed the thread count changed the last bits of some groups'
  // sums between one thread and two (tested). Private accumulators cost 24 bytes per group each,
  // so many groups (few rows per group) stay in one block.
  constexpr std::size_t kMinBlock = std::size_t{1} << 18, kMaxBlocks = 16;
  const std::size_t blocks =
      groups * 3 > rows ? 1 : runtime::fixed_block_count(rows, kMinBlock, kMaxBlocks, groups * 24);
  std::vector<Partial> parts;
  parts.reserve(blocks);
  for (std::size_t b = 0; b < blocks; ++b) parts.emplace_back(groups);
  runtime::parallel_for(blocks, 1, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      const std::size_t r0 = rows * b / blocks, r1 = rows * (b + 1) / blocks;
      accumulate(values, codes, r0, r1, groups, parts[b]);
    }
  });
  for (const Partial& p : parts)
    if (p.bad >= 0) return p.bad;
  // Blocks merged in row order, each block's compensated sum (sum - comp) added with Kahan.
  for (std::size_t g = 0; g < groups; ++g) {
    double s = 0.0, c = 0.0, n = 0.0;
    for (const Partial& p : parts) {
      for (const double x : {p.sum[g], -p.comp[g]}) {
        const double y = x - c;
        const double t = s + y;
        c = (t - s) - y;
        s = t;
      }
      n += p.count[g];
    }
    sum[g] = s;
    count[g] = n;
  }
  return -1;
}

}  // namespace kiln::group
