// Per-group sums and counts against a long-double reference; NaN values and code -1 are skipped,
// a code outside [-1, groups) is reported by its row; the threaded path (many rows) agrees.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "../kernels/group/group_sums.h"
#include "../kernels/group/row_groups.h"
#include "../runtime/thread_pool.h"

namespace {

void check(std::size_t rows, std::size_t groups) {
  std::mt19937 rng(static_cast<unsigned>(rows + groups));
  std::uniform_real_distribution<double> u(-500.0, 1500.0);
  std::uniform_int_distribution<std::int32_t> pick(-1, static_cast<std::int32_t>(groups) - 1);
  std::vector<double> values(rows);
  std::vector<std::int32_t> codes(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    values[r] = r % 97 == 0 ? std::numeric_limits<double>::quiet_NaN() : u(rng);
    codes[r] = pick(rng);
  }
  std::vector<double> sum(groups), count(groups);
  ASSERT_EQ(kiln::group::group_sums(values.data(), codes.data(), rows, groups, sum.data(), count.data()), -1);
  std::vector<long double> ref(groups, 0.0L);
  std::vector<double> n(groups, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    if (codes[r] < 0 || std::isnan(values[r])) continue;
    ref[codes[r]] += values[r];
    n[codes[r]] += 1.0;
  }
  for (std::size_t g = 0; g < groups; ++g) {
    EXPECT_EQ(count[g], n[g]);
    EXPECT_NEAR(sum[g], static_cast<double>(ref[g]), 1e-12 * std::max(1.0, std::fabs(static_cast<double>(ref[g]))));
  }
}

TEST(GroupSums, SmallAndThreaded) {
  check(1000, 5);
  check(2'000'000, 229);  // several blocks of rows
  check(50'000, 40'000);  // many groups: one block
}

TEST(GroupSums, ReportsTheFirstBadCode) {
  std::vector<double> v{1, 2, 3};
  std::vector<std::int32_t> c{0, 2, -3};
  std::vector<double> sum(2), count(2);
  EXPECT_EQ(kiln::group::group_sums(v.data(), c.data(), 3, 2, sum.data(), count.data()), 1);
}

TEST(GroupSums, EmptyAndAllLeftOut) {
  std::vector<double> v{1, 2};
  std::vector<std::int32_t> c{-1, -1};
  std::vector<double> sum(1, 7.0), count(1, 7.0);
  EXPECT_EQ(kiln::group::group_sums(v.data(), c.data(), 2, 1, sum.data(), count.data()), -1);
  EXPECT_EQ(sum[0], 0.0);
  EXPECT_EQ(count[0], 0.0);
  EXPECT_EQ(kiln::group::group_sums(nullptr, nullptr, 0, 0, nullptr, nullptr), -1);
}

TEST(RowGroups, FirstAppearanceCodesWithMissingEqualToMissing) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> a{1, -0.0, nan, 1, 0.0, nan, 1};
  const std::vector<std::int32_t> b{0, -1, 2, 0, -1, 2, 1};
  std::vector<std::int32_t> codes(a.size());
  const std::vector<kiln::group::KeyColumn> cols{{a.data(), nullptr}, {nullptr, b.data()}};
  EXPECT_EQ(kiln::group::row_groups(cols, a.size(), codes.data()), 4u);
  EXPECT_EQ(codes, (std::vector<std::int32_t>{0, 1, 2, 0, 1, 2, 3}));
  EXPECT_EQ(kiln::group::row_groups(cols, 0, nullptr), 0u);
}

TEST(RowGroups, ManyRowsMatchAMapOfTuples) {
  std::mt19937 rng(7);
  const std::size_t n = 300'000;
  std::vector<double> a(n);
  std::vector<std::int32_t> b(n);
  for (std::size_t r = 0; r < n; ++r) {
    a[r] = static_cast<double>(rng() % 500);
    b[r] = static_cast<std::int32_t>(rng() % 30);
  }
  std::vector<std::int32_t> codes(n);
  const std::vector<kiln::group::KeyColumn> cols{{a.data(), nullptr}, {nullptr, b.data()}};
  const std::size_t groups = kiln::group::row_groups(cols, n, codes.data());
  std::map<std::pair<double, std::int32_t>, std::int32_t> seen;
  for (std::size_t r = 0; r < n; ++r) {
    const auto it = seen.emplace(std::make_pair(a[r], b[r]), static_cast<std::int32_t>(seen.size())).first;
    ASSERT_EQ(codes[r], it->second) << r;
  }
  EXPECT_EQ(groups, seen.size());
}

// Enough rows to split into many partitions, most of them distinct (timestamps) with a share of
// exact repeats, on one thread and on two: codes in order of first appearance either way.
TEST(RowGroups, PartitionedRowsKeepFirstAppearanceOrderOnAnyThreadCount) {
  std::mt19937 rng(11);
  const std::size_t n = 600'000;
  std::vector<double> a(n);
  std::vector<std::int32_t> b(n);
  for (std::size_t r = 0; r < n; ++r) {
    const bool repeat = r > 0 && rng() % 4 == 0;
    const std::size_t from = repeat ? rng() % r : r;
    a[r] = repeat ? a[from] : static_cast<double>(rng() % 2'000'000) * 60.0;
    b[r] = repeat ? b[from] : static_cast<std::int32_t>(rng() % 300) - 1;  // -1: missing
  }
  std::map<std::pair<double, std::int32_t>, std::int32_t> seen;
  std::vector<std::int32_t> expected(n);
  for (std::size_t r = 0; r < n; ++r)
    expected[r] = seen.emplace(std::make_pair(a[r], b[r]), static_cast<std::int32_t>(seen.size())).first->second;
  const std::size_t saved = kiln::runtime::thread_count();
  for (std::size_t threads : {1u, 2u}) {
    kiln::runtime::set_thread_count(threads);
    std::vector<std::int32_t> codes(n);
    const std::vector<kiln::group::KeyColumn> cols{{a.data(), nullptr}, {nullptr, b.data()}};
    EXPECT_EQ(kiln::group::row_groups(cols, n, codes.data()), seen.size());
    EXPECT_EQ(codes, expected) << threads << " threads";
  }
  kiln::runtime::set_thread_count(saved);
}

}  // namespace
