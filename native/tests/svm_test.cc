// The svm solver on problems with closed-form solutions: two points of opposite labels under a linear
// kernel (alpha = 2 / |x1 - x2|^2 each, rho = the midpoint's value), the C bound holding when C is
// small, and the stop flag.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "../kernels/svm/svm.h"

namespace {

struct Result {
  std::vector<double> alpha;
  double info[5];
};

Result solve_two(double C, const int32_t* stop = nullptr) {
  // x1 = (1, 1), x2 = (-1, 0): w = alpha (x1 - x2), margin constraints give alpha = 2 / |x1 - x2|^2
  static const double x[] = {1, 1, -1, 0};
  static const int32_t rows[] = {0, 1};
  static const int8_t y[] = {1, -1};
  static const double p[] = {-1, -1};
  static const double alpha0[] = {0, 0};
  const double bounds[] = {C, C};
  Result r;
  r.alpha.assign(2, 0);
  kiln::svm::SolveArgs a;
  a.x = x;
  a.n = 2;
  a.d = 2;
  a.rows = rows;
  a.l = 2;
  a.q = kiln::svm::QKind::Class;
  a.kernel = kiln::svm::KernelKind::Linear;
  a.y = y;
  a.p = p;
  a.alpha0 = alpha0;
  a.C = bounds;
  a.eps = 1e-9;
  a.stop = stop;
  a.alpha = r.alpha.data();
  a.info = r.info;
  kiln::svm::solve(a);
  return r;
}

TEST(SvmSolve, TwoPointsClosedForm) {
  const Result r = solve_two(100);
  EXPECT_NEAR(r.alpha[0], 0.4, 1e-7);  // 2 / |(2, 1)|^2
  EXPECT_NEAR(r.alpha[1], 0.4, 1e-7);
  // f(x) = sum alpha_i y_i K(x_i, x) - rho: +1 at x1, -1 at x2
  const double f1 = 0.4 * (1 * 1 + 1 * 1) - 0.4 * (-1 * 1 + 0 * 1) - r.info[0];
  const double f2 = 0.4 * (-1) - 0.4 * 1 - r.info[0];
  EXPECT_NEAR(f1, 1, 1e-6);
  EXPECT_NEAR(f2, -1, 1e-6);
  EXPECT_EQ(r.info[4], 0);
}

TEST(SvmSolve, BoundHolds) {
  const Result r = solve_two(0.1);
  EXPECT_DOUBLE_EQ(r.alpha[0], 0.1);
  EXPECT_DOUBLE_EQ(r.alpha[1], 0.1);
}

TEST(SvmSolve, StopFlagStopsBeforeTheFirstIteration) {
  const int32_t stop = 1;
  const Result r = solve_two(100, &stop);
  EXPECT_EQ(r.info[3], 0);
  EXPECT_EQ(r.info[4], 1);
}

}  // namespace
