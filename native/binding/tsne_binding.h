#pragma once
#include <napi.h>

namespace kiln::binding {
// tsneGradient(indptr, indices, values, y, n, angle, exaggeration, grad, kl | null): P is CSR
// (indptr Int32Array n+1 from 0, non-decreasing; indices Int32Array in [0, n); values
// Float64Array), y a Float64Array (n*2); outputs grad Float64Array (n*2) and, when given, kl
// Float64Array (1): KL(P||Q) over P's edges (computed only then).
Napi::Value TsneGradient(const Napi::CallbackInfo& info);
Napi::Value TsneGradientSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
