#pragma once
#include <napi.h>

namespace kiln::binding {
// svmSolve(x Float64Array(n*d), n, d, rows Int32Array(l), q (0 class, 1 one-class, 2 regression),
//          kernel (0 linear, 1 poly, 2 rbf, 3 sigmoid), gamma, degree, coef0, y Int8Array(v), p Float64Array(v),
//          alpha0 Float64Array(v), C Float64Array(v), eps, shrinking, maxIter (-1: none), nu, cacheBytes,
//          stop Int32Array(1) | null, alpha Float64Array(v), info Float64Array(5)) with v = l, or 2l for
//          regression: one LIBSVM solve (see native/kernels/svm/svm.h).
Napi::Value SvmSolve(const Napi::CallbackInfo& info);
Napi::Value SvmSolveSync(const Napi::CallbackInfo& info);
// svmCross(q Float64Array(rows*d), rows, d, v Float64Array(m*d), m, kernel, gamma, degree, coef0,
//          out Float64Array(rows*m)): kernel values between query rows and support vectors.
Napi::Value SvmCross(const Napi::CallbackInfo& info);
Napi::Value SvmCrossSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
