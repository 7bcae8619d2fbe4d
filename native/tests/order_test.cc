// The radix sort against std::sort with JavaScript's order (-0 before +0, NaNs last): random
// doubles of every magnitude, ties, infinities, subnormals, negative NaNs, in place and not.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "../kernels/order/sort_f64.h"
#include "../runtime/thread_pool.h"

namespace {

std::uint64_t bits(double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}

// Float64Array#sort's comparison: NaN after everything, -0 before +0.
bool js_less(double a, double b) {
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  if (a == 0 && b == 0) return std::signbit(a) && !std::signbit(b);
  return a < b;
}

void expect_sorted_like_js(std::vector<double> values) {
  std::vector<double> expected = values;
  std::stable_sort(expected.begin(), expected.end(), js_less);
  std::vector<double> out(values.size());
  kiln::order::sort_f64(values.data(), values.size(), out.data());
  ASSERT_EQ(out.size(), expected.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(out[i])) << i;
    } else {
      EXPECT_EQ(bits(out[i]), bits(expected[i])) << i;
    }
  }
  // in place gives the same
  kiln::order::sort_f64(values.data(), values.size(), values.data());
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(bits(values[i]), bits(out[i])) << i;
}

TEST(SortF64, SpecialValues) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double tiny = std::numeric_limits<double>::denorm_min();
  expect_sorted_like_js({3.5, -0.0, 0.0, -inf, nan, inf, -nan, tiny, -tiny, 1e308, -1e308, 0.0, -0.0, 2.0, 2.0, -7.25});
  expect_sorted_like_js({});
  expect_sorted_like_js({42.0});
}

TEST(SortF64, RandomMagnitudesAndTies) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_int_distribution<int> exponent(-300, 300);
  for (std::size_t n : {2u, 17u, 1000u, 70000u}) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) {
      const int kind = static_cast<int>(i % 5);
      v[i] = kind == 0 ? std::ldexp(normal(rng), exponent(rng)) : kind == 1 ? std::round(normal(rng) * 3) : normal(rng);
    }
    expect_sorted_like_js(v);
  }
}

TEST(SortF64, NarrowRangeSkipsPassesCorrectly) {
  // every value in [1, 2): the top digits are shared, so their passes are skipped
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(1.0, 2.0);
  std::vector<double> v(50000);
  for (double& x : v) x = u(rng);
  expect_sorted_like_js(v);
}

// Long enough for the parallel most-significant-digit split and its recursion into buckets of
// every size (insertion, in-cache LSD, split again): integers with many ties and one dominant
// bucket, a narrow range, timestamps, mixed magnitudes; on one thread and on two.
TEST(SortF64, LongRangesSplitByTheirTopDigitsOnAnyThreadCount) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_int_distribution<int> exponent(-60, 60);
  const std::size_t n = 700000;
  const std::size_t saved = kiln::runtime::thread_count();
  for (std::size_t threads : {1u, 2u}) {
    kiln::runtime::set_thread_count(threads);
    for (int kind = 0; kind < 4; ++kind) {
      std::vector<double> v(n);
      for (std::size_t i = 0; i < n; ++i) {
        const double z = normal(rng);
        v[i] = kind == 0   ? std::round(std::abs(z) * 40 - 5)                     // delays: mostly small integers
               : kind == 1 ? 1.0 + std::abs(z) * 1e-9                             // one exponent, low digits only
               : kind == 2 ? 1.1e12 + std::floor(std::abs(z) * 3e10 / 6e4) * 6e4  // timestamps to the minute
                           : std::ldexp(z, exponent(rng));
      }
      if (kind == 3) v[17] = std::numeric_limits<double>::quiet_NaN();
      expect_sorted_like_js(v);
      std::vector<std::uint32_t> expected(n);
      for (std::size_t i = 0; i < n; ++i) expected[i] = static_cast<std::uint32_t>(i);
      // the argsort ties -0 with +0 (index order), unlike the value sort
      std::stable_sort(expected.begin(), expected.end(), [&](std::uint32_t a, std::uint32_t b) {
        return std::isnan(v[a]) ? false : std::isnan(v[b]) ? true : v[a] < v[b];
      });
      std::vector<std::uint32_t> order(n);
      kiln::order::argsort_f64(v.data(), n, order.data());
      EXPECT_EQ(order, expected) << "kind " << kind << ", threads " << threads;
    }
  }
  kiln::runtime::set_thread_count(saved);
}

// Columns with few distinct values (-0 and +0, infinities, NaNs among them) take the path that
// counts the distinct values; past kFewDistinct distinct values the radix sort takes over. Both
// give the same values and ranks as the references.
TEST(FewDistinct, SortAndRanksMatchTheReferencesOnEitherSideOfTheLimit) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::mt19937_64 rng(13);
  for (std::size_t distinct : {7u, 300u, 16384u, 16385u, 40000u}) {
    const std::size_t n = 200000;
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t pick = rng() % (distinct + 5);
      v[i] = pick == 0   ? -0.0
             : pick == 1 ? 0.0
             : pick == 2 ? nan
             : pick == 3 ? -inf
             : pick == 4 ? inf
                         : static_cast<double>(pick) * 0.25 - 900;
    }
    expect_sorted_like_js(v);
    // reference ranks: positions in a stable order where -0 equals +0 and NaNs come last in index order
    std::vector<std::uint32_t> idx(n);
    for (std::size_t i = 0; i < n; ++i) idx[i] = static_cast<std::uint32_t>(i);
    std::stable_sort(idx.begin(), idx.end(), [&](std::uint32_t a, std::uint32_t b) {
      return std::isnan(v[a]) ? false : std::isnan(v[b]) ? true : v[a] < v[b];
    });
    std::vector<double> expected(n);
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i + 1;
      if (!std::isnan(v[idx[i]]))
        while (j < n && v[idx[j]] == v[idx[i]]) ++j;
      for (std::size_t k = i; k < j; ++k) expected[idx[k]] = static_cast<double>(i + j + 1) / 2;
      i = j;
    }
    std::vector<double> ranks(n);
    kiln::order::average_ranks(v.data(), n, ranks.data());
    EXPECT_EQ(ranks, expected) << distinct << " distinct";
  }
}

TEST(ArgsortF64, StableWithZerosTiedAndNaNsLast) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (std::size_t n : {1u, 9u, 3000u, 70000u}) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) {
      const int kind = static_cast<int>(i % 6);
      v[i] = kind == 0   ? (i % 12 == 0 ? -0.0 : 0.0)
             : kind == 1 ? nan
             : kind == 2 ? std::round(normal(rng))
                         : normal(rng);
    }
    std::vector<std::uint32_t> expected(n);
    for (std::size_t i = 0; i < n; ++i) expected[i] = static_cast<std::uint32_t>(i);
    std::stable_sort(expected.begin(), expected.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (std::isnan(v[a])) return false;
      if (std::isnan(v[b])) return true;
      return v[a] < v[b];
    });
    std::vector<std::uint32_t> order(n);
    kiln::order::argsort_f64(v.data(), n, order.data());
    EXPECT_EQ(order, expected) << n;
  }
}

TEST(AverageRanks, TiesShareTheirMeanPositionAndEachNaNStandsAlone) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> v{3, 1, 3, -0.0, 0.0, 2, nan, 1};
  std::vector<double> ranks(v.size());
  kiln::order::average_ranks(v.data(), v.size(), ranks.data());
  // scipy.stats.rankdata([3, 1, 3, 0, 0, 2, 1]) = [6.5, 3.5, 6.5, 1.5, 1.5, 5, 3.5]; the NaN ranks last
  EXPECT_EQ(ranks, (std::vector<double>{6.5, 3.5, 6.5, 1.5, 1.5, 5, 8, 3.5}));
  kiln::order::average_ranks(nullptr, 0, nullptr);
}

}  // namespace
