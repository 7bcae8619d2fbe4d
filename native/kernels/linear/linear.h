// f64 kernels for linear models: the weighted, centred Gram matrix (and X'y) that
// closed-form and coordinate-descent solvers start from, and the logistic
// (binary or multinomial) loss with its gradient over all rows, one call per
// L-BFGS iteration. Inputs may be f32 or f64; all sums are f64, and results do not
// depend on the thread count (fixed chunks, merged in order). Pure C++.
#pragma once
#include <cstddef>
#include <cstdint>

#include "../../runtime/rows.h"

namespace kiln::linear {

using runtime::Rows;  // n x p: rows x cols

struct GramArgs {
  Rows x;
  const double* y = nullptr;  // n x t targets, or null (t = 0)
  std::size_t t = 0;
  const double* w = nullptr;  // n sample weights, or null (all 1)
  bool center = true;         // subtract the weighted column means (fit_intercept)
  double* x_mean = nullptr;   // p (0 when not centring)
  double* y_mean = nullptr;   // t
  double* gram = nullptr;     // p x p: sum_i w_i (x_i - m)(x_i - m)'
  double* xty = nullptr;      // p x t: sum_i w_i (x_i - m)(y_i - my)'
  double* w_sum = nullptr;    // 1
};

void weighted_gram(const GramArgs& a);

struct LogisticArgs {
  Rows x;
  const int32_t* y = nullptr;    // class codes in [0, classes)
  std::size_t classes = 2;       // 2: binary model with one score; > 2: multinomial, one score per class
  const double* coef = nullptr;  // scores x (p + 1): weights, then the intercept
  bool fit_intercept = true;
  const double* w = nullptr;  // n sample weights, or null
  double* grad = nullptr;     // scores x (p + 1)
  double* loss = nullptr;     // 1: sum_i w_i logloss_i
  double* hess = nullptr;     // (p + 1) x (p + 1), logistic_loss_grad_hess only (null: loss and gradient only)
};

// Scores per row: 1 for a binary model, `classes` for a multinomial one.
inline std::size_t logistic_scores(std::size_t classes) { return classes == 2 ? 1 : classes; }

void logistic_loss_grad(const LogisticArgs& a);

// Binary models only (classes == 2): the loss, the gradient and the Hessian
// sum_i w_i p_i (1 - p_i) [x_i, 1][x_i, 1]' in one pass over the rows (the
// Newton-Cholesky solver's evaluation). The intercept row and column are filled
// either way; with fit_intercept false its gradient entry is 0. With hess null it
// sums the loss and gradient only (the same arithmetic as with it).
void logistic_loss_grad_hess(const LogisticArgs& a);

}  // namespace kiln::linear
