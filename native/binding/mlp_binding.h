#pragma once
#include <napi.h>

namespace kiln::binding {
// Network arguments shared by the calls below: sizes (Int32Array, layers+1), hidden activation
// code (0 identity, 1 relu, 2 tanh, 3 logistic), output code (0 softmax, 1 identity), params
// (Float32Array of the packed W_l, b_l).
// mlpEpoch(sizes, hidden, output, params, x, n, labels|null, targets|null, order, batch, dropout, seed,
//          solver, lr, alpha, weightDecay, momentum, nesterov, beta1, beta2, eps, m, v, step, loss, weights|null)
Napi::Value MlpEpoch(const Napi::CallbackInfo& info);
Napi::Value MlpEpochSync(const Napi::CallbackInfo& info);
// mlpLossGrad(sizes, hidden, output, params, x, n, labels|null, targets|null, alpha, grad, loss, weights|null)
Napi::Value MlpLossGradSync(const Napi::CallbackInfo& info);
// mlpForward(sizes, hidden, output, params, x, n, out)
Napi::Value MlpForward(const Napi::CallbackInfo& info);
Napi::Value MlpForwardSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
