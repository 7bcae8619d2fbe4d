#pragma once
#include <napi.h>

namespace kiln::binding {
// symEig(a, n, values, vectors): a is a Float64Array of n*n (symmetric); values (n) and
// vectors (n*n, row i = eigenvector i) are Float64Array outputs, eigenvalues descending.
Napi::Value SymEig(const Napi::CallbackInfo& info);
Napi::Value SymEigSync(const Napi::CallbackInfo& info);
// thinQr(a, m, n, q, r): a is a Float64Array of m*n (m >= n); q (m*n) and r (n*n) are outputs.
Napi::Value ThinQr(const Napi::CallbackInfo& info);
Napi::Value ThinQrSync(const Napi::CallbackInfo& info);
// dgemm(transA, transB, m, n, k, alpha, a, b, beta, c): C = alpha op(A) op(B) + beta C in f64,
// row-major; a and b are Float32Array or Float64Array, c a Float64Array of m*n.
Napi::Value Dgemm(const Napi::CallbackInfo& info);
Napi::Value DgemmSync(const Napi::CallbackInfo& info);
}  // namespace kiln::binding
