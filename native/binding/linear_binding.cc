#include "linear_binding.h"

#include <string>

#include "../kernels/linear/linear.h"
#include "../kernels/linear/sgd.h"
#include "../kernels/linear/svm.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

Job parse_WeightedGram(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  linear::GramArgs a;
  const std::size_t n = dim_arg(info, 1, "n"), p = dim_arg(info, 2, "p");
  a.t = dim_arg(info, 4, "t");
  std::vector<Napi::Value> held;
  a.x = rows_arg(info, 0, "x", n, p, held);
  if (a.t > 0) a.y = f64_out(info, 3, "y", checked_product(env, n, a.t, "y"), held);
  if (!absent(info, 5)) a.w = f64_out(info, 5, "w", n, held);
  a.center = bool_arg(info, 6, "center");
  a.x_mean = f64_out(info, 7, "xMean", p, held);
  a.y_mean = f64_out(info, 8, "yMean", a.t, held);
  a.gram = f64_out(info, 9, "gram", checked_product(env, p, p, "gram"), held);
  a.xty = f64_out(info, 10, "xty", checked_product(env, p, a.t, "xty"), held);
  a.w_sum = f64_out(info, 11, "wSum", 1, held);
  return Job{[a] { linear::weighted_gram(a); }, held};
}

Job parse_LogisticLossGrad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  linear::LogisticArgs a;
  const std::size_t n = dim_arg(info, 1, "n"), p = dim_arg(info, 2, "p");
  std::vector<Napi::Value> held;
  a.x = rows_arg(info, 0, "x", n, p, held);
  a.classes = dim_arg(info, 4, "classes");
  if (a.classes < 2) throw_coded(env, "E_PARAM", "classes must be at least 2");
  a.y = index_array_arg(info, 3, "y", n, a.classes, held);
  const std::size_t len = checked_product(env, linear::logistic_scores(a.classes), p + 1, "coef");
  a.coef = f64_out(info, 5, "coef", len, held);
  a.fit_intercept = bool_arg(info, 6, "fitIntercept");
  if (!absent(info, 7)) a.w = f64_out(info, 7, "w", n, held);
  a.grad = f64_out(info, 8, "grad", len, held);
  a.loss = f64_out(info, 9, "loss", 1, held);
  return Job{[a] { linear::logistic_loss_grad(a); }, held};
}

Job parse_LogisticLossGradHess(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  linear::LogisticArgs a;
  const std::size_t n = dim_arg(info, 1, "n"), p = dim_arg(info, 2, "p");
  std::vector<Napi::Value> held;
  a.x = rows_arg(info, 0, "x", n, p, held);
  a.y = index_array_arg(info, 3, "y", n, 2, held);
  a.coef = f64_out(info, 4, "coef", p + 1, held);
  a.fit_intercept = bool_arg(info, 5, "fitIntercept");
  if (!absent(info, 6)) a.w = f64_out(info, 6, "w", n, held);
  a.grad = f64_out(info, 7, "grad", p + 1, held);
  if (!absent(info, 8)) a.hess = f64_out(info, 8, "hess", checked_product(env, p + 1, p + 1, "hess"), held);
  a.loss = f64_out(info, 9, "loss", 1, held);
  return Job{[a] { linear::logistic_loss_grad_hess(a); }, held};
}

Job parse_SgdEpoch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  linear::SgdArgs a;
  const std::size_t n = dim_arg(info, 1, "n"), p = dim_arg(info, 2, "p");
  std::vector<Napi::Value> held;
  a.x = rows_arg(info, 0, "x", n, p, held);
  a.models = dim_arg(info, 4, "models");
  a.y = f64_out(info, 3, "y", checked_product(env, a.models, n, "y"), held);
  a.order = index_array_arg(info, 5, "order", n, n, held);
  if (!absent(info, 6)) a.w = f64_out(info, 6, "w", n, held);
  const std::size_t loss = dim_arg(info, 7, "loss");
  if (loss > 5) throw_coded(env, "E_PARAM", "loss code must be in [0, 5]");
  a.loss = static_cast<linear::SgdLoss>(loss);
  a.epsilon = number_arg(info, 8, "epsilon");
  a.alpha = number_arg(info, 9, "alpha");
  a.l1_ratio = number_arg(info, 10, "l1Ratio");
  const std::size_t rate = dim_arg(info, 11, "rate");
  if (rate > 2) throw_coded(env, "E_PARAM", "rate code must be in [0, 2]");
  a.rate = static_cast<linear::SgdRate>(rate);
  a.eta0 = number_arg(info, 12, "eta0");
  a.power_t = number_arg(info, 13, "powerT");
  a.optimal_init = number_arg(info, 14, "optimalInit");
  a.fit_intercept = bool_arg(info, 15, "fitIntercept");
  a.coef = f64_out(info, 16, "coef", checked_product(env, a.models, p + 1, "coef"), held);
  a.t = f64_out(info, 17, "t", a.models, held);
  a.loss_sum = f64_out(info, 18, "lossSum", a.models, held);
  return Job{[a] { linear::sgd_epoch(a); }, held};
}

Job parse_SvmDualCd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  linear::SvmArgs a;
  const std::size_t n = dim_arg(info, 1, "n"), p = dim_arg(info, 2, "p");
  std::vector<Napi::Value> held;
  a.x = rows_arg(info, 0, "x", n, p, held);
  a.models = dim_arg(info, 4, "models");
  a.y = f64_out(info, 3, "y", checked_product(env, a.models, n, "y"), held);
  a.squared_hinge = bool_arg(info, 5, "squaredHinge");
  a.C = number_arg(info, 6, "C");
  a.intercept_scaling = number_arg(info, 7, "interceptScaling");
  a.max_iter = dim_arg(info, 8, "maxIter");
  a.tol = number_arg(info, 9, "tol");
  a.seed = static_cast<uint32_t>(dim_arg(info, 10, "seed"));
  if (!(a.C > 0)) throw_coded(env, "E_PARAM", "C must be > 0");
  a.coef = f64_out(info, 11, "coef", checked_product(env, a.models, p + 1, "coef"), held);
  Napi::TypedArray it = typed_array_arg(info, 12, "iterations", napi_int32_array, a.models);
  held.push_back(it);
  a.iterations = it.As<Napi::Int32Array>().Data();
  if (!absent(info, 13)) a.weight = f64_out(info, 13, "weight", n, held);
  return Job{[a] { linear::svm_dual_cd(a); }, held};
}

}  // namespace

KILN_ASYNC_AND_SYNC(SvmDualCd, "svmDualCd")
KILN_ASYNC_AND_SYNC(SgdEpoch, "sgdEpoch")
KILN_ASYNC_AND_SYNC(WeightedGram, "weightedGram")
KILN_ASYNC_AND_SYNC(LogisticLossGrad, "logisticLossGrad")
KILN_ASYNC_AND_SYNC(LogisticLossGradHess, "logisticLossGradHess")

}  // namespace kiln::binding
