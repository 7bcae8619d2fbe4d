// Linear support vector classification by dual coordinate descent (the algorithm of
// LIBLINEAR, Hsieh et al. 2008, which scikit-learn's LinearSVC runs): L2-regularised,
// hinge or squared hinge loss, one binary problem per model (one-vs-rest), models in
// parallel. The intercept is a constant feature (intercept_scaling), so it is
// regularised, as in LIBLINEAR. Visiting order: a seeded xorshift32 shuffle per
// sweep (the js reference uses the same generator).
#pragma once
#include <cstddef>
#include <cstdint>

#include "linear.h"

namespace kiln::linear {

struct SvmArgs {
  Rows x;
  const double* y = nullptr;  // models x n labels, +1 / -1
  std::size_t models = 1;
  bool squared_hinge = true;
  double C = 1.0;
  double intercept_scaling = 1.0;  // 0: no intercept
  std::size_t max_iter = 1000;
  double tol = 1e-4;
  uint32_t seed = 1;
  double* coef = nullptr;          // models x (p + 1): weights, then the intercept feature's weight
  int32_t* iterations = nullptr;   // models: sweeps run
  const double* weight = nullptr;  // n positive row weights (null: all 1): row i's C becomes C * weight[i]
};

void svm_dual_cd(const SvmArgs& a);

}  // namespace kiln::linear
