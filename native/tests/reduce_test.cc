// Column statistics against two-pass f64 formulas; non-finite values are skipped and counted.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "../kernels/reduce/column_stats.h"
#include "../kernels/reduce/row_norms.h"

namespace {

template <typename T>
void check_stats(std::size_t rows, std::size_t cols) {
  std::mt19937 rng(static_cast<unsigned>(rows * 7 + cols));
  std::normal_distribution<double> g(3.0, 2.0);
  std::vector<T> x(rows * cols);
  for (auto& v : x) v = static_cast<T>(g(rng));
  if (rows > 2) {
    x[0] = std::numeric_limits<T>::quiet_NaN();               // column 0 skips one value
    x[cols + cols - 1] = std::numeric_limits<T>::infinity();  // the last column skips one
  }
  std::vector<double> count(cols), nf(cols), sum(cols), mean(cols), m2(cols), mn(cols), mx(cols);
  kiln::reduce::column_stats<T>(x.data(), rows, cols,
                                {count.data(), nf.data(), sum.data(), mean.data(), m2.data(), mn.data(), mx.data()});
  for (std::size_t c = 0; c < cols; ++c) {
    double n = 0, s = 0, lo = INFINITY, hi = -INFINITY, bad = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      const double v = x[r * cols + c];
      if (!std::isfinite(v)) {
        ++bad;
        continue;
      }
      ++n;
      s += v;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    const double mu = s / n;
    double d2 = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      const double v = x[r * cols + c];
      if (std::isfinite(v)) d2 += (v - mu) * (v - mu);
    }
    EXPECT_EQ(count[c], n);
    EXPECT_EQ(nf[c], bad);
    EXPECT_NEAR(sum[c], s, 1e-9 * (1 + std::abs(s)));
    EXPECT_NEAR(mean[c], mu, 1e-12 * (1 + std::abs(mu)));
    EXPECT_NEAR(m2[c], d2, 1e-9 * (1 + d2));
    EXPECT_EQ(mn[c], lo);
    EXPECT_EQ(mx[c], hi);
  }
}

TEST(ColumnStats, MatchesTwoPassF64) {
  check_stats<double>(1000, 7);
  check_stats<float>(999, 33);
  check_stats<double>(1, 3);
}

TEST(ColumnStats, EmptyColumnHasInfiniteBounds) {
  std::vector<double> x = {NAN, NAN};
  double count, nf, sum, mean, m2, mn, mx;
  kiln::reduce::column_stats<double>(x.data(), 2, 1, {&count, &nf, &sum, &mean, &m2, &mn, &mx});
  EXPECT_EQ(count, 0);
  EXPECT_EQ(nf, 2);
  EXPECT_EQ(mn, INFINITY);
  EXPECT_EQ(mx, -INFINITY);
}

TEST(RowNorms, EuclideanAndSquared) {
  std::vector<float> x = {3, 4, 0, 1, 2, 2};
  double out[2];
  kiln::reduce::row_norms<float>(x.data(), 2, 3, false, out);
  EXPECT_DOUBLE_EQ(out[0], 5.0);
  EXPECT_DOUBLE_EQ(out[1], 3.0);
  kiln::reduce::row_norms<float>(x.data(), 2, 3, true, out);
  EXPECT_DOUBLE_EQ(out[0], 25.0);
  EXPECT_DOUBLE_EQ(out[1], 9.0);
}

}  // namespace
