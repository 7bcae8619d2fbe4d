// runtime/fast_math.h against long-double exp/log1p over dense sweeps of its domains and the
// edges. Compiled with -ffast-math -fno-associative-math -fopenmp-simd like its callers (CMakeLists.txt), and swept
// through a multi-versioned `omp simd` loop, so the vector code the kernels run is what is measured.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "../runtime/fast_math.h"
#include "../runtime/simd_clones.h"

namespace {

using kiln::runtime::exp_full;
using kiln::runtime::exp_nonpositive;
using kiln::runtime::log1p_unit;

KILN_CLONES void exp_all(const double* x, double* out, std::size_t n) {
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) out[i] = exp_nonpositive(x[i]);
}

KILN_CLONES void exp_full_all(const double* x, double* out, std::size_t n) {
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) out[i] = exp_full(x[i]);
}

KILN_CLONES void log1p_all(const double* x, double* out, std::size_t n) {
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) out[i] = log1p_unit(x[i]);
}

std::uint64_t bits(double d) {
  std::uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

bool is_nan(double d) { return (bits(d) & 0x7fffffffffffffffULL) > 0x7ff0000000000000ULL; }  // -ffast-math folds isnan

// |got - want| in units of the double spacing at want (2^-1074 among subnormals).
double ulps(double got, long double want) {
  const double w = static_cast<double>(want);
  int e = 0;
  std::frexp(w, &e);
  const long double ulp = std::ldexp(1.0L, std::max(e - 53, -1074));
  return static_cast<double>(std::fabs(static_cast<long double>(got) - want) / ulp);
}

struct Worst {
  double ulps = 0, at = 0;
};

template <typename Fn, typename Ref>
Worst sweep(const std::vector<double>& x, Fn fn, Ref ref) {
  std::vector<double> out(x.size());
  fn(x.data(), out.data(), x.size());
  Worst w;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double u = ulps(out[i], ref(x[i]));
    if (!(u <= w.ulps)) w = {u, x[i]};
  }
  return w;
}

constexpr std::size_t kDense = 10'000'000;

TEST(FastMath, ExpNonPositiveWithinTwoUlp) {
  std::vector<double> x;
  x.reserve(3 * kDense);
  for (std::size_t i = 0; i < kDense; ++i) x.push_back(-746.0 * static_cast<double>(i) / kDense);  // the whole range
  for (std::size_t i = 0; i < kDense; ++i) x.push_back(-40.0 * static_cast<double>(i) / kDense);   // scores' range
  for (std::size_t i = 0; i < kDense; ++i)
    x.push_back(-std::ldexp(1.0, -60 + static_cast<int>(i % 60)) * (1 + i * 1e-7));
  for (double e : {0.0, -0.0, -std::numeric_limits<double>::denorm_min(), -1e-300, -0.5 * std::log(2.0), -std::log(2.0),
                   -708.0, -708.3964, -708.4, -709.0, -744.0, -745.0, -745.13, -745.1332, -746.0})
    x.push_back(e);
  const Worst w = sweep(x, exp_all, [](double v) { return std::exp(static_cast<long double>(v)); });
  EXPECT_LE(w.ulps, 2.0) << "at x = " << w.at;
  std::printf("exp_nonpositive: max %.3f ulp at x = %.17g over %zu points\n", w.ulps, w.at, x.size());

  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> edge = {0.0, -0.0, -746.0, -800.0, -1e308, -inf, std::nan("")}, out(edge.size());
  exp_all(edge.data(), out.data(), edge.size());
  EXPECT_EQ(out[0], 1.0);
  EXPECT_EQ(out[1], 1.0);
  for (std::size_t i = 2; i < 6; ++i) EXPECT_EQ(bits(out[i]), 0u) << "x = " << edge[i];  // +0, as exp rounds
  EXPECT_TRUE(is_nan(out[6]));
}

TEST(FastMath, ExpFullWithinTwoUlp) {
  const double big = std::log(std::numeric_limits<double>::max());  // 709.78...
  std::vector<double> x;
  x.reserve(2 * kDense);
  for (std::size_t i = 0; i < kDense; ++i) x.push_back(-746.0 + (746.0 + big) * static_cast<double>(i) / kDense);
  for (std::size_t i = 0; i < kDense; ++i) x.push_back(-40.0 + 80.0 * static_cast<double>(i) / kDense);
  for (double e : {0.0, -0.0, 1e-300, -1e-300, 0.5 * std::log(2.0), 1.0, 100.0, 700.0, 709.0, big, -708.4, -745.0,
                   -745.13, -746.0})
    x.push_back(e);
  const Worst w = sweep(x, exp_full_all, [](double v) { return std::exp(static_cast<long double>(v)); });
  EXPECT_LE(w.ulps, 2.0) << "at x = " << w.at;
  std::printf("exp_full: max %.3f ulp at x = %.17g over %zu points\n", w.ulps, w.at, x.size());

  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> edge = {709.79, 710.0, 1e308, inf, -746.0, -1e308, -inf, std::nan("")}, out(edge.size());
  exp_full_all(edge.data(), out.data(), edge.size());
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(out[i], inf) << "x = " << edge[i];
  for (std::size_t i = 4; i < 7; ++i) EXPECT_EQ(bits(out[i]), 0u) << "x = " << edge[i];
  EXPECT_TRUE(is_nan(out[7]));
}

TEST(FastMath, Log1pUnitWithinTwoUlp) {
  std::vector<double> f;
  f.reserve(2 * kDense);
  // log on [1, 2]: f = x - 1 is exact there.
  for (std::size_t i = 0; i <= kDense; ++i) f.push_back((1.0 + static_cast<double>(i) / kDense) - 1.0);
  for (std::size_t i = 0; i < kDense; ++i)
    f.push_back(std::ldexp(1.0 + (i % 1000) * 1e-3, -1074 + static_cast<int>(i / 9346)));
  for (double e : {0.0, std::ldexp(1.0, -52), std::ldexp(1.0, -53), 1.0, std::sqrt(2.0) - 1.0,
                   std::nextafter(std::sqrt(2.0) - 1.0, 1.0), std::nextafter(1.0, 0.0)})
    f.push_back(e);
  const Worst w = sweep(f, log1p_all, [](double v) { return std::log1p(static_cast<long double>(v)); });
  EXPECT_LE(w.ulps, 2.0) << "at f = " << w.at;
  std::printf("log1p_unit: max %.3f ulp at f = %.17g over %zu points\n", w.ulps, w.at, f.size());

  std::vector<double> edge = {0.0, std::ldexp(1.0, -52), 1.0}, out(edge.size());
  log1p_all(edge.data(), out.data(), edge.size());
  EXPECT_EQ(bits(out[0]), 0u);
  EXPECT_EQ(out[1], std::log(1.0 + std::ldexp(1.0, -52)));
  EXPECT_EQ(out[2], std::log(2.0));
}

}  // namespace
