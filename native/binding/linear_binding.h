#pragma once
#include <napi.h>

namespace kiln::binding {
// weightedGram(x, n, p, y|null, t, w|null, center, xMean, yMean, gram, xty, wSum):
// x Float32Array|Float64Array (n*p); y Float64Array (n*t); w Float64Array (n);
// outputs Float64Array: xMean p, yMean t, gram p*p, xty p*t, wSum 1.
Napi::Value WeightedGram(const Napi::CallbackInfo& info);
Napi::Value WeightedGramSync(const Napi::CallbackInfo& info);
// logisticLossGrad(x, n, p, y Int32Array, classes, coef Float64Array, fitIntercept, w|null, grad, loss):
// coef / grad: scores*(p+1) with scores = 1 for 2 classes, else classes; loss Float64Array(1).
Napi::Value LogisticLossGrad(const Napi::CallbackInfo& info);
Napi::Value LogisticLossGradSync(const Napi::CallbackInfo& info);
// logisticLossGradHess(x, n, p, y Int32Array of 0/1, coef (p + 1), fitIntercept, w|null, grad, hess|null, loss):
// the binary loss, gradient and (p + 1) x (p + 1) Hessian (Newton-Cholesky; null: no Hessian).
Napi::Value LogisticLossGradHess(const Napi::CallbackInfo& info);
Napi::Value LogisticLossGradHessSync(const Napi::CallbackInfo& info);
// sgdEpoch(x, n, p, y, models, order, w|null, loss, epsilon, alpha, l1Ratio, rate, eta0, powerT,
//          optimalInit, fitIntercept, coef, t, lossSum): one epoch for `models` independent models.
Napi::Value SgdEpoch(const Napi::CallbackInfo& info);
Napi::Value SgdEpochSync(const Napi::CallbackInfo& info);
// svmDualCd(x, n, p, y, models, squaredHinge, C, interceptScaling, maxIter, tol, seed, coef, iterations, weight?):
// y Float64Array models*n of +1/-1; coef Float64Array models*(p+1); iterations Int32Array models.
Napi::Value SvmDualCd(const Napi::CallbackInfo& info);
Napi::Value SvmDualCdSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
