// Plain stochastic gradient descent epochs for linear models (scikit-learn's
// SGDClassifier / SGDRegressor): one call runs a whole epoch over the rows in the
// given order, for several independent models at once (one-vs-all classes), in
// parallel across models. L2 through a weight scale, L1 through the cumulative
// truncated-gradient penalty (Tsuruoka et al., as scikit-learn).
#pragma once
#include <cstddef>
#include <cstdint>

#include "linear.h"

namespace kiln::linear {

enum class SgdLoss : int { Hinge = 0, Log = 1, SquaredError = 2, Huber = 3, SquaredHinge = 4, ModifiedHuber = 5 };
enum class SgdRate : int { Optimal = 0, Constant = 1, InvScaling = 2 };

struct SgdArgs {
  Rows x;
  const double* y = nullptr;  // models x n targets (classification: +1 / -1 per model)
  std::size_t models = 1;
  const int32_t* order = nullptr;  // n row indices: the epoch's visiting order
  const double* w = nullptr;       // n sample weights, or null
  SgdLoss loss = SgdLoss::Hinge;
  double epsilon = 0.1;  // huber threshold
  double alpha = 1e-4;   // penalty strength
  double l1_ratio = 0;   // 0: L2, 1: L1
  SgdRate rate = SgdRate::Optimal;
  double eta0 = 0.0, power_t = 0.25, optimal_init = 1.0;
  bool fit_intercept = true;
  double* coef = nullptr;      // models x (p + 1): weights, then intercept; updated in place
  double* t = nullptr;         // models: update counters, in/out (start at 1)
  double* loss_sum = nullptr;  // models: sum over the epoch of w * loss
};

void sgd_epoch(const SgdArgs& a);

// The loss's derivative w.r.t. the prediction, exposed for the 'optimal' schedule.
double sgd_dloss(SgdLoss loss, double p, double y, double epsilon);

}  // namespace kiln::linear
